package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// managerLines returns balancer-manager's ?auto lines by member URL.
func managerLines(t *testing.T, s *server) map[string]string {
	t.Helper()
	resp, data := fetch(t, httpClient(false), "GET", "http://"+s.addr()+"/balancer-manager?auto", nil)
	require.Equal(t, 200, resp.StatusCode)
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(l)
		if len(f) > 2 {
			out[f[1]] = l
		}
	}
	return out
}

const managerLocation = `
[[Location]]
Path       = "/balancer-manager"
SetHandler = "balancer-manager"
`

func TestProxyBalancerByRequestsSpreadsAndSkipsDeadMember(t *testing.T) {
	b1, b2 := newBackend(t, "one"), newBackend(t, "two")
	dead := fmt.Sprintf("http://127.0.0.1:%d", freePort(t))
	s := proxySite(t, `
ProxyPass = ["/balancer-manager !", "/ balancer://cluster/"]
ProxyPassReverse = ["/ balancer://cluster/"]

[[Proxy]]
Path = "balancer://cluster"
BalancerMember = ["{B1}", "{DEAD} retry=60", "{B2}"]
ProxySet = ["lbmethod=byrequests"]
`+managerLocation, map[string]string{"{B1}": b1.URL, "{B2}": b2.URL, "{DEAD}": dead})
	c := httpClient(false)
	hits := map[string]int{}
	const n = 60
	for i := 0; i < n; i++ {
		resp, _ := fetch(t, c, "GET", "http://"+s.addr()+"/x", nil)
		require.Equal(t, 200, resp.StatusCode, "request %d: the dead member must be skipped (failover)", i)
		hits[resp.Header.Get("X-Member")]++
	}
	assert.Equal(t, n, hits["one"]+hits["two"])
	assert.InDelta(t, hits["one"], hits["two"], 2, "byrequests alternates between the live members: %v", hits)

	lines := managerLines(t, s)
	assert.Contains(t, lines[dead], "status=Err", "every child sees the dead member in error: %s", lines[dead])
	assert.Contains(t, lines[b1.URL], "status=Ok")
	assert.Contains(t, lines[b1.URL], fmt.Sprintf("elected=%d", hits["one"]))
	assert.Contains(t, lines[b2.URL], fmt.Sprintf("elected=%d", hits["two"]))

	// A Location header naming any member is rewritten.
	resp, _ := fetch(t, c, "GET", "http://"+s.addr()+"/redir", nil)
	assert.Equal(t, "http://"+s.addr()+"/target?x=1", resp.Header.Get("Location"))
}

func TestProxyBalancerByBusynessAvoidsBusyMember(t *testing.T) {
	b1, b2 := newBackend(t, "one"), newBackend(t, "two")
	s := proxySite(t, `
ProxyPass = ["/balancer-manager !", "/ balancer://busy/ lbmethod=bybusyness"]
BalancerMember = ["balancer://busy {B1}", "balancer://busy {B2}"]
`+managerLocation, map[string]string{"{B1}": b1.URL, "{B2}": b2.URL})
	c := httpClient(false)

	held := make(chan string, 1)
	go func() {
		resp, _ := fetch(t, httpClient(false), "GET", "http://"+s.addr()+"/hold", nil)
		held <- resp.Header.Get("X-Member")
	}()
	var busy, idle *backend
	select {
	case <-b1.entered:
		busy, idle = b1, b2
	case <-b2.entered:
		busy, idle = b2, b1
	case <-time.After(10 * time.Second):
		t.Fatal("the held request reached no member")
	}
	lines := managerLines(t, s)
	assert.Contains(t, lines[busy.URL], "busy=1", "the busy count is shared by all children")

	for i := 0; i < 10; i++ {
		// The previous request's member is counted busy until its child
		// has finished with it (post_request, after the response went
		// out): wait for that, so the busy counts are 1 and 0.
		require.True(t, eventually(5*time.Second, func() bool {
			return strings.Contains(managerLines(t, s)[idle.URL], "busy=0")
		}))
		resp, _ := fetch(t, c, "GET", "http://"+s.addr()+"/fast", nil)
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, idle.name, resp.Header.Get("X-Member"), "request %d goes to the member with nothing in flight", i)
	}
	busy.release()
	assert.Equal(t, busy.name, <-held)
	assert.Contains(t, managerLines(t, s)[busy.URL], "busy=0")
}

func TestProxyBalancerStickySession(t *testing.T) {
	b1, b2 := newBackend(t, "one"), newBackend(t, "two")
	s := proxySite(t, `
ProxyPass = ["/ balancer://sticky/ stickysession=ROUTEID"]
BalancerMember = ["balancer://sticky {B1} route=r1", "balancer://sticky {B2} route=r2"]
`, map[string]string{"{B1}": b1.URL, "{B2}": b2.URL})
	c := httpClient(false)
	for _, tc := range []struct{ route, member string }{{"r1", "one"}, {"r2", "two"}} {
		for i := 0; i < 6; i++ {
			resp, _ := fetch(t, c, "GET", "http://"+s.addr()+"/x", nil, "Cookie", "a=b; ROUTEID=session42."+tc.route)
			assert.Equal(t, tc.member, resp.Header.Get("X-Member"))
		}
		resp, _ := fetch(t, c, "GET", "http://"+s.addr()+"/x?ROUTEID=s."+tc.route, nil)
		assert.Equal(t, tc.member, resp.Header.Get("X-Member"), "route from the URL parameter")
	}
}
