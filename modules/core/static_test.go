package core_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/modules/core"
	"gohttpd/pipeline"
)

// do sends one request with extra header lines and returns the response
// and its body.
func do(t *testing.T, addr, method, target string, headers ...string) (*nethttp.Response, string) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	host := "Host: localhost\r\n"
	for _, h := range headers {
		if strings.HasPrefix(h, "Host:") {
			host = ""
		}
	}
	fmt.Fprintf(nc, "%s %s HTTP/1.1\r\n%sConnection: close\r\n%s\r\n", method, target, host, strings.Join(append(headers, ""), "\r\n"))
	resp, err := nethttp.ReadResponse(bufio.NewReader(nc), &nethttp.Request{Method: method})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func writeTree(t *testing.T, root string, files map[string]string, links map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	for name, target := range links {
		p := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.Symlink(target, p))
	}
}

// TestSymlinkEscape checks that no symbolic link leads out of a tree whose
// Options forbid links: not a linked file, not a linked directory half-way
// down the path, not a link above a section that allows links again.
func TestSymlinkEscape(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"outside/secret.txt":     "secret\n",
		"htdocs/ok.txt":          "ok\n",
		"htdocs/open/inner.txt":  "inner\n",
		"htdocs/real/deep/f.txt": "deep\n",
		"htdocs/follow/x.txt":    "x\n",
	}, map[string]string{
		"htdocs/file-link.txt":   "../outside/secret.txt",
		"htdocs/dir-link":        "../outside",
		"htdocs/real/deep/up":    "../../../outside",
		"htdocs/open/to-outside": "../../outside",
		"htdocs/follow/escape":   "../../outside",
		"htdocs/loop":            "loop",
	})
	ts := serveConf(t, root, `
DocumentRoot = "htdocs"
[[Directory]]
Path = "htdocs"
Options = "None"

[[Directory]]
Path = "htdocs/follow"
Options = "FollowSymLinks"
`)
	for path, want := range map[string]int{
		"/ok.txt":                     200,
		"/file-link.txt":              403,
		"/dir-link/secret.txt":        403,
		"/real/deep/f.txt":            200,
		"/real/deep/up/secret.txt":    403,
		"/open/inner.txt":             200,
		"/open/to-outside/secret.txt": 403,
		"/follow/escape/secret.txt":   200, // allowed where FollowSymLinks is on
		"/loop":                       403,
	} {
		resp, body := do(t, ts.addr, "GET", path)
		assert.Equal(t, want, resp.StatusCode, path)
		if want != 200 {
			assert.NotContains(t, body, "secret", path)
		}
	}
}

func TestFileETagForms(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"htdocs/a/f.txt": "12345", "htdocs/b/f.txt": "12345", "htdocs/c/f.txt": "12345", "htdocs/d/f.txt": "12345"}, nil)
	old := time.Date(2020, 1, 2, 3, 4, 5, 6000, time.UTC)
	for _, d := range []string{"a", "b", "c", "d"} {
		require.NoError(t, os.Chtimes(filepath.Join(root, "htdocs", d, "f.txt"), old, old))
	}
	ts := serveConf(t, root, `
DocumentRoot = "htdocs"
FileETag = "Size"
[[Directory]]
Path = "htdocs/b"
FileETag = "+MTime"
[[Directory]]
Path = "htdocs/c"
FileETag = "All"
[[Directory]]
Path = "htdocs/d"
FileETag = "None"
`)
	mt := fmt.Sprintf("%x", old.UnixMicro())
	resp, _ := do(t, ts.addr, "GET", "/a/f.txt")
	assert.Equal(t, `"5"`, resp.Header.Get("ETag"))
	resp, _ = do(t, ts.addr, "GET", "/b/f.txt")
	assert.Equal(t, `"5-`+mt+`"`, resp.Header.Get("ETag"))
	resp, _ = do(t, ts.addr, "GET", "/c/f.txt")
	assert.Regexp(t, `^"[0-9a-f]+-5-`+mt+`"$`, resp.Header.Get("ETag"))
	resp, _ = do(t, ts.addr, "GET", "/d/f.txt")
	assert.Empty(t, resp.Header.Values("ETag"))

	_, err := build(t, "FileETag = \"INode +Size\"\n")
	assert.ErrorContains(t, err, "either all keywords must start with + or -")
	_, err = build(t, "FileETag = \"Sideways\"\n")
	assert.ErrorContains(t, err, "unknown keyword")
}

func TestFreshFileHasWeakETag(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"htdocs/new.txt": "new\n"}, nil)
	ts := serveConf(t, root, "DocumentRoot = \"htdocs\"\n")
	resp, _ := do(t, ts.addr, "GET", "/new.txt")
	assert.True(t, strings.HasPrefix(resp.Header.Get("ETag"), `W/"`), "changed within the second: weak")
}

// TestCacheNoticesChanges rewrites, replaces and truncates a small file
// between requests: every answer is the file as it is then.
func TestCacheNoticesChanges(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"htdocs/f.txt": "one\n"}, nil)
	ts := serveConf(t, root, "DocumentRoot = \"htdocs\"\n")
	p := filepath.Join(root, "htdocs", "f.txt")
	_, body := do(t, ts.addr, "GET", "/f.txt")
	assert.Equal(t, "one\n", body)
	_, body = do(t, ts.addr, "GET", "/f.txt")
	assert.Equal(t, "one\n", body, "from the cache")

	require.NoError(t, os.WriteFile(p, []byte("two\n"), 0o644)) // same size, in place
	_, body = do(t, ts.addr, "GET", "/f.txt")
	assert.Equal(t, "two\n", body)

	tmp := filepath.Join(root, "htdocs", "f.tmp")
	require.NoError(t, os.WriteFile(tmp, []byte("three\n"), 0o644))
	require.NoError(t, os.Rename(tmp, p)) // replaced
	_, body = do(t, ts.addr, "GET", "/f.txt")
	assert.Equal(t, "three\n", body)

	require.NoError(t, os.Truncate(p, 2))
	_, body = do(t, ts.addr, "GET", "/f.txt")
	assert.Equal(t, "th", body)

	require.NoError(t, os.Chmod(p, 0))
	if os.Geteuid() != 0 {
		resp, _ := do(t, ts.addr, "GET", "/f.txt")
		assert.Equal(t, 403, resp.StatusCode, "unreadable now")
	}
}

