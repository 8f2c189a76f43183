package integration

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
)

const staticConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
DocumentRoot    = "htdocs"
ServerName      = "static.test"
User            = "nobody"
Group           = "nogroup"
ErrorLog        = "logs/error_log"
StartServers    = 2
MinSpareServers = 1
MaxSpareServers = 4
ThreadsPerChild = 4
ServerTokens    = "Prod"

[[Directory]]
Path            = "{ROOT}/htdocs"
Options         = "Indexes"
ServerSignature = "On"
IndexOptions    = "FancyIndexing"

[[Directory]]
Path           = "{ROOT}/htdocs/app"
FallbackResource = "/app/front.html"
`

// staticDo sends one request to the server and reads the answer.
func staticDo(t *testing.T, addr, raw string) (*nethttp.Response, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(c, raw)
	require.NoError(t, err)
	method, _, _ := strings.Cut(raw, " ")
	resp, err := nethttp.ReadResponse(bufio.NewReader(c), &nethttp.Request{Method: method})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

func staticGet(path string, headers ...string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: static.test\r\nConnection: close\r\n" + strings.Join(append(headers, ""), "\r\n") + "\r\n"
}

// TestStaticFilesThroughChildren serves a tree from real children running
// as nobody: validators and conditional requests, ranges cut from file
// buckets (sendfile), the slash redirect, a listing with the signature,
// FallbackResource, symbolic links refused, and changed, removed, created
// and moved files noticed.
func TestStaticFilesThroughChildren(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, staticConf)
	body := strings.Repeat("0123456789abcdef", 64) // 1 KiB
	old := time.Date(2020, 2, 3, 4, 5, 6, 0, time.UTC)
	writeFiles(t, dir, map[string]string{
		"htdocs/k.txt":          body,
		"htdocs/big.bin":        strings.Repeat("z", 200<<10),
		"htdocs/list/b.txt":     "bb",
		"htdocs/list/a<&>.txt":  "a",
		"htdocs/app/front.html": "front\n",
		"secret.txt":            "secret\n",
	})
	require.NoError(t, os.Chtimes(filepath.Join(dir, "htdocs/k.txt"), old, old))
	require.NoError(t, os.Symlink("../secret.txt", filepath.Join(dir, "htdocs/leak.txt")))
	start(t, dir, port)
	addr := fmt.Sprintf("127.0.0.1:%d", port)

	resp, got := staticDo(t, addr, staticGet("/k.txt"))
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, body, got)
	assert.Equal(t, "gohttpd", resp.Header.Get("Server"), "ServerTokens Prod")
	assert.Equal(t, "Mon, 03 Feb 2020 04:05:06 GMT", resp.Header.Get("Last-Modified"))
	etag := fmt.Sprintf(`"400-%x"`, old.UnixMicro())
	assert.Equal(t, etag, resp.Header.Get("ETag"))
	assert.Equal(t, "bytes", resp.Header.Get("Accept-Ranges"))
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))

	resp, _ = staticDo(t, addr, staticGet("/k.txt", "If-None-Match: "+etag))
	assert.Equal(t, 304, resp.StatusCode)
	resp, _ = staticDo(t, addr, staticGet("/k.txt", `If-Match: "other"`))
	assert.Equal(t, 412, resp.StatusCode)
	resp, _ = staticDo(t, addr, staticGet("/k.txt", "If-Modified-Since: Mon, 03 Feb 2020 04:05:06 GMT"))
	assert.Equal(t, 304, resp.StatusCode)

	resp, got = staticDo(t, addr, staticGet("/big.bin", "Range: bytes=100000-100009"))
	assert.Equal(t, 206, resp.StatusCode)
	assert.Equal(t, "bytes 100000-100009/204800", resp.Header.Get("Content-Range"))
	assert.Equal(t, "zzzzzzzzzz", got)
	resp, got = staticDo(t, addr, staticGet("/k.txt", "Range: bytes=0-1,-2"))
	assert.Equal(t, 206, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "multipart/byteranges; boundary=")
	assert.Contains(t, got, "Content-range: bytes 0-1/1024\r\n\r\n01\r\n")
	assert.Contains(t, got, "Content-range: bytes 1022-1023/1024\r\n\r\nef\r\n")
	resp, _ = staticDo(t, addr, staticGet("/k.txt", "Range: bytes=5000-"))
	assert.Equal(t, 416, resp.StatusCode)
	assert.Equal(t, "bytes */1024", resp.Header.Get("Content-Range"))

	resp, _ = staticDo(t, addr, staticGet("/list"))
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "http://static.test/list/", resp.Header.Get("Location"))
	resp, got = staticDo(t, addr, staticGet("/list/?C=N;O=D"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Less(t, strings.Index(got, `href="b.txt"`), strings.Index(got, `href="a%3c&amp;%3e.txt"`), "descending by name")
	assert.Contains(t, got, "a&lt;&amp;&gt;.txt</a>")
	assert.Contains(t, got, "<address>gohttpd Server at static.test Port 80</address>")

	_, got = staticDo(t, addr, staticGet("/app/some/route"))
	assert.Equal(t, "front\n", got)

	resp, got = staticDo(t, addr, staticGet("/leak.txt"))
	assert.Equal(t, 403, resp.StatusCode, "Options without FollowSymLinks")
	assert.NotContains(t, got, "secret")

	// A changed small file is noticed by every child's cache.
	for i := 0; i < 4; i++ {
		staticDo(t, addr, staticGet("/list/b.txt"))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htdocs/list/b.txt"), []byte("new"), 0o644))
	afterChange()
	for i := 0; i < 8; i++ {
		_, got = staticDo(t, addr, staticGet("/list/b.txt"))
		assert.Equal(t, "new", got)
	}

	// Every child's stat cache follows removals, creations and renames
	// at once (several requests: they reach different children).
	htdocs := filepath.Join(dir, "htdocs")
	require.NoError(t, os.Remove(filepath.Join(htdocs, "list/b.txt")))
	afterChange()
	for range 8 {
		resp, _ = staticDo(t, addr, staticGet("/list/b.txt"))
		assert.Equal(t, 404, resp.StatusCode, "removed")
	}
	require.NoError(t, os.WriteFile(filepath.Join(htdocs, "list/index.html"), []byte("index\n"), 0o644))
	afterChange()
	for range 8 {
		_, got = staticDo(t, addr, staticGet("/list/"))
		assert.Equal(t, "index\n", got, "a new index file replaces the listing")
	}
	require.NoError(t, os.Rename(filepath.Join(htdocs, "list"), filepath.Join(htdocs, "moved")))
	afterChange()
	for range 8 {
		resp, _ = staticDo(t, addr, staticGet("/list/"))
		assert.Equal(t, 404, resp.StatusCode, "directory renamed away")
		_, got = staticDo(t, addr, staticGet("/moved/index.html"))
		assert.Equal(t, "index\n", got)
	}
}

// afterChange waits out the children's stat caches' read interval
// (modules/internal/statcache SyncEvery, 1 ms): a change is seen by every
// request that starts that long after it.
func afterChange() { time.Sleep(2 * time.Millisecond) }
