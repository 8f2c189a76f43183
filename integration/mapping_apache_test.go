package integration

import (
	"bufio"
	"fmt"
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
)

// mappingBaseConf is the process part of the mapping tests' configuration.
const mappingBaseConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
DocumentRoot    = "htdocs"
ServerName      = "fixture.test"
User            = "nobody"
Group           = "nogroup"
ErrorLog        = "logs/error_log"
StartServers    = 2
MinSpareServers = 1
MaxSpareServers = 4
ThreadsPerChild = 2
`

// mappingConf is gohttpd's side of the Apache comparison: the same rules
// as mappingApacheConf.
const mappingConf = mappingBaseConf + `
Alias = ["/al/ {ROOT}/aliased/"]
AliasMatch = ['^/am/(.*)\.text$ {ROOT}/aliased/$1.txt']
Redirect = [
  "/old http://example.com/new",
  "permanent /perm /target",
  "gone /gone",
  "seeother /so http://example.com/so?x=1",
  "307 /t7 http://example.com/t7",
]
RedirectMatch = ['301 ^/rm/(.*)\.html$ http://example.com/r/$1']
RedirectTemp = ["/rt http://example.com/rt"]
RedirectPermanent = ["/rp http://example.com/rp"]
UserDir = ["{ROOT}/users/*/www", "disabled root"]
SetEnvIf = ['Request_URI "^/env/(.*)$" ENVPATH=$1 HASENV', 'Remote_Addr "^127\." LOCALHOST=yes']
SetEnvIfNoCase = ['User-Agent "^curl" IS_CURL']
BrowserMatch = ['"^Mozilla" MOZ']
Header = [
  'set X-Env-Path "%{ENVPATH}e" env=HASENV',
  'set X-Local "%{LOCALHOST}e"',
  'always set X-Always "yes"',
  'set X-Success "yes"',
  'append X-App "a"',
  'append X-App "b"',
  'add X-Add "1"',
  'add X-Add "2"',
  'merge X-Merge "m"',
  'merge X-Merge "m"',
  'set X-Curl "curl" env=IS_CURL',
  'set X-Moz "moz" env=MOZ',
  'set X-NotCurl "notcurl" env=!IS_CURL',
  'echo ^X-Echo',
  'setifempty X-Sie "first"',
  'setifempty X-Sie "second"',
]

[[Location]]
Path = "/hdr"
Header = ['unset X-Success', 'set Content-Type "text/x-custom"', 'set X-Edit "banana"', 'edit* X-Edit "a" "b"', 'always unset X-Always']

[[Location]]
Path = "/hdr2"
Header = "unset Content-Type"

[[Location]]
Path = "/hdr3"
Header = 'setifempty Content-Type "text/sie"'

[[Directory]]
Path = "{ROOT}/htdocs/exp"
ExpiresActive = true
ExpiresDefault = "access plus 1 hour"
ExpiresByType = ["text/plain A60", 'text/css "modification plus 1 year 2 months"']

[[Location]]
Path = "/exp/redir"
Redirect = "/exp/redir http://example.com/"

[[Directory]]
Path = "{ROOT}/htdocs/w"
ExpiresActive = true
ExpiresByType = ["text/* A100", "TEXT/HTML A200"]
`

// mappingApacheConf is the Apache 2.4 configuration the fixture
// mappingApacheAnswers was recorded with (see TestRecordApacheMapping).
const mappingApacheConf = `
ServerRoot {ROOT}
Listen 127.0.0.1:{PORT}
PidFile {ROOT}/logs/httpd.pid
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule userdir_module /usr/lib/apache2/modules/mod_userdir.so
LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so
LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so
LoadModule expires_module /usr/lib/apache2/modules/mod_expires.so
User nobody
Group nogroup
ServerName fixture.test
DocumentRoot {ROOT}/htdocs
ErrorLog {ROOT}/logs/error_log
TypesConfig /etc/mime.types
<Directory />
  Require all granted
