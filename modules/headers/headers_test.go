package headers

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

func build(t testing.TB, conf string) (*pipeline.Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("headers.toml", []byte(conf), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	return pipeline.Build(cfg, 1, nil)
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ conf, want string }{
		{`Header = "foo X-A b"`, "first argument \"foo\" must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'"},
		{`Header = "always"`, "missing action"},
		{`Header = "set"`, "missing header name"},
		{`Header = "set X-A"`, "set requires a header and a value"},
		{`Header = 'set X-A "%x"'`, "unrecognized header format %x"},
		{`Header = 'set X-A "%{FOO"'`, "unterminated %{"},
		{`Header = 'set X-A "%{FOO}"'`, "must be followed by a format letter"},
		{`RequestHeader = "echo X-A"`, "echo is only valid on Header lines"},
		{`Header = "edit X-A a"`, "edit requires a regular expression and a replacement"},
		{`Header = "edit X-A (a b"`, "could not be compiled"},
		{`Header = "echo ^X-(a"`, "could not be compiled"},
		{`Header = "set X-A b env="`, "missing environment variable name"},
		{`Header = "set X-A b env=!"`, "missing environment variable name"},
		{`Header = "set X-A b foo"`, "unknown parameter \"foo\""},
		{`Header = "set X-A b expr=true"`, "expr= conditions"},
		{`Header = "set X-A expr=%{REQUEST_URI}"`, "expr= values"},
		{`Header = "unset X-A b c"`, "unset takes a header and an optional condition"},
		{`Header = "set X-A b env=X extra"`, "too many arguments"},
		{`Header = "always edit X-A a b env=X extra"`, "too many arguments (6)"},
		{"[[Location]]\nPath = \"/x\"\nHeader = \"set X-A b early\"", "put them at the top level or in a VirtualHost"},
	} {
		_, err := build(t, tc.conf)
		if assert.Error(t, err, tc.conf) {
			assert.Contains(t, err.Error(), tc.want, tc.conf)
			assert.Contains(t, err.Error(), "headers.toml:")
		}
	}
}

func TestParseLine(t *testing.T) {
	l, table, err := ParseLine([]string{"always", "set", "X-A:", `a\tb%%c%`, "env=!NO"}, false)
	require.NoError(t, err)
	assert.Equal(t, TableErr, table)
	assert.Equal(t, "X-A", l.Header, "a trailing colon is dropped")
	assert.Equal(t, condNotEnv, l.cond)
	assert.Equal(t, "a\tb%c%", l.value(&pipeline.Request{}))

	_, table, err = ParseLine([]string{"onsuccess", "unset", "X-A", "env=Y"}, false)
	require.NoError(t, err)
	assert.Equal(t, TableOut, table)
	_, table, err = ParseLine([]string{"set", "X-A", "v"}, true)
	require.NoError(t, err)
	assert.Equal(t, TableIn, table)
}

func TestValueFormats(t *testing.T) {
	start := time.Unix(1700000000, 123456000)
	r := &pipeline.Request{Time: start}
	r.SubprocessEnv.Set("VAR", "line1\nline2")
	l, _, err := ParseLine([]string{"set", "X", "v=%{VAR}e u=%{UNSET}e s=%{SSL_PROTOCOL}s %t"}, false)
	require.NoError(t, err)
	assert.Equal(t, "v=line1 line2 u=(null) s=(null) t=1700000000123456", l.value(r))
	l, _, err = ParseLine([]string{"set", "X", "%D"}, false)
	require.NoError(t, err)
	v := l.value(r)
	require.True(t, strings.HasPrefix(v, "D="), v)
	d, err := strconv.ParseInt(v[2:], 10, 64)
	require.NoError(t, err)
	assert.Greater(t, d, int64(0))
}