func TestRangeLimits(t *testing.T) {
	root := t.TempDir()
	body := strings.Repeat("0123456789", 10)
	writeTree(t, root, map[string]string{"htdocs/u/f.txt": body, "htdocs/o/f.txt": body, "htdocs/r/f.txt": body}, nil)
	ts := serveConf(t, root, `
DocumentRoot = "htdocs"
[[Directory]]
Path = "htdocs/u"
MaxRanges = "unlimited"
[[Directory]]
Path = "htdocs/o"
MaxRangeOverlaps = "1"
[[Directory]]
Path = "htdocs/r"
MaxRangeReversals = "none"
`)
	resp, _ := do(t, ts.addr, "GET", "/o/f.txt", "Range: bytes=0-5,3-8,6-12")
	assert.Equal(t, 200, resp.StatusCode, "more than MaxRangeOverlaps")
	resp, _ = do(t, ts.addr, "GET", "/o/f.txt", "Range: bytes=0-5,3-8")
	assert.Equal(t, 206, resp.StatusCode)
	resp, _ = do(t, ts.addr, "GET", "/r/f.txt", "Range: bytes=10-20,5-12")
	assert.Equal(t, 200, resp.StatusCode, "a reversal with MaxRangeReversals none")

	var distinct []string
	for i := 0; i < 30; i++ {
		distinct = append(distinct, fmt.Sprintf("%d-%d", i*3, i*3))
	}
	resp, body2 := do(t, ts.addr, "GET", "/u/f.txt", "Range: bytes="+strings.Join(distinct, ","))
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, 30, strings.Count(body2, "Content-range: bytes "))

	_, err := build(t, "MaxRanges = \"lots\"\n")
	assert.ErrorContains(t, err, "want default, unlimited, none or a positive number")
}

func TestServerTokensAndSignature(t *testing.T) {
	for mode, want := range map[string]string{
		"Full": "gohttpd/0.1.0 (Unix)", "OS": "gohttpd/0.1.0 (Unix)", "Minor": "gohttpd/0.1",
		"Minimal": "gohttpd/0.1.0", "Major": "gohttpd/0", "Prod": "gohttpd",
	} {
		root := t.TempDir()
		writeTree(t, root, map[string]string{"htdocs/f.txt": "x"}, nil)
		ts := serveConf(t, root, "DocumentRoot = \"htdocs\"\nServerTokens = \""+mode+"\"\nServerSignature = \"On\"\n")
		resp, body := do(t, ts.addr, "GET", "/missing")
		assert.Equal(t, want, resp.Header.Get("Server"), mode)
		assert.Contains(t, body, "<hr>\n<address>"+want+" Server at localhost Port 80</address>\n</body></html>\n", mode)
	}
	assert.Equal(t, "gohttpd/0.1.0 (Unix)", core.BannerFor(core.TokensFull))

	root := t.TempDir()
	writeTree(t, root, map[string]string{"htdocs/f.txt": "x"}, nil)
	ts := serveConf(t, root, "DocumentRoot = \"htdocs\"\nServerAdmin = \"web@example.test\"\nServerSignature = \"EMail\"\n")
	_, body := do(t, ts.addr, "GET", "/missing", "Host: www.example.test:8081")
	assert.Contains(t, body, `<address>gohttpd/0.1.0 (Unix) Server at <a href="mailto:web@example.test">www.example.test</a> Port 8081</address>`)

	_, err := build(t, "[[VirtualHost]]\nAddress = \"*:80\"\nServerTokens = \"Prod\"\n")
	assert.Error(t, err, "ServerTokens applies to the whole server")
}

func TestAcceptPathInfoOff(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"htdocs/off/f.txt": "x", "htdocs/on/f.txt": "y"}, nil)
	ts := serveConf(t, root, `
DocumentRoot = "htdocs"
[[Directory]]
Path = "htdocs/off"
AcceptPathInfo = "Off"
[[Directory]]
Path = "htdocs/on"
AcceptPathInfo = "On"
`)
	resp, _ := do(t, ts.addr, "GET", "/off/f.txt/more")
	assert.Equal(t, 404, resp.StatusCode)
	resp, body := do(t, ts.addr, "GET", "/on/f.txt/more")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "y", body)
}

func TestNotModifiedCarriesNoBodyHeaders(t *testing.T) {
	root := t.TempDir()
	writeTree(t, root, map[string]string{"htdocs/f.html": "<p>x</p>"}, nil)
	ts := serveConf(t, root, "DocumentRoot = \"htdocs\"\n")
	resp, body := do(t, ts.addr, "GET", "/f.html", "If-None-Match: *")
	assert.Equal(t, 304, resp.StatusCode)
	assert.Empty(t, body)
	assert.Empty(t, resp.Header.Values("Content-Type"))
	assert.Empty(t, resp.Header.Values("Content-Length"))
	assert.NotEmpty(t, resp.Header.Get("ETag"))
	assert.NotEmpty(t, resp.Header.Get("Last-Modified"))
}

var _ = pipeline.OK
