package status_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/core"
	_ "gohttpd/modules/http"
	"gohttpd/modules/status"
	"gohttpd/pipeline"
	"gohttpd/scoreboard"
)

const conf = `
ServerName = "status.test"
DocumentRoot = "htdocs"
[[Location]]
Path = "/server-status"
SetHandler = "server-status"
`

// serveGen builds a generation from conf, publishes sb (when not nil) as
// a child does, and serves it on a loopback listener until the test ends.
func serveGen(t *testing.T, conf string, sb *scoreboard.Scoreboard) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "htdocs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "htdocs", "index.html"), []byte("hi\n"), 0o644))
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 7, nil)
	require.NoError(t, err)
	if sb != nil {
		pipeline.PublishOptional(g.Hooks.Optional, scoreboard.OptionalFunc, func() *scoreboard.Scoreboard { return sb })
	}
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
	return "http://" + ln.Addr().String()
}

func newScoreboard(t *testing.T) *scoreboard.Scoreboard {
	t.Helper()
	sb, err := scoreboard.Create(4, 1)
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	sb.Global().SetRunningGeneration(7)
	sb.Global().SetRestartTime(time.Now().Add(-time.Minute))
	sb.Process(0).Reserve(7)
	sb.Process(0).SetPid(os.Getpid())
	w := sb.Worker(0, 0)
	w.Bind(os.Getpid(), 0, 7)
	w.SetStatus(scoreboard.BusyWrite)
	return sb
}

func do(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func TestHandlerViews(t *testing.T) {
	base := serveGen(t, conf, newScoreboard(t))

	resp, body := do(t, "GET", base+"/server-status?auto")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=ISO-8859-1", resp.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(body, "127.0.0.1\nServerVersion: "+pipeline.Banner()+"\nServerMPM: prefork\n"), body)
	assert.Contains(t, body, "ParentServerConfigGeneration: 7\n")
	assert.Contains(t, body, "ServerUptime: 1 minute\n")
	assert.Contains(t, body, "BusyWorkers: 1\nGracefulWorkers: 0\nIdleWorkers: 0\nScoreboard: W...\n")

	resp, body = do(t, "GET", base+"/server-status?refresh=7")
	assert.Equal(t, "7", resp.Header.Get("Refresh"))
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, `<svg id="plot-workers"`)

	resp, body = do(t, "GET", base+"/server-status?json")
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, `"mpm_generation": 7`)

	resp, body = do(t, "GET", base+"/server-status?metrics")
	assert.Equal(t, "text/plain; version=0.0.4; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "gohttpd_workers{state=\"busy\"} 1\n")

	resp, body = do(t, "HEAD", base+"/server-status?auto")
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEmpty(t, resp.Header.Get("Content-Length"))
	assert.Empty(t, body)

	resp, _ = do(t, "POST", base+"/server-status")
	assert.Equal(t, 405, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Allow"), "GET")

	resp, body = do(t, "GET", base+"/index.html")
	assert.Equal(t, 200, resp.StatusCode, "other handlers are left alone")
	assert.Equal(t, "hi\n", body)
}

func TestHandlerWithoutScoreboard(t *testing.T) {
	base := serveGen(t, conf, nil)
	resp, _ := do(t, "GET", base+"/server-status")
	assert.Equal(t, 500, resp.StatusCode)
}

func TestExtendedStatusOff(t *testing.T) {
	base := serveGen(t, "ExtendedStatus = false\n"+conf, newScoreboard(t))
	_, body := do(t, "GET", base+"/server-status?auto")
	assert.NotContains(t, body, "Total Accesses")
	assert.Contains(t, body, "Scoreboard: W...\n")
	_, body = do(t, "GET", base+"/server-status")
	assert.Contains(t, body, "<code>ExtendedStatus On</code>")
}

func TestExtendedStatusIsGlobal(t *testing.T) {
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte("[[Location]]\nPath = \"/x\"\nExtendedStatus = false\n"), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	_, err = pipeline.Build(cfg, 1, nil)
	require.Error(t, err, "ExtendedStatus is server-config only")
	assert.Equal(t, "status", status.Module.Name)
}
