package mime_test

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

// serve serves conf over files written under htdocs, on a loopback socket.
func serve(t *testing.T, conf string, files ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range files {
		p := filepath.Join(root, "htdocs", name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte("body\n"), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "my.types"), []byte("# comment\napplication/x-mine  mine MINE2\ntext/plain txt\n"), 0o644))
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

func head(t *testing.T, addr, path string) nethttp.Header {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	fmt.Fprintf(nc, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", path)
	resp, err := nethttp.ReadResponse(bufio.NewReader(nc), nil)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.Equal(t, 200, resp.StatusCode, path)
	return resp.Header
}

func TestExtensions(t *testing.T) {
	addr := serve(t, `
TypesConfig = "my.types"
AddType = ["text/x-special .sp", "Application/X-Upper .UP"]
AddLanguage = ["en .en", "de .de"]
AddCharset = ["UTF-8 .utf8"]
AddEncoding = ["x-gzip .gz", "x-compress .Z"]
DefaultLanguage = "fr"

[[Directory]]
Path = "htdocs/sub"
RemoveType = [".sp"]
AddType = ["text/x-sub .mine"]
`, "a.mine", "b.MINE2", "c.sp", "d.txt.en", "e.en.txt", "f.txt.gz.Z", "g.txt.utf8", "h.up", "noext", "i.unknown.txt", "j.txt.unknown",
		"sub/c.sp", "sub/a.mine")
	for path, want := range map[string][3]string{ // type, language, encoding
		"/a.mine":        {"application/x-mine", "fr", ""},
		"/b.MINE2":       {"application/x-mine", "fr", ""},
		"/c.sp":          {"text/x-special", "fr", ""},
		"/d.txt.en":      {"text/plain", "en", ""},
		"/e.en.txt":      {"text/plain", "en", ""},
		"/f.txt.gz.Z":    {"text/plain", "fr", "x-gzip, x-compress"},
		"/g.txt.utf8":    {"text/plain; charset=utf-8", "fr", ""},
		"/h.up":          {"application/x-upper", "fr", ""},
		"/noext":         {"", "fr", ""},
		"/i.unknown.txt": {"text/plain", "fr", ""},
		"/j.txt.unknown": {"text/plain", "fr", ""},
		"/sub/c.sp":      {"", "fr", ""},
		"/sub/a.mine":    {"text/x-sub", "fr", ""},
	} {
		h := head(t, addr, path)
		assert.Equal(t, want[0], h.Get("Content-Type"), path)
		assert.Equal(t, want[1], h.Get("Content-Language"), path)
		assert.Equal(t, want[2], h.Get("Content-Encoding"), path)
	}
}

func TestSystemTypesByDefault(t *testing.T) {
	if _, err := os.Stat("/etc/mime.types"); err != nil {
		t.Skip("no /etc/mime.types here")
	}
	addr := serve(t, "", "x.css", "y.svg", "z.woff2")
	assert.Equal(t, "text/css", head(t, addr, "/x.css").Get("Content-Type"))
	assert.Equal(t, "image/svg+xml", head(t, addr, "/y.svg").Get("Content-Type"))
	assert.Equal(t, "font/woff2", head(t, addr, "/z.woff2").Get("Content-Type"))
}

func TestAddHandler(t *testing.T) {
	addr := serve(t, "AddHandler = [\"server-info .inf\"]\n[[Directory]]\nPath = \"htdocs/plain\"\nRemoveHandler = [\".inf\"]\n", "x.inf", "plain/x.inf")
	h := head(t, addr, "/x.inf")
	assert.Contains(t, h.Get("Content-Type"), "text/html", "mod_info answered")
	h = head(t, addr, "/plain/x.inf")
	assert.Empty(t, h.Get("Content-Type"), "RemoveHandler: the file itself")
}

func TestTypesConfigMissing(t *testing.T) {
	cfg, err := configs.ReadBytes("m.toml", []byte("TypesConfig = \"/nonexistent/mime.types\"\n"), configs.ReadOptions{ServerRoot: t.TempDir()})
	require.NoError(t, err)
	_, err = pipeline.Build(cfg, 1, nil)
	assert.ErrorContains(t, err, "m.toml:1: TypesConfig: could not open mime types config file")
}
