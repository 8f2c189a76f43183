package alias

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

func build(t *testing.T, conf string) (*pipeline.Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("alias.toml", []byte(conf), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	return pipeline.Build(cfg, 1, nil)
}

func mustBuild(t *testing.T, conf string) *pipeline.Generation {
	t.Helper()
	g, err := build(t, conf)
	require.NoError(t, err)
	return g
}

// request returns a request for uri (path and query) on s, with the
// Location sections merged as before translate_name.
func request(s *pipeline.Server, uri, host string) *pipeline.Request {
	r := &pipeline.Request{Server: s, Hostname: host}
	r.SetURI(uri)
	r.URI = r.RawPath()
	r.HeadersIn.Set("Host", host)
	r.PerDir = s.LocationWalk(s.DirDefaults, r.URI)
	return r
}

func TestPrefixMatch(t *testing.T) {
	for _, tc := range []struct {
		uri, fake string
		want      int
	}{
		{"/icons/a.png", "/icons/", 7},
		{"/icons", "/icons/", 0},
		{"/icons", "/icons", 6},
		{"/icons/", "/icons", 6},
		{"/iconsx", "/icons", 0},
		{"/icons/a", "/icons", 6},
		{"/a/b", "//a//", 3},
		{"/", "/", 1},
		{"/x", "/", 1},
		{"/ic", "/icons", 0},
		{"", "/", 0},
	} {
		assert.Equal(t, tc.want, prefixMatch(tc.uri, tc.fake), "%q against %q", tc.uri, tc.fake)
	}
}

func TestEscape(t *testing.T) {
	assert.Equal(t, "/a%20b;c%3f$-_.+!*'(),:@&=~%22%3c%5b%25", escapePath("/a b;c?$-_.+!*'(),:@&=~\"<[%"))
	assert.Equal(t, "plain/path", escapePath("plain/path"))
	assert.Equal(t, "http://h/a%20b?q=a b#f g", escapeURL("http://h/a b?q=a b#f g"))
	assert.Equal(t, "http://h/x", escapeURL("http://h:80/x"))
	assert.Equal(t, "https://h/x", escapeURL("https://h:443/x"))
	assert.Equal(t, "http://h:8080/x", escapeURL("http://h:8080/x"))
}

func TestRegsub(t *testing.T) {
	m := []int{0, 7, 1, 4, 5, 7}
	assert.Equal(t, "/x/abc-de/$1", pipeline.RegSub(`/x/$1-$2/\$1`, "/abc/de", m))
	assert.Equal(t, "all:/abc/de none:", pipeline.RegSub("all:$0 none:$5", "/abc/de", m))
	assert.Equal(t, "no subs", pipeline.RegSub("no subs", "src", m))
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]int{"permanent": 301, "TEMP": 302, "SeeOther": 303, "gone": 410, "307": 307, "404": 404} {
		st, ok, err := ParseStatus(in)
		require.NoError(t, err, in)
		assert.True(t, ok, in)
		assert.Equal(t, want, st, in)
	}
	_, ok, err := ParseStatus("/path")
	assert.False(t, ok)
	assert.NoError(t, err)
	for _, bad := range []string{"200", "99x", "600"} {
		_, ok, err := ParseStatus(bad)
		assert.True(t, ok, bad)
		assert.Error(t, err, bad)
	}
}

