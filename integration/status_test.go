package integration

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/all"
	"gohttpd/pipeline"
)

// statusConf runs prefork-style (one worker per child) with three
// children that idle maintenance leaves alone (2 ≤ idle ≤ 4), and the
// status and info pages.
const statusConf = `
ServerRoot       = "{ROOT}"
Listen           = ["127.0.0.1:{PORT}"]
DocumentRoot     = "htdocs"
User             = "nobody"
Group            = "nogroup"
PidFile          = "logs/httpd.pid"
ErrorLog         = "logs/error_log"
LogLevel         = "info"
StartServers     = 3
MinSpareServers  = 2
MaxSpareServers  = 4
ThreadsPerChild  = 1
KeepAliveTimeout = 15

[[Location]]
Path       = "/server-status"
SetHandler = "server-status"

[[Location]]
Path       = "/server-info"
SetHandler = "server-info"
`

// apacheAutoFixture is Debian's Apache 2.4 ?auto output.
const apacheAutoFixture = "../modules/status/testdata/apache-2.4.71-auto.txt"

// autoFields parses ?auto text line by line: the server name, then
// "Name: value" fields in order.
func autoFields(t testing.TB, text string) (keys []string, values map[string]string) {
	t.Helper()
	values = map[string]string{}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	require.Greater(t, len(lines), 1, "?auto output: %q", text)
	require.NotContains(t, lines[0], ":", "the first line is the server name")
	for _, l := range lines[1:] {
		k, v, ok := strings.Cut(l, ": ")
		if !ok && strings.HasSuffix(l, ":") { // "ServerUptime:" with 0 seconds
			k, ok = strings.TrimSuffix(l, ":"), true
		}
		require.True(t, ok, "line %q is not Name: value", l)
		require.NotContains(t, values, k)
		keys = append(keys, k)
		values[k] = v
	}
	return keys, values
}

// keepAlive is one persistent client connection.
type keepAlive struct {
	t  testing.TB
	nc net.Conn
	br *bufio.Reader
}

func dialKeepAlive(t testing.TB, addr string) *keepAlive {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	return &keepAlive{t: t, nc: nc, br: bufio.NewReader(nc)}
}

