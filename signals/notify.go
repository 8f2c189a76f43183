package signals

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// Notifier receives the master's service-manager notifications. Only the
// master notifies; children never see NOTIFY_SOCKET (ChildEnv).
type Notifier interface {
	// Ready says the server is up: "READY=1\nMAINPID=<pid>".
	Ready(mainPID int)
	// Reloading says a restart began:
	// "RELOADING=1\nMONOTONIC_USEC=<CLOCK_MONOTONIC in µs>".
	Reloading()
	// Stopping says the server is shutting down: "STOPPING=1".
	Stopping()
	// Status publishes a one-line status: "STATUS=<line>", newlines
	// replaced by spaces.
	Status(line string)
}

// SystemdNotifier returns the Notifier that sends to $NOTIFY_SOCKET with
// sd_notify. Every call is a no-op when the variable is unset, and a
// failure to send is ignored, as sd_notify's callers in Apache do:
// systemd's own timeouts report a service that never became ready.
func SystemdNotifier() Notifier { return sdNotifier{} }

type sdNotifier struct{}

func (sdNotifier) send(state string) { _, _ = daemon.SdNotify(false, state) }

func (n sdNotifier) Ready(pid int)      { n.send(readyState(pid)) }
func (n sdNotifier) Reloading()         { n.send(reloadingState()) }
func (n sdNotifier) Stopping()          { n.send(stoppingState) }
func (n sdNotifier) Status(line string) { n.send(statusState(line)) }

const stoppingState = "STOPPING=1"

func readyState(pid int) string { return "READY=1\nMAINPID=" + strconv.Itoa(pid) }

// reloadingState carries CLOCK_MONOTONIC in microseconds, which systemd
// (Type=notify-reload) uses to tell this reload from an earlier one.
func reloadingState() string {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return "RELOADING=1"
	}
	return fmt.Sprintf("RELOADING=1\nMONOTONIC_USEC=%d", ts.Nano()/1000)
}

func statusState(line string) string {
	return "STATUS=" + strings.ReplaceAll(line, "\n", " ")
}