func TestDirectiveErrors(t *testing.T) {
	for _, tc := range []struct{ conf, want string }{
		{`Alias = "/x"`, "Alias must have two arguments"},
		{`Alias = "/x /y /z"`, "got 3 arguments"},
		{"[[Location]]\nPath = \"/l\"\nAlias = \"/x /y\"", "not allowed inside a section"},
		{"[[Location]]\nPath = \"/l\"\nAlias = \"/srv/%{env:X}\"", "does not evaluate"},
		{"[[Directory]]\nPath = \"/d\"\nAlias = \"/x\"", "not allowed in a Directory section"},
		{`AliasMatch = '^/(x /y'`, "regular expression could not be compiled"},
		{`AliasMatch = '^/x'`, "takes a regular expression and a file-path"},
		{`Redirect = "301 /foo"`, "URL to redirect to is missing"},
		{`Redirect = "/foo"`, "URL to redirect to is missing"},
		{`Redirect = "200 /foo http://x/"`, "must be permanent, temp, seeother, gone or a number from 300 to 599"},
		{`Redirect = "410 /foo http://x/"`, "not valid for status 410"},
		{`Redirect = "301 /foo bar"`, "redirect to non-URL"},
		{`Redirect = "bogus /foo http://x/"`, "invalid first argument (of three)"},
		{`Redirect = "301 /a http://x/ extra"`, "got 4 arguments"},
		{`RedirectMatch = '301 ^/(x http://x/'`, "regular expression could not be compiled"},
		{`RedirectPermanent = "/a"`, "takes a URL-path and a URL"},
		{`Redirect = "gone"`, "URL to redirect to is missing"},
	} {
		_, err := build(t, tc.conf)
		if assert.Error(t, err, tc.conf) {
			assert.Contains(t, err.Error(), tc.want, tc.conf)
			assert.Contains(t, err.Error(), "alias.toml:", "errors name the file and line")
		}
	}
}

func TestTranslateRedirectsAndAliases(t *testing.T) {
	g := mustBuild(t, `
Alias = ["/icons/ /usr/share/icons/", "/docs /srv/docs", "rel /unused", "/relative/ data/"]
AliasMatch = ['^/img/(.*)\.png$ /srv/images/$1.png']
Redirect = ["/old http://example.com/new", "permanent /perm /target", "gone /gone", "seeother /so http://example.com/so?x=1", "307 /t7 http://example.com/t7", "404 /hidden"]
RedirectMatch = ['301 ^/rm/(.*)\.html$ http://example.com/r/$1', 'gone ^/g2/']
RedirectTemp = ["/rt http://example.com/rt"]
RedirectPermanent = ["/docs/moved http://example.com/moved"]

[[Location]]
Path = "/loc"
Alias = "/srv/location"

[[Location]]
Path = "/lr"
Redirect = "permanent http://example.com/lr"

[[Location]]
Path = "/lg"
Redirect = "gone"
`)
	s := g.Main
	for _, tc := range []struct {
		uri      string
		status   pipeline.Result
		location string
		filename string
	}{
		{"/icons/a.png", pipeline.OK, "", "/usr/share/icons/a.png"},
		{"/icons", pipeline.Declined, "", ""},
		{"/docs", pipeline.OK, "", "/srv/docs"},
		{"/docs/a/b", pipeline.OK, "", "/srv/docs/a/b"},
		{"/docsx", pipeline.Declined, "", ""},
		{"/relative/f", pipeline.OK, "", "/srv/data/f"},
		{"/img/a/b.png", pipeline.OK, "", "/srv/images/a/b.png"},
		{"/old/x?q=1", 302, "http://example.com/new/x?q=1", ""},
		{"/old", 302, "http://example.com/new", ""},
		{"/oldx", pipeline.Declined, "", ""},
		{"/old/a b", 302, "http://example.com/new/a%20b", ""},
		{"/perm/a?b=c", 301, "http://www.test:8080/target/a?b=c", ""},
		{"/gone/x", 410, "", ""},
		{"/so?y=2", 303, "http://example.com/so?x=1", ""},
		{"/t7", 307, "http://example.com/t7", ""},
		{"/hidden/f", 404, "", ""},
		{"/rm/a/b c.html", 301, "http://example.com/r/a/b%20c", ""},
		{"/g2/x", 410, "", ""},
		{"/rt", 302, "http://example.com/rt", ""},
		{"/docs/moved/x", 301, "http://example.com/moved/x", ""},
		{"/loc/anything", pipeline.OK, "", "/srv/location"},
		{"/lr/x?q", 301, "http://example.com/lr?q", ""},
		{"/lg/x", 410, "", ""},
	} {
		r := request(s, tc.uri, "www.test:8080")
		r.Hostname = "www.test"
		st := translate(r)
		assert.Equal(t, tc.status, st, tc.uri)
		assert.Equal(t, tc.location, r.HeadersOut.Get("Location"), tc.uri)
		assert.Equal(t, tc.filename, r.Filename, tc.uri)
	}
}

