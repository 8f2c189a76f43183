package proxybalancer

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/core"
	_ "gohttpd/modules/lbmethod_byrequests"
	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

func setup(t *testing.T, conf string) (*pipeline.Generation, *proxy.Hooks) {
	t.Helper()
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	ph, ok := proxy.HooksOf(g.Hooks)
	require.True(t, ok)
	return g, ph
}

func request(g *pipeline.Generation) *pipeline.Request {
	return &pipeline.Request{Server: g.Main, Conn: &pipeline.Conn{RemoteAddr: "127.0.0.1"}}
}

func TestStickyRoute(t *testing.T) {
	b := &proxy.Balancer{Params: proxy.BalancerParams{StickySession: []string{"JSESSIONID", "jsessionid"}}}
	r := &pipeline.Request{RawURI: "/a;jsessionid=abc.r2/x"}
	assert.Equal(t, "r2", stickyRoute(r, b))
	r = &pipeline.Request{RawURI: "/a", Args: "x=1&jsessionid=zz.r3"}
	assert.Equal(t, "r3", stickyRoute(r, b))
	r = &pipeline.Request{RawURI: "/a"}
	r.HeadersIn.Add("Cookie", `a=1; JSESSIONID="id.r1"`)
	assert.Equal(t, "r1", stickyRoute(r, b))
	r = &pipeline.Request{RawURI: "/a"}
	r.HeadersIn.Add("Cookie", "JSESSIONID=noroute")
	assert.Empty(t, stickyRoute(r, b))
}

func TestPreRequestChoosesMemberAndRewritesURL(t *testing.T) {
	g, ph := setup(t, `
ProxyPass = ["/ balancer://c/ stickysession=S nofailover=On"]
BalancerMember = ["balancer://c http://127.0.0.1:1/app route=a", "balancer://c http://127.0.0.1:2 route=b"]
`)
	r := request(g)
	d := &proxy.Dispatch{URL: "balancer://c/x?y=1"}
	require.Equal(t, pipeline.OK, preRequest(r, d, ph))
	assert.Equal(t, "http://127.0.0.1:1/app/x?y=1", d.URL)
	assert.Equal(t, int64(1), d.Worker.Busy())
	assert.Equal(t, 1, d.MaxAttempts)
	assert.Equal(t, "balancer://c", r.SubprocessEnv.Get("BALANCER_NAME"))
	postRequest(r, d, pipeline.OK)
	assert.Equal(t, int64(0), d.Worker.Busy())

	r = request(g)
	r.HeadersIn.Add("Cookie", "S=x.b")
	d = &proxy.Dispatch{URL: "balancer://c/"}
	require.Equal(t, pipeline.OK, preRequest(r, d, ph))
	assert.Equal(t, "http://127.0.0.1:2/", d.URL)

	b, _ := ph.Balancer("c")
	b.Members[1].SetError(nowForTest())
	d = &proxy.Dispatch{URL: "balancer://c/"}
	assert.Equal(t, pipeline.Result(503), preRequest(r, d, ph), "nofailover keeps the session on its member")

	assert.Equal(t, pipeline.Declined, preRequest(r, &proxy.Dispatch{URL: "http://x/"}, ph))
}

func nowForTest() time.Time { return time.Now() }
