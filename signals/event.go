package signals

import (
	"fmt"
	"syscall"
)

// An Event is what a signal asks a gohttpd process to do. The same values
// serve the master (NotifyMaster) and the children (NotifyChild); the
// package documentation lists which signal means what to each.
type Event int

const (
	// Stop ends the process now. The master stops its children with
	// Escalate and removes the PidFile; a child exits at once.
	Stop Event = iota + 1
	// Restart is the master's HUP: children are stopped, the scoreboard
	// zeroed and the configuration reread; listeners are kept.
	Restart
	// Graceful is the master's USR1: a new generation starts while the old
	// children finish what they are doing. To a child it means: finish the
	// request in progress, answer it with Connection: close, and exit.
	Graceful
	// GracefulStop is the master's WINCH: the listeners close, children
	// finish their requests, and the master exits after them.
	GracefulStop
)

// String returns the event's `httpd -k` name: "stop", "restart",
// "graceful" or "graceful-stop".
func (e Event) String() string {
	switch e {
	case Stop:
		return "stop"
	case Restart:
		return "restart"
	case Graceful:
		return "graceful"
	case GracefulStop:
		return "graceful-stop"
	}
	return fmt.Sprintf("Event(%d)", int(e))
}

// Signal returns the signal that asks the master for e: TERM, HUP, USR1 or
// WINCH; 0 for an unknown event.
func (e Event) Signal() syscall.Signal {
	switch e {
	case Stop:
		return syscall.SIGTERM
	case Restart:
		return syscall.SIGHUP
	case Graceful:
		return syscall.SIGUSR1
	case GracefulStop:
		return syscall.SIGWINCH
	}
	return 0
}

// MasterEvent maps a signal to the master's event; ok is false for a
// signal the master does not act on.
func MasterEvent(sig syscall.Signal) (e Event, ok bool) {
	switch sig {
	case syscall.SIGTERM, syscall.SIGINT:
		return Stop, true
	case syscall.SIGHUP:
		return Restart, true
	case syscall.SIGUSR1:
		return Graceful, true
	case syscall.SIGWINCH:
		return GracefulStop, true
	}
	return 0, false
}

// ChildEvent maps a signal to a child's event, as Apache prefork's
// children treat them: TERM and HUP stop at once, USR1 and WINCH drain
// gracefully. ok is false for any other signal (INT and PIPE included:
// children ignore them).
func ChildEvent(sig syscall.Signal) (e Event, ok bool) {
	switch sig {
	case syscall.SIGTERM, syscall.SIGHUP:
		return Stop, true
	case syscall.SIGUSR1, syscall.SIGWINCH:
		return Graceful, true
	}
	return 0, false
}

// ParseCommand returns the event an `httpd -k` command asks of a running
// master: stop, restart, graceful or graceful-stop. "start" is not a
// signal; cmd/httpd handles it.
func ParseCommand(cmd string) (Event, error) {
	switch cmd {
	case "stop":
		return Stop, nil
	case "restart":
		return Restart, nil
	case "graceful":
		return Graceful, nil
	case "graceful-stop":
		return GracefulStop, nil
	case "start":
		return 0, fmt.Errorf("-k start: not a signal; httpd starts the server itself")
	}
	return 0, fmt.Errorf("-k %s: unknown command (use start, restart, graceful, graceful-stop or stop)", cmd)
}

// CommandSignal maps an `httpd -k` command to the signal it sends:
// stop → TERM, restart → HUP, graceful → USR1, graceful-stop → WINCH.
func CommandSignal(cmd string) (syscall.Signal, error) {
	e, err := ParseCommand(cmd)
	if err != nil {
		return 0, err
	}
	return e.Signal(), nil
}