func TestDirectoryRedirectsRunInFixups(t *testing.T) {
	g := mustBuild(t, `
[[Directory]]
Path = "/srv/htdocs/old"
Redirect = ["/old/a http://example.com/a"]
RedirectMatch = ['^/old/(b)$ /new/$1']
`)
	s := g.Main
	r := request(s, "/old/a/x", "h")
	assert.Equal(t, pipeline.Declined, translate(r), "directory redirects are not server redirects")
	r.PerDir = s.DirectoryWalk(r.PerDir, "/srv/htdocs/old/a/x", false)
	assert.Equal(t, pipeline.Result(302), fixupRedirect(r))
	assert.Equal(t, "http://example.com/a/x", r.HeadersOut.Get("Location"))

	r = request(s, "/old/b?z=1", "h.example")
	r.PerDir = s.DirectoryWalk(r.PerDir, "/srv/htdocs/old/b", false)
	assert.Equal(t, pipeline.Result(302), fixupRedirect(r))
	assert.Equal(t, "http://h.example/new/b?z=1", r.HeadersOut.Get("Location"))

	r = request(s, "/elsewhere", "h")
	r.PerDir = s.DirectoryWalk(r.PerDir, "/srv/htdocs/elsewhere", false)
	assert.Equal(t, pipeline.Declined, fixupRedirect(r))
}

func TestVirtualHostRulesComeFirst(t *testing.T) {
	g := mustBuild(t, `
Alias = ["/a /main/a", "/b /main/b"]

[[VirtualHost]]
Address = "*:80"
Alias = ["/a /vhost/a"]
`)
	v := g.Main.Next
	require.NotNil(t, v)
	r := request(v, "/a/x", "v.test")
	require.Equal(t, pipeline.OK, translate(r))
	assert.Equal(t, "/vhost/a/x", r.Filename)
	r = request(v, "/b/x", "v.test")
	require.Equal(t, pipeline.OK, translate(r))
	assert.Equal(t, "/main/b/x", r.Filename, "the vhost inherits the main server's aliases")
	r = request(g.Main, "/a/x", "m")
	require.Equal(t, pipeline.OK, translate(r))
	assert.Equal(t, "/main/a/x", r.Filename)
}

func TestConstructURL(t *testing.T) {
	s := &pipeline.Server{ServerName: "name.test"}
	r := &pipeline.Request{Server: s, Hostname: "h.test"}
	r.HeadersIn.Set("Host", "H.test:80")
	assert.Equal(t, "http://h.test/p", constructURL(r, "/p"))
	r.HeadersIn.Set("Host", "[::1]:8081")
	r.Hostname = "[::1]"
	assert.Equal(t, "http://[::1]:8081/p", constructURL(r, "/p"))
	r = &pipeline.Request{Server: s}
	assert.Equal(t, "http://name.test/p", constructURL(r, "/p"))
}

func BenchmarkTranslate(b *testing.B) {
	cfg, err := configs.ReadBytes("alias.toml", []byte(`
Alias = ["/icons/ /usr/share/icons/", "/static /srv/static"]
Redirect = ["/old http://example.com/new"]
`), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(b, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(b, err)
	s := g.Main
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r := pipeline.Request{Server: s, URI: "/index.html", PerDir: s.DirDefaults}
		translate(&r)
	}
}
