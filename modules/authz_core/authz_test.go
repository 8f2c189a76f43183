package authz_core_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/access_compat"
	"gohttpd/modules/auth"
	"gohttpd/modules/auth/authtest"
	_ "gohttpd/modules/auth_basic"
	_ "gohttpd/modules/authn_core"
	_ "gohttpd/modules/authn_file"
	"gohttpd/modules/authz_core"
	_ "gohttpd/modules/authz_groupfile"
	_ "gohttpd/modules/authz_host"
	_ "gohttpd/modules/authz_user"
	"gohttpd/pipeline"
)

// A third-party provider, registered the way the package doc shows.
var testModule = &pipeline.Module{Name: "authz_testheader", Description: "Require header NAME"}

func init() {
	pipeline.RegisterModule(testModule)
	auth.RegisterAuthzProvider(testModule.Name, "header", auth.AuthzProviderFunc(
		func(args []string) (auth.AuthzCheck, error) {
			return func(r *pipeline.Request) auth.AuthzStatus {
				for _, h := range args {
					if _, ok := r.HeadersIn.Lookup(h); ok {
						return auth.AuthzGranted
					}
				}
				return auth.AuthzDenied
			}, nil
		}))
	auth.RegisterAuthnProvider(testModule.Name, "demo", auth.AuthnProviderFunc(
		func(r *pipeline.Request, user, password string) auth.AuthnStatus {
			if user != "demo" {
				return auth.AuthUserNotFound
			}
			if auth.ConstantTimeEqual(password, "demo") {
				return auth.AuthGranted
			}
			return auth.AuthDenied
		}))
}

