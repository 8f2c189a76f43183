package proxy

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/core"
	"gohttpd/pipeline"
)

// build makes a generation from a TOML configuration.
func build(t testing.TB, conf string) *pipeline.Generation {
	t.Helper()
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	return g
}

// buildErr builds conf and returns the error with what was logged.
func buildErr(t testing.TB, conf string) error {
	t.Helper()
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	if err != nil {
		return err
	}
	var logged bytes.Buffer
	_, err = pipeline.Build(cfg, 1, hclog.New(&hclog.LoggerOptions{Output: &logged}))
	if err != nil {
		return fmt.Errorf("%w; log: %s", err, logged.String())
	}
	return nil
}

func hooksOf(t testing.TB, g *pipeline.Generation) *Hooks {
	ph, ok := HooksOf(g.Hooks)
	require.True(t, ok)
	return ph
}

func TestAliasMatch(t *testing.T) {
	for _, tc := range []struct {
		uri, fake string
		want      int
	}{
		{"/app/x", "/app/", 5},
		{"/app", "/app/", -1},
		{"/app", "/app", 4},
		{"/app/x", "/app", 4},
		{"/application", "/app", -1},
		{"//app//x", "/app/", 7},
		{"/x", "/", 1},
		{"/", "/", 1},
		{"/other", "/app", -1},
	} {
		assert.Equal(t, tc.want, aliasMatch(tc.uri, tc.fake), "%q vs %q", tc.uri, tc.fake)
	}
}

func TestEscapePath(t *testing.T) {
	assert.Equal(t, "/a%20b/c%3Fd%25e/~x;y=1", escapePath("/a b/c?d%e/~x;y=1"))
	assert.Equal(t, "/plain", escapePath("/plain"))
	assert.Equal(t, "/%C3%A9", escapePath("/é"))
}

func TestURLParts(t *testing.T) {
	s, a, p := URLParts("http://h:8/x/y?q=1")
	assert.Equal(t, []string{"http", "h:8", "/x/y?q=1"}, []string{s, a, p})
	s, a, p = URLParts("HTTP://h?q")
	assert.Equal(t, []string{"http", "h", "/?q"}, []string{s, a, p})
	_, a, p = URLParts("http://h")
	assert.Equal(t, []string{"h", "/"}, []string{a, p})
}

