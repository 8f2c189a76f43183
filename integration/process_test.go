package integration

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// processConf is the configuration of the process-model tests.
const processConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
DocumentRoot    = "htdocs"
User            = "nobody"
Group           = "nogroup"
PidFile         = "logs/httpd.pid"
ErrorLog        = "logs/error_log"
LogLevel        = "info"
StartServers    = 3
MinSpareServers = 2
MaxSpareServers = 4
KeepAliveTimeout = 5

[[Location]]
Path       = "/server-status"
SetHandler = "server-status"
`

func errorLog(t testing.TB, dir string) string {
	data, _ := os.ReadFile(filepath.Join(dir, "logs", "error_log"))
	return string(data)
}

func waitChildren(t testing.TB, s *server, n int) []int {
	t.Helper()
	var kids []int
	ok := eventually(10*time.Second, func() bool {
		kids = childrenOf(s.pid())
		return len(kids) == n
	})
	require.True(t, ok, "want %d children, have %v\n%s", n, kids, errorLog(t, s.dir))
	return kids
}

func TestChildrenRunAsUserMasterAsRoot(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 3)

	nobody, err := user.Lookup("nobody")
	require.NoError(t, err)
	nogroup, err := user.LookupGroup("nogroup")
	require.NoError(t, err)
	wantUID, _ := strconv.Atoi(nobody.Uid)
	wantGID, _ := strconv.Atoi(nogroup.Gid)

	uid, gid := ids(t, s.pid())
	assert.Equal(t, 0, uid, "the master stays root")
	assert.Equal(t, 0, gid)
	for _, pid := range kids {
		uid, gid := ids(t, pid)
		assert.Equal(t, wantUID, uid, "child %d uid", pid)
		assert.Equal(t, wantGID, gid, "child %d gid", pid)
	}
	status, body := get(t, s.addr(), "/")
	assert.Equal(t, 200, status)
	assert.Equal(t, "<h1>hello</h1>\n", body)

	pidFile, err := os.ReadFile(filepath.Join(dir, "logs", "httpd.pid"))
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("%d\n", s.pid()), string(pidFile))
	assert.Contains(t, errorLog(t, dir), "configured -- resuming normal operations")
}

func TestKilledChildIsReplacedOthersUnaffected(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 3)

	// A keep-alive connection served by some child stays usable unless
	// that very child is killed; pick a victim that is not serving it.
	c, err := net.Dial("tcp", s.addr())
	require.NoError(t, err)
	defer c.Close()
	br := bufio.NewReader(c)
	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	status, _ := readResponse(t, br)
	require.Equal(t, 200, status)
	server := connOwner(t, c, kids)

	victim := kids[0]
	if victim == server {
		victim = kids[1]
	}
	require.NoError(t, syscall.Kill(victim, syscall.SIGKILL))
	ok := eventually(2*time.Second+500*time.Millisecond, func() bool {
		now := childrenOf(s.pid())
		if len(now) != 3 {
			return false
		}
		for _, p := range now {
			if p == victim {
				return false
			}
		}
		return true
	})
	assert.True(t, ok, "a replacement child within about 2s; children now %v", childrenOf(s.pid()))

	fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	status, _ = readResponse(t, br)
	assert.Equal(t, 200, status, "the other connection is unaffected")
	status, _ = get(t, s.addr(), "/")
	assert.Equal(t, 200, status)
}

// connOwner finds which child holds the server side of c, from
// /proc/PID/fd and /proc/net/tcp.
func connOwner(t testing.TB, c net.Conn, pids []int) int {
	t.Helper()
	local := c.LocalAddr().(*net.TCPAddr)
	inode := socketInode(t, local.Port, c.RemoteAddr().(*net.TCPAddr).Port)
	for _, pid := range pids {
		fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
		for _, fd := range fds {
			link, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%s", pid, fd.Name()))
			if link == "socket:["+inode+"]" {
				return pid
			}
		}
	}
	return 0
}

// socketInode returns the inode of the server-side socket whose local
// port is serverPort and remote port is clientPort.
func socketInode(t testing.TB, clientPort, serverPort int) string {
	data, err := os.ReadFile("/proc/net/tcp")
	require.NoError(t, err)
	want := fmt.Sprintf(":%04X", serverPort)
	remote := fmt.Sprintf(":%04X", clientPort)
	for _, line := range strings.Split(string(data), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) > 9 && strings.HasSuffix(f[1], want) && strings.HasSuffix(f[2], remote) {
			return f[9]
		}
	}
	return "?"
}

func TestKilledMasterTakesChildrenAlong(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 3)
	require.NoError(t, syscall.Kill(s.pid(), syscall.SIGKILL))
	require.True(t, s.waitExit(5*time.Second))
	ok := eventually(2*time.Second, func() bool {
		for _, pid := range kids {
			if alive(pid) {
				return false
			}
		}
		return true
	})
	assert.True(t, ok, "every child exits within 2s of the master's death (death pipe)")
	l, err := net.Listen("tcp", s.addr())
	require.NoError(t, err, "the port can be bound again at once")
	l.Close()
}

// load runs keep-alive GET loops from conns goroutines until stop is
// closed, counting answered requests and failures of any kind.
type load struct {
	ok, failed, refused atomic.Int64
	wg                  sync.WaitGroup
	stop                chan struct{}
	errs                sync.Map
}

func startLoad(addr string, conns int) *load {
	l := &load{stop: make(chan struct{})}
	for i := 0; i < conns; i++ {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			var c net.Conn
			var br *bufio.Reader
			for {
				select {
				case <-l.stop:
					if c != nil {
						c.Close()
					}
					return
				default:
				}
				if c == nil {
					var err error
					c, err = net.DialTimeout("tcp", addr, 5*time.Second)
					if err != nil {
						l.refused.Add(1)
						l.errs.Store(err.Error(), true)
						time.Sleep(10 * time.Millisecond)
						continue
					}
					br = bufio.NewReader(c)
				}
				c.SetDeadline(time.Now().Add(15 * time.Second))
				if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
					l.failed.Add(1)
					l.errs.Store("write: "+err.Error(), true)
					c.Close()
					c = nil
					continue
				}
				status, closeAfter, err := readStatus(br)
				if err != nil || status != 200 {
					l.failed.Add(1)
					l.errs.Store(fmt.Sprintf("read: status %d %v", status, err), true)
					c.Close()
					c = nil
					continue
				}
				l.ok.Add(1)
				if closeAfter {
					c.Close()
					c = nil
				}
			}
		}()
	}
	return l
}

func (l *load) finish() {
	close(l.stop)
	l.wg.Wait()
}

func (l *load) errors() []string {
	var out []string
	l.errs.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	return out
}

// readStatus reads one response with a Content-Length body and reports
// whether the server announced Connection: close.
func readStatus(br *bufio.Reader) (status int, closeAfter bool, err error) {
	line, err := br.ReadString('\n')
	if err != nil {
		return 0, false, err
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, false, fmt.Errorf("bad status line %q", line)
	}
	status, _ = strconv.Atoi(f[1])
	length := 0
	for {
		h, err := br.ReadString('\n')
		if err != nil {
			return status, false, err
		}
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		name, value, _ := strings.Cut(h, ":")
		value = strings.TrimSpace(value)
		switch strings.ToLower(name) {
		case "content-length":
			length, _ = strconv.Atoi(value)
		case "connection":
			closeAfter = strings.EqualFold(value, "close")
		}
	}
	_, err = io.CopyN(io.Discard, br, int64(length))
	return status, closeAfter, err
}

func TestGracefulRestartsUnderLoadLoseNothing(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	waitChildren(t, s, 3)

	l := startLoad(s.addr(), 8)
	time.Sleep(300 * time.Millisecond)
	for i := 0; i < 10; i++ {
		s.signal(syscall.SIGUSR1)
		time.Sleep(400 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	l.finish()

	assert.Zero(t, l.failed.Load(), "failed requests: %v", l.errors())
	assert.Zero(t, l.refused.Load(), "refused connections: %v", l.errors())
	assert.Greater(t, l.ok.Load(), int64(100), "the load ran")
	assert.Equal(t, 10, strings.Count(errorLog(t, dir), "SIGUSR1 received.  Doing graceful restart"))
	// Old generations leave: eventually only the new generation's children remain.
	assert.True(t, eventually(8*time.Second, func() bool { return len(childrenOf(s.pid())) <= 4 }),
		"old children exit; now %v", childrenOf(s.pid()))
}

func TestHardRestartRefusesNoConnection(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	old := waitChildren(t, s, 3)

	l := startLoad(s.addr(), 4)
	time.Sleep(200 * time.Millisecond)
	s.signal(syscall.SIGHUP)
	ok := eventually(10*time.Second, func() bool {
		now := childrenOf(s.pid())
		for _, p := range now {
			for _, o := range old {
				if p == o {
					return false
				}
			}
		}
		return len(now) >= 3
	})
	time.Sleep(300 * time.Millisecond)
	l.finish()
	require.True(t, ok, "children replaced after HUP")
	assert.Zero(t, l.refused.Load(), "no connection refused: the listeners never close: %v", l.errors())
	assert.Greater(t, l.ok.Load(), int64(10))
	assert.Contains(t, errorLog(t, dir), "SIGHUP received.  Attempting to restart")
	status, _ := get(t, s.addr(), "/")
	assert.Equal(t, 200, status)
}

func TestBrokenConfigOnGracefulKeepsServing(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 3)

	conf := filepath.Join(dir, "httpd.toml")
	good, err := os.ReadFile(conf)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(conf, append(good, []byte("\nKeepAliveTimout = 3\n")...), 0o644))
	s.signal(syscall.SIGUSR1)
	assert.True(t, eventually(5*time.Second, func() bool {
		return strings.Contains(errorLog(t, dir), "KeepAliveTimout")
	}), "the error is logged:\n%s", errorLog(t, dir))
	log := errorLog(t, dir)
	assert.Contains(t, log, conf+":")
	assert.Contains(t, log, "still serving the previous configuration")
	time.Sleep(300 * time.Millisecond)
	assert.ElementsMatch(t, kids, childrenOf(s.pid()), "the running generation keeps its children")
	status, _ := get(t, s.addr(), "/")
	assert.Equal(t, 200, status)
}

func TestGracefulStopFinishesInFlightRequest(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	big := make([]byte, 32<<20)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htdocs", "big.bin"), big, 0o644))
	s := start(t, dir, port)
	waitChildren(t, s, 3)

	// A download read slowly keeps its request in flight.
	c, err := net.Dial("tcp", s.addr())
	require.NoError(t, err)
	defer c.Close()
	c.(*net.TCPConn).SetReadBuffer(16 << 10)
	fmt.Fprintf(c, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReaderSize(c, 16<<10)
	head, err := br.Peek(12)
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 200", string(head))

	s.signal(syscall.SIGWINCH)
	assert.True(t, eventually(5*time.Second, func() bool {
		c2, err := net.DialTimeout("tcp", s.addr(), time.Second)
		if err == nil {
			c2.Close()
			return false
		}
		return true
	}), "new connections are refused after WINCH")
	assert.True(t, alive(s.pid()), "the master waits for the request in flight")

	c.SetDeadline(time.Now().Add(30 * time.Second))
	status, body := readResponse(t, br)
	assert.Equal(t, 200, status)
	assert.Len(t, body, len(big), "the in-flight download completes")
	assert.True(t, s.waitExit(10*time.Second), "the master exits after the last request")
	_, err = os.Stat(filepath.Join(dir, "logs", "httpd.pid"))
	assert.True(t, os.IsNotExist(err), "PidFile removed")
}

func TestSpareMaintenanceSpawnsAndDrains(t *testing.T) {
	requireRoot(t)
	conf := processConfWith("MaxRequestWorkers = 40")
	dir, port := site(t, conf)
	big := make([]byte, 64<<20)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htdocs", "big.bin"), big, 0o644))
	s := start(t, dir, port)
	waitChildren(t, s, 3)

	// Ten slow downloads hold ten workers busy: idle falls below
	// MinSpareServers and the master spawns until it is back.
	var conns []net.Conn
	for i := 0; i < 10; i++ {
		c, err := net.Dial("tcp", s.addr())
		require.NoError(t, err)
		c.(*net.TCPConn).SetReadBuffer(8 << 10)
		fmt.Fprintf(c, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
		conns = append(conns, c)
		time.Sleep(100 * time.Millisecond)
	}
	assert.True(t, eventually(15*time.Second, func() bool { return len(childrenOf(s.pid())) >= 12 }),
		"busy workers plus MinSpareServers idle; children now %d", len(childrenOf(s.pid())))

	// Released, the idle excess drains one child per second down to
	// MaxSpareServers.
	for _, c := range conns {
		c.Close()
	}
	var counts []int
	for i := 0; i < 20; i++ {
		counts = append(counts, len(childrenOf(s.pid())))
		if counts[len(counts)-1] <= 4 {
			break
		}
		time.Sleep(time.Second)
	}
	assert.LessOrEqual(t, counts[len(counts)-1], 4, "drained to MaxSpareServers: %v", counts)
	assert.GreaterOrEqual(t, len(counts), 6, "one child a second, not all at once: %v", counts)
}

func TestChildrenSwitchUserWhenBinaryIsPrivate(t *testing.T) {
	requireRoot(t)
	private, err := os.MkdirTemp("", "gohttpd-private-")
	require.NoError(t, err)
	defer os.RemoveAll(private)
	require.NoError(t, os.Chmod(private, 0o700))
	data, err := os.ReadFile(binary)
	require.NoError(t, err)
	bin := filepath.Join(private, "httpd")
	require.NoError(t, os.WriteFile(bin, data, 0o755))

	dir, port := site(t, processConf)
	s := startBinary(t, bin, dir, port)
	kids := waitChildren(t, s, 3)
	nobody, err := user.Lookup("nobody")
	require.NoError(t, err)
	// Each child starts as root and switches first thing; give the
	// newest a moment to get there.
	for _, pid := range kids {
		assert.True(t, eventually(2*time.Second, func() bool {
			uid, _ := ids(t, pid)
			return strconv.Itoa(uid) == nobody.Uid
		}), "child %d runs as nobody", pid)
	}
	status, _ := get(t, s.addr(), "/")
	assert.Equal(t, 200, status)
	assert.Contains(t, errorLog(t, dir), "children start as root and switch to it")
}

// statusAuto fetches ?auto and returns its fields.
func statusAuto(t testing.TB, addr string) map[string]string {
	t.Helper()
	status, body := get(t, addr, "/server-status?auto")
	require.Equal(t, 200, status, body)
	_, values := autoFields(t, body)
	return values
}

func TestStatusShowsStartServersAndGenerations(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	waitChildren(t, s, 3)
	// Until each child has marked its worker ready the letters may read S.
	var auto map[string]string
	require.True(t, eventually(5*time.Second, func() bool {
		auto = statusAuto(t, s.addr())
		return strings.Count(auto["Scoreboard"], "_")+strings.Count(auto["Scoreboard"], "W") == 3
	}), "three workers: %q", auto["Scoreboard"])
	assert.Equal(t, "1", auto["ParentServerConfigGeneration"])
	assert.Equal(t, "1", auto["ParentServerMPMGeneration"])

	_, body := get(t, s.addr(), "/server-status")
	assert.Contains(t, body, fmt.Sprintf("Parent Server PID: %d", s.pid()))

	for i := 0; i < 10; i++ {
		s.signal(syscall.SIGUSR1)
		time.Sleep(300 * time.Millisecond)
	}
	assert.True(t, eventually(5*time.Second, func() bool {
		return statusAuto(t, s.addr())["ParentServerMPMGeneration"] == "11"
	}), "ten graceful restarts advance the generation by ten")
	before := statusAuto(t, s.addr())["Total Accesses"]
	assert.NotEqual(t, "0", before, "statistics are kept across graceful restarts")

	// HUP kills the children at once (a hard restart): a status request
	// caught in that moment may be cut, so poll without failing on it.
	s.signal(syscall.SIGHUP)
	assert.True(t, eventually(10*time.Second, func() bool {
		a := tryStatusAuto(s.addr())
		n, _ := strconv.Atoi(a["Total Accesses"])
		return a["ParentServerMPMGeneration"] == "12" && n <= 2
	}), "HUP zeroes the counters")
}

// processConfWith is processConf with extra top-level directives (placed
// before its sections, where TOML keeps them top-level).
func processConfWith(extra string) string {
	i := strings.Index(processConf, "[[Location]]")
	return processConf[:i] + extra + "\n\n" + processConf[i:]
}

// tryStatusAuto is statusAuto that returns nil instead of failing.
func tryStatusAuto(addr string) map[string]string {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET /server-status?auto HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
	body, err := io.ReadAll(c)
	if err != nil {
		return nil
	}
	_, text, ok := strings.Cut(string(body), "\r\n\r\n")
	if !ok || !strings.HasPrefix(string(body), "HTTP/1.1 200") {
		return nil
	}
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			out[k] = strings.TrimSpace(v)
		}
	}
	return out
}
