package http_test

import (
	"bufio"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/autoindex"
	_ "gohttpd/modules/core"
	_ "gohttpd/modules/dir"
	_ "gohttpd/modules/http"
	"gohttpd/pipeline"
)

// testServer serves a generation built from a TOML config on a loopback
// listener, one goroutine per connection as a child would.
type testServer struct {
	t        *testing.T
	g        *pipeline.Generation
	addr     string
	root     string
	draining atomic.Bool
}

// startServer writes files under a fresh ServerRoot (paths relative to
// it), builds the generation from conf and serves it until the test ends.
func startServer(t *testing.T, conf string, files map[string]string) *testServer {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(root, "htdocs"), 0o755))
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, hclog.New(&hclog.LoggerOptions{Output: testWriter{t}, Level: hclog.Debug}))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ts := &testServer{t: t, g: g, addr: ln.Addr().String(), root: root}
	var wg sync.WaitGroup
	var conns sync.Map
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := int64(1); ; id++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(nc, true)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conns.Delete(nc)
				pipeline.ServeConnection(g, nc, g.Main, id, nil, ts.draining.Load)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		conns.Range(func(k, _ any) bool { _ = k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	return ts
}

// client is one raw connection to the test server.
type client struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func (ts *testServer) dial() *client {
	ts.t.Helper()
	nc, err := net.Dial("tcp", ts.addr)
	require.NoError(ts.t, err)
	require.NoError(ts.t, nc.SetDeadline(time.Now().Add(20*time.Second)))
	ts.t.Cleanup(func() { _ = nc.Close() })
	return &client{t: ts.t, nc: nc, br: bufio.NewReader(nc)}
}

func (c *client) send(s string) {
	c.t.Helper()
	_, err := io.WriteString(c.nc, s)
	require.NoError(c.t, err)
}

// response reads one response; method says whether it answers a HEAD.
func (c *client) response(method string) (*nethttp.Response, string) {
	c.t.Helper()
	resp, err := nethttp.ReadResponse(c.br, &nethttp.Request{Method: method})
	require.NoError(c.t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	_ = resp.Body.Close()
	return resp, string(body)
}

// rawUntilClose reads everything until the server closes.
func (c *client) rawUntilClose() string {
	c.t.Helper()
	b, err := io.ReadAll(c.br)
	require.NoError(c.t, err)
	return string(b)
}

// roundTrip sends one request on a new connection and reads the answer.
func (ts *testServer) roundTrip(req string) (*nethttp.Response, string) {
	c := ts.dial()
	c.send(req)
	method, _, _ := strings.Cut(req, " ")
	return c.response(method)
}

const baseConf = `
KeepAliveTimeout = 2
Timeout = 5
`

// testWriter sends log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