func TestActions(t *testing.T) {
	g, err := build(t, `
Header = [
  "set X-Set one",
  "set X-Set two",
  "setifempty X-Sie first",
  "setifempty X-Sie second",
  "append X-App a",
  "append X-App b",
  "add X-Add 1",
  "add X-Add 2",
  'merge X-Merge "m"',
  'merge X-Merge "m"',
  'merge X-Merge "n"',
  'merge X-Quoted "b"',
  "unset X-Gone",
  "edit X-Edit a b",
  'edit* X-EditAll "a(n)" "<$1>"',
  'edit* X-Empty "x*" "-"',
  "echo ^X-Echo",
  "note X-Set noted",
  "set X-If yes env=FLAG",
  "set X-IfNot yes env=!FLAG",
  "set X-Nope yes env=MISSING",
  'set Content-Type "text/x-set"',
  "always set X-Always 1",
]
RequestHeader = ["set X-Req from-config", "unset X-Drop", "append X-List c"]
`)
	require.NoError(t, err)
	r := &pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults, ContentType: "text/plain"}
	r.SubprocessEnv.Set("FLAG", "")
	r.HeadersIn.Add("X-Echo-One", "1")
	r.HeadersIn.Add("X-Echo-Two", "2")
	r.HeadersIn.Add("X-Other", "3")
	r.HeadersIn.Add("X-Drop", "x")
	r.HeadersIn.Add("X-List", "a, b")
	r.HeadersOut.Set("X-Gone", "x")
	r.HeadersOut.Set("X-Edit", "banana")
	r.HeadersOut.Set("X-EditAll", "banana")
	r.HeadersOut.Set("X-Empty", "ab")
	r.HeadersOut.Set("X-Quoted", `"a,b", c`)

	var got pipeline.Table
	sink := &pipeline.Filter{Reg: &pipeline.FilterReg{Name: "sink", Output: func(f *pipeline.Filter, bb *pipeline.Brigade) error {
		got = r.HeadersOut.Clone()
		return nil
	}}}
	reg, ok := g.Filters().Output(OutFilterName)
	require.True(t, ok)
	f := &pipeline.Filter{Reg: reg, Req: r, Next: sink}
	require.NoError(t, f.Pass(&pipeline.Brigade{}))

	assert.Equal(t, []string{"two"}, got.Values("X-Set"))
	assert.Equal(t, []string{"first"}, got.Values("X-Sie"))
	assert.Equal(t, []string{"a, b"}, got.Values("X-App"))
	assert.Equal(t, []string{"1", "2"}, got.Values("X-Add"))
	assert.Equal(t, []string{"m, n"}, got.Values("X-Merge"))
	assert.Equal(t, []string{`"a,b", c, b`}, got.Values("X-Quoted"))
	assert.Empty(t, got.Values("X-Gone"))
	assert.Equal(t, []string{"bbnana"}, got.Values("X-Edit"))
	assert.Equal(t, []string{"b<n><n>a"}, got.Values("X-EditAll"))
	assert.Equal(t, []string{"-a-b-"}, got.Values("X-Empty"))
	assert.Equal(t, []string{"1"}, got.Values("X-Echo-One"))
	assert.Equal(t, []string{"2"}, got.Values("X-Echo-Two"))
	assert.Empty(t, got.Values("X-Other"))
	assert.Equal(t, "two", r.Notes.Get("noted"))
	assert.Equal(t, []string{"yes"}, got.Values("X-If"))
	assert.Empty(t, got.Values("X-IfNot"))
	assert.Empty(t, got.Values("X-Nope"))
	assert.Equal(t, "text/x-set", r.ContentType)
	assert.Empty(t, got.Values("Content-Type"), "Content-Type goes to r.ContentType only")
	assert.Equal(t, "1", r.ErrHeadersOut.Get("X-Always"))

	require.Equal(t, pipeline.OK, g.Hooks.Fixups.Run(func(fn pipeline.RequestFunc) pipeline.Result { return fn(r) }))
	assert.Equal(t, "from-config", r.HeadersIn.Get("X-Req"))
	assert.Empty(t, r.HeadersIn.Values("X-Drop"))
	assert.Equal(t, "a, b, c", r.HeadersIn.Get("X-List"))
}

func TestErrorPathAndInsertion(t *testing.T) {
	g, err := build(t, `
Header = ["always set X-Always 1", "set X-Success 1"]

[[Location]]
Path = "/quiet"
Header = ["unset X-Always"]
`)
	require.NoError(t, err)
	reg, ok := g.Filters().Output(ErrFilterName)
	require.True(t, ok)
	r := &pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults, Status: 404}
	sink := &pipeline.Filter{Reg: &pipeline.FilterReg{Output: func(*pipeline.Filter, *pipeline.Brigade) error { return nil }}}
	require.NoError(t, (&pipeline.Filter{Reg: reg, Req: r, Next: sink}).Pass(&pipeline.Brigade{}))
	assert.Equal(t, "1", r.ErrHeadersOut.Get("X-Always"))
	assert.Empty(t, r.HeadersOut.Get("X-Success"), "onsuccess lines are not applied on the error path")

	// The unset in /quiet is an onsuccess line: it acts on HeadersOut,
	// not on the always table (as in Apache).
	pd := g.Main.LocationWalk(g.Main.DirDefaults, "/quiet/x")
	d := pipeline.ModuleConfig[*DirConfig](pd, Module)
	assert.Len(t, d.Err, 1)
	assert.Len(t, d.Out, 2)
}

func TestEarlyLines(t *testing.T) {
	g, err := build(t, `
RequestHeader = ["set X-Early yes early", "set X-Late yes"]
Header = ["set X-Out early-value early"]
`)
	require.NoError(t, err)
	r := &pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults}
	g.Hooks.PostReadRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Equal(t, "yes", r.HeadersIn.Get("X-Early"))
	assert.Empty(t, r.HeadersIn.Get("X-Late"))
	assert.Equal(t, "early-value", r.HeadersOut.Get("X-Out"))
	g.Hooks.Fixups.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Equal(t, "yes", r.HeadersIn.Get("X-Late"))
	assert.Equal(t, []string{"yes"}, r.HeadersIn.Values("X-Early"), "early lines do not run again")
}

func TestHasToken(t *testing.T) {
	assert.True(t, hasToken("a, b", "b"))
	assert.True(t, hasToken("a,b", "a"))
	assert.False(t, hasToken(`"a,b", c`, "b"))
	assert.True(t, hasToken(`"a,b", c`, `"a,b"`))
	assert.False(t, hasToken("ab", "a"))
	assert.False(t, hasToken("", "a"))
}

func BenchmarkOutputFilter(b *testing.B) {
	g, err := build(b, `Header = ["set X-Frame-Options DENY", "always set X-Content-Type-Options nosniff", "append Vary Accept-Encoding"]`)
	require.NoError(b, err)
	reg, _ := g.Filters().Output(OutFilterName)
	sink := &pipeline.Filter{Reg: &pipeline.FilterReg{Output: func(*pipeline.Filter, *pipeline.Brigade) error { return nil }}}
	var bb pipeline.Brigade
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r := pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults}
		_ = (&pipeline.Filter{Reg: reg, Req: &r, Next: sink}).Pass(&bb)
	}
}
