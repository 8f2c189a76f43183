package integration

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
)

// The Require table: each scenario is one directory (and maybe a
// subdirectory) with authorization settings, written once and rendered
// both as Apache httpd.conf and as gohttpd TOML. Its answers were recorded
// from Debian's Apache 2.4 (testdata/auth/apache_answers.json; re-record
// with GOHTTPD_RECORD_APACHE=1 go test -run TestAuthTableApache ./integration/)
// and gohttpd must give the same ones.

// authBlock is a RequireAll/RequireAny/RequireNone container.
type authBlock struct {
	kind    string
	require []string
	kids    []authBlock
}

// authSection is the scenario's directory (sub "") or a subdirectory.
type authSection struct {
	sub    string
	lines  [][2]string // directive, arguments in Apache syntax
	blocks []authBlock
}

type authRequest struct {
	path   string // below the scenario's directory
	from   string // client source address; "" is 127.0.0.1
	cred   string // "user:password" sent as Basic, or "raw:<header value>"
	method string // "" is GET
}

type authScenario struct {
	name     string
	sections []authSection
	requests []authRequest
}

// authAnswer is what a server answered one request.
type authAnswer struct {
	Scenario        string `json:"scenario"`
	Request         string `json:"request"`
	Status          int    `json:"status"`
	WWWAuthenticate string `json:"www_authenticate,omitempty"`
}

type authFixture struct {
	Server   string       `json:"server"`
	Recorded string       `json:"recorded"`
	Answers  []authAnswer `json:"answers"`
	Body401  string       `json:"body_401"`
	Body403  string       `json:"body_403"`
}

func basicLines(realm string) [][2]string {
	return [][2]string{
		{"AuthType", "Basic"},
		{"AuthName", strconv.Quote(realm)},
		{"AuthUserFile", "{AUTH}/htpasswd"},
		{"AuthGroupFile", "{AUTH}/groups"},
	}
}

func with(base [][2]string, more ...[2]string) [][2]string {
	return append(append([][2]string(nil), base...), more...)
}

func req(path, from, cred string) authRequest { return authRequest{path: path, from: from, cred: cred} }

const two = "127.0.0.2"

