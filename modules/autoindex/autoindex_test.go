package autoindex_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/all"
	"gohttpd/pipeline"
)

// serve writes files (name → body; a name ending in '/' is a directory)
// under a fresh ServerRoot's htdocs, with the given modification times
// offsets in hours, and serves conf on a loopback socket.
func serve(t *testing.T, conf string, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	docs := filepath.Join(root, "htdocs")
	base := time.Date(2022, 5, 6, 7, 8, 0, 0, time.Local)
	i := 0
	for name, body := range files {
		p := filepath.Join(docs, name)
		if strings.HasSuffix(name, "/") {
			require.NoError(t, os.MkdirAll(p, 0o755))
		} else {
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		}
		i++
	}
	require.NoError(t, os.MkdirAll(docs, 0o755))
	// Times follow the size (a directory's is its inode's, 4096), so
	// date and size orders agree for files.
	require.NoError(t, filepath.Walk(docs, func(p string, fi os.FileInfo, err error) error {
		if err != nil || p == docs {
			return err
		}
		ts := base.Add(time.Duration(fi.Size()) * time.Minute)
		return os.Chtimes(p, ts, ts)
	}))
	return serveRoot(t, root, conf)
}

// serveRoot serves conf (DocumentRoot htdocs under root) on a loopback
// socket until the test ends.
func serveRoot(t *testing.T, root, conf string) string {
	t.Helper()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte("DocumentRoot = \"htdocs\"\n"+conf), configs.ReadOptions{ServerRoot: root})
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

func get(t *testing.T, addr, method, target string) (int, string) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	fmt.Fprintf(nc, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", method, target)
	resp, err := nethttp.ReadResponse(bufio.NewReader(nc), &nethttp.Request{Method: method})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

// names returns the link targets of a listing in order.
func names(body string) []string {
	var out []string
	for _, part := range strings.Split(body, "<a href=\"")[1:] {
		target, _, _ := strings.Cut(part, "\"")
		if !strings.HasPrefix(target, "?") {
			out = append(out, target)
		}
	}
	return out
}

const indexes = "[[Directory]]\nPath = \"htdocs\"\nOptions = \"Indexes\"\n"

func TestSortingByQuery(t *testing.T) {
	addr := serve(t, indexes+"IndexOptions = \"FancyIndexing\"\n", map[string]string{
		"list/bb.txt": "12345", "list/a.txt": "1", "list/c.txt": "123", "list/d/": "",
	})
	for q, want := range map[string][]string{
		"":        {"/", "a.txt", "bb.txt", "c.txt", "d/"},
		"C=N;O=A": {"/", "a.txt", "bb.txt", "c.txt", "d/"},
		"C=N;O=D": {"/", "d/", "c.txt", "bb.txt", "a.txt"},
		"C=S;O=A": {"/", "d/", "a.txt", "c.txt", "bb.txt"},
		"C=S;O=D": {"/", "bb.txt", "c.txt", "a.txt", "d/"},
		"C=M;O=A": {"/", "a.txt", "c.txt", "bb.txt", "d/"}, // d/ is the newest
		"C=M&O=D": {"/", "d/", "bb.txt", "c.txt", "a.txt"},
		"C=X;O=D": {"/", "a.txt", "bb.txt", "c.txt", "d/"}, // a syntax error ends the parse
		"C=D;O=D": {"/", "d/", "c.txt", "bb.txt", "a.txt"}, // equal descriptions: by name
	} {
		status, body := get(t, addr, "GET", "/list/?"+q)
		require.Equal(t, 200, status, q)
		assert.Equal(t, want, names(body), q)
	}
	// The active column's link reverses the order; the others ascend.
	_, body := get(t, addr, "GET", "/list/?C=S;O=A")
	assert.Contains(t, body, `<a href="?C=S;O=D">Size</a>`)
	assert.Contains(t, body, `<a href="?C=N;O=A">Name</a>`)
}

func TestFoldersFirstAndIgnore(t *testing.T) {
	addr := serve(t, indexes+"IndexOptions = \"FancyIndexing FoldersFirst\"\nIndexIgnore = [\"*.bak secret*\"]\n", map[string]string{
		"l/z/": "", "l/a.txt": "a", "l/b.bak": "b", "l/secret.txt": "s", "l/m/": "",
	})
	_, body := get(t, addr, "GET", "/l/?C=N;O=D")
	assert.Equal(t, []string{"/", "z/", "m/", "a.txt"}, names(body))
}

func TestNamesEscaped(t *testing.T) {
	addr := serve(t, indexes, map[string]string{
		"e/a<b>&c\".txt": "x", "e/sp ace.txt": "x", "e/co:lon.txt": "x", "e/pct%41.txt": "x",
	})
	status, body := get(t, addr, "GET", "/e/")
	require.Equal(t, 200, status)
	assert.Contains(t, body, `<li><a href="a%3cb%3e&amp;c%22.txt"> a&lt;b&gt;&amp;c&quot;.txt</a></li>`)
	assert.Contains(t, body, `<li><a href="sp%20ace.txt"> sp ace.txt</a></li>`)
	assert.Contains(t, body, `<li><a href="./co:lon.txt"> co:lon.txt</a></li>`, "a colon must not read as a scheme")
	assert.Contains(t, body, `<li><a href="pct%2541.txt"> pct%41.txt</a></li>`)
	assert.NotContains(t, body, "<b>")
}

func TestTitleEscapedAndParent(t *testing.T) {
	addr := serve(t, indexes, map[string]string{"x<y>/f.txt": "x"})
	_, body := get(t, addr, "GET", "/x%3cy%3e/")
	assert.Contains(t, body, "<title>Index of /x&lt;y&gt;</title>")
	assert.Contains(t, body, `<ul><li><a href="/"> Parent Directory</a></li>`)
	_, body = get(t, addr, "GET", "/")
	assert.NotContains(t, body, "Parent Directory", "the root has no parent")
}

func TestForbiddenWithoutIndexes(t *testing.T) {
	addr := serve(t, "[[Directory]]\nPath = \"htdocs\"\nOptions = \"None\"\n", map[string]string{"d/f.txt": "x"})
	status, _ := get(t, addr, "GET", "/d/")
	assert.Equal(t, 403, status)
}

func TestHeadAndTableFormat(t *testing.T) {
	addr := serve(t, indexes+"IndexOptions = \"FancyIndexing HTMLTable SuppressColumnSorting\"\n", map[string]string{"t/f.txt": "x"})
	status, body := get(t, addr, "HEAD", "/t/")
	assert.Equal(t, 200, status)
	assert.Empty(t, body)
	_, body = get(t, addr, "GET", "/t/")
	assert.Contains(t, body, "<th>Name</th><th>Last modified</th><th>Size</th><th>Description</th>")
	assert.Contains(t, body, `<td><a href="f.txt">f.txt</a>                  </td><td align="right">`)
}
