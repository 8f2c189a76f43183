package signals

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPidFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "httpd.pid")
	require.NoError(t, WritePidFile(path, 1234))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "1234\n", string(data))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	pid, err := ReadPidFile(path)
	require.NoError(t, err)
	assert.Equal(t, 1234, pid)

	require.NoError(t, WritePidFile(path, 99), "overwrites")
	pid, err = ReadPidFile(path)
	require.NoError(t, err)
	assert.Equal(t, 99, pid)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")

	require.NoError(t, RemovePidFile(path))
	require.NoError(t, RemovePidFile(path), "removing twice is fine")
	_, err = ReadPidFile(path)
	assert.ErrorIs(t, err, os.ErrNotExist)

	require.NoError(t, os.WriteFile(path, []byte("garbage\n"), 0o644))
	_, err = ReadPidFile(path)
	assert.ErrorContains(t, err, "does not hold a pid")
	_, err = CheckPidFile(path)
	assert.Error(t, err)
	assert.False(t, errors.Is(err, ErrNotRunning), "a corrupt PidFile is not taken for a stopped server")

	assert.Error(t, WritePidFile(filepath.Join(dir, "missing", "httpd.pid"), 1))
}

func TestCheckPidFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "httpd.pid")

	_, err := CheckPidFile(path)
	var nr *NotRunningError
	require.ErrorAs(t, err, &nr)
	assert.False(t, nr.Stale())
	assert.ErrorIs(t, err, ErrNotRunning)
	assert.Contains(t, err.Error(), "httpd (no pid file) not running")

	// A running process.
	h := startHelper(t, "sleep")
	require.NoError(t, WritePidFile(path, h.pid()))
	pid, err := CheckPidFile(path)
	require.NoError(t, err)
	assert.Equal(t, h.pid(), pid)

	// The same pid once the process has exited and been collected.
	require.NoError(t, h.cmd.Process.Kill())
	_ = h.wait()
	pid, err = CheckPidFile(path)
	require.ErrorAs(t, err, &nr)
	assert.True(t, nr.Stale())
	assert.Equal(t, h.pid(), pid)
	assert.Contains(t, err.Error(), "not running")
	assert.Contains(t, err.Error(), "stale PidFile "+path)

	// Our own pid: a container restarted with the pid its last run had.
	require.NoError(t, WritePidFile(path, os.Getpid()))
	_, err = CheckPidFile(path)
	assert.ErrorIs(t, err, ErrNotRunning)
}