var authScenarios = []authScenario{
	{name: "allgranted", sections: []authSection{{lines: [][2]string{{"Require", "all granted"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw")}},
	{name: "alldenied", sections: []authSection{{lines: with(basicLines("D"), [2]string{"Require", "all denied"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw")}},
	{name: "validuser", sections: []authSection{{lines: with(basicLines("Valid Users"), [2]string{"Require", "valid-user"})}},
		requests: []authRequest{
			req("f.txt", "", ""),
			req("f.txt", "", "alice:alice-pw"), req("f.txt", "", "alice:wrong"),
			req("f.txt", "", "bob:bob-pw"), req("f.txt", "", "bob:bob-p"),
			req("f.txt", "", "carol:carol-pw"), req("f.txt", "", "carol:x"),
			req("f.txt", "", "dave:dave-pw"), req("f.txt", "", "dave:dave-pwEXTRA"), req("f.txt", "", "dave:dave-p"),
			req("f.txt", "", "erin:erin-pw"), req("f.txt", "", "erin:"),
			req("f.txt", "", "frank:frank-pw"), req("f.txt", "", "frank:frank"),
			req("f.txt", "", "pat:pat-pw"),
			req("f.txt", "", "nobody:alice-pw"), req("f.txt", "", ":"),
			req("f.txt", "", "raw:Bearer abc"),
			req("f.txt", "", "raw:Basic !!!!"),
			req("f.txt", "", "raw:Basic "+b64("alice")),
			req("f.txt", "", "raw:Basic "+b64("alice:alice-pw")+"!garbage"),
			req("f.txt", "", "raw:Basic "+strings.TrimRight(b64("alice:alice-pw"), "=")),
			req("f.txt", "", "raw:basic    "+b64("alice:alice-pw")),
			req("f.txt", "", "raw:Basic"),
			req("f.txt", "", "raw:Basic "+b64("alice:alice-pw\x00junk")),
			req("f.txt", "", "raw:Basic "+b64(strings.Repeat("u", 6000)+":pw")),
			req("f.txt", "", "raw:Basic "+b64(strings.Repeat("v", 7000)+":pw")), // over LimitRequestFieldSize
		}},
	{name: "userlist", sections: []authSection{{lines: with(basicLines("Users"), [2]string{"Require", "user alice frank"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw"), req("f.txt", "", "bob:bob-pw"), req("f.txt", "", "frank:frank-pw")}},
	{name: "group", sections: []authSection{{lines: with(basicLines("Staff"), [2]string{"Require", "group staff"})}},
		requests: []authRequest{req("f.txt", "", "bob:bob-pw"), req("f.txt", "", "frank:frank-pw"), req("f.txt", "", "alice:alice-pw"), req("f.txt", "", "")}},
	{name: "forbiddenonfail", sections: []authSection{{lines: with(basicLines("F"), [2]string{"Require", "user alice"}, [2]string{"AuthzSendForbiddenOnFailure", "On"})}},
		requests: []authRequest{req("f.txt", "", "bob:bob-pw"), req("f.txt", "", "bob:wrong"), req("f.txt", "", "alice:alice-pw")}},
	{name: "allnotuser", sections: []authSection{{lines: basicLines("N"),
		blocks: []authBlock{{kind: "RequireAll", require: []string{"valid-user", "not user bob"}}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw"), req("f.txt", "", "bob:bob-pw")}},
	{name: "anyipuser", sections: []authSection{{lines: basicLines("Any"),
		blocks: []authBlock{{kind: "RequireAny", require: []string{"ip 127.0.0.1", "valid-user"}}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, ""), req("f.txt", two, "alice:alice-pw"), req("f.txt", two, "alice:bad")}},
	{name: "allipuser", sections: []authSection{{lines: basicLines("All"),
		blocks: []authBlock{{kind: "RequireAll", require: []string{"ip 127.0.0.1", "valid-user"}}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw"), req("f.txt", two, ""), req("f.txt", two, "alice:alice-pw")}},
	{name: "toplevelany", sections: []authSection{{lines: with(basicLines("Top"), [2]string{"Require", "ip 127.0.0.1"}, [2]string{"Require", "user bob"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, ""), req("f.txt", two, "bob:bob-pw"), req("f.txt", two, "alice:alice-pw")}},
	{name: "none", sections: []authSection{{lines: basicLines("None"),
		blocks: []authBlock{{kind: "RequireAll", require: []string{"all granted"}, kids: []authBlock{{kind: "RequireNone", require: []string{"ip 127.0.0.2", "user bob"}}}}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, ""), req("f.txt", "", "bob:bob-pw")}},
	{name: "nested", sections: []authSection{{lines: basicLines("Nested"),
		blocks: []authBlock{{kind: "RequireAny", kids: []authBlock{
			{kind: "RequireAll", require: []string{"ip 127.0.0.1", "user alice"}},
			{kind: "RequireAll", require: []string{"ip 127.0.0.2", "group staff"}},
		}}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw"), req("f.txt", "", "bob:bob-pw"),
			req("f.txt", two, "bob:bob-pw"), req("f.txt", two, "alice:alice-pw"), req("f.txt", two, "")}},
	{name: "notip", sections: []authSection{{lines: basicLines("NotIP"),
		blocks: []authBlock{{kind: "RequireAll", require: []string{"valid-user", "not ip 127.0.0.2"}}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw"), req("f.txt", two, ""), req("f.txt", two, "alice:alice-pw")}},
	{name: "satisfyany", sections: []authSection{{lines: with(basicLines("Legacy"),
		[2]string{"Order", "deny,allow"}, [2]string{"Deny", "from all"}, [2]string{"Allow", "from 127.0.0.1"},
		[2]string{"Satisfy", "Any"}, [2]string{"Require", "valid-user"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, ""), req("f.txt", two, "alice:alice-pw"), req("f.txt", two, "alice:bad")}},
	{name: "satisfyall", sections: []authSection{{lines: with(basicLines("Legacy"),
		[2]string{"Order", "deny,allow"}, [2]string{"Deny", "from all"}, [2]string{"Allow", "from 127.0.0.1"},
		[2]string{"Satisfy", "All"}, [2]string{"Require", "valid-user"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw"), req("f.txt", two, ""), req("f.txt", two, "alice:alice-pw")}},
	{name: "satisfyanynoallow", sections: []authSection{{lines: with(basicLines("Quirk"), [2]string{"Satisfy", "Any"}, [2]string{"Require", "valid-user"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:bad")}},
	{name: "satisfyanyip", sections: []authSection{{lines: with(basicLines("AnyIP"),
		[2]string{"Order", "allow,deny"}, [2]string{"Allow", "from 127.0.0.1"},
		[2]string{"Satisfy", "Any"}, [2]string{"Require", "ip 127.0.0.3"}, [2]string{"Require", "valid-user"})}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, ""), req("f.txt", two, "bob:bob-pw"), req("f.txt", "127.0.0.3", "")}},
	{name: "orderallowdeny", sections: []authSection{{lines: [][2]string{
		{"Order", "Allow,Deny"}, {"Allow", "from all"}, {"Deny", "from 127.0.0.2"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, "")}},
	{name: "mutualfailure", sections: []authSection{{lines: [][2]string{
		{"Order", "Mutual-failure"}, {"Allow", "from 127.0.0"}, {"Deny", "from 127.0.0.2/32"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, "")}},
	{name: "compatmerge", sections: []authSection{
		{lines: [][2]string{{"Order", "Deny,Allow"}, {"Deny", "from 127.0.0.2"}}},
		{sub: "sub", lines: [][2]string{{"Allow", "from 127.0.0.3"}}},
		{sub: "sat", lines: [][2]string{{"Satisfy", "Any"}}},
	},
		requests: []authRequest{req("f.txt", two, ""), req("sub/f.txt", two, ""), req("sub/f.txt", "", ""), req("sat/f.txt", two, "")}},
	{name: "mergeand", sections: []authSection{
		{lines: with(basicLines("Merge"), [2]string{"Require", "valid-user"})},
		{sub: "sub", lines: [][2]string{{"AuthMerging", "And"}, {"Require", "user bob"}}},
	},
		requests: []authRequest{req("sub/f.txt", "", "alice:alice-pw"), req("sub/f.txt", "", "bob:bob-pw"), req("f.txt", "", "alice:alice-pw")}},
	{name: "mergeor", sections: []authSection{
		{lines: with(basicLines("Merge"), [2]string{"Require", "ip 127.0.0.2"})},
		{sub: "sub", lines: [][2]string{{"AuthMerging", "Or"}, {"Require", "valid-user"}}},
	},
		requests: []authRequest{req("sub/f.txt", two, ""), req("sub/f.txt", "", ""), req("sub/f.txt", "", "carol:carol-pw"), req("f.txt", "", "carol:carol-pw")}},
	{name: "mergeoff", sections: []authSection{
		{lines: with(basicLines("Merge"), [2]string{"Require", "all denied"})},
		{sub: "open", lines: [][2]string{{"Require", "all granted"}}},
		{sub: "inherit", lines: [][2]string{{"AuthName", `"Other"`}}},
	},
		requests: []authRequest{req("open/f.txt", "", ""), req("inherit/f.txt", "", ""), req("f.txt", "", "")}},
	{name: "method", sections: []authSection{{lines: [][2]string{{"Require", "method GET"}}}},
		requests: []authRequest{{path: "f.txt"}, {path: "f.txt", method: "HEAD"}, {path: "f.txt", method: "POST"}}},
	{name: "local", sections: []authSection{{lines: [][2]string{{"Require", "local"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, "")}},
	{name: "host", sections: []authSection{{lines: [][2]string{{"Require", "host localhost"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", two, "")}},
	{name: "noauthname", sections: []authSection{{lines: [][2]string{{"AuthType", "Basic"}, {"AuthUserFile", "{AUTH}/htpasswd"}, {"Require", "valid-user"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw")}},
	{name: "noauthtype", sections: []authSection{{lines: [][2]string{{"Require", "valid-user"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw")}},
	{name: "authtypenorequire", sections: []authSection{{lines: basicLines("NoRequire")}},
		requests: []authRequest{req("f.txt", "", "")}},
	{name: "missingfile", sections: []authSection{{lines: [][2]string{{"AuthType", "Basic"}, {"AuthName", "Missing"},
		{"AuthUserFile", "{AUTH}/does-not-exist"}, {"Require", "valid-user"}}}},
		requests: []authRequest{req("f.txt", "", ""), req("f.txt", "", "alice:alice-pw")}},
	{name: "groupnofile", sections: []authSection{{lines: [][2]string{{"AuthType", "Basic"}, {"AuthName", "G"},
		{"AuthUserFile", "{AUTH}/htpasswd"}, {"Require", "group staff"}}}},
		requests: []authRequest{req("f.txt", "", "bob:bob-pw")}},
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func (q authRequest) String() string {
	s := q.method
	if s == "" {
		s = "GET"
	}
	s += " " + q.path
	if q.from != "" {
		s += " from " + q.from
	}
	if q.cred != "" {
		c := q.cred
		if len(c) > 60 {
			c = c[:60] + "…"
		}
		s += " cred " + c
	}
	return s
}

// apacheConf renders the scenarios as an httpd.conf body.
func apacheConf(root, authDir string) string {
	var b strings.Builder
	for _, sc := range authScenarios {
		for _, sec := range sc.sections {
			dir := filepath.Join(root, "htdocs", sc.name, sec.sub)
			fmt.Fprintf(&b, "<Directory %s>\n", dir)
			for _, l := range sec.lines {
				fmt.Fprintf(&b, "  %s %s\n", l[0], strings.ReplaceAll(l[1], "{AUTH}", authDir))
			}
			for _, bl := range sec.blocks {
				apacheBlock(&b, bl, "  ")
			}
			b.WriteString("</Directory>\n")
		}
	}
	return b.String()
}

func apacheBlock(b *strings.Builder, bl authBlock, indent string) {
	fmt.Fprintf(b, "%s<%s>\n", indent, bl.kind)
	for _, r := range bl.require {
		fmt.Fprintf(b, "%s  Require %s\n", indent, r)
	}
	for _, k := range bl.kids {
		apacheBlock(b, k, indent+"  ")
	}
	fmt.Fprintf(b, "%s</%s>\n", indent, bl.kind)
}

// listDirectives take a TOML list; the others one string.
var listDirectives = map[string]bool{"Require": true, "Allow": true, "Deny": true}

// tomlConf renders the scenarios as gohttpd TOML sections.
func tomlConf(t testing.TB, authDir string) string {
	var b strings.Builder
	for _, sc := range authScenarios {
		for _, sec := range sc.sections {
			fmt.Fprintf(&b, "\n[[Directory]]\nPath = %q\n", filepath.Join("htdocs", sc.name, sec.sub))
			lists := map[string][]string{}
			var order []string
			for _, l := range sec.lines {
				val := strings.ReplaceAll(l[1], "{AUTH}", authDir)
				if listDirectives[l[0]] {
					if lists[l[0]] == nil {
						order = append(order, l[0])
					}
					lists[l[0]] = append(lists[l[0]], val)
					continue
				}
				args, err := configs.SplitArgs(val)
				require.NoError(t, err)
				fmt.Fprintf(&b, "%s = %q\n", l[0], strings.Join(args, " "))
			}
			for _, k := range order {
				q := make([]string, len(lists[k]))
				for i, v := range lists[k] {
					q[i] = strconv.Quote(v)
				}
				fmt.Fprintf(&b, "%s = [%s]\n", k, strings.Join(q, ", "))
			}
			for _, bl := range sec.blocks {
				tomlBlock(&b, bl, "Directory")
			}
		}
	}
	return b.String()
}

func tomlBlock(b *strings.Builder, bl authBlock, parent string) {
	path := parent + "." + bl.kind
	fmt.Fprintf(b, "[[%s]]\n", path)
	if len(bl.require) > 0 {
		q := make([]string, len(bl.require))
		for i, v := range bl.require {
			q[i] = strconv.Quote(v)
		}
		fmt.Fprintf(b, "Require = [%s]\n", strings.Join(q, ", "))
	}
	for _, k := range bl.kids {
		tomlBlock(b, k, path)
	}
}

// makeAuthTree writes every scenario's files under root/htdocs and
// copies the password and group files to root/auth.
func makeAuthTree(t testing.TB, root string) string {
	t.Helper()
	for _, sc := range authScenarios {
		for _, sec := range sc.sections {
			d := filepath.Join(root, "htdocs", sc.name, sec.sub)
			require.NoError(t, os.MkdirAll(d, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(d, "f.txt"), []byte("secret content\n"), 0o644))
		}
	}
	authDir := filepath.Join(root, "auth")
	require.NoError(t, os.MkdirAll(authDir, 0o755))
	for _, f := range []string{"htpasswd", "groups"} {
		data, err := os.ReadFile(filepath.Join("testdata", "auth", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(authDir, f), data, 0o644))
	}
	return authDir
}

// askAll sends every scenario request to addr.
func askAll(t testing.TB, addr string) []authAnswer {
	var out []authAnswer
	for _, sc := range authScenarios {
		for _, q := range sc.requests {
			status, hdr, _ := authRequestTo(t, addr, "/"+sc.name+"/"+q.path, q)
			out = append(out, authAnswer{Scenario: sc.name, Request: q.String(), Status: status, WWWAuthenticate: hdr.Get("WWW-Authenticate")})
		}
	}
	return out
}

// respHeader is a response head, names canonicalised.
type respHeader map[string]string

func (h respHeader) Get(k string) string { return h[strings.ToLower(k)] }

// authRequestTo sends one request from q.from and reads the response.
func authRequestTo(t testing.TB, addr, path string, q authRequest) (int, respHeader, string) {
	t.Helper()
	from := q.from
	if from == "" {
		from = "127.0.0.1"
	}
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}
	c, err := d.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	method := q.method
	if method == "" {
		method = "GET"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n", method, path)
	if method == "POST" {
		b.WriteString("Content-Length: 0\r\n")
	}
	switch {
	case strings.HasPrefix(q.cred, "raw:"):
		fmt.Fprintf(&b, "Authorization: %s\r\n", q.cred[4:])
	case q.cred != "":
		fmt.Fprintf(&b, "Authorization: Basic %s\r\n", b64(q.cred))
	}
	b.WriteString("\r\n")
	_, err = c.Write([]byte(b.String()))
	require.NoError(t, err)
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	parts := strings.SplitN(strings.TrimSpace(line), " ", 3)
	require.GreaterOrEqual(t, len(parts), 2, line)
	status, _ := strconv.Atoi(parts[1])
	hdr := respHeader{}
	for {
		h, err := br.ReadString('\n')
		require.NoError(t, err)
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		k, v, _ := strings.Cut(h, ":")
		hdr[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	body := ""
	if method != "HEAD" {
		if n, err := strconv.Atoi(hdr.Get("Content-Length")); err == nil {
			buf := make([]byte, n)
			_, err := io.ReadFull(br, buf)
			require.NoError(t, err)
			body = string(buf)
		}
	}
	return status, hdr, body
}

const fixturePath = "testdata/auth/apache_answers.json"

// TestAuthTableApache: gohttpd answers the Require table as Apache did.
func TestAuthTableApache(t *testing.T) {
	if os.Getenv("GOHTTPD_RECORD_APACHE") != "" {
		recordApache(t)
	}
	data, err := os.ReadFile(fixturePath)
	require.NoError(t, err, "the Apache fixture is committed; record it with GOHTTPD_RECORD_APACHE=1")
	var fx authFixture
	require.NoError(t, json.Unmarshal(data, &fx))

	requireRoot(t)
	dir, port := site(t, authSiteConf)
	authDir := makeAuthTree(t, dir)
	appendConf(t, dir, tomlConf(t, authDir))
	start(t, dir, port)
	got := askAll(t, fmt.Sprintf("127.0.0.1:%d", port))
	require.Len(t, got, len(fx.Answers), "the scenario table changed since the fixture was recorded")
	for i, want := range fx.Answers {
		assert.Equal(t, want, got[i], "%s: %s (Apache %s)", want.Scenario, want.Request, fx.Server)
	}
	// The error pages have Apache's shape (the server signature aside).
	_, _, body := authRequestTo(t, fmt.Sprintf("127.0.0.1:%d", port), "/validuser/f.txt", authRequest{})
	assert.Equal(t, stripAddress(fx.Body401), stripAddress(body))
	_, _, body = authRequestTo(t, fmt.Sprintf("127.0.0.1:%d", port), "/alldenied/f.txt", authRequest{})
	assert.Equal(t, stripAddress(fx.Body403), stripAddress(body))
}

// stripAddress drops the <address> line (server signature) of an error page.
func stripAddress(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "<address>") && !strings.HasPrefix(l, "<hr>") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

const authSiteConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
DocumentRoot    = "htdocs"
User            = "nobody"
Group           = "nogroup"
PidFile         = "logs/httpd.pid"
ErrorLog        = "logs/error_log"
LogLevel        = "info"
StartServers    = 2
MinSpareServers = 1
MaxSpareServers = 3
`

func appendConf(t testing.TB, dir, more string) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "httpd.toml"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(more)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// recordApache runs Debian's Apache on a loopback port with the table's
// configuration and writes the fixture.
func recordApache(t *testing.T) {
	bin, err := exec.LookPath("apache2")
	if err != nil {
		t.Skip("recording needs Debian's apache2")
	}
	const port = 8571
	root, err := os.MkdirTemp("", "apache-auth-")
	require.NoError(t, err)
	defer os.RemoveAll(root)
	require.NoError(t, os.Chmod(root, 0o755))
	authDir := makeAuthTree(t, root)
	mods := "/usr/lib/apache2/modules/"
	conf := fmt.Sprintf(`ServerRoot %[1]s
Listen 127.0.0.1:%[2]d
ServerName localhost
PidFile %[1]s/httpd.pid
ErrorLog %[1]s/error.log
LogLevel info
DefaultRuntimeDir %[1]s
User nobody
Group nogroup
LoadModule mpm_prefork_module %[3]smod_mpm_prefork.so
LoadModule authz_core_module %[3]smod_authz_core.so
LoadModule authz_host_module %[3]smod_authz_host.so
LoadModule authz_user_module %[3]smod_authz_user.so
LoadModule authz_groupfile_module %[3]smod_authz_groupfile.so
LoadModule authn_core_module %[3]smod_authn_core.so
LoadModule authn_file_module %[3]smod_authn_file.so
LoadModule auth_basic_module %[3]smod_auth_basic.so
LoadModule access_compat_module %[3]smod_access_compat.so
DocumentRoot %[1]s/htdocs
`, root, port, mods) + apacheConf(root, authDir)
	confPath := filepath.Join(root, "httpd.conf")
	require.NoError(t, os.WriteFile(confPath, []byte(conf), 0o644))
	cmd := exec.Command(bin, "-f", confPath, "-DFOREGROUND")
	// Apache's prefork stops by signalling its whole process group: give
	// it its own, or it takes the test (and its shell) down too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	require.True(t, eventually(10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	}), "apache did not start: %s", out.String())
	version, _ := exec.Command(bin, "-v").Output()
	fx := authFixture{
		Server:   strings.TrimPrefix(strings.SplitN(string(version), "\n", 2)[0], "Server version: "),
		Recorded: time.Now().UTC().Format("2006-01-02"),
		Answers:  askAll(t, addr),
	}
	_, _, fx.Body401 = authRequestTo(t, addr, "/validuser/f.txt", authRequest{})
	_, _, fx.Body403 = authRequestTo(t, addr, "/alldenied/f.txt", authRequest{})
	data, err := json.MarshalIndent(fx, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(fixturePath, append(data, '\n'), 0o644))
	errs, _ := os.ReadFile(filepath.Join(root, "error.log"))
	t.Logf("recorded %d answers from %s; Apache's error log:\n%s", len(fx.Answers), fx.Server, errs)
}
