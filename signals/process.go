package signals

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Alive reports whether process pid exists and has not exited: kill(pid,
// 0) does not fail with ESRCH (EPERM still means it exists), and /proc does
// not show it as a zombie waiting for its parent to collect it.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	// The state follows the command name, which is in parentheses and may
	// itself contain ")".
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// WaitForExit waits until process pid has exited or timeout passes, and
// reports whether it is gone. It need not be the caller's child: `httpd -k
// stop` uses it on the master. It waits on a pidfd where the kernel has
// them and polls Alive otherwise.
func WaitForExit(pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	fd, err := unix.PidfdOpen(pid, 0)
	switch {
	case err == nil:
		defer unix.Close(fd)
		return waitPidfd(fd, pid, deadline)
	case errors.Is(err, unix.ESRCH):
		return true
	}
	return pollExit(pid, deadline)
}

// waitPidfd polls a pidfd, which becomes readable when the process exits.
func waitPidfd(fd, pid int, deadline time.Time) bool {
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return !Alive(pid)
		}
		ms := int(min(left, time.Minute)/time.Millisecond) + 1
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, ms)
		switch {
		case n > 0:
			return true
		case err != nil && !errors.Is(err, unix.EINTR):
			return pollExit(pid, deadline)
		}
	}
}

// pollExit asks Alive every 20ms until the deadline.
func pollExit(pid int, deadline time.Time) bool {
	for Alive(pid) {
		if !time.Now().Before(deadline) {
			return false
		}
		time.Sleep(min(20*time.Millisecond, max(time.Until(deadline), time.Millisecond)))
	}
	return true
}