func TestDirectivesBuildWorkersAndBalancers(t *testing.T) {
	g := build(t, `
ProxyTimeout = 7
ProxyPass = [
  "/skip !",
  "/a/ http://127.0.0.1:9001/ retry=5 timeout=3 connectiontimeout=250ms keepalive=On max=4 ttl=9 disablereuse=On",
  "/b/ balancer://pool/ lbmethod=byrequests stickysession=JSESSIONID|jsessionid maxattempts=1",
]
ProxyPassMatch = ['^/img/(.*)\.png$ http://127.0.0.1:9002/images/$1.png']
BalancerMember = ["balancer://pool http://127.0.0.1:9003 route=r1 lbfactor=2", "balancer://pool http://127.0.0.1:9004 status=+H"]
ProxySet = ["http://127.0.0.1:9002/images/ timeout=11"]
ProxyPassReverse = ["/a/ http://127.0.0.1:9001/"]

[[Location]]
Path = "/loc"
ProxyPass = "http://127.0.0.1:9005/in"
ProxyPreserveHost = true
ProxyErrorOverride = "On 502 503"

[[Proxy]]
Path = "balancer://other"
BalancerMember = ["http://127.0.0.1:9006 route=x"]
ProxySet = "maxattempts=0"
`)
	ph := hooksOf(t, g)
	sc := ServerConfigOf(g.Main)
	require.Len(t, sc.Aliases, 4)
	assert.Equal(t, 7*time.Second, sc.Timeout)
	assert.True(t, sc.Aliases[0].Excludes())

	w := sc.Aliases[1].Worker
	require.NotNil(t, w)
	assert.Equal(t, "127.0.0.1:9001", w.Addr())
	assert.Equal(t, WorkerParams{Retry: 5 * time.Second, Timeout: 3 * time.Second, ConnectTimeout: 250 * time.Millisecond,
		KeepAlive: true, Max: 4, TTL: 9 * time.Second, DisableReuse: true, LBFactor: 1}, w.Params)

	b := sc.Aliases[2].Balancer
	require.NotNil(t, b)
	assert.Equal(t, "balancer://pool", b.Name)
	assert.Equal(t, []string{"JSESSIONID", "jsessionid"}, b.Params.StickySession)
	assert.Equal(t, 1, b.MaxAttempts())
	require.Len(t, b.Members, 2)
	assert.Equal(t, 2, b.Members[0].Params.LBFactor)
	assert.Equal(t, "r1", b.Members[0].Params.Route)
	assert.True(t, b.Members[1].Params.HotStandby)
	assert.Same(t, b, b.Members[0].Balancer)

	m := sc.Aliases[3]
	require.NotNil(t, m.Regex)
	assert.Equal(t, 11*time.Second, m.Worker.Params.Timeout, "ProxySet reaches the ProxyPassMatch worker")

	other, ok := ph.Balancer("balancer://OTHER/")
	require.True(t, ok)
	assert.Equal(t, 0, other.MaxAttempts())
	require.Len(t, other.Members, 1)
	assert.Equal(t, "x", other.Members[0].Params.Route)

	assert.Len(t, ph.Workers(), 6)
	assert.Len(t, ph.Balancers(), 2)
	assert.Equal(t, []string{"bybusyness", "byrequests"}, ph.LBMethodNames())

	loc := g.Main.LocationWalk(g.Main.DirDefaults, "/loc/x")
	d := DirConfigOf(loc)
	require.NotNil(t, d.Alias)
	assert.Equal(t, "/loc", d.Alias.Fake)
	assert.True(t, d.PreserveHost())
	assert.True(t, d.AddHeaders())
	assert.True(t, d.ErrorOverride(503))
	assert.False(t, d.ErrorOverride(404))
	assert.Len(t, d.Reverse, 1, "server-level ProxyPassReverse is inherited")
}

func TestDirectiveErrors(t *testing.T) {
	for conf, want := range map[string]string{
		`ProxyPass = ["/a"]`:                     "want a path and a URL",
		`ProxyPass = ["a http://x/"]`:            "must start with /",
		`ProxyPass = ["/a http://x/ retry=abc"]`: "retry=abc",
		`ProxyPass = ["/a http://x/ bogus=1"]`:   "unknown worker parameter",
		`ProxyPass = ["/a ! retry=1"]`:           "takes no parameters",
		`ProxyPass = ["/a balancer://b/ lbmethod=nope"]` + "\n" + `BalancerMember = ["balancer://b http://x"]`: "lbmethod",
		`ProxyPass = ["/a balancer://empty/"]`:                                       "no BalancerMember",
		`ProxyPassMatch = ["^/(x http://x/"]`:                                        "bad regular expression",
		`ProxyErrorOverride = "On 200"`:                                              "400 to 599",
		"[[Directory]]\nPath = \"/x\"\nBalancerMember = [\"balancer://b http://x\"]": "not in Directory",
		"[[Proxy]]\nPath = \"http://x/\"\nBalancerMember = [\"http://y\"]":           "balancer:// URL",
		`BalancerMember = ["http://x/"]`:                                             "balancer://name",
		`ProxyVia = "Maybe"`:                                                         "not one of Off, On, Full, Block",
	} {
		err := buildErr(t, conf)
		if assert.Error(t, err, conf) {
			assert.Contains(t, err.Error(), want, conf)
		}
	}
}

