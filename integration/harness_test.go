package integration

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// binary is the httpd binary built once for the whole package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gohttpd-integration-")
	if err == nil {
		// Children run as User and must be able to execute the binary.
		err = os.Chmod(dir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "httpd")
	build := exec.Command("go", "build", "-o", binary, "gohttpd/cmd/httpd")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building httpd:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// repoRoot is the repository's top directory.
func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	return filepath.Dir(wd)
}

// httpd runs the binary to completion and returns its combined output and
// exit code.
func httpd(t testing.TB, dir string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := runWithTimeout(cmd, 30*time.Second)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running httpd %v: %v", args, err)
	}
	return out.String(), code
}

func runWithTimeout(cmd *exec.Cmd, d time.Duration) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("timed out after %s", d)
	}
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// server is a running httpd master started by a test.
type server struct {
	t    testing.TB
	cmd  *exec.Cmd
	dir  string
	port int
	out  *syncBuffer
	done chan struct{}
}

// site makes a ServerRoot with htdocs/index.html and a config written
// from tmpl, where {PORT} and {ROOT} are replaced.
func site(t testing.TB, tmpl string) (dir string, port int) {
	t.Helper()
	// Not t.TempDir: its parent is private to root, and children running
	// as User must be able to read the document root.
	dir, err := os.MkdirTemp("", "gohttpd-site-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	port = freePort(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "htdocs"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "logs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htdocs", "index.html"), []byte("<h1>hello</h1>\n"), 0o644))
	conf := strings.NewReplacer("{PORT}", strconv.Itoa(port), "{ROOT}", dir).Replace(tmpl)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "httpd.toml"), []byte(conf), 0o644))
	return dir, port
}

// start runs `httpd -f httpd.toml` in dir in the foreground and waits
// until port answers. The test's cleanup stops it (TERM, then KILL) by pid.
func start(t testing.TB, dir string, port int, args ...string) *server {
	t.Helper()
	return startBinary(t, binary, dir, port, args...)
}

// startBinary is start with another copy of the binary.
func startBinary(t testing.TB, bin, dir string, port int, args ...string) *server {
	t.Helper()
	s := &server{t: t, dir: dir, port: port, out: &syncBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"-d", dir, "-f", "httpd.toml"}, args...)...)
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	require.NoError(t, s.cmd.Start())
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(s.stop)
	s.waitListening()
	return s
}

func (s *server) waitListening() {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			s.t.Fatalf("httpd exited at start-up:\n%s", s.out.String())
		default:
		}
		if c, err := net.DialTimeout("tcp", s.addr(), 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("httpd did not listen on %s within 15s:\n%s", s.addr(), s.out.String())
}

func (s *server) addr() string { return fmt.Sprintf("127.0.0.1:%d", s.port) }

func (s *server) pid() int { return s.cmd.Process.Pid }

func (s *server) signal(sig syscall.Signal) {
	s.t.Helper()
	require.NoError(s.t, s.cmd.Process.Signal(sig))
}

// stop terminates the master and, if any survive, its children.
func (s *server) stop() {
	kids := childrenOf(s.pid())
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(12 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
	for _, pid := range kids {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// waitExit waits for the master to exit within d.
func (s *server) waitExit(d time.Duration) bool {
	select {
	case <-s.done:
		return true
	case <-time.After(d):
		return false
	}
}

// get sends one GET over a new connection and returns status and body.
func get(t testing.TB, addr, path string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path)
	return readResponse(t, bufio.NewReader(c))
}

// readResponse reads one response with a Content-Length or close-delimited
// body.
func readResponse(t testing.TB, br *bufio.Reader) (int, string) {
	t.Helper()
	line, err := br.ReadString('\n')
	require.NoError(t, err, "reading the status line")
	parts := strings.SplitN(strings.TrimSpace(line), " ", 3)
	require.GreaterOrEqual(t, len(parts), 2, "status line %q", line)
	status, err := strconv.Atoi(parts[1])
	require.NoError(t, err)
	length := -1
	chunked := false
	for {
		h, err := br.ReadString('\n')
		require.NoError(t, err)
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		name, value, _ := strings.Cut(h, ":")
		switch strings.ToLower(name) {
		case "content-length":
			length, _ = strconv.Atoi(strings.TrimSpace(value))
		case "transfer-encoding":
			chunked = strings.Contains(strings.ToLower(value), "chunked")
		}
	}
	var body []byte
	switch {
	case chunked:
		for {
			sz, err := br.ReadString('\n')
			require.NoError(t, err)
			n, err := strconv.ParseInt(strings.TrimSpace(strings.SplitN(sz, ";", 2)[0]), 16, 64)
			require.NoError(t, err)
			if n == 0 {
				br.ReadString('\n')
				break
			}
			chunk := make([]byte, n+2)
			_, err = io.ReadFull(br, chunk)
			require.NoError(t, err)
			body = append(body, chunk[:n]...)
		}
	case length >= 0:
		body = make([]byte, length)
		_, err := io.ReadFull(br, body)
		require.NoError(t, err)
	default:
		body, _ = io.ReadAll(br)
	}
	return status, string(body)
}

// childrenOf lists the pids whose parent is pid, from /proc.
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid(p) == pid {
			out = append(out, p)
		}
	}
	return out
}

func ppid(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return -1
	}
	n, _ := strconv.Atoi(f[1])
	return n
}

// ids returns the real uid and gid of pid from /proc.
func ids(t testing.TB, pid int) (uid, gid int) {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "Uid:" {
			uid, _ = strconv.Atoi(f[1])
		}
		if len(f) >= 2 && f[0] == "Gid:" {
			gid, _ = strconv.Atoi(f[1])
		}
	}
	return uid, gid
}

// alive reports whether pid exists (and is not a zombie).
func alive(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && len(s) > i+2 && s[i+2] != 'Z'
}

// eventually polls cond every 50ms until it holds or d passes.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return cond()
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func requireRoot(t testing.TB) {
	if os.Geteuid() != 0 {
		t.Skip("the process-model tests need root (to switch children to User); CI runs them as root")
	}
}
