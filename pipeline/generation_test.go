package pipeline

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
)

// testDir is the per-directory record of the test modules: the values set
// along the merge path, in merge order.
type testDir struct{ trail []string }

// testModule registers a module with a per-directory directive Mark that
// appends its value to the trail, a server-only directive Limit, and a
// flag, and records the hooks it registers.
func testModule(name string, hooks func(h *Hooks)) *Module {
	m := &Module{
		Name:            name,
		CreateDirConfig: func(string) any { return &testDir{} },
		MergeDirConfig: func(base, add any) any {
			b, a := base.(*testDir), add.(*testDir)
			return &testDir{trail: append(append([]string(nil), b.trail...), a.trail...)}
		},
		RegisterHooks: hooks,
	}
	prefix := strings.ToUpper(name[:1]) + name[1:]
	m.Directives = []*configs.Directive{
		{Name: prefix + "Mark", Scope: configs.ScopeAnywhere, Type: configs.String, Help: "test",
			Set: func(c *configs.Cmd, v configs.Value) error {
				c.Dir.(*testDir).trail = append(c.Dir.(*testDir).trail, v.Str)
				return nil
			}},
		{Name: prefix + "Limit", Scope: configs.ScopeServer, Type: configs.Int, Help: "test",
			Set: func(c *configs.Cmd, v configs.Value) error {
				if v.Int > 10 {
					return errors.New("must be at most 10")
				}
				return nil
			}},
		{Name: prefix + "Flag", Scope: configs.ScopeServerConfig, Type: configs.Flag, Help: "test"},
		{Name: prefix + "List", Scope: configs.ScopeAnywhere, Type: configs.List, Help: "test"},
	}
	return m
}

var (
	alphaHooked int
	alpha       = testModule("alpha", func(h *Hooks) {
		alphaHooked++
		h.Fixups.Register("alpha", func(*Request) Result { return OK }, Middle)
	})
	beta = testModule("beta", func(h *Hooks) {
		h.Fixups.Register("beta", func(*Request) Result { return OK }, First, After("alpha"))
	})
)

func init() {
	RegisterModule(alpha)
	RegisterModule(beta)
}

func build(t *testing.T, toml string, defines ...string) (*Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("test.toml", []byte(toml), configs.ReadOptions{ServerRoot: "/srv", Defines: defines})
	require.NoError(t, err)
	return Build(cfg, 1, nil)
}

func trail(v ConfigVector) []string { return ModuleConfig[*testDir](v, alpha).trail }

func TestBuildLoadsEveryModuleByDefaultAndSortsHooks(t *testing.T) {
	g, err := build(t, `AlphaMark = "top"`)
	require.NoError(t, err)
	assert.True(t, g.Modules.Loaded("alpha"))
	assert.True(t, g.Modules.Loaded("beta_module"))
	var mods []string
	for _, f := range g.Hooks.Fixups.Describe().Functions {
		mods = append(mods, f.Module)
	}
	assert.Equal(t, []string{"alpha", "beta"}, mods, "beta's After(alpha) beats its First order")
	assert.Equal(t, []string{"top"}, trail(g.Main.DirDefaults))
}

func TestLoadModuleNamesExactlyTheSet(t *testing.T) {
	before := alphaHooked
	g, err := build(t, `LoadModule = ["beta"]`)
	require.NoError(t, err)
	assert.False(t, g.Modules.Loaded("alpha"))
	assert.Equal(t, before, alphaHooked, "an unloaded module registers no hooks")
	require.Len(t, g.Hooks.Fixups.Describe().Functions, 1)

	_, err = build(t, "LoadModule = [\"beta\"]\nAlphaMark = \"x\"\n")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "test.toml:2")
	assert.Contains(t, err.Error(), "AlphaMark")
	assert.Contains(t, err.Error(), "module alpha, which is not loaded")

	_, err = build(t, `LoadModule = ["nosuch"]`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nosuch" is not compiled in`)
}

func TestDirectiveErrorsNameFileLineAndDirective(t *testing.T) {
	cases := []struct{ name, toml, want string }{
		{"unknown", "\n\nAlphaMrak = \"x\"\n", `test.toml:3: AlphaMrak: unknown directive (did you mean AlphaMark?)`},
		{"misplaced", "[[Directory]]\nPath = \"/x\"\nAlphaLimit = 1\n", `test.toml:3: AlphaLimit: not allowed in a Directory section (allowed in: server config)`},
		{"mistyped", "AlphaLimit = \"lots\"\n", `test.toml:1: AlphaLimit: wants an integer, got "lots"`},
		{"wrong toml type", "AlphaFlag = 3\n", `test.toml:1: AlphaFlag: wants a true/false, got an integer`},
		{"invalid value", "AlphaLimit = 11\n", `test.toml:1: AlphaLimit: must be at most 10`},
		{"bad flag string", "AlphaFlag = \"maybe\"\n", `test.toml:1: AlphaFlag`},
		{"bad args", "AlphaList = ['\"unterminated']\n", `test.toml:1: AlphaList`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := build(t, c.toml)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			var ce *configs.Error
			assert.True(t, errors.As(err, &ce), "a *configs.Error")
		})
	}
}