func TestTranslateAndCanonicalize(t *testing.T) {
	g := build(t, `
ProxyPass = ["/app/static !", "/app/ http://127.0.0.1:9001/base/", "/raw/ http://127.0.0.1:9001/ nocanon"]
ProxyPassMatch = ['^/m/(.*)$ http://127.0.0.1:9002/x/$1y', '^/all\.gif$ http://127.0.0.1:9002']
`)
	req := func(uri, raw, args string) *pipeline.Request {
		r := &pipeline.Request{Server: g.Main, URI: uri, RawURI: raw, Args: args, PerDir: g.Main.DirDefaults,
			Conn: &pipeline.Conn{RemoteAddr: "127.0.0.1"}}
		return r
	}
	for _, tc := range []struct {
		uri, raw, args, want string
	}{
		{"/app/a b", "/app/a%20b", "q=1", "proxy:http://127.0.0.1:9001/base/a%20b?q=1"},
		{"/app/static/x", "/app/static/x", "", ""},
		{"/m/z", "/m/z", "", "proxy:http://127.0.0.1:9002/x/zy"},
		{"/all.gif", "/all.gif", "", "proxy:http://127.0.0.1:9002/all.gif"},
		{"/raw/a b", "/raw/a%20b", "", "proxy:http://127.0.0.1:9001/a%20b"},
		{"/elsewhere", "/elsewhere", "", ""},
	} {
		r := req(tc.uri, tc.raw, tc.args)
		st := translate(r)
		if tc.want == "" {
			assert.Equal(t, pipeline.Declined, st, tc.uri)
			assert.Equal(t, NotProxied, RequestKind(r))
			continue
		}
		require.Equal(t, pipeline.OK, st, tc.uri)
		assert.Equal(t, HandlerName, r.Handler)
		assert.Equal(t, pipeline.OK, Canonicalize(r, r.Filename[len(FilenamePrefix):], "http"))
		assert.Equal(t, tc.want, r.Filename, tc.uri)
	}
}

func TestReverseMapping(t *testing.T) {
	g := build(t, `
ProxyPassReverse = ["/app/ http://back:81/", "/lb/ balancer://c/"]
ProxyPassReverseCookiePath = ["/ /app/"]
ProxyPassReverseCookieDomain = ["internal.example public.example"]
BalancerMember = ["balancer://c http://m1:82", "balancer://c http://m2:83/sub"]
`)
	ph := hooksOf(t, g)
	r := &pipeline.Request{Server: g.Main, PerDir: g.Main.DirDefaults, Conn: &pipeline.Conn{LocalAddr: "127.0.0.1", LocalPort: 8080}}
	r.HeadersIn.Set("Host", "front:8080")
	assert.Equal(t, "http://front:8080/app/x?y", MapLocation(r, ph, "http://back:81/x?y"))
	assert.Equal(t, "http://front:8080/lb/p", MapLocation(r, ph, "http://m1:82/p"))
	assert.Equal(t, "http://front:8080/lb/q", MapLocation(r, ph, "http://m2:83/sub/q"))
	assert.Equal(t, "http://elsewhere/x", MapLocation(r, ph, "http://elsewhere/x"))
	assert.Equal(t, "a=1; path=/app/x; Domain=public.example; Secure",
		MapCookie(r, "a=1; path=/x; Domain=www.internal.example; Secure"))

	r.HeadersOut.Add("Location", "http://back:81/moved")
	r.HeadersOut.Add("Set-Cookie", "b=2; Path=/")
	r.HeadersOut.Add("X-Other", "http://back:81/")
	RewriteResponseHeaders(r, ph, &r.HeadersOut)
	assert.Equal(t, "http://front:8080/app/moved", r.HeadersOut.Get("Location"))
	assert.Equal(t, "b=2; Path=/app/", r.HeadersOut.Get("Set-Cookie"))
	assert.Equal(t, "http://back:81/", r.HeadersOut.Get("X-Other"))
}

