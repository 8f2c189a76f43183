package integration

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const oneChildConf = `
ServerRoot        = "{ROOT}"
Listen            = ["127.0.0.1:{PORT}"]
DocumentRoot      = "htdocs"
User              = "nobody"
Group             = "nogroup"
PidFile           = "logs/httpd.pid"
ErrorLog          = "logs/error_log"
StartServers      = 1
MinSpareServers   = 1
MaxSpareServers   = 1
ServerLimit       = 1
MaxRequestWorkers = 1
ThreadsPerChild   = 1
ThreadLimit       = 1
KeepAliveTimeout  = 10
`

// A one-thread child serves each connection in the goroutine that
// accepted it, with blocking system calls. A kept-alive connection
// waiting for its next request, a client trickling its request head or a
// lingering close must not tie the child up as it would an Apache prefork child: the only
// child here goes on serving other clients meanwhile, and then the
// waiting ones.
func TestOneThreadChildServesOthersWhileConnectionsWait(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, oneChildConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 1)

	dial := func() (net.Conn, *bufio.Reader) {
		c, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		require.NoError(t, c.SetDeadline(time.Now().Add(30*time.Second)))
		return c, bufio.NewReader(c)
	}
	idle, idleR := dial()
	fmt.Fprintf(idle, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	status, body := readResponse(t, idleR)
	require.Equal(t, 200, status)
	require.Equal(t, "<h1>hello</h1>\n", body)

	slow, slowR := dial()
	fmt.Fprintf(slow, "GET / HTTP/1.1\r\nHost: localhost\r\n")
	time.Sleep(300 * time.Millisecond) // the head stays incomplete past the child's patience

	// A bad request is answered and the connection closed lingering:
	// the server reads what this client still sends, for up to 30 s, and
	// it keeps sending a little.
	lingering, lingeringR := dial()
	fmt.Fprintf(lingering, "GET / HTTP/1.1\r\n\r\n") // HTTP/1.1 without Host
	status, _ = readResponse(t, lingeringR)
	require.Equal(t, 400, status)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Millisecond):
				if _, err := lingering.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()

	for i := 0; i < 3; i++ {
		status, body := get(t, s.addr(), "/")
		assert.Equal(t, 200, status, "request %d while three connections wait", i)
		assert.Equal(t, "<h1>hello</h1>\n", body)
	}

	fmt.Fprintf(idle, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
	status, _ = readResponse(t, idleR)
	assert.Equal(t, 200, status, "the kept-alive connection's next request")

	fmt.Fprintf(slow, "Connection: close\r\n\r\n")
	status, _ = readResponse(t, slowR)
	assert.Equal(t, 200, status, "the slow client's request, once complete")

	assert.Equal(t, kids, childrenOf(s.pid()), "one child served them all")
}

// A one-thread child with two listeners waits on both and serves its
// connections in goroutines of their own (still with blocking calls, and
// in the Go poller while a kept-alive connection idles).
func TestOneThreadChildWithTwoListeners(t *testing.T) {
	requireRoot(t)
	second := freePort(t)
	conf := strings.Replace(oneChildConf, `Listen            = ["127.0.0.1:{PORT}"]`,
		fmt.Sprintf(`Listen            = ["127.0.0.1:{PORT}", "127.0.0.1:%d"]`, second), 1)
	dir, port := site(t, conf)
	s := start(t, dir, port)
	waitChildren(t, s, 1)
	other := fmt.Sprintf("127.0.0.1:%d", second)

	idle, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
	require.NoError(t, err)
	defer idle.Close()
	require.NoError(t, idle.SetDeadline(time.Now().Add(30*time.Second)))
	idleR := bufio.NewReader(idle)
	fmt.Fprintf(idle, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	status, _ := readResponse(t, idleR)
	require.Equal(t, 200, status)

	for _, addr := range []string{other, s.addr(), other} {
		status, body := get(t, addr, "/")
		assert.Equal(t, 200, status, addr)
		assert.Equal(t, "<h1>hello</h1>\n", body)
	}
	fmt.Fprintf(idle, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
	status, _ = readResponse(t, idleR)
	assert.Equal(t, 200, status, "the kept-alive connection's next request")
}

// One-thread children share each listening socket through an accept
// gate: one idle child waits in the kernel, the others park. A child
// killed while it held the waiter's place must not leave the others
// parked with nobody waiting (the master releases the place when it
// reaps the child): every child is killed in turn, each time followed by
// requests that only a waiting child can take.
func TestOneThreadChildrenKilledWhileWaitingLeaveNoStall(t *testing.T) {
	requireRoot(t)
	conf := strings.NewReplacer(
		"StartServers      = 1", "StartServers      = 3",
		"MinSpareServers   = 1", "MinSpareServers   = 3",
		"MaxSpareServers   = 1", "MaxSpareServers   = 3",
		"ServerLimit       = 1", "ServerLimit       = 3",
		"MaxRequestWorkers = 1", "MaxRequestWorkers = 3",
	).Replace(oneChildConf)
	dir, port := site(t, conf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 3)
	for _, victim := range kids {
		require.NoError(t, syscall.Kill(victim, syscall.SIGKILL))
		require.True(t, eventually(10*time.Second, func() bool { return !alive(victim) }), "child %d did not die", victim)
		for i := 0; i < 3; i++ {
			status, body := get(t, s.addr(), "/")
			require.Equal(t, 200, status, "request %d after killing child %d\n%s", i, victim, errorLog(t, s.dir))
			require.Equal(t, "<h1>hello</h1>\n", body)
			time.Sleep(20 * time.Millisecond) // let the child that served it go back to park
		}
	}
}
