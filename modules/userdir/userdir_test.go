package userdir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

func build(t *testing.T, conf string) (*pipeline.Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("userdir.toml", []byte(conf), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	return pipeline.Build(cfg, 1, nil)
}

// withHomes replaces the passwd lookup of every server record of g.
func withHomes(g *pipeline.Generation, homes map[string]string) {
	for s := g.Main; s != nil; s = s.Next {
		sc := pipeline.ModuleConfig[*ServerConfig](s.Config, Module)
		sc.homeDir = func(name string) (string, error) {
			if h, ok := homes[name]; ok {
				return h, nil
			}
			return "", errors.New("unknown user")
		}
	}
}

func translateURI(s *pipeline.Server, uri string) (*pipeline.Request, pipeline.Result) {
	r := &pipeline.Request{Server: s, URI: uri}
	return r, translate(r)
}

func TestUserDirErrors(t *testing.T) {
	for _, tc := range []struct{ conf, want string }{
		{`UserDir = ""`, "UserDir requires an argument"},
		{`UserDir = "/home/*/x/*"`, "more than one '*'"},
		{`UserDir = "mailto:x"`, "neither a directory nor a URL"},
		{"[[Location]]\nPath = \"/x\"\nUserDir = \"public_html\"", "not allowed in a Location section"},
	} {
		_, err := build(t, tc.conf)
		if assert.Error(t, err, tc.conf) {
			assert.Contains(t, err.Error(), tc.want, tc.conf)
		}
	}
}

func TestUserDirMapping(t *testing.T) {
	tmp := t.TempDir()
	bobHome := filepath.Join(tmp, "bob")
	require.NoError(t, os.MkdirAll(filepath.Join(bobHome, "public_html"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(tmp, "www", "carol"), 0o755))
	homes := map[string]string{"bob": bobHome, "root": "/root", "dave": filepath.Join(tmp, "dave")}

	g, err := build(t, `UserDir = ["public_html"]`)
	require.NoError(t, err)
	withHomes(g, homes)
	r, st := translateURI(g.Main, "/~bob/a/b.html")
	assert.Equal(t, pipeline.OK, st)
	assert.Equal(t, bobHome+"/public_html/a/b.html", r.Filename)
	assert.Equal(t, "bob", r.Notes.Get("mod_userdir_user"))
	r, st = translateURI(g.Main, "/~bob")
	assert.Equal(t, pipeline.OK, st)
	assert.Equal(t, bobHome+"/public_html", r.Filename)
	_, st = translateURI(g.Main, "/~root/x")
	assert.Equal(t, pipeline.Declined, st, "root is disabled by default")
	for _, uri := range []string{"/~nobody-here/x", "/~/x", "/~./x", "/~../x", "/bob", "/"} {
		_, st = translateURI(g.Main, uri)
		assert.Equal(t, pipeline.Declined, st, uri)
	}

	g, err = build(t, `UserDir = ["public_html", "enabled root"]`)
	require.NoError(t, err)
	withHomes(g, homes)
	r, st = translateURI(g.Main, "/~root/x")
	assert.Equal(t, pipeline.OK, st, "root enabled by name")
	assert.Equal(t, "/root/public_html/x", r.Filename)

	g, err = build(t, `UserDir = ["disabled", "enabled bob", "public_html"]`)
	require.NoError(t, err)
	withHomes(g, homes)
	_, st = translateURI(g.Main, "/~bob/x")
	assert.Equal(t, pipeline.OK, st)
	_, st = translateURI(g.Main, "/~dave/x")
	assert.Equal(t, pipeline.Declined, st, "globally disabled")

	g, err = build(t, `UserDir = ["public_html", "disabled bob"]`)
	require.NoError(t, err)
	withHomes(g, homes)
	_, st = translateURI(g.Main, "/~bob/x")
	assert.Equal(t, pipeline.Declined, st)

	g, err = build(t, `UserDir = ["`+tmp+`/www `+tmp+`/*/public_html http://example.com/users"]`)
	require.NoError(t, err)
	withHomes(g, homes)
	r, st = translateURI(g.Main, "/~carol/x")
	assert.Equal(t, pipeline.OK, st)
	assert.Equal(t, tmp+"/www/carol/x", r.Filename, "the first directory that exists")
	r, st = translateURI(g.Main, "/~bob/x")
	assert.Equal(t, pipeline.OK, st)
	assert.Equal(t, tmp+"/bob/public_html/x", r.Filename, "'*' stands for the user")
	r, st = translateURI(g.Main, "/~erin/x y")
	assert.Equal(t, pipeline.Result(302), st, "the last word is used anyway: a redirect")
	assert.Equal(t, "http://example.com/users/erin/x y", r.HeadersOut.Get("Location"))

	g, err = build(t, `UserDir = "http://example.com/*/usr"`)
	require.NoError(t, err)
	r, st = translateURI(g.Main, "/~bob/one/two.html")
	assert.Equal(t, pipeline.Result(302), st)
	assert.Equal(t, "http://example.com/bob/usr/one/two.html", r.HeadersOut.Get("Location"))

	g, err = build(t, `UserDir = "/nonexistent/*/www"`)
	require.NoError(t, err)
	r, st = translateURI(g.Main, "/~bob/x")
	assert.Equal(t, pipeline.OK, st, "the last word is used even when missing")
	assert.Equal(t, "/nonexistent/bob/www/x", r.Filename)

	g, err = build(t, ``)
	require.NoError(t, err)
	_, st = translateURI(g.Main, "/~bob/x")
	assert.Equal(t, pipeline.Declined, st, "no UserDir: no mapping")
}

func TestUserDirVirtualHostInherits(t *testing.T) {
	g, err := build(t, `
UserDir = ["/srv/users", "disabled alice"]

[[VirtualHost]]
Address = "*:80"
UserDir = "disabled carl"
`)
	require.NoError(t, err)
	v := g.Main.Next
	require.NotNil(t, v)
	r, st := translateURI(v, "/~alice/x")
	assert.Equal(t, pipeline.OK, st, "user lists are not inherited (as in Apache)")
	assert.Equal(t, "/srv/users/alice/x", r.Filename)
	_, st = translateURI(v, "/~carl/x")
	assert.Equal(t, pipeline.Declined, st)
}