func TestSharedSegmentIsSeenByEveryMapping(t *testing.T) {
	g := build(t, `BalancerMember = ["balancer://c http://127.0.0.1:9 retry=60", "balancer://c http://127.0.0.1:10"]`)
	ph := hooksOf(t, g)
	f, err := ph.reg.createSharedFile()
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, ph.reg.attachFile(f))
	other, err := mapSegment(f, ph.reg.slots())
	require.NoError(t, err)
	defer other.close()

	w := ph.Workers()[0]
	w.SetError(time.Now())
	w.AddBusy(3)
	w.AddElected()
	peer := &other.slots[w.Index()]
	assert.Equal(t, workerInError, peer.status.Load(), "another process's mapping sees the error state")
	assert.Equal(t, int64(3), peer.busy.Load())
	assert.Equal(t, int64(1), peer.elected.Load())

	_, err = mapSegment(f, ph.reg.slots()+1)
	assert.ErrorContains(t, err, "needs")
}

func TestWorkerErrorStateAndRetry(t *testing.T) {
	w, err := newWorker("http://127.0.0.1:1", WorkerParams{Retry: time.Minute})
	require.NoError(t, err)
	now := time.Now()
	assert.True(t, w.Usable(now))
	w.SetError(now)
	assert.False(t, w.Usable(now.Add(30*time.Second)))
	assert.Equal(t, "Err", w.StatusString())
	assert.True(t, w.Usable(now.Add(61*time.Second)), "retry interval passed: back in service")
	assert.False(t, w.InError())
}

func TestPoolReusesAndDetectsClosedConnections(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	accepted := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	p := defaultWorkerParams()
	w, err := newWorker("http://"+l.Addr().String(), p)
	require.NoError(t, err)
	o := AcquireOptions{Max: 2, Timeout: 2 * time.Second}

	bc, err := w.Acquire(o)
	require.NoError(t, err)
	assert.False(t, bc.Reused)
	server := <-accepted
	w.Release(bc)
	assert.Equal(t, 1, w.IdleConns())

	bc2, err := w.Acquire(o)
	require.NoError(t, err)
	assert.True(t, bc2.Reused)
	assert.Same(t, bc, bc2)
	w.Release(bc2)

	// The backend closes the idle connection: Acquire notices and dials.
	server.Close()
	time.Sleep(50 * time.Millisecond)
	bc3, err := w.Acquire(o)
	require.NoError(t, err)
	assert.False(t, bc3.Reused, "a closed pooled connection is not handed out")
	<-accepted

	// The pool holds at most Max connections in use.
	bc4, err := w.Acquire(o)
	require.NoError(t, err)
	<-accepted
	_, err = w.Acquire(AcquireOptions{Max: 2, Timeout: 50 * time.Millisecond})
	assert.ErrorIs(t, err, ErrPoolExhausted)
	bc3.Close = true
	w.Release(bc3)
	w.Release(bc4)
	assert.Equal(t, 1, w.IdleConns())
}

func TestAcquireFailurePutsWorkerInError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	w, err := newWorker("http://"+addr, WorkerParams{Retry: time.Minute})
	require.NoError(t, err)
	_, err = w.Acquire(AcquireOptions{Max: 1, Timeout: time.Second})
	require.Error(t, err)
	assert.True(t, w.InError())
	_, err = w.Acquire(AcquireOptions{Max: 1, Timeout: time.Second})
	assert.ErrorIs(t, err, ErrWorkerInError)
}

func TestBalancerLockSerializes(t *testing.T) {
	b := &Balancer{st: new(slot)}
	unlock := b.Lock()
	got := make(chan struct{})
	go func() {
		u := b.Lock()
		close(got)
		u()
	}()
	select {
	case <-got:
		t.Fatal("second Lock returned while the first was held")
	case <-time.After(20 * time.Millisecond):
	}
	unlock()
	<-got
	// A lock left by a process that no longer exists is taken over.
	b.st.lock.Store(1 << 30)
	done := make(chan struct{})
	go func() { b.Lock()(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a dead holder's lock was not taken over")
	}
}

func TestPrivateHooksAreSortedAndListed(t *testing.T) {
	g := build(t, "")
	var names []string
	for _, hi := range g.Hooks.Describe() {
		names = append(names, hi.Name)
	}
	for _, n := range []string{"proxy_scheme_handler", "proxy_canon_handler", "proxy_pre_request", "proxy_post_request", "proxy_detach_backend"} {
		assert.Contains(t, names, n)
	}
}
