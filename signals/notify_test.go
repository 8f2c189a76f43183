package signals

import (
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func monotonicUsec(t *testing.T) int64 {
	var ts unix.Timespec
	require.NoError(t, unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts))
	return ts.Nano() / 1000
}

func TestSystemdNotificationsArriveInOrder(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)

	before := monotonicUsec(t)
	n := SystemdNotifier()
	n.Ready(77)
	n.Reloading()
	n.Status("Total requests: 5;\nIdle/Busy workers 4/1")
	n.Stopping()
	after := monotonicUsec(t)

	var got []string
	buf := make([]byte, 4096)
	for range 4 {
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
		k, err := conn.Read(buf)
		require.NoError(t, err)
		got = append(got, string(buf[:k]))
	}
	assert.Equal(t, "READY=1\nMAINPID=77", got[0])
	usec, ok := strings.CutPrefix(got[1], "RELOADING=1\nMONOTONIC_USEC=")
	require.True(t, ok, got[1])
	v, err := strconv.ParseInt(usec, 10, 64)
	require.NoError(t, err)
	assert.True(t, before <= v && v <= after, "MONOTONIC_USEC %d is CLOCK_MONOTONIC (between %d and %d)", v, before, after)
	assert.Equal(t, "STATUS=Total requests: 5; Idle/Busy workers 4/1", got[2])
	assert.Equal(t, "STOPPING=1", got[3])
}

func TestNotifierIsSilentWithoutSocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := SystemdNotifier()
	n.Ready(1)
	n.Reloading()
	n.Status("x")
	n.Stopping()

	// A socket nobody listens on is not an error the master must handle.
	t.Setenv("NOTIFY_SOCKET", filepath.Join(t.TempDir(), "absent.sock"))
	n.Ready(1)
}

func TestRecorderKeepsTheWireMessages(t *testing.T) {
	var r Recorder
	var n Notifier = &r
	n.Ready(5)
	n.Reloading()
	n.Status("a\nb")
	n.Stopping()
	msgs := r.Messages()
	require.Len(t, msgs, 4)
	assert.Equal(t, "READY=1\nMAINPID=5", msgs[0])
	assert.True(t, strings.HasPrefix(msgs[1], "RELOADING=1\nMONOTONIC_USEC="), msgs[1])
	assert.Equal(t, "STATUS=a b", msgs[2])
	assert.Equal(t, "STOPPING=1", msgs[3])
}

func TestChildEnvDropsMasterOnlyVariables(t *testing.T) {
	env := []string{"PATH=/bin", "NOTIFY_SOCKET=/run/x", "LISTEN_PID=1", "LISTEN_FDS=2",
		"LISTEN_FDNAMES=a:b", "LISTEN_FDS_X=kept", "HOME=/root"}
	orig := append([]string(nil), env...)
	assert.Equal(t, []string{"PATH=/bin", "LISTEN_FDS_X=kept", "HOME=/root"}, ChildEnv(env))
	assert.Equal(t, orig, env, "the input is not modified")
	assert.Empty(t, ChildEnv(nil))
}

func BenchmarkChildEnv(b *testing.B) {
	env := []string{"PATH=/bin", "HOME=/root", "LANG=C.UTF-8", "NOTIFY_SOCKET=/run/x", "LISTEN_FDS=2", "TERM=xterm"}
	b.ReportAllocs()
	for range b.N {
		ChildEnv(env)
	}
}
