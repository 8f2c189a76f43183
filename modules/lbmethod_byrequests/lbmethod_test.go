package lbmethodbyrequests_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	lb "gohttpd/modules/lbmethod_byrequests"
	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

func balancer(t testing.TB, members string) *proxy.Balancer {
	t.Helper()
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte("BalancerMember = ["+members+"]\n"), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	ph, ok := proxy.HooksOf(g.Hooks)
	require.True(t, ok)
	m, ok := ph.LBMethod("byrequests")
	require.True(t, ok, "registered by the module")
	assert.NotNil(t, m)
	b, ok := ph.Balancer("balancer://c")
	require.True(t, ok)
	return b
}

func TestByRequestsFollowsLBFactor(t *testing.T) {
	b := balancer(t, `"balancer://c http://127.0.0.1:1 lbfactor=1", "balancer://c http://127.0.0.1:2 lbfactor=3", "balancer://c http://127.0.0.1:3 status=+H"`)
	counts := map[string]int{}
	for i := 0; i < 400; i++ {
		counts[lb.Pick(b, nil).Name]++
	}
	assert.Equal(t, 100, counts["http://127.0.0.1:1"])
	assert.Equal(t, 300, counts["http://127.0.0.1:2"])
	assert.Zero(t, counts["http://127.0.0.1:3"], "hot standby is not used while others are usable")

	b.Members[0].SetError(time.Now())
	b.Members[1].SetError(time.Now())
	assert.Equal(t, "http://127.0.0.1:3", lb.Pick(b, nil).Name, "hot standby takes over")
	b.Members[2].SetError(time.Now())
	assert.Nil(t, lb.Pick(b, nil))
}

func BenchmarkPick(b *testing.B) {
	bal := balancer(b, `"balancer://c http://127.0.0.1:1", "balancer://c http://127.0.0.1:2", "balancer://c http://127.0.0.1:3"`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		unlock := bal.Lock()
		lb.Pick(bal, nil)
		unlock()
	}
}