</Directory>
Alias /al/ {ROOT}/aliased/
AliasMatch ^/am/(.*)\.text$ {ROOT}/aliased/$1.txt
Redirect /old http://example.com/new
Redirect permanent /perm /target
Redirect gone /gone
Redirect seeother /so http://example.com/so?x=1
Redirect 307 /t7 http://example.com/t7
RedirectMatch 301 ^/rm/(.*)\.html$ http://example.com/r/$1
RedirectTemp /rt http://example.com/rt
RedirectPermanent /rp http://example.com/rp
UserDir {ROOT}/users/*/www
UserDir disabled root
SetEnvIf Request_URI "^/env/(.*)$" ENVPATH=$1 HASENV
SetEnvIfNoCase User-Agent "^curl" IS_CURL
BrowserMatch "^Mozilla" MOZ
SetEnvIf Remote_Addr "^127\." LOCALHOST=yes
Header set X-Env-Path "%{ENVPATH}e" env=HASENV
Header set X-Local "%{LOCALHOST}e"
Header always set X-Always "yes"
Header set X-Success "yes"
Header append X-App "a"
Header append X-App "b"
Header add X-Add "1"
Header add X-Add "2"
Header merge X-Merge "m"
Header merge X-Merge "m"
Header set X-Curl "curl" env=IS_CURL
Header set X-Moz "moz" env=MOZ
Header set X-NotCurl "notcurl" env=!IS_CURL
Header echo ^X-Echo
Header setifempty X-Sie "first"
Header setifempty X-Sie "second"
<Location /hdr>
  Header unset X-Success
  Header set Content-Type "text/x-custom"
  Header set X-Edit "banana"
  Header edit* X-Edit "a" "b"
  Header always unset X-Always
</Location>
<Location /hdr2>
  Header unset Content-Type
</Location>
<Location /hdr3>
  Header setifempty Content-Type "text/sie"
</Location>
<Directory {ROOT}/htdocs/exp>
  ExpiresActive On
  ExpiresDefault "access plus 1 hour"
  ExpiresByType text/plain A60
  ExpiresByType text/css "modification plus 1 year 2 months"
</Directory>
<Location /exp/redir>
  Redirect /exp/redir http://example.com/
</Location>
<Directory {ROOT}/htdocs/w>
  ExpiresActive On
  ExpiresByType text/* A100
  ExpiresByType TEXT/HTML A200
</Directory>
`

// mappingTree writes the files the mapping configuration serves under dir.
func mappingTree(t testing.TB, dir string) {
	t.Helper()
	files := map[string]string{
		"htdocs/file.txt":     "plain text\n",
		"htdocs/env/foo/bar":  "bar\n",
		"htdocs/hdr/h.txt":    "h\n",
		"htdocs/hdr2/a.txt":   "x\n",
		"htdocs/hdr3/a.txt":   "x\n",
		"htdocs/exp/a.txt":    "exp text\n",
		"htdocs/exp/i.html":   "<p>x\n",
		"htdocs/exp/s.css":    "body{}\n",
		"htdocs/w/w.txt":      "w\n",
		"htdocs/w/w.html":     "w\n",
		"aliased/a.txt":       "aliased file\n",
		"users/bob/www/u.txt": "bob's page\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	old := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "htdocs/exp/s.css"), old, old))
}

// mappingRequest is one request of the Apache comparison; every request
// carries "Host: fixture.test:8080" so that absolute redirects do not
// depend on the port.
type mappingRequest struct {
	path   string
	header []string // "Name: value"
}

// mappingAnswer is what the comparison looks at in a response: the
// status, Location, Content-Type, Cache-Control, whether Expires is
// present, and every X- header in order.
type mappingAnswer struct {
	Status       int
	Location     string
	ContentType  string
	CacheControl string
	Expires      bool
	X            []string
}

var mappingRequests = []mappingRequest{
	{path: "/file.txt"},
	{path: "/al/a.txt"},
	{path: "/al"},
	{path: "/am/a.text"},
	{path: "/old/x?q=1"},
	{path: "/old"},
	{path: "/oldx"},
	{path: "/old/a%20b;c%3F$-_.+!*'(),:@&=~%22%3C%5B%25"},
	{path: "/perm/a?b=c"},
	{path: "/gone"},
	{path: "/so?y=2"},
	{path: "/t7"},
	{path: "/rm/a/b.html"},
	{path: "/rt"},
	{path: "/rp"},
	{path: "/env/foo/bar", header: []string{"User-Agent: CURL/8", "X-Echo-A: 1", "X-Echo-B: 2"}},
	{path: "/file.txt", header: []string{"User-Agent: Mozilla/5.0"}},
	{path: "/hdr/h.txt"},
	{path: "/hdr/missing"},
	{path: "/hdr2/a.txt"},
	{path: "/hdr3/a.txt"},
	{path: "/exp/a.txt"},
	{path: "/exp/i.html"},
	{path: "/exp/s.css"},
	{path: "/exp/missing"},
	{path: "/exp/redir/x"},
	{path: "/w/w.txt"},
	{path: "/w/w.html"},
	{path: "/~bob/u.txt"},
	{path: "/~root/u.txt"},
	{path: "/nothere"},
}

// askMapping sends one request to addr and reads the parts of the answer
// the comparison looks at.
func askMapping(t testing.TB, addr string, q mappingRequest) mappingAnswer {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	req := "GET " + q.path + " HTTP/1.1\r\nHost: fixture.test:8080\r\nConnection: close\r\n"
	for _, h := range q.header {
		req += h + "\r\n"
	}
	_, err = c.Write([]byte(req + "\r\n"))
	require.NoError(t, err)
	br := bufio.NewReader(c)
	line, err := br.ReadString('\n')
	require.NoError(t, err)
	f := strings.Fields(line)
	require.GreaterOrEqual(t, len(f), 2, line)
	var a mappingAnswer
	a.Status, err = strconv.Atoi(f[1])
	require.NoError(t, err)
	for i := 0; i < 100; i++ {
		h, err := br.ReadString('\n')
		require.NoError(t, err)
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		name, value, _ := strings.Cut(h, ":")
		value = strings.TrimSpace(value)
		switch {
		case strings.EqualFold(name, "Location"):
			a.Location = value
		case strings.EqualFold(name, "Content-Type"):
			a.ContentType = value
		case strings.EqualFold(name, "Cache-Control"):
			a.CacheControl = value
		case strings.EqualFold(name, "Expires"):
			a.Expires = true
		case strings.HasPrefix(strings.ToLower(name), "x-"):
			a.X = append(a.X, name+": "+value)
		}
	}
	return a
}

// mappingApacheAnswers is Apache's answer to each of mappingRequests.
// Recorded from Apache/2.4.71 (Debian) on 2026-11-23 with
// mappingApacheConf by TestRecordApacheMapping.
var mappingApacheAnswers = map[string]mappingAnswer{
	"/file.txt ":  {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/al/a.txt ":  {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/al ":        {Status: 404, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/am/a.text ": {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/old/x?q=1 ": {Status: 302, Location: "http://example.com/new/x?q=1", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/old ":       {Status: 302, Location: "http://example.com/new", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/oldx ":      {Status: 404, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/old/a%20b;c%3F$-_.+!*'(),:@&=~%22%3C%5B%25 ": {Status: 302, Location: "http://example.com/new/a%20b;c%3f$-_.+!*'(),:@&=~%22%3c%5b%25", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/perm/a?b=c ":  {Status: 301, Location: "http://fixture.test:8080/target/a?b=c", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/gone ":        {Status: 410, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/so?y=2 ":      {Status: 303, Location: "http://example.com/so?x=1", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/t7 ":          {Status: 307, Location: "http://example.com/t7", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/rm/a/b.html ": {Status: 301, Location: "http://example.com/r/a/b", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/rt ":          {Status: 302, Location: "http://example.com/rt", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/rp ":          {Status: 301, Location: "http://example.com/rp", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/env/foo/bar User-Agent: CURL/8|X-Echo-A: 1|X-Echo-B: 2": {Status: 200, Location: "", ContentType: "", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Env-Path: foo/bar", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-Curl: curl", "X-Echo-A: 1", "X-Echo-B: 2", "X-Sie: first"}},
	"/file.txt User-Agent: Mozilla/5.0":                       {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-Moz: moz", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/hdr/h.txt ":                                             {Status: 200, Location: "", ContentType: "text/x-custom", CacheControl: "", Expires: false, X: []string{"X-Local: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first", "X-Edit: bbnbnb"}},
	"/hdr/missing ":                                           {Status: 404, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string(nil)},
	"/hdr2/a.txt ":                                            {Status: 200, Location: "", ContentType: "", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/hdr3/a.txt ":                                            {Status: 200, Location: "", ContentType: "text/sie", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/exp/a.txt ":                                             {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "max-age=60", Expires: true, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/exp/i.html ":                                            {Status: 200, Location: "", ContentType: "text/html", CacheControl: "max-age=3600", Expires: true, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/exp/s.css ":                                             {Status: 200, Location: "", ContentType: "text/css", CacheControl: "max-age=0", Expires: true, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/exp/missing ":                                           {Status: 404, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/exp/redir/x ":                                           {Status: 302, Location: "http://example.com//x", ContentType: "text/html; charset=iso-8859-1", CacheControl: "max-age=3600", Expires: true, X: []string{"X-Always: yes"}},
	"/w/w.txt ":                                               {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "max-age=100", Expires: true, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/w/w.html ":                                              {Status: 200, Location: "", ContentType: "text/html", CacheControl: "max-age=200", Expires: true, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/~bob/u.txt ":                                            {Status: 200, Location: "", ContentType: "text/plain", CacheControl: "", Expires: false, X: []string{"X-Always: yes", "X-Local: yes", "X-Success: yes", "X-App: a, b", "X-Add: 1", "X-Add: 2", "X-Merge: m", "X-NotCurl: notcurl", "X-Sie: first"}},
	"/~root/u.txt ":                                           {Status: 404, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
	"/nothere ":                                               {Status: 404, Location: "", ContentType: "text/html; charset=iso-8859-1", CacheControl: "", Expires: false, X: []string{"X-Always: yes"}},
}

func mappingKey(q mappingRequest) string { return q.path + " " + strings.Join(q.header, "|") }

// TestMappingMatchesApache runs the mapping configuration and compares
// each answer with Apache's recorded one.
func TestMappingMatchesApache(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, mappingConf)
	mappingTree(t, dir)
	s := start(t, dir, port)
	for _, q := range mappingRequests {
		want, ok := mappingApacheAnswers[mappingKey(q)]
		require.True(t, ok, "no recorded answer for %q", mappingKey(q))
		assert.Equal(t, want, askMapping(t, s.addr(), q), "%s", mappingKey(q))
	}
}

// TestRecordApacheMapping prints mappingApacheAnswers from a live Apache
// when GOHTTPD_RECORD_APACHE names the apache2 binary (Debian:
// /usr/sbin/apache2); paste its output into the fixture.
func TestRecordApacheMapping(t *testing.T) {
	bin := os.Getenv("GOHTTPD_RECORD_APACHE")
	if bin == "" {
		t.Skip("set GOHTTPD_RECORD_APACHE=/usr/sbin/apache2 to record Apache's answers")
	}
	requireRoot(t)
	dir, port := site(t, "")
	mappingTree(t, dir)
	conf := strings.NewReplacer("{PORT}", strconv.Itoa(port), "{ROOT}", dir).Replace(mappingApacheConf)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "apache.conf"), []byte(conf), 0o644))
	cmd := exec.Command(bin, "-d", dir, "-f", filepath.Join(dir, "apache.conf"), "-DFOREGROUND")
	// Apache stops its children by signalling its whole process group:
	// give it its own.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A file, not a pipe: Wait must not wait for children holding it.
	out, err := os.Create(filepath.Join(dir, "logs", "apache.out"))
	require.NoError(t, err)
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	require.True(t, eventually(10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	}), "apache did not start; see %s", out.Name())
	version, _ := exec.Command(bin, "-v").Output()
	var b strings.Builder
	fmt.Fprintf(&b, "// %s", strings.SplitN(string(version), "\n", 2)[0])
	for _, q := range mappingRequests {
		a := askMapping(t, addr, q)
		fmt.Fprintf(&b, "\n\t%q: %s,", mappingKey(q), strings.TrimPrefix(fmt.Sprintf("%#v", a), "integration.mappingAnswer"))
	}
	t.Log(b.String())
}
