package integration

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readPid(t testing.TB, dir string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "logs", "httpd.pid"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	require.NoError(t, err)
	return pid
}

func TestControlThroughPidFile(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	out, code := httpd(t, dir, "-d", dir, "-f", "httpd.toml", "-k", "start")
	require.Equal(t, 0, code, out)
	pid := readPid(t, dir)
	t.Cleanup(func() {
		for _, k := range childrenOf(pid) {
			syscall.Kill(k, syscall.SIGKILL)
		}
		syscall.Kill(pid, syscall.SIGKILL)
	})
	status, _ := get(t, addr, "/")
	assert.Equal(t, 200, status, "-k start returns once the listeners answer")

	out, code = httpd(t, dir, "-d", dir, "-f", "httpd.toml", "-k", "graceful")
	require.Equal(t, 0, code, out)
	assert.True(t, eventually(5*time.Second, func() bool {
		return strings.Contains(errorLog(t, dir), "SIGUSR1 received")
	}))
	status, _ = get(t, addr, "/")
	assert.Equal(t, 200, status)

	out, code = httpd(t, dir, "-d", dir, "-f", "httpd.toml", "-k", "stop")
	require.Equal(t, 0, code, out)
	assert.False(t, alive(pid), "-k stop returns once the master is gone")
	_, err := net.DialTimeout("tcp", addr, time.Second)
	assert.Error(t, err)

	out, code = httpd(t, dir, "-d", dir, "-f", "httpd.toml", "-k", "stop")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "not running")
}

func TestStartReportsAFailedStart(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	require.NoError(t, err)
	defer l.Close()
	out, code := httpd(t, dir, "-d", dir, "-f", "httpd.toml", "-k", "start")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Address already in use")
	assert.Contains(t, out, fmt.Sprintf("127.0.0.1:%d", port))
}

func TestSystemdNotifications(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	sock := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sock, Net: "unixgram"})
	require.NoError(t, err)
	defer conn.Close()
	t.Setenv("NOTIFY_SOCKET", sock)

	s := start(t, dir, port)
	read := func() string {
		buf := make([]byte, 4096)
		for {
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, err := conn.Read(buf)
			require.NoError(t, err)
			msg := string(buf[:n])
			if !strings.HasPrefix(msg, "STATUS=") {
				return msg
			}
		}
	}
	assert.Equal(t, fmt.Sprintf("READY=1\nMAINPID=%d", s.pid()), read())
	s.signal(syscall.SIGUSR1)
	assert.True(t, strings.HasPrefix(read(), "RELOADING=1\nMONOTONIC_USEC="))
	assert.Equal(t, fmt.Sprintf("READY=1\nMAINPID=%d", s.pid()), read())

	// The periodic status line carries totals and workers.
	buf := make([]byte, 4096)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(buf)
	require.NoError(t, err)
	assert.Contains(t, string(buf[:n]), "STATUS=Total requests:")
	assert.Contains(t, string(buf[:n]), "Idle/Busy workers")

	s.signal(syscall.SIGTERM)
	assert.Equal(t, "STOPPING=1", read())
	assert.True(t, s.waitExit(12*time.Second))
	for _, k := range childrenOf(s.pid()) {
		env, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", k))
		assert.NotContains(t, string(env), "NOTIFY_SOCKET", "children never see NOTIFY_SOCKET")
	}
}

func TestChildrenDoNotInheritNotifySocket(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	t.Setenv("NOTIFY_SOCKET", filepath.Join(dir, "nobody-listens.sock"))
	s := start(t, dir, port)
	for _, k := range waitChildren(t, s, 3) {
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", k))
		require.NoError(t, err)
		assert.NotContains(t, string(env), "NOTIFY_SOCKET")
	}
}

// TestChildrenRunWithSysmonKeptAwake checks the runtime setting children
// get (child.RuntimeEnv), with the operator's GODEBUG kept.
func TestChildrenRunWithSysmonKeptAwake(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	t.Setenv("GODEBUG", "madvdontneed=1")
	s := start(t, dir, port)
	for _, k := range waitChildren(t, s, 3) {
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", k))
		require.NoError(t, err)
		assert.Contains(t, strings.Split(string(env), "\x00"), "GODEBUG=madvdontneed=1,schedtrace=2147483647")
	}
	status, _ := get(t, s.addr(), "/")
	assert.Equal(t, 200, status)
}

func TestSocketActivation(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	require.NoError(t, err)
	f, err := l.(*net.TCPListener).File()
	require.NoError(t, err)
	l.Close()
	defer f.Close()

	// systemd sets LISTEN_PID to the service's pid: exec through a shell
	// so the pid is known.
	cmd := exec.Command("/bin/sh", "-c", `LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" -d "$1" -f httpd.toml`, binary, dir)
	cmd.Dir = dir
	cmd.ExtraFiles = []*os.File{f}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		kids := childrenOf(cmd.Process.Pid)
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(12 * time.Second):
			cmd.Process.Kill()
		}
		for _, k := range kids {
			syscall.Kill(k, syscall.SIGKILL)
		}
	})
	f.Close() // the test's copy: only the server holds the socket now
	ok := eventually(10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err != nil {
			return false
		}
		c.Close()
		return true
	})
	require.True(t, ok, "serving on the activated socket:\n%s", out.String())
	status, _ := get(t, fmt.Sprintf("127.0.0.1:%d", port), "/")
	assert.Equal(t, 200, status)
	select {
	case <-done:
		t.Fatalf("the master exited:\n%s", out.String())
	default:
	}
}
