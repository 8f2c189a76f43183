package dir_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/all"
	"gohttpd/pipeline"
)

func serve(t *testing.T, conf string, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, "htdocs", name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	conf = "DocumentRoot = \"htdocs\"\n" + conf
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := int64(1); ; id++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				pipeline.ServeConnection(g, nc, g.Main, id, pipeline.NopWorkerSlot{}, nil)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String()
}

func get(t *testing.T, addr, target string) (*nethttp.Response, string) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	fmt.Fprintf(nc, "GET %s HTTP/1.1\r\nHost: site.test:8080\r\nConnection: close\r\n\r\n", target)
	resp, err := nethttp.ReadResponse(bufio.NewReader(nc), nil)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

var tree = map[string]string{
	"a/index.html":    "A index\n",
	"b/home.htm":      "B home\n",
	"b/index.html":    "B index\n",
	"c/only.txt":      "c\n",
	"d/index.html":    "D index\n",
	"e/sp ace/x.html": "x\n",
	"app/front.html":  "front\n",
	"app/real.txt":    "real\n",
	"lock/index.html": "locked\n",
}

const conf = `
[[Directory]]
Path = "htdocs"
Options = "Indexes"

[[Directory]]
Path = "htdocs/b"
DirectoryIndex = "missing.html home.htm index.html"

[[Directory]]
Path = "htdocs/c"
DirectoryIndex = "disabled"

[[Directory]]
Path = "htdocs/d"
DirectorySlash = false

[[Directory]]
Path = "htdocs/app"
FallbackResource = "/app/front.html"

[[Directory]]
Path = "htdocs/lock"
[[Directory.Files]]
Path = "index.html"
Require = ["all denied"]
`

func TestDirectoryIndex(t *testing.T) {
	addr := serve(t, conf, tree)
	resp, body := get(t, addr, "/a/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "A index\n", body)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"), "the index's own type")

	_, body = get(t, addr, "/b/?q=1")
	assert.Equal(t, "B home\n", body, "the first servable name wins")

	resp, body = get(t, addr, "/c/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "Index of /c", "disabled: the listing")
}

func TestIndexErrorIsNotListed(t *testing.T) {
	addr := serve(t, conf, tree)
	resp, body := get(t, addr, "/lock/")
	assert.Equal(t, 403, resp.StatusCode, "a forbidden index answers 403, never a listing")
	assert.NotContains(t, body, "Index of")
}

func TestDirectorySlash(t *testing.T) {
	addr := serve(t, conf, tree)
	resp, _ := get(t, addr, "/a?x=1&y=2")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "http://site.test:8080/a/?x=1&y=2", resp.Header.Get("Location"))

	resp, _ = get(t, addr, "/e/sp%20ace")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "http://site.test:8080/e/sp%20ace/", resp.Header.Get("Location"), "escaped again")

	resp, body := get(t, addr, "/d")
	assert.Equal(t, 200, resp.StatusCode, "DirectorySlash Off: no redirect")
	assert.Contains(t, body, "Index of /d")
}

func TestFallbackResource(t *testing.T) {
	addr := serve(t, conf, tree)
	for _, p := range []string{"/app/anything", "/app/deep/er/path?x=1", "/app/"} {
		resp, body := get(t, addr, p)
		assert.Equal(t, 200, resp.StatusCode, p)
		assert.Equal(t, "front\n", body, p)
	}
	_, body := get(t, addr, "/app/real.txt")
	assert.Equal(t, "real\n", body, "existing files are served as they are")
	resp, _ := get(t, addr, "/c/nothing")
	assert.Equal(t, 404, resp.StatusCode, "no FallbackResource there")
}
