package signals

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// WritePidFile records pid in path as "PID\n", mode 0644, atomically: a
// temporary file in the same directory is written, synced and renamed
// over path, so a reader never sees a partial pid.
func WritePidFile(path string, pid int) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing PidFile %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	_, err = tmp.WriteString(strconv.Itoa(pid) + "\n")
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("writing PidFile %s: %w", path, err)
	}
	return nil
}

// ReadPidFile returns the pid recorded in path. A missing file gives an
// error that matches os.ErrNotExist.
func ReadPidFile(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("reading PidFile: %w", err)
	}
	text := strings.TrimSpace(string(data))
	pid, err := strconv.Atoi(text)
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("PidFile %s does not hold a pid (%q); remove it if it is corrupted", path, text)
	}
	return pid, nil
}

// RemovePidFile removes path; a missing file is not an error.
func RemovePidFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("removing PidFile %s: %w", path, err)
	}
	return nil
}

// ErrNotRunning is matched (errors.Is) by every *NotRunningError.
var ErrNotRunning = errors.New("httpd not running")

// NotRunningError says that no master runs under a PidFile: the file is
// missing, or it is stale (it names a process that no longer exists).
// Its message is apachectl's: "httpd (no pid file) not running" or
// "httpd (pid 1234?) not running", followed by what was found.
type NotRunningError struct {
	PidFile string
	Pid     int // 0 when there is no PidFile
}

// Stale reports whether a PidFile exists but names a dead process.
func (e *NotRunningError) Stale() bool { return e.Pid != 0 }

func (e *NotRunningError) Error() string {
	if e.Pid == 0 {
		return fmt.Sprintf("httpd (no pid file) not running (%s does not exist)", e.PidFile)
	}
	return fmt.Sprintf("httpd (pid %d?) not running (stale PidFile %s)", e.Pid, e.PidFile)
}

// Is makes errors.Is(err, ErrNotRunning) true.
func (e *NotRunningError) Is(target error) bool { return target == ErrNotRunning }

// CheckPidFile returns the pid of the master running under path. When
// none runs it returns a *NotRunningError (with the stale pid, if the file
// exists); a PidFile naming this very process counts as stale, as in
// Apache (containers restart with the same pid). Other failures, such as
// a corrupt file, are returned as they are.
func CheckPidFile(path string) (int, error) {
	pid, err := ReadPidFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, &NotRunningError{PidFile: path}
	}
	if err != nil {
		return 0, err
	}
	if pid == os.Getpid() || !Alive(pid) {
		return pid, &NotRunningError{PidFile: path, Pid: pid}
	}
	return pid, nil
}
