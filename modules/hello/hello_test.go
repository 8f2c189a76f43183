package hello

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

func TestHelloHeader(t *testing.T) {
	cfg, err := configs.ReadBytes("hello.toml", []byte(`
HelloHeader = "world"

[[Location]]
Path = "/quiet"
HelloHeader = "hush"
`), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)

	r := &pipeline.Request{Server: g.Main, PerDir: g.Main.LocationWalk(g.Main.DirDefaults, "/")}
	g.Hooks.Fixups.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Equal(t, "world", r.HeadersOut.Get("X-Hello"))

	r = &pipeline.Request{Server: g.Main, PerDir: g.Main.LocationWalk(g.Main.DirDefaults, "/quiet/x")}
	g.Hooks.Fixups.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) })
	assert.Equal(t, "hush", r.HeadersOut.Get("X-Hello"))
}