func TestFlagAndListShapes(t *testing.T) {
	_, err := build(t, "AlphaFlag = \"On\"\nAlphaList = \"one two\"\nBetaList = [\"a b\", 'c \"d e\"']\n")
	require.NoError(t, err)
}

func TestIfDefineAndIfModule(t *testing.T) {
	conf := `
[IfDefine.EXTRA]
AlphaMark = "extra"

[IfModule.beta]
AlphaMark = "beta-loaded"

[IfModule."!beta"]
AlphaMark = "beta-missing"
`
	g, err := build(t, conf)
	require.NoError(t, err)
	assert.Equal(t, []string{"beta-loaded"}, trail(g.Main.DirDefaults))

	g, err = build(t, conf, "EXTRA")
	require.NoError(t, err)
	assert.Equal(t, []string{"extra", "beta-loaded"}, trail(g.Main.DirDefaults))

	g, err = build(t, "LoadModule = [\"alpha\"]\n"+conf)
	require.NoError(t, err)
	assert.Equal(t, []string{"beta-missing"}, trail(g.Main.DirDefaults))
}

func TestPerDirectoryMergeOrder(t *testing.T) {
	g, err := build(t, `
AlphaMark = "server"

[[Location]]
Path = "/app"
AlphaMark = "location /app"

[[Directory]]
Path = "/srv/htdocs/app"
AlphaMark = "dir /srv/htdocs/app"

[[DirectoryMatch]]
Path = "^/srv/.*/app"
AlphaMark = "dirmatch"

[[Directory]]
Path = "/srv/htdocs"
AlphaMark = "dir /srv/htdocs"

[[Directory.Files]]
Path = "*.html"
AlphaMark = "nested files *.html"

[[Files]]
Path = "index.html"
AlphaMark = "files index.html"

[[LocationMatch]]
Path = "^/app/"
AlphaMark = "locationmatch"

[[Directory]]
Path = "/"
AlphaMark = "dir /"

[[Location]]
Path = "/application"
AlphaMark = "not a prefix match"
`)
	require.NoError(t, err)
	s := g.Main
	v := s.DirectoryWalk(s.DirDefaults, "/srv/htdocs/app/index.html", false)
	v = s.LocationWalk(v, "/app/index.html")
	assert.Equal(t, []string{
		"server",
		"dir /", "dir /srv/htdocs", "dir /srv/htdocs/app", // shortest path first
		"dirmatch",                       // regex sections after plain ones
		"files index.html",               // server Files first
		"nested files *.html",            // then those nested in applied Directory sections
		"location /app", "locationmatch", // Location last, in config order
	}, trail(v))

	v = s.DirectoryWalk(s.DirDefaults, "/srv/htdocs/app", true)
	assert.Equal(t, []string{"server", "dir /", "dir /srv/htdocs", "dir /srv/htdocs/app", "dirmatch"}, trail(v),
		"a directory gets its own sections and no Files sections")
}

func TestProxyWalk(t *testing.T) {
	g, err := build(t, `
AlphaMark = "server"

[[Proxy]]
Path = "http://backend/app/"
AlphaMark = "proxy prefix"

[[ProxyMatch]]
Path = "\\.php$"
AlphaMark = "proxymatch"

[[Proxy]]
Path = "http://*/app/*"
AlphaMark = "proxy wildcard"

[[Proxy]]
Path = "http://other/"
AlphaMark = "not this one"
`)
	require.NoError(t, err)
	s := g.Main
	assert.Equal(t, []string{"server", "proxy prefix", "proxymatch", "proxy wildcard"},
		trail(s.ProxyWalk(s.DirDefaults, "http://backend/app/x.php")), "configuration order")
	assert.Equal(t, []string{"server"}, trail(s.ProxyWalk(s.DirDefaults, "http://backend/application")))
}

func TestVirtualHostInheritsAndAppendsSections(t *testing.T) {
	g, err := build(t, `
AlphaMark = "main"

[[Directory]]
Path = "/srv/www"
AlphaMark = "main dir"

[[VirtualHost]]
Address = "*:80"
AlphaMark = "vhost"

[[VirtualHost.Directory]]
Path = "/srv/www"
AlphaMark = "vhost dir"
`)
	require.NoError(t, err)
	vs := g.Main.VirtualHosts()
	require.Len(t, vs, 1)
	v := vs[0]
	assert.Equal(t, []string{"*:80"}, v.Addrs)
	assert.Equal(t, []string{"main", "vhost"}, trail(v.DirDefaults))
	got := v.DirectoryWalk(v.DirDefaults, "/srv/www/x", false)
	assert.Equal(t, []string{"main", "vhost", "main dir", "vhost dir"}, trail(got),
		"the vhost's sections apply after the main server's")
}

func TestCycleAcrossModulesFailsBuild(t *testing.T) {
	h := NewHooks()
	h.Handler.Register("alpha", nil, Middle, After("beta"))
	h.Handler.Register("beta", nil, Middle, After("alpha"))
	err := h.Sort(nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "handler")
	assert.Contains(t, err.Error(), "alpha")
	assert.Contains(t, err.Error(), "beta")
}
