package signals

import (
	"errors"
	"fmt"
	"syscall"
	"time"
)

// StopWait bounds how long `httpd -k stop` waits for the master to exit:
// the master's own escalation ends its children within 10 s.
const StopWait = 20 * time.Second

// SendCommand delivers an `httpd -k` command (stop, restart, graceful,
// graceful-stop) to the master recorded in pidFile, as TERM, HUP, USR1 or
// WINCH. For stop it then waits, up to StopWait, until the master is gone;
// the others return once the signal is sent (a graceful stop may last as
// long as GracefulShutdownTimeout allows, without limit).
//
// When no master runs the error is a *NotRunningError, matching
// ErrNotRunning, whose message reads like apachectl's: "httpd (no pid
// file) not running", "httpd (pid 1234?) not running". For restart and
// graceful Apache then starts the server; that is the caller's choice.
func SendCommand(pidFile, cmd string) error {
	ev, err := ParseCommand(cmd)
	if err != nil {
		return err
	}
	pid, err := CheckPidFile(pidFile)
	if err != nil {
		return err
	}
	sig := ev.Signal()
	if err := syscall.Kill(pid, sig); err != nil {
		if errors.Is(err, syscall.ESRCH) {
			return &NotRunningError{PidFile: pidFile, Pid: pid}
		}
		return fmt.Errorf("sending %s to httpd (pid %d, PidFile %s): %w", sigName(sig), pid, pidFile, err)
	}
	if ev == Stop && !WaitForExit(pid, StopWait) {
		return fmt.Errorf("httpd (pid %d) still running %s after %s; see its error log, or kill -KILL %d",
			pid, StopWait, sigName(sig), pid)
	}
	return nil
}

// sigName returns the signal's short name as kill(1) spells it: "SIGTERM".
func sigName(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	case syscall.SIGUSR1:
		return "SIGUSR1"
	case syscall.SIGWINCH:
		return "SIGWINCH"
	case syscall.SIGKILL:
		return "SIGKILL"
	}
	return sig.String()
}
