package lbmethodbybusyness_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	lb "gohttpd/modules/lbmethod_bybusyness"
	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

func TestByBusynessPrefersIdleMembers(t *testing.T) {
	root := t.TempDir()
	conf := `BalancerMember = ["balancer://c http://127.0.0.1:1", "balancer://c http://127.0.0.1:2", "balancer://c http://127.0.0.1:3 status=+D"]` + "\n" +
		`ProxySet = ["balancer://c lbmethod=bybusyness"]` + "\n"
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	ph, _ := proxy.HooksOf(g.Hooks)
	_, ok := ph.LBMethod("bybusyness")
	require.True(t, ok)
	b, _ := ph.Balancer("c")

	b.Members[0].AddBusy(2)
	for i := 0; i < 5; i++ {
		assert.Equal(t, b.Members[1], lb.Pick(b, nil), "fewest in flight")
	}
	b.Members[1].AddBusy(2)
	seen := map[*proxy.Worker]int{}
	for i := 0; i < 100; i++ {
		seen[lb.Pick(b, nil)]++
	}
	// Equally busy members share by lbfactor credit; the member that was
	// passed over earlier has credit to use up first.
	assert.Equal(t, 100, seen[b.Members[0]]+seen[b.Members[1]])
	assert.InDelta(t, seen[b.Members[0]], seen[b.Members[1]], 12, "%v", seen)
	assert.Zero(t, seen[b.Members[2]], "disabled members are never picked")
}
