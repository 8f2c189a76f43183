package proxyhttp_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/core"
	_ "gohttpd/modules/http"
	"gohttpd/modules/proxy"
	_ "gohttpd/modules/proxy_http"
	"gohttpd/pipeline"
)

// orderModule registers a scheme_handler that must run before
// proxy_http's although its coarse order is LAST: the constraint wins.
var orderModule = &pipeline.Module{Name: "proxyordertest", Description: "hook-order test"}

// schemeCalls counts calls of orderModule's scheme handler.
var schemeCalls atomic.Int64

func init() {
	orderModule.RegisterHooks = func(h *pipeline.Hooks) {
		ph, ok := proxy.HooksOf(h)
		if !ok {
			return
		}
		ph.SchemeHandler.Register("proxyordertest", func(r *pipeline.Request, d *proxy.Dispatch) pipeline.Result {
			schemeCalls.Add(1)
			if strings.HasSuffix(d.URL, "/teapot") {
				return 418
			}
			return pipeline.Declined
		}, pipeline.Last, pipeline.Before("proxy_http"))
	}
	pipeline.RegisterModule(orderModule)
}

// startProxy builds a generation from conf and serves it on loopback.
func startProxy(t testing.TB, conf string) string {
	t.Helper()
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	require.NoError(t, g.RunServerHook(g.Hooks.ChildInit))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
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
				pipeline.ServeConnection(g, nc, g.Main, id, nil, nil)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	return ln.Addr().String()
}

func TestSchemeHandlerOrderFollowsConstraints(t *testing.T) {
	backend := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		io.WriteString(w, "from backend")
	}))
	defer backend.Close()
	root := t.TempDir()
	conf := fmt.Sprintf("ProxyPass = [\"/ %s/\"]\n", backend.URL)
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	var order []string
	for _, hi := range g.Hooks.Describe() {
		if hi.Name == "proxy_scheme_handler" {
			assert.Equal(t, pipeline.RunFirst, hi.Kind)
			for _, f := range hi.Functions {
				order = append(order, f.Module)
			}
		}
	}
	assert.Equal(t, []string{"proxyordertest", "proxy_http"}, order)

	addr := startProxy(t, conf)
	before := schemeCalls.Load()
	resp, err := nethttp.Get("http://" + addr + "/x")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "from backend", string(body), "the first handler declined; proxy_http answered")
	resp, err = nethttp.Get("http://" + addr + "/teapot")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 418, resp.StatusCode, "the first handler answered; proxy_http did not run")
	assert.Equal(t, int64(2), schemeCalls.Load()-before)
}

func TestForwardProxyOnlyWithProxyRequests(t *testing.T) {
	backend := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		fmt.Fprintf(w, "origin saw %s", r.RequestURI)
	}))
	defer backend.Close()
	for _, on := range []bool{false, true} {
		conf := fmt.Sprintf("ProxyRequests = %v\n", on)
		addr := startProxy(t, conf)
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(c, "GET %s/p?q=1 HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", backend.URL, strings.TrimPrefix(backend.URL, "http://"))
		resp, err := nethttp.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		c.Close()
		if on {
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, "origin saw /p?q=1", string(body))
		} else {
			assert.NotContains(t, string(body), "origin saw", "ProxyRequests Off: no forward proxying")
		}
	}
}

// BenchmarkProxied1KiB measures a keep-alive client fetching a 1 KiB
// response through the proxy (HTTP engine, proxy hooks, pooled backend
// connection) from a Go backend, all in this process.
func BenchmarkProxied1KiB(b *testing.B) {
	payload := strings.Repeat("x", 1024)
	backend := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Header().Set("Content-Length", "1024")
		io.WriteString(w, payload)
	}))
	defer backend.Close()
	addr := startProxy(b, fmt.Sprintf("MaxKeepAliveRequests = 0\nProxyPass = [\"/ %s/\"]\n", backend.URL))
	c, err := net.Dial("tcp", addr)
	require.NoError(b, err)
	defer c.Close()
	br := bufio.NewReader(c)
	req := []byte("GET /f HTTP/1.1\r\nHost: bench\r\n\r\n")
	buf := make([]byte, 1024)
	b.ReportAllocs()
	b.SetBytes(1024)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		length := -1
		for {
			line, err := br.ReadSlice('\n')
			if err != nil {
				b.Fatal(err)
			}
			if len(line) <= 2 {
				break
			}
			if len(line) > 16 && strings.EqualFold(string(line[:15]), "Content-Length:") {
				fmt.Sscanf(strings.TrimSpace(string(line[15:])), "%d", &length)
			}
		}
		if length != 1024 {
			b.Fatalf("Content-Length %d", length)
		}
		if _, err := io.ReadFull(br, buf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNeedsProxyModule(t *testing.T) {
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(`LoadModule = ["http", "proxy_http"]`+"\n"), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	var logged strings.Builder
	_, err = pipeline.Build(cfg, 1, hclog.New(&hclog.LoggerOptions{Output: &logged}))
	require.Error(t, err)
	assert.Contains(t, logged.String(), `module proxy_http needs the proxy module: add "proxy" to LoadModule`)
}
