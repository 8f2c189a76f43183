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

const mappingExpiresConf = mappingBaseConf + `
Redirect = ["/gone-away /static/a.txt"]

[[Directory]]
Path           = "{ROOT}/htdocs/static"
ExpiresActive  = true
ExpiresDefault = "access plus 1 hour"
ExpiresByType  = ["text/plain A60", 'text/css "modification plus 1 day"', "image/* M600"]

[[Directory]]
Path          = "{ROOT}/htdocs/static/nocache"
ExpiresActive = false

[[Location]]
Path           = "/gone-away"
ExpiresActive  = true
ExpiresDefault = "A30"
`

// maxAge returns the max-age of a Cache-Control value, or -1.
func maxAge(cc string) int {
	for _, d := range strings.Split(cc, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(d), "max-age="); ok {
			n, err := strconv.Atoi(v)
			if err == nil {
				return n
			}
		}
	}
	return -1
}

func TestExpiresOnRealFiles(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, mappingExpiresConf)
	writeFiles(t, dir, map[string]string{
		"htdocs/static/a.txt":         "a\n",
		"htdocs/static/s.css":         "body{}\n",
		"htdocs/static/p.png":         "png",
		"htdocs/static/i.html":        "<p>\n",
		"htdocs/static/nocache/n.txt": "n\n",
	})
	mtime := time.Now().Add(-2 * time.Hour).Truncate(time.Second)
	for _, f := range []string{"s.css", "p.png"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, "htdocs/static", f), mtime, mtime))
	}
	s := start(t, dir, port)
	base := "http://" + s.addr()
	c := httpClient(false)

	access := func(path string, seconds int) {
		t.Helper()
		resp, _ := fetch(t, c, "GET", base+path, nil)
		require.Equal(t, 200, resp.StatusCode, path)
		date, err := http.ParseTime(resp.Header.Get("Date"))
		require.NoError(t, err)
		exp, err := http.ParseTime(resp.Header.Get("Expires"))
		require.NoError(t, err, "%s: Expires %q", path, resp.Header.Get("Expires"))
		assert.Equal(t, seconds, maxAge(resp.Header.Get("Cache-Control")), path)
		// Both are whole seconds of nearly the same instant.
		assert.InDelta(t, float64(seconds), exp.Sub(date).Seconds(), 1, path)
	}
	access("/static/a.txt", 60)
	access("/static/i.html", 3600)

	// Modification-based codes give an exact date.
	resp, _ := fetch(t, c, "GET", base+"/static/s.css", nil)
	assert.Equal(t, mtime.Add(24*time.Hour).UTC().Format(http.TimeFormat), resp.Header.Get("Expires"))
	assert.InDelta(t, 22*3600, maxAge(resp.Header.Get("Cache-Control")), 2)
	resp, _ = fetch(t, c, "GET", base+"/static/p.png", nil)
	assert.Equal(t, "max-age=0", resp.Header.Get("Cache-Control"), "an expiry in the past is sent as now")
	date, err := http.ParseTime(resp.Header.Get("Date"))
	require.NoError(t, err)
	exp, err := http.ParseTime(resp.Header.Get("Expires"))
	require.NoError(t, err)
	assert.InDelta(t, 0, exp.Sub(date).Seconds(), 1)

	resp, _ = fetch(t, c, "GET", base+"/static/missing.txt", nil)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Expires"), "errors get no Expires")
	assert.Empty(t, resp.Header.Get("Cache-Control"))

	resp, _ = fetch(t, c, "GET", base+"/static/nocache/n.txt", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Expires"), "ExpiresActive Off in a subdirectory")

	resp, _ = fetch(t, c, "GET", base+"/gone-away", nil)
	assert.Equal(t, 302, resp.StatusCode)
	assert.Equal(t, 30, maxAge(resp.Header.Get("Cache-Control")), "redirects get Expires, as in Apache")
	assert.NotEmpty(t, resp.Header.Get("Expires"))

	resp, _ = fetch(t, c, http.MethodHead, base+"/static/a.txt", nil)
	assert.Equal(t, 60, maxAge(resp.Header.Get("Cache-Control")), "HEAD")
}
