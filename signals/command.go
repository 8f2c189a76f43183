package signals

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// CommandSignal maps an `httpd -k` command to the signal it sends.
func CommandSignal(cmd string) (syscall.Signal, error) {
	switch cmd {
	case "stop":
		return syscall.SIGTERM, nil
	case "restart":
		return syscall.SIGHUP, nil
	case "graceful":
		return syscall.SIGUSR1, nil
	case "graceful-stop":
		return syscall.SIGWINCH, nil
	}
	return 0, fmt.Errorf("-k %s: unknown command (use start, restart, graceful, graceful-stop or stop)", cmd)
}

// SendCommand delivers an `httpd -k` command (stop, restart, graceful,
// graceful-stop) to the master recorded in pidFile. For stop and
// graceful-stop it waits (up to 20 s) until the master is gone. The errors
// read like apachectl's: "httpd (no pid file) not running",
// "httpd (pid 1234?) not running".
func SendCommand(pidFile, cmd string) error {
	sig, err := CommandSignal(cmd)
	if err != nil {
		return err
	}
	pid, err := ReadPidFile(pidFile)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("httpd (no pid file %s) not running", pidFile)
	}
	if err != nil {
		return err
	}
	if !Alive(pid) {
		return fmt.Errorf("httpd (pid %d?) not running (stale PidFile %s)", pid, pidFile)
	}
	if err := syscall.Kill(pid, sig); err != nil {
		return fmt.Errorf("sending %s to httpd (pid %d): %w", sig, pid, err)
	}
	if cmd == "stop" || cmd == "graceful-stop" {
		if !WaitForExit(pid, 20*time.Second) {
			return fmt.Errorf("httpd (pid %d) still running 20s after %s", pid, sig)
		}
	}
	return nil
}

// WaitForExit polls until pid no longer exists or timeout passes; it
// reports whether the process is gone.
func WaitForExit(pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for Alive(pid) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