func (k *keepAlive) get(path string) (int, string) {
	k.t.Helper()
	require.NoError(k.t, k.nc.SetDeadline(time.Now().Add(10*time.Second)))
	_, err := fmt.Fprintf(k.nc, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", path)
	require.NoError(k.t, err)
	return readResponse(k.t, k.br)
}

func totalAccesses(t testing.TB, body string) uint64 {
	t.Helper()
	_, v := autoFields(t, body)
	n, err := strconv.ParseUint(v["Total Accesses"], 10, 64)
	require.NoError(t, err, "Total Accesses in %q", body)
	return n
}

// liveLetters counts the scoreboard letters that are not '.'.
func liveLetters(board string) int { return len(board) - strings.Count(board, ".") }

func TestStatusAutoAgreesWithProcessesAndRequests(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, statusConf)
	s := start(t, dir, port)
	waitChildren(t, s, 3)

	// Wait until the three children are up and Ready on the scoreboard.
	var auto string
	settled := eventually(15*time.Second, func() bool {
		status, body := get(t, s.addr(), "/server-status?auto")
		if status != 200 {
			return false
		}
		auto = body
		_, v := autoFields(t, body)
		return liveLetters(v["Scoreboard"]) == 3 && !strings.Contains(v["Scoreboard"], "S") && len(childrenOf(s.pid())) == 3
	})
	require.True(t, settled, "last ?auto:\n%s\n%s", auto, errorLog(t, dir))

	t.Run("fields are Apache's", func(t *testing.T) {
		data, err := os.ReadFile(apacheAutoFixture)
		require.NoError(t, err)
		apacheKeys, _ := autoFields(t, string(data))
		keys, v := autoFields(t, auto)
		// Apache prints CPULoad only when CPU time was used, the rates
		// only after a second of uptime and a request: our fields are
		// Apache's, in Apache's order, with only those left out.
		conditional := map[string]bool{"CPULoad": true, "ReqPerSec": true, "BytesPerSec": true, "BytesPerReq": true, "DurationPerReq": true}
		var want []string
		for _, k := range apacheKeys {
			if !conditional[k] || v[k] != "" {
				want = append(want, k)
			}
		}
		assert.Equal(t, want, keys)
		assert.Equal(t, "prefork", v["ServerMPM"])
		for _, k := range []string{"ParentServerConfigGeneration", "ParentServerMPMGeneration", "ServerUptimeSeconds",
			"Total Accesses", "Total kBytes", "Total Duration", "Uptime", "BusyWorkers", "GracefulWorkers", "IdleWorkers"} {
			assert.Regexp(t, `^\d+$`, v[k], k)
		}
		aprG := `^(0|-?(\d+|\d*\.\d+)(\.?e[-+]\d+)?)$` // APR's %g: ".5", "1.e+6"
		for _, k := range []string{"CPUUser", "CPUSystem", "CPUChildrenUser", "CPUChildrenSystem", "CPULoad", "ReqPerSec", "BytesPerSec", "BytesPerReq", "DurationPerReq"} {
			if v[k] != "" {
				assert.Regexp(t, aprG, v[k], k)
			}
		}
		for _, k := range []string{"Load1", "Load5", "Load15"} {
			assert.Regexp(t, `^\d+\.\d\d$`, v[k], k)
		}
		assert.Regexp(t, `^[A-Z][a-z]+day, \d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d \S+$`, v["CurrentTime"])
		assert.Regexp(t, `^[._SRWKLDCGI]+$`, v["Scoreboard"])
		assert.Len(t, v["Scoreboard"], 256, "ServerLimit slots, one thread each")
	})

	t.Run("processes agree with /proc", func(t *testing.T) {
		before := childrenOf(s.pid())
		status, auto := get(t, s.addr(), "/server-status?auto")
		require.Equal(t, 200, status)
		status, js := get(t, s.addr(), "/server-status?json")
		require.Equal(t, 200, status)
		after := childrenOf(s.pid())
		sort.Ints(before)
		sort.Ints(after)
		require.Equal(t, before, after, "the children did not change while we looked")

		_, v := autoFields(t, auto)
		assert.Equal(t, len(before), liveLetters(v["Scoreboard"]), "one live slot per child process")
		busy, _ := strconv.Atoi(v["BusyWorkers"])
		idle, _ := strconv.Atoi(v["IdleWorkers"])
		graceful, _ := strconv.Atoi(v["GracefulWorkers"])
		// The status request itself is busy; a child may still be
		// finishing the previous request (a client has its response
		// before the child releases the slot).
		assert.GreaterOrEqual(t, busy, 1, "the status request itself")
		assert.Zero(t, graceful)
		assert.Equal(t, len(before), busy+idle, "every live slot is busy or idle")

		var doc struct {
			Processes []struct {
				Pid        int    `json:"pid"`
				Generation int64  `json:"generation"`
				Scoreboard string `json:"scoreboard"`
			} `json:"processes"`
			MPMGeneration int64 `json:"mpm_generation"`
		}
		require.NoError(t, json.Unmarshal([]byte(js), &doc))
		var pids []int
		for _, p := range doc.Processes {
			pids = append(pids, p.Pid)
			assert.Equal(t, doc.MPMGeneration, p.Generation)
		}
		sort.Ints(pids)
		assert.Equal(t, before, pids, "the scoreboard's pids are the master's children")
	})

	t.Run("Total Accesses counts every request exactly", func(t *testing.T) {
		// On one keep-alive connection the server releases each request's
		// worker slot (and counts it, after log_transaction) before it
		// reads the next: a status request never counts itself, and the
		// next one counts it. So after a first status read and n requests,
		// the second read shows exactly first + 1 + n.
		const n = 25
		c := dialKeepAlive(t, s.addr())
		status, body := c.get("/server-status?auto")
		require.Equal(t, 200, status)
		first := totalAccesses(t, body)
		for i := 0; i < n; i++ {
			status, _ := c.get("/index.html")
			require.Equal(t, 200, status)
		}
		status, body = c.get("/server-status?auto")
		require.Equal(t, 200, status)
		second := totalAccesses(t, body)
		assert.Equal(t, first+1+n, second)
		c.nc.Close()

		// Over separate connections the requests spread over the
		// children, and a child may count a request a moment after the
		// client has its response: the total converges to exactly
		// second + 1 + n + (the status reads before it), never beyond.
		for i := 0; i < n; i++ {
			status, _ := get(t, s.addr(), "/index.html")
			require.Equal(t, 200, status)
		}
		poll := dialKeepAlive(t, s.addr())
		var got, want uint64
		for k := uint64(0); k < 100; k++ {
			status, body := poll.get("/server-status?auto")
			require.Equal(t, 200, status)
			got, want = totalAccesses(t, body), second+1+n+k
			require.LessOrEqual(t, got, want, "counted more requests than were sent")
			if got == want {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		assert.Equal(t, want, got)
	})

	t.Run("connections counts the connections the children hold", func(t *testing.T) {
		// The status JSON's per-process connections add up to every open
		// connection: five idle keep-alive clients and the one asking.
		const n = 5
		var clients []*keepAlive
		for i := 0; i < n; i++ {
			c := dialKeepAlive(t, s.addr())
			status, _ := c.get("/index.html")
			require.Equal(t, 200, status)
			clients = append(clients, c)
		}
		asker := dialKeepAlive(t, s.addr())
		open := func() int64 {
			status, js := asker.get("/server-status?json")
			require.Equal(t, 200, status)
			var doc struct {
				Processes []struct {
					Connections int64 `json:"connections"`
				} `json:"processes"`
			}
			require.NoError(t, json.Unmarshal([]byte(js), &doc))
			var sum int64
			for _, p := range doc.Processes {
				sum += p.Connections
			}
			return sum
		}
		var got int64
		// A connection closed by another test a moment ago may still be
		// counted until its child has finished closing it.
		eventually(5*time.Second, func() bool { got = open(); return got == n+1 })
		assert.Equal(t, int64(n+1), got)
		for _, c := range clients {
			c.nc.Close()
		}
		eventually(5*time.Second, func() bool { got = open(); return got == 1 })
		assert.Equal(t, int64(1), got, "closed connections are no longer counted")
	})

	t.Run("every field of Apache's once there is traffic", func(t *testing.T) {
		data, err := os.ReadFile(apacheAutoFixture)
		require.NoError(t, err)
		apacheKeys, _ := autoFields(t, string(data))
		var keys []string
		// CPU time shows once a child has published a clock tick of it
		// (children publish once a second).
		eventually(10*time.Second, func() bool {
			_, body := get(t, s.addr(), "/server-status?auto")
			keys, _ = autoFields(t, body)
			return len(keys) == len(apacheKeys)
		})
		assert.Equal(t, apacheKeys, keys)
	})
}

func TestStatusInfoHooksMatchEngine(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, statusConf)
	s := start(t, dir, port)
	status, page := get(t, s.addr(), "/server-info?hooks")
	require.Equal(t, 200, status)

	// The same configuration built here, by the engine the binary runs.
	cfg, err := configs.Read(filepath.Join(dir, "httpd.toml"), configs.ReadOptions{ServerRoot: dir})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)

	type fn struct {
		order  int
		module string
		fn     string
	}
	listed := map[string][]fn{}
	var listedNames []string
	hook := regexp.MustCompile(`(?s)<dt id="hook-([^"]+)">(.*?)</dt>`)
	item := regexp.MustCompile(`&nbsp;&nbsp; (-?\d+) <a class="hookfn" href="[?#]([^"]+)">[^<]*</a> <small>([^< ]*)`)
	for _, m := range hook.FindAllStringSubmatch(page, -1) {
		listedNames = append(listedNames, m[1])
		for _, it := range item.FindAllStringSubmatch(m[2], -1) {
			order, err := strconv.Atoi(it[1])
			require.NoError(t, err)
			listed[m[1]] = append(listed[m[1]], fn{order, it[2], it[3]})
		}
	}
	engine := map[string][]fn{}
	var engineNames []string
	for _, h := range g.Hooks.Describe() {
		engineNames = append(engineNames, h.Name)
		for _, f := range h.Functions {
			file := "mod_" + f.Module + ".c"
			if f.Module == "core" {
				file = "core.c"
			}
			engine[h.Name] = append(engine[h.Name], fn{int(f.Order), file, f.Func})
		}
	}
	assert.Equal(t, engineNames, listedNames)
	assert.Equal(t, engine, listed, "every hook's functions in the engine's run order")
	assert.NotEmpty(t, listed["handler"])
}
