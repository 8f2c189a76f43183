package integration

import (
	"bufio"
	"encoding/json"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// balanceConf runs two threaded children, as configs/bench.toml does.
const balanceConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
DocumentRoot    = "htdocs"
User            = "nobody"
Group           = "nogroup"
PidFile         = "logs/httpd.pid"
ErrorLog        = "logs/error_log"
StartServers    = 2
ThreadsPerChild = 64
ThreadLimit     = 64
MinSpareThreads = 1
MaxSpareThreads = 250
MaxRequestWorkers = 256

[[Location]]
Path       = "/server-status"
SetHandler = "server-status"
`

// processConnections returns the connections each child holds, from the
// status page.
func processConnections(t *testing.T, addr string) map[int]int64 {
	t.Helper()
	status, js := get(t, addr, "/server-status?json")
	require.Equal(t, 200, status)
	var doc struct {
		Processes []struct {
			Pid         int   `json:"pid"`
			Connections int64 `json:"connections"`
		} `json:"processes"`
	}
	require.NoError(t, json.Unmarshal([]byte(js), &doc))
	out := map[int]int64{}
	for _, p := range doc.Processes {
		out[p.Pid] = p.Connections
	}
	return out
}

// TestThreadedChildrenShareABurstOfConnections opens a client's pool of
// 32 keep-alive connections at once: every child waiting in Accept is
// woken for each, and without balancing the first to run takes nearly
// all of them. The children must end up holding about half each.
func TestThreadedChildrenShareABurstOfConnections(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, balanceConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 2)
	// Each child lists its siblings when it starts and once a second.
	time.Sleep(1200 * time.Millisecond)

	const n = 32
	conns := make([]net.Conn, n)
	for i := range conns {
		c, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		defer c.Close()
		conns[i] = c
	}
	// With TCP_DEFER_ACCEPT (the default AcceptFilter) a connection is
	// accepted when its request arrives: send all 32 back to back.
	req := []byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	for _, c := range conns {
		_, err := c.Write(req)
		require.NoError(t, err)
	}
	for _, c := range conns {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
		status, body := readResponse(t, bufio.NewReader(c))
		require.Equal(t, 200, status)
		require.Equal(t, "<h1>hello</h1>\n", body)
	}

	held := processConnections(t, s.addr())
	require.Len(t, held, 2)
	for _, kid := range kids {
		// 16 each, the status request's connection on one of them, and
		// the rule's slack (4) plus the accepts that raced it.
		assert.GreaterOrEqual(t, held[kid], int64(9), "child %d of %v", kid, held)
		assert.LessOrEqual(t, held[kid], int64(24), "child %d of %v", kid, held)
	}
}
