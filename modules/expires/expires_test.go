package expires

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

func build(t testing.TB, conf string) (*pipeline.Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("expires.toml", []byte(conf), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	return pipeline.Build(cfg, 1, nil)
}

func TestParseCode(t *testing.T) {
	for in, want := range map[string]Code{
		"A3600":                                    {'A', 3600},
		"M0":                                       {'M', 0},
		"access plus 1 month":                      {'A', 30 * 86400},
		"now plus 10 days 20 seconds":              {'A', 10*86400 + 20},
		"modification plus 1 year 2 months":        {'M', 365*86400 + 60*86400},
		"access 2 hours 3 minutes":                 {'A', 7380},
		"a p 1 w 1 d 1 h 1 mi 1 s 1 mo 1 y":        {'A', 604800 + 86400 + 3600 + 60 + 1 + 2592000 + 31536000},
		"Access Plus 1 Week":                       {'A', 604800},
		"modification":                             {'M', 0},
		"access plus 0 seconds":                    {'A', 0},
		"access plus 5 year":                       {'A', 5 * 31536000},
		"access   plus   3   hours":                {'A', 10800},
		"now plus 1 minute":                        {'A', 60},
		"modification plus 4 weeks 1 day 1 second": {'M', 4*604800 + 86400 + 1},
	} {
		got, err := ParseCode(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, "A60", Code{'A', 60}.String())
}

func TestDirectiveErrors(t *testing.T) {
	for _, tc := range []struct{ conf, want string }{
		{`ExpiresDefault = "later plus 1 day"`, "unrecognised <base> \"later\""},
		{`ExpiresDefault = "access plus x days"`, "numeric value expected <num> \"x\""},
		{`ExpiresDefault = "access plus 1 fortnight"`, "unrecognised <type> \"fortnight\""},
		{`ExpiresDefault = "access plus 1"`, "missing <type>"},
		{`ExpiresDefault = "A12x"`, "must be followed by a number of seconds"},
		{`ExpiresDefault = "M"`, "must be followed by a number of seconds"},
		{`ExpiresDefault = ""`, "empty"},
		{`ExpiresDefault = "access plus 1 m"`, "unrecognised <type> \"m\""},
		{`ExpiresByType = "text/html"`, "takes a MIME type and a code"},
		{`ExpiresByType = "html A60"`, "is not a MIME type"},
		{`ExpiresByType = "text/html later"`, "unrecognised <base>"},
		{`ExpiresActive = "maybe"`, "wants true/false"},
	} {
		_, err := build(t, tc.conf)
		if assert.Error(t, err, tc.conf) {
			assert.Contains(t, err.Error(), tc.want, tc.conf)
			assert.Contains(t, err.Error(), "expires.toml:1")
		}
	}
}

func TestHeadersByTypeAndDefault(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "old.css")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	mtime := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, os.Chtimes(file, mtime, mtime))
	fi, err := os.Stat(file)
	require.NoError(t, err)

	g, err := build(t, `
ExpiresActive = true
ExpiresDefault = "access plus 1 hour"
ExpiresByType = ["text/plain A60", 'text/css "modification plus 1 year"', "image/* A100", "IMAGE/PNG A200"]

[[Location]]
Path = "/off"
ExpiresActive = false

[[Location]]
Path = "/css-now"
ExpiresByType = ["text/css A5"]
`)
	require.NoError(t, err)
	now := time.Date(2026, 11, 23, 2, 34, 31, 500_000_000, time.UTC)
	get := func(path, ct string, finfo os.FileInfo, status int) *pipeline.Request {
		r := &pipeline.Request{Server: g.Main, Time: now, ContentType: ct, Finfo: finfo, Status: status}
		r.PerDir = g.Main.LocationWalk(g.Main.DirDefaults, path)
		g.Hooks.InsertFilter.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
		var bb pipeline.Brigade
		bb.AppendEOS()
		if f := r.OutputFilters(); f != nil {
			require.Equal(t, FilterName, f.Reg.Name)
			require.ErrorIs(t, f.Pass(&bb), pipeline.ErrEndOfChain)
		}
		return r
	}
	for _, tc := range []struct {
		path, ct      string
		status        int
		finfo         os.FileInfo
		cache, expire string
	}{
		{"/a.txt", "text/plain; charset=utf-8", 200, nil, "max-age=60", "Mon, 23 Nov 2026 02:35:31 GMT"},
		{"/i.html", "text/html", 200, nil, "max-age=3600", "Mon, 23 Nov 2026 03:34:31 GMT"},
		{"/p.gif", "image/gif", 200, nil, "max-age=100", "Mon, 23 Nov 2026 02:36:11 GMT"},
		{"/p.png", "image/png", 200, nil, "max-age=200", "Mon, 23 Nov 2026 02:37:51 GMT"},
		{"/old.css", "text/css", 200, fi, "max-age=0", "Mon, 23 Nov 2026 02:34:31 GMT"},
		{"/gen.css", "text/css", 200, nil, "", ""},
		{"/css-now/x.css", "text/css", 200, nil, "max-age=5", "Mon, 23 Nov 2026 02:34:36 GMT"},
		{"/none", "", 200, nil, "max-age=3600", "Mon, 23 Nov 2026 03:34:31 GMT"},
		{"/moved", "text/html", 302, nil, "max-age=3600", "Mon, 23 Nov 2026 03:34:31 GMT"},
		{"/nm", "text/plain", 304, nil, "max-age=60", "Mon, 23 Nov 2026 02:35:31 GMT"},
		{"/missing", "text/html", 404, nil, "", ""},
		{"/off/a.txt", "text/plain", 200, nil, "", ""},
	} {
		r := get(tc.path, tc.ct, tc.finfo, tc.status)
		assert.Equal(t, tc.cache, r.HeadersOut.Get("Cache-Control"), tc.path)
		assert.Equal(t, tc.expire, r.HeadersOut.Get("Expires"), tc.path)
	}

	// A handler's own Expires is kept, in either table.
	r := &pipeline.Request{Server: g.Main, Time: now, ContentType: "text/plain", Status: 200, PerDir: g.Main.DirDefaults}
	r.HeadersOut.Set("Expires", "0")
	setHeaders(r, pipeline.ModuleConfig[*DirConfig](r.PerDir, Module))
	assert.Equal(t, "0", r.HeadersOut.Get("Expires"))
	assert.Empty(t, r.HeadersOut.Get("Cache-Control"))
	r = &pipeline.Request{Server: g.Main, Time: now, ContentType: "text/plain", Status: 200, PerDir: g.Main.DirDefaults}
	r.ErrHeadersOut.Set("Expires", "0")
	r.HeadersOut.Set("Cache-Control", "private")
	setHeaders(r, pipeline.ModuleConfig[*DirConfig](r.PerDir, Module))
	assert.Equal(t, "private", r.HeadersOut.Get("Cache-Control"))
}

func TestSubRequestsAndInactive(t *testing.T) {
	g, err := build(t, `ExpiresDefault = "A10"`)
	require.NoError(t, err)
	r := &pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults, Status: 200}
	g.Hooks.InsertFilter.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Nil(t, r.OutputFilters(), "ExpiresActive is off by default")

	g, err = build(t, "ExpiresActive = true\nExpiresDefault = \"A10\"")
	require.NoError(t, err)
	r = &pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults, Status: 200, Main: &pipeline.Request{}}
	g.Hooks.InsertFilter.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Nil(t, r.OutputFilters(), "sub-requests get no filter")
}

func BenchmarkSetHeaders(b *testing.B) {
	g, err := build(b, "ExpiresActive = true\nExpiresByType = [\"text/html A3600\", \"image/* A86400\"]")
	require.NoError(b, err)
	d := pipeline.ModuleConfig[*DirConfig](g.Main.DirDefaults, Module)
	now := time.Now()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r := pipeline.Request{Time: now, ContentType: "image/png"}
		setHeaders(&r, d)
	}
}
