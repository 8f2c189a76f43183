package core_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/all"
	"gohttpd/pipeline"
)

// testServer is a generation served in-process on a loopback listener,
// one goroutine per connection as a child serves them.
type testServer struct {
	g    *pipeline.Generation
	addr string
	root string
}

// serveStatic serves apacheLikeConf over the tree of staticTree.
func serveStatic(t *testing.T) *testServer {
	t.Helper()
	dir, err := os.MkdirTemp("", "core-static-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0o755))
	staticTree(t, dir)
	return serveConf(t, dir, apacheLikeConf)
}

// serveConf builds a generation from conf with ServerRoot dir and serves
// it until the test ends.
func serveConf(t *testing.T, dir, conf string) *testServer {
	t.Helper()
	conf = strings.ReplaceAll(conf, "{ROOT}", dir)
	cfg, err := configs.ReadBytes(filepath.Join(dir, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: dir})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, hclog.New(&hclog.LoggerOptions{Output: testWriter{t}, Level: hclog.Warn}))
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ts := &testServer{g: g, addr: ln.Addr().String(), root: dir}
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
				pipeline.ServeConnection(g, nc, g.Main, id, pipeline.NopWorkerSlot{}, nil)
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

// testWriter sends log lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
