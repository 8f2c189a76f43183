package signals

import (
	"fmt"

	"strings"

	"github.com/coreos/go-systemd/v22/daemon"
	"golang.org/x/sys/unix"
)

// Notifier receives the master's service-manager notifications.
type Notifier interface {
	// Ready says the server is up (READY=1, MAINPID=pid).
	Ready(mainPID int)
	// Reloading says a restart began (RELOADING=1, MONOTONIC_USEC=now).
	Reloading()
	// Stopping says the server is shutting down (STOPPING=1).
	Stopping()
	// Status publishes a one-line status (STATUS=line).
	Status(line string)
}

// SystemdNotifier returns the Notifier that sends to $NOTIFY_SOCKET with
// sd_notify; every call is a no-op when the variable is unset.
func SystemdNotifier() Notifier { return sdNotifier{} }

type sdNotifier struct{}

func (sdNotifier) send(state string) { _, _ = daemon.SdNotify(false, state) }

func (n sdNotifier) Ready(pid int) { n.send(fmt.Sprintf("READY=1\nMAINPID=%d", pid)) }

func (n sdNotifier) Reloading() {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	usec := ts.Sec*1_000_000 + ts.Nsec/1000
	n.send(fmt.Sprintf("RELOADING=1\nMONOTONIC_USEC=%d", usec))
}

func (n sdNotifier) Stopping() { n.send("STOPPING=1") }

func (n sdNotifier) Status(line string) {
	n.send("STATUS=" + strings.ReplaceAll(line, "\n", " "))
}

// childEnvDrop are the variables that belong to the master alone: systemd
// talks to the main process, and socket activation is the master's.
var childEnvDrop = []string{"NOTIFY_SOCKET=", "LISTEN_PID=", "LISTEN_FDS=", "LISTEN_FDNAMES="}

// ChildEnv returns env without the variables children must not see.
func ChildEnv(env []string) []string {
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, p := range childEnvDrop {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
