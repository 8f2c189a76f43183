package integration

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mappingHeadersConf goes after proxyBaseConf (see proxySite).
const mappingHeadersConf = `
ProxyPass = ["/app/ {B1}/"]
SetEnvIf = ['X-Client-Tier "^(gold|silver)$" TIER=$1', 'Request_URI "^/app/" PROXIED']
BrowserMatchNoCase = ['bot ROBOT', 'bot !PROXIED']
RequestHeader = [
  'set X-Tier "%{TIER}e" env=TIER',
  'unset X-Secret',
  'append X-List "added"',
  'set X-Early "before-mapping" early',
  'edit X-Rewrite "^old-(.*)$" "new-$1"',
]
Header = [
  'always set X-Frame-Options DENY',
  'set X-Robot "%{ROBOT}e" env=ROBOT',
  'set X-Proxied yes env=PROXIED',
  'edit Set-Cookie "Domain=backend\.internal" "Domain=public.test"',
  'merge Cache-Control no-transform',
  'echo ^X-Trace-',
  'set X-Time "%t %D"',
]

[[Location]]
Path = "/private"
Header = ['always set X-Private 1', 'unset X-Time']
`

// TestHeadersAndSetEnvIfEndToEnd checks what a backend receives and what
// clients get, for files, errors and proxied responses.
func TestHeadersAndSetEnvIfEndToEnd(t *testing.T) {
	requireRoot(t)
	b := newBackend(t, "b1")
	s := proxySite(t, mappingHeadersConf, map[string]string{"{B1}": b.URL})
	require.NoError(t, os.MkdirAll(filepath.Join(s.dir, "htdocs", "private"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(s.dir, "htdocs", "private", "p.txt"), []byte("p\n"), 0o644))
	base := "http://" + s.addr()
	c := httpClient(false)

	t.Run("request headers reach the backend", func(t *testing.T) {
		resp, data := fetch(t, c, "GET", base+"/app/echo", nil,
			"X-Client-Tier", "gold", "X-Secret", "s3cret", "X-List", "a", "X-Rewrite", "old-value", "User-Agent", "test")
		require.Equal(t, 200, resp.StatusCode)
		rep := decodeEcho(t, data)
		assert.Equal(t, []string{"gold"}, rep.Header["X-Tier"])
		assert.NotContains(t, rep.Header, "X-Secret")
		assert.Equal(t, []string{"a, added"}, rep.Header["X-List"])
		assert.Equal(t, []string{"before-mapping"}, rep.Header["X-Early"])
		assert.Equal(t, []string{"new-value"}, rep.Header["X-Rewrite"])
		assert.Equal(t, "yes", resp.Header.Get("X-Proxied"))
		assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
		assert.Equal(t, "b1", resp.Header.Get("X-Member"), "backend headers pass")

		_, data = fetch(t, c, "GET", base+"/app/echo", nil, "X-Client-Tier", "bronze")
		assert.NotContains(t, decodeEcho(t, data).Header, "X-Tier", "env=TIER is unset")
	})
	t.Run("response headers of a proxied response", func(t *testing.T) {
		resp, _ := fetch(t, c, "GET", base+"/app/cookie", nil)
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, []string{"s=1; Path=/; Domain=public.test; HttpOnly", "t=2; path=/sub/x"}, resp.Header.Values("Set-Cookie"))
		assert.Equal(t, "no-transform", resp.Header.Get("Cache-Control"))
	})
	t.Run("setenvif drives conditions and unsets", func(t *testing.T) {
		resp, _ := fetch(t, c, "GET", base+"/app/plain", nil, "User-Agent", "FriendlyBot/1.0")
		assert.Equal(t, "1", resp.Header.Get("X-Robot"))
		assert.Empty(t, resp.Header.Get("X-Proxied"), "!PROXIED unset what Request_URI set")
	})
	t.Run("always headers on errors, onsuccess only on success", func(t *testing.T) {
		resp, _ := fetch(t, c, "GET", base+"/missing", nil, "X-Trace-Id", "abc")
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
		assert.Empty(t, resp.Header.Get("X-Trace-Id"), "echo is an onsuccess line")
		assert.Empty(t, resp.Header.Get("X-Time"))

		resp, _ = fetch(t, c, "GET", base+"/index.html", nil, "X-Trace-Id", "abc")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "abc", resp.Header.Get("X-Trace-Id"))
		assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
		f := strings.Fields(resp.Header.Get("X-Time"))
		require.Len(t, f, 2, resp.Header.Get("X-Time"))
		us, err := strconv.ParseInt(strings.TrimPrefix(f[0], "t="), 10, 64)
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now(), time.UnixMicro(us), time.Minute)
		assert.True(t, strings.HasPrefix(f[1], "D="))

		resp, _ = fetch(t, c, "GET", base+"/app/status/503", nil)
		assert.Equal(t, 503, resp.StatusCode)
		assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"), "a backend's error passes through the filter")
	})
	t.Run("sections add to the server's lines", func(t *testing.T) {
		resp, body := fetch(t, c, "GET", base+"/private/p.txt", nil)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "p\n", string(body))
		assert.Equal(t, "1", resp.Header.Get("X-Private"))
		assert.Empty(t, resp.Header.Get("X-Time"))
		resp, _ = fetch(t, c, "GET", base+"/private/none", nil)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "1", resp.Header.Get("X-Private"))
		assert.Equal(t, "DENY", resp.Header.Get("X-Frame-Options"))
	})
	t.Run("HEAD gets the same headers", func(t *testing.T) {
		resp, _ := fetch(t, c, http.MethodHead, base+"/index.html", nil, "X-Trace-Id", "h")
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "h", resp.Header.Get("X-Trace-Id"))
	})
}
