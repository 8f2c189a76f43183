package signals

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendCommandReachesAProcess re-executes the test binary as a
// stand-in master (NotifyMaster) that prints the event it receives.
func TestSendCommandReachesAProcess(t *testing.T) {
	for _, cmd := range []string{"graceful", "stop", "restart", "graceful-stop"} {
		t.Run(cmd, func(t *testing.T) {
			h := startHelper(t, "master")
			require.Equal(t, "ready", h.line(t))
			path := filepath.Join(t.TempDir(), "httpd.pid")
			require.NoError(t, WritePidFile(path, h.pid()))
			require.NoError(t, SendCommand(path, cmd))
			if cmd == "stop" {
				assert.False(t, Alive(h.pid()), "-k stop returns once the master is gone")
			}
			assert.Equal(t, cmd, h.line(t))
			require.NoError(t, h.wait())
		})
	}
}

func TestSendCommandWhenNotRunning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "httpd.pid")
	err := SendCommand(path, "stop")
	assert.ErrorIs(t, err, ErrNotRunning)
	assert.Contains(t, err.Error(), "httpd (no pid file) not running")

	h := startHelper(t, "exit")
	require.NoError(t, h.wait())
	require.NoError(t, WritePidFile(path, h.pid()))
	err = SendCommand(path, "graceful")
	assert.ErrorIs(t, err, ErrNotRunning)
	assert.Contains(t, err.Error(), fmt.Sprintf("httpd (pid %d?) not running", h.pid()))

	assert.ErrorContains(t, SendCommand(path, "reload"), "unknown command")
}

func TestAliveAndWaitForExit(t *testing.T) {
	assert.True(t, Alive(os.Getpid()))
	assert.False(t, Alive(0))
	assert.False(t, Alive(-1))
	assert.False(t, Alive(1<<22+7), "beyond pid_max")

	h := startHelper(t, "sleep")
	assert.True(t, Alive(h.pid()))
	assert.False(t, WaitForExit(h.pid(), 10*time.Millisecond), "still running")
	assert.False(t, pollExit(h.pid(), time.Now()), "still running")

	// Killed but not yet collected: a zombie counts as gone.
	require.NoError(t, h.cmd.Process.Kill())
	assert.True(t, WaitForExit(h.pid(), 10*time.Second))
	assert.False(t, Alive(h.pid()))
	assert.True(t, pollExit(h.pid(), time.Now()))
	_ = h.wait()
	assert.True(t, WaitForExit(h.pid(), 0), "an unknown pid is gone")
}

func BenchmarkAlive(b *testing.B) {
	b.ReportAllocs()
	pid := os.Getpid()
	for range b.N {
		Alive(pid)
	}
}
