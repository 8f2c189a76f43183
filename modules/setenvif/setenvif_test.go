package setenvif

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

func build(t testing.TB, conf string) (*pipeline.Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("setenvif.toml", []byte(conf), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	return pipeline.Build(cfg, 1, nil)
}

func newRequest(s *pipeline.Server, method, uri string, hdr ...string) *pipeline.Request {
	r := &pipeline.Request{
		Server: s, Method: method, Protocol: "HTTP/1.1",
		Conn:   &pipeline.Conn{RemoteAddr: "127.0.0.1", LocalAddr: "127.0.0.2"},
		PerDir: s.DirDefaults,
	}
	r.SetURI(uri)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.HeadersIn.Add(hdr[i], hdr[i+1])
	}
	return r
}

func env(r *pipeline.Request) map[string]string {
	out := map[string]string{}
	for _, f := range r.SubprocessEnv.Fields() {
		out[f.Name] = f.Value
	}
	return out
}

func TestParseRuleErrors(t *testing.T) {
	for _, tc := range []struct{ conf, want string }{
		{`SetEnvIf = ""`, "missing header-field name"},
		{`SetEnvIf = "User-Agent"`, "missing regular expression"},
		{`SetEnvIf = "User-Agent ^a"`, "missing environment variable"},
		{`SetEnvIf = "User-Agent ^(a x"`, "could not be compiled"},
		{`SetEnvIf = "^X-(a ^a x"`, "header name regular expression"},
		{`SetEnvIf = "User-Agent ^a !"`, "must be followed by the variable"},
		{`BrowserMatch = "^Mozilla"`, "missing environment variable"},
	} {
		_, err := build(t, tc.conf)
		if assert.Error(t, err, tc.conf) {
			assert.Contains(t, err.Error(), tc.want, tc.conf)
			assert.Contains(t, err.Error(), "setenvif.toml:1")
		}
	}
}

func TestLiteralPattern(t *testing.T) {
	for in, want := range map[string]string{"Mozilla": "Mozilla", `a\.b`: "a.b", `a\\b`: `a\b`} {
		got, ok := literalPattern(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"^Mozilla", "a.b", "x*", `\d`, "(a)", `MSIE\ 6`} {
		_, ok := literalPattern(in)
		assert.False(t, ok, in)
	}
}

func TestServerRulesRunInPostReadRequest(t *testing.T) {
	g, err := build(t, `
SetEnvIf = [
  'Request_URI "^/env/(.*)/(.*)$" FIRST=$1 SECOND=$2 MATCHED',
  'Remote_Addr ^127\. LOCAL=yes',
  'Remote_Host 127.0.0.1 RHOST',
  'Server_Addr 127.0.0.2 SADDR',
  'Request_Method POST ISPOST',
  'Request_Protocol HTTP/1.1 H11',
  'X-Missing ^$ NO_X',
  '^X-Cust(om)?$ ^v REGEXHDR=$0',
  'MATCHED 1 CHAINED',
  'User-Agent bot !LOCAL',
]
SetEnvIfNoCase = ['User-Agent ^CURL IS_CURL', 'Accept TEXT/html HTML']
BrowserMatch = ['Mozilla MOZ', '^Mozilla/(\d) MOZVER=$1']
BrowserMatchNoCase = ['mozilla LOWER']
`)
	require.NoError(t, err)
	r := newRequest(g.Main, "POST", "/env/a/b?q", "User-Agent", "Mozilla/5.0 curl", "X-Custom", "val", "Accept", "Text/HTML")
	require.Equal(t, pipeline.OK, g.Hooks.PostReadRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) }))
	assert.Equal(t, map[string]string{
		"FIRST": "a", "SECOND": "b", "MATCHED": "1", "LOCAL": "yes", "RHOST": "1", "SADDR": "1",
		"ISPOST": "1", "H11": "1", "NO_X": "1", "REGEXHDR": "v", "CHAINED": "1",
		"HTML": "1", "MOZ": "1", "MOZVER": "5", "LOWER": "1",
	}, env(r))

	r = newRequest(g.Main, "GET", "/x", "User-Agent", "curl bot", "X-Missing", "present")
	g.Hooks.PostReadRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Equal(t, map[string]string{"IS_CURL": "1", "RHOST": "1", "SADDR": "1", "H11": "1"}, env(r), "LOCAL was set and then unset by !LOCAL")
}

func TestSectionRulesRunInHeaderParser(t *testing.T) {
	g, err := build(t, `
SetEnvIf = ['Request_URI ^/ SERVER']

[[Location]]
Path = "/sec"
SetEnvIf = ['Request_URI "^/sec/(.*)" SECTION=$1', 'SERVER ^1$ SAW_SERVER']
`)
	require.NoError(t, err)
	s := g.Main
	r := newRequest(s, "GET", "/sec/page")
	run := func(h *pipeline.Hook[pipeline.RequestFunc]) {
		h.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	}
	run(g.Hooks.PostReadRequest)
	assert.Equal(t, map[string]string{"SERVER": "1"}, env(r), "sections are not known yet")
	r.URI = "/sec/page"
	r.PerDir = s.LocationWalk(s.DirDefaults, r.URI)
	run(g.Hooks.HeaderParser)
	assert.Equal(t, map[string]string{"SERVER": "1", "SECTION": "page", "SAW_SERVER": "1"}, env(r))

	// A request that skipped post_read_request (an internal redirect)
	// gets the server's rules in header_parser, as in Apache.
	first := r
	r = newRequest(s, "GET", "/sec/other")
	r.Prev = first
	r.URI = "/sec/other"
	r.PerDir = s.LocationWalk(s.DirDefaults, r.URI)
	run(g.Hooks.HeaderParser)
	assert.Equal(t, map[string]string{"SERVER": "1"}, env(r))
}

func BenchmarkRules(b *testing.B) {
	g, err := build(b, `
BrowserMatch = ['^Mozilla/4 nokeepalive', '"MSIE [2-5]" nokeepalive downgrade-1.0 force-response-1.0']
SetEnvIf = ['Request_URI \.gif$ image', 'Remote_Addr ^10\. internal']
`)
	require.NoError(b, err)
	r := newRequest(g.Main, "GET", "/index.html", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64)")
	cfg := pipeline.ModuleConfig[*Config](g.Main.Config, Module)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, rule := range cfg.Rules {
			rule.Apply(r)
		}
	}
}