// htpasswdDir writes the users alice (bcrypt) and bob (APR1) and a group
// file, returning the directory.
func htpasswdDir(t *testing.T) string {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htpasswd"), []byte(
		"alice:$2y$05$ts5MdSr5sSBR/C4SttGOze915NarYpC1WRnRgIH7OBc.UKVHNqiIO\n"+
			"bob:$apr1$MpIolb.p$SRPO/LDAqmCk/HkP./iwq/\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "groups"), []byte("staff: bob\n"), 0o644))
	return dir
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newServer(t *testing.T, conf string) (*authtest.Server, *syncBuf) {
	dir := htpasswdDir(t)
	log := &syncBuf{}
	conf = "ServerRoot = \"" + dir + "\"\n" + strings.ReplaceAll(conf, "{DIR}", dir)
	s := authtest.NewIn(t, dir, conf, hclog.New(&hclog.LoggerOptions{Output: log, Level: hclog.Info}))
	return s, log
}

const basic = `AuthType = "Basic"
AuthName = "Realm"
AuthUserFile = "htpasswd"
AuthGroupFile = "groups"
`

func TestRequireCombinations(t *testing.T) {
	s, _ := newServer(t, `
[[Location]]
Path = "/open"
Require = ["all granted"]

[[Location]]
Path = "/closed"
Require = ["all denied"]

[[Location]]
Path = "/any"
`+basic+`
[[Location.RequireAny]]
Require = ["ip 10.0.0.0/8", "valid-user"]

[[Location]]
Path = "/all"
`+basic+`
[[Location.RequireAll]]
Require = ["ip 10.0.0.0/8", "valid-user"]

[[Location]]
Path = "/nested"
`+basic+`
[[Location.RequireAny]]
Require = ["user alice"]
[[Location.RequireAny.RequireAll]]
Require = ["group staff", "not ip 192.0.2.1"]

[[Location]]
Path = "/none"
`+basic+`
[[Location.RequireAll]]
Require = ["valid-user"]
[[Location.RequireAll.RequireNone]]
Require = ["user bob"]

[[Location]]
Path = "/short"
`+basic+`
RequireAll = ["valid-user", "not user alice"]

[[Location]]
Path = "/inline"
RequireAny = [{Require = ["ip 192.0.2.0/24"]}, {Require = ["method OPTIONS"]}]

[[Location]]
Path = "/host"
Require = ["host localhost"]

[[Location]]
Path = "/fwd"
Require = ["forward-dns localhost"]

[[Location]]
Path = "/local"
Require = ["local"]

[[Location]]
Path = "/v6"
Require = ["ip ::1 2001:db8::/32 10.1"]

[[Location]]
Path = "/thirdparty"
Require = ["header Authorization"]

[[Location]]
Path = "/demo"
AuthType = "Basic"
AuthName = "Demo"
AuthBasicProvider = "demo file"
AuthUserFile = "htpasswd"
Require = ["valid-user"]
`)
	for _, c := range []struct {
		req  authtest.Req
		want pipeline.Result
	}{
		{authtest.Req{URI: "/open/x"}, pipeline.OK},
		{authtest.Req{URI: "/closed/x"}, 403},
		{authtest.Req{URI: "/closed/x", User: "alice", Password: "alice-pw"}, 403},
		{authtest.Req{URI: "/any/x", From: "10.1.2.3"}, pipeline.OK},
		{authtest.Req{URI: "/any/x"}, 401},
		{authtest.Req{URI: "/any/x", User: "alice", Password: "alice-pw"}, pipeline.OK},
		{authtest.Req{URI: "/any/x", User: "alice", Password: "nope"}, 401},
		{authtest.Req{URI: "/all/x", User: "alice", Password: "alice-pw"}, 403},
		{authtest.Req{URI: "/all/x", From: "10.0.0.1"}, 401},
		{authtest.Req{URI: "/all/x", From: "10.0.0.1", User: "bob", Password: "bob-pw"}, pipeline.OK},
		{authtest.Req{URI: "/nested/x", User: "alice", Password: "alice-pw"}, pipeline.OK},
		{authtest.Req{URI: "/nested/x", User: "bob", Password: "bob-pw"}, pipeline.OK},
		{authtest.Req{URI: "/nested/x", From: "192.0.2.1", User: "bob", Password: "bob-pw"}, 401},
		{authtest.Req{URI: "/none/x", User: "alice", Password: "alice-pw"}, pipeline.OK},
		{authtest.Req{URI: "/none/x", User: "bob", Password: "bob-pw"}, 401},
		{authtest.Req{URI: "/short/x", User: "bob", Password: "bob-pw"}, pipeline.OK},
		{authtest.Req{URI: "/short/x", User: "alice", Password: "alice-pw"}, 401},
		{authtest.Req{URI: "/inline/x"}, 403},
		{authtest.Req{URI: "/inline/x", Method: "OPTIONS"}, pipeline.OK},
		{authtest.Req{URI: "/inline/x", From: "192.0.2.77"}, pipeline.OK},
		{authtest.Req{URI: "/host/x"}, pipeline.OK},
		{authtest.Req{URI: "/host/x", From: "127.0.0.2"}, 403},
		{authtest.Req{URI: "/fwd/x"}, pipeline.OK},
		{authtest.Req{URI: "/fwd/x", From: "192.0.2.1"}, 403},
		{authtest.Req{URI: "/local/x", From: "::1"}, pipeline.OK},
		{authtest.Req{URI: "/local/x", From: "192.0.2.1"}, 403},
		{authtest.Req{URI: "/v6/x", From: "::1"}, pipeline.OK},
		{authtest.Req{URI: "/v6/x", From: "2001:db8:1::5"}, pipeline.OK},
		{authtest.Req{URI: "/v6/x", From: "::ffff:10.1.200.3"}, pipeline.OK},
		{authtest.Req{URI: "/v6/x", From: "2001:db9::1"}, 403},
		{authtest.Req{URI: "/thirdparty/x"}, 403},
		{authtest.Req{URI: "/thirdparty/x", Authorization: "whatever"}, pipeline.OK},
		{authtest.Req{URI: "/demo/x", User: "demo", Password: "demo"}, pipeline.OK},
		{authtest.Req{URI: "/demo/x", User: "demo", Password: "alice-pw"}, 401},
		{authtest.Req{URI: "/demo/x", User: "alice", Password: "alice-pw"}, pipeline.OK},
	} {
		got, _ := s.Do(c.req)
		assert.Equal(t, c.want, got, "%+v", c.req)
	}
}

func TestSuccessSetsUserAndEnvironment(t *testing.T) {
	s, log := newServer(t, `
[[Location]]
Path = "/p"
`+basic+`Require = ["valid-user"]
`)
	st, r := s.Do(authtest.Req{URI: "/p/x", User: "bob", Password: "bob-pw"})
	require.Equal(t, pipeline.OK, st)
	assert.Equal(t, "bob", r.User)
	assert.Equal(t, "Basic", r.AuthType)
	assert.Equal(t, "bob", r.SubprocessEnv.Get("REMOTE_USER"))
	assert.Equal(t, "Basic", r.SubprocessEnv.Get("AUTH_TYPE"))

	st, r = s.Do(authtest.Req{URI: "/p/x", User: "bob", Password: "wrong"})
	assert.Equal(t, pipeline.Result(401), st)
	assert.Equal(t, "bob", r.User, "a failed attempt still names the user, for %u")
	assert.Empty(t, r.SubprocessEnv.Get("REMOTE_USER"))
	assert.Equal(t, `Basic realm="Realm"`, r.ErrHeadersOut.Get("WWW-Authenticate"))
	assert.Contains(t, log.String(), `AH01617: user bob: authentication failure for "/p/x": Password Mismatch`)

	_, _ = s.Do(authtest.Req{URI: "/p/x", User: "mallory", Password: "x"})
	assert.Contains(t, log.String(), "AH01618: user mallory not found: /p/x")
}

func TestConfigErrorsAsApache(t *testing.T) {
	for _, c := range []struct{ conf, want string }{
		{`Require = ["not ip 1.2.3.4"]`, "negative Require directive has no effect in <RequireAny> directive"},
		{"RequireAll = [\"not ip 1.2.3.4\"]", "<RequireAll> directive contains only negative authorization directives"},
		{"[[Location.RequireNone]]\nRequire = [\"ip 1.2.3.4\"]", "<RequireNone> directive has no effect in <RequireAny> directive"},
		{"[[Location.RequireAll]]\nRequire = [\"all granted\"]\n[[Location.RequireAll.RequireNone]]\nRequire = [\"not ip 1.2.3.4\", \"ip 1.2.3.5\"]",
			"negative Require directive has no effect in <RequireNone> directive"},
		{"[[Location.RequireAny]]\nRequire = [\"all granted\"]\n[[Location.RequireAny.RequireNone]]\nRequire = [\"ip 1.2.3.5\"]",
			"<RequireNone> directive has no effect in <RequireAny> directive"},
		{"[[Location.RequireAll]]\n", "<RequireAll> directive contains no authorization directives"},
		{`Require = ["all maybe"]`, "Argument for 'Require all' must be 'granted' or 'denied'"},
		{`Require = ["ip 10.1.2.300"]`, "ip address '10.1.2.300' appears to be invalid"},
		{`Require = ["ip localhost"]`, "ip address 'localhost' appears to be invalid"},
		{`Require = ["bogus x"]`, "unknown Authz provider: bogus"},
		{`Require = ["Valid-User"]`, "unknown Authz provider: Valid-User"},
		{`Require = [""]`, "Require wants a provider name"},
		{`AuthMerging = "Maybe"`, "AuthMerging wants Off, And or Or"},
		{`AuthBasicProvider = "nosuch"`, "unknown Authn provider: nosuch"},
		{"[[Location.RequireAll]]\nRequires = [\"all granted\"]", `unknown key "Requires"`},
		{`Allow = ["1.2.3.4"]`, "must be followed by 'from'"},
		{`Allow = ["from 10.1.2.300"]`, "appears to be invalid"},
		{`Order = "deny, allow"`, "Order takes one argument"},
		{`Satisfy = "maybe"`, "Satisfy either 'any' or 'all'"},
	} {
		conf := "[[Location]]\nPath = \"/x\"\n" + c.conf + "\n"
		cfg, err := configs.ReadBytes("t.toml", []byte(conf), configs.ReadOptions{ServerRoot: t.TempDir()})
		require.NoError(t, err, conf)
		_, err = pipeline.Build(cfg, 1, nil)
		if assert.Error(t, err, conf) {
			assert.Contains(t, err.Error(), c.want, conf)
			assert.Contains(t, err.Error(), "t.toml:", "errors name the file and line")
		}
	}
}

func TestAuthMerging(t *testing.T) {
	s, _ := newServer(t, `
[[Location]]
Path = "/a"
`+basic+`Require = ["valid-user"]

[[Location]]
Path = "/a/and"
AuthMerging = "And"
Require = ["user bob"]

[[Location]]
Path = "/a/or"
AuthMerging = "Or"
Require = ["ip 10.0.0.0/8"]

[[Location]]
Path = "/a/off"
Require = ["user bob"]

[[Location]]
Path = "/a/inherit"
AuthName = "Other"
`)
	for _, c := range []struct {
		req  authtest.Req
		want pipeline.Result
	}{
		{authtest.Req{URI: "/a/and/x", User: "alice", Password: "alice-pw"}, 401},
		{authtest.Req{URI: "/a/and/x", User: "bob", Password: "bob-pw"}, pipeline.OK},
		{authtest.Req{URI: "/a/or/x", From: "10.9.9.9"}, pipeline.OK},
		{authtest.Req{URI: "/a/or/x", User: "alice", Password: "alice-pw"}, pipeline.OK},
		{authtest.Req{URI: "/a/or/x"}, 401},
		{authtest.Req{URI: "/a/off/x", User: "alice", Password: "alice-pw"}, 401},
		{authtest.Req{URI: "/a/inherit/x", User: "alice", Password: "alice-pw"}, pipeline.OK},
		{authtest.Req{URI: "/a/inherit/x"}, 401},
	} {
		got, r := s.Do(c.req)
		assert.Equal(t, c.want, got, "%+v", c.req)
		if c.req.URI == "/a/inherit/x" && got == 401 {
			assert.Equal(t, `Basic realm="Other"`, r.ErrHeadersOut.Get("WWW-Authenticate"))
		}
	}
	assert.Equal(t, "<RequireAll> (AuthMerging)(<RequireAny>(Require valid-user); <RequireAny>(Require user bob))",
		authz_core.ConfigOf(s.Gen.Main.LocationWalk(s.Gen.Main.DirDefaults, "/a/and/x")).Rules())
}

func TestEnvAndMethodProviders(t *testing.T) {
	p, mod, ok := auth.LookupAuthzProvider("env")
	require.True(t, ok)
	assert.Equal(t, "authz_core", mod)
	check, err := p.ParseRequire([]string{"A", "B"})
	require.NoError(t, err)
	r := &pipeline.Request{}
	assert.Equal(t, auth.AuthzDenied, check(r))
	r.SubprocessEnv.Set("B", "")
	assert.Equal(t, auth.AuthzGranted, check(r), "set, even empty, counts")

	p, _, _ = auth.LookupAuthzProvider("method")
	check, err = p.ParseRequire([]string{"GET", "PUT"})
	require.NoError(t, err)
	for m, want := range map[string]auth.AuthzStatus{"GET": auth.AuthzGranted, "HEAD": auth.AuthzGranted, "PUT": auth.AuthzGranted, "POST": auth.AuthzDenied, "get": auth.AuthzDenied} {
		assert.Equal(t, want, check(&pipeline.Request{Method: m}), m)
	}
}

func TestSomeAuthRequired(t *testing.T) {
	s, _ := newServer(t, `
[[Location]]
Path = "/r"
Require = ["all granted"]
`)
	fn, ok, err := pipeline.RetrieveOptional[func(*pipeline.Request) bool](s.Gen.Hooks.Optional, pipeline.OptSomeAuthRequired)
	require.NoError(t, err)
	require.True(t, ok)
	_, r := s.Do(authtest.Req{URI: "/r/x"})
	assert.True(t, fn(r))
	_, r = s.Do(authtest.Req{URI: "/elsewhere"})
	assert.False(t, fn(r))
}

func BenchmarkRequireAllGranted(b *testing.B) {
	s := authtest.New(b, "[[Location]]\nPath = \"/\"\nRequire = [\"all granted\", \"ip 10.0.0.0/8\"]\n")
	b.ReportAllocs()
	for b.Loop() {
		s.Do(authtest.Req{URI: "/x"})
	}
}
