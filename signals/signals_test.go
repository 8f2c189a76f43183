package signals

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEscalationFollowsApacheSchedule(t *testing.T) {
	var now time.Duration
	type sent struct {
		at  time.Duration
		sig syscall.Signal
	}
	var log []sent
	Escalate(EscalateOptions{
		Alive: func() []int { return []int{42} }, // never dies
		Kill: func(pid int, sig syscall.Signal) error {
			log = append(log, sent{now, sig})
			return nil
		},
		Sleep: func(d time.Duration) { now += d },
	})
	assert.Equal(t, []sent{
		{0, syscall.SIGTERM},
		{3 * time.Second, syscall.SIGTERM},
		{5 * time.Second, syscall.SIGTERM},
		{7 * time.Second, syscall.SIGTERM},
		{9 * time.Second, syscall.SIGKILL},
	}, log)
}

func TestEscalationStopsWhenAllAreGone(t *testing.T) {
	var now time.Duration
	alive := []int{1, 2}
	sigs := Escalate(EscalateOptions{
		Alive: func() []int {
			if now >= 4*time.Second {
				return nil
			}
			return alive
		},
		Kill:  func(int, syscall.Signal) error { return nil },
		Sleep: func(d time.Duration) { now += d },
	})
	assert.Equal(t, []syscall.Signal{syscall.SIGTERM, syscall.SIGTERM}, sigs)
	assert.Less(t, now, 5*time.Second)
}

func TestPidFileRoundTripAndStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "httpd.pid")
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

	// A pid that cannot exist is a stale PidFile.
	require.NoError(t, WritePidFile(path, 1<<22+7))
	err = SendCommand(path, "graceful")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not running")
	assert.Contains(t, err.Error(), "stale")

	require.NoError(t, RemovePidFile(path))
	require.NoError(t, RemovePidFile(path), "removing twice is fine")
	err = SendCommand(path, "stop")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no pid file")

	require.NoError(t, os.WriteFile(path, []byte("garbage\n"), 0o644))
	_, err = ReadPidFile(path)
	assert.Error(t, err)
}

func TestCommandSignals(t *testing.T) {
	for cmd, want := range map[string]syscall.Signal{
		"stop": syscall.SIGTERM, "restart": syscall.SIGHUP,
		"graceful": syscall.SIGUSR1, "graceful-stop": syscall.SIGWINCH,
	} {
		got, err := CommandSignal(cmd)
		require.NoError(t, err)
		assert.Equal(t, want, got, cmd)
	}
	_, err := CommandSignal("reload")
	assert.Error(t, err)
}

// TestSendCommandReachesAProcess re-executes the test binary as a
// stand-in master that reports the signal it receives.
func TestSendCommandReachesAProcess(t *testing.T) {
	if os.Getenv("SIGNALS_HELPER") == "1" {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGUSR1, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGWINCH)
		fmt.Println("ready")
		sig := <-ch
		fmt.Println(sig.(syscall.Signal).String())
		os.Exit(0)
	}
	for _, cmd := range []string{"graceful", "stop", "restart", "graceful-stop"} {
		t.Run(cmd, func(t *testing.T) {
			c := exec.Command(os.Args[0], "-test.run=^TestSendCommandReachesAProcess$")
			c.Env = append(os.Environ(), "SIGNALS_HELPER=1")
			out, err := c.StdoutPipe()
			require.NoError(t, err)
			require.NoError(t, c.Start())
			defer c.Process.Kill()
			buf := make([]byte, 6)
			_, err = out.Read(buf)
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "httpd.pid")
			require.NoError(t, WritePidFile(path, c.Process.Pid))
			require.NoError(t, SendCommand(path, cmd))
			rest := make([]byte, 64)
			n, _ := out.Read(rest)
			want, _ := CommandSignal(cmd)
			assert.Contains(t, string(rest[:n]), want.String())
			c.Wait()
		})
	}
}

func TestChildEnvDropsMasterOnlyVariables(t *testing.T) {
	env := []string{"PATH=/bin", "NOTIFY_SOCKET=/run/x", "LISTEN_PID=1", "LISTEN_FDS=2", "LISTEN_FDNAMES=a:b", "HOME=/root"}
	assert.Equal(t, []string{"PATH=/bin", "HOME=/root"}, ChildEnv(env))
}

func TestSystemdNotificationsArriveInOrder(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)

	n := SystemdNotifier()
	n.Ready(77)
	n.Reloading()
	n.Status("Total requests: 5; Idle/Busy workers 4/1")
	n.Stopping()

	var got []string
	buf := make([]byte, 4096)
	for i := 0; i < 4; i++ {
		conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		k, err := conn.Read(buf)
		require.NoError(t, err)
		got = append(got, string(buf[:k]))
	}
	assert.Equal(t, "READY=1\nMAINPID=77", got[0])
	assert.True(t, strings.HasPrefix(got[1], "RELOADING=1\nMONOTONIC_USEC="), got[1])
	assert.Equal(t, "STATUS=Total requests: 5; Idle/Busy workers 4/1", got[2])
	assert.Equal(t, "STOPPING=1", got[3])
}

func TestNotifierIsSilentWithoutSocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := SystemdNotifier()
	n.Ready(1)
	n.Stopping()
}
