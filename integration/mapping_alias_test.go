package integration

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mappingAliasConf = mappingBaseConf + `
Alias      = ["/static/ {ROOT}/static/", "/one {ROOT}/static/one.txt"]
AliasMatch = ['^/img/(\w+)\.png$ {ROOT}/static/$1.txt']
Redirect   = ["/moved/ /static/", "permanent /away http://example.com/away"]
UserDir    = ["{ROOT}/users/*/www"]

[[Location]]
Path  = "/whole"
Alias = "{ROOT}/static/one.txt"

[[Directory]]
Path     = "{ROOT}/htdocs/legacy"
Redirect = "/legacy/ http://example.com/new/"

[[VirtualHost]]
Address    = "127.0.0.1:{PORT}"
ServerName = "fixture.test"
UserDir    = "disabled carl"

[[VirtualHost]]
Address    = "127.0.0.1:{PORT}"
ServerName = "vhost.test"
Alias      = ["/static/ {ROOT}/vstatic/"]
Redirect   = ["/vonly http://example.com/vonly"]
`

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
}

func TestAliasAndRedirectOnRealFiles(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, mappingAliasConf)
	writeFiles(t, dir, map[string]string{
		"static/one.txt":         "one\n",
		"static/two.txt":         "two\n",
		"static/sub dir/x.txt":   "spaced\n",
		"vstatic/one.txt":        "vhost one\n",
		"htdocs/legacy/page":     "never served\n",
		"users/bob/www/home.txt": "bob\n",
		"users/carl/www/c.txt":   "carl\n",
	})
	s := start(t, dir, port)
	base := "http://" + s.addr()
	c := httpClient(false)

	for _, tc := range []struct {
		path, host string
		status     int
		body       string
		location   string
	}{
		{"/static/one.txt", "fixture.test", 200, "one\n", ""},
		{"/static/sub%20dir/x.txt", "fixture.test", 200, "spaced\n", ""},
		{"/static", "fixture.test", 404, "", ""},
		{"/one", "fixture.test", 200, "one\n", ""},
		{"/one/more", "fixture.test", 404, "", ""},
		{"/onex", "fixture.test", 404, "", ""},
		{"/img/two.png", "fixture.test", 200, "two\n", ""},
		{"/img/no.png", "fixture.test", 404, "", ""},
		{"/whole/anything/at/all", "fixture.test", 200, "one\n", ""},
		{"/moved/two.txt?x=1", "fixture.test:8080", 302, "", "http://fixture.test:8080/static/two.txt?x=1"},
		{"/away/a%20b", "fixture.test", 301, "", "http://example.com/away/a%20b"},
		{"/legacy/page?q", "fixture.test", 302, "", "http://example.com/new/page?q"},
		{"/static/one.txt", "vhost.test", 200, "vhost one\n", ""},
		{"/one", "vhost.test", 200, "one\n", ""},
		{"/vonly", "vhost.test", 302, "", "http://example.com/vonly"},
		{"/vonly", "fixture.test", 404, "", ""},
		{"/~bob/home.txt", "fixture.test", 200, "bob\n", ""},
		{"/~carl/c.txt", "fixture.test", 404, "", ""},
		// As in Apache, a virtual host inherits the directories but not
		// the user lists.
		{"/~carl/c.txt", "vhost.test", 200, "carl\n", ""},
		{"/~bob/home.txt", "vhost.test", 200, "bob\n", ""},
		{"/~root/x", "fixture.test", 404, "", ""},
	} {
		resp, body := fetch(t, c, "GET", base+tc.path, nil, "Host", tc.host)
		assert.Equal(t, tc.status, resp.StatusCode, "%s %s", tc.host, tc.path)
		if tc.body != "" {
			assert.Equal(t, tc.body, string(body), "%s %s", tc.host, tc.path)
		}
		assert.Equal(t, tc.location, resp.Header.Get("Location"), "%s %s", tc.host, tc.path)
	}
}

// passwdUserWithFile finds a user other than root whose home directory
// holds a regular file everyone may read, from the passwd database.
func passwdUserWithFile(t *testing.T) (user, file string, size int64) {
	t.Helper()
	f, err := os.Open("/etc/passwd")
	if err != nil {
		t.Skip("no /etc/passwd")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan() && n < 1000; n++ {
		fields := strings.Split(sc.Text(), ":")
		if len(fields) < 7 || fields[0] == "root" || !strings.HasPrefix(fields[5], "/") || fields[5] == "/" {
			continue
		}
		home := fields[5]
		fi, err := os.Stat(home)
		if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o005 != 0o005 {
			continue
		}
		entries, err := os.ReadDir(home)
		if err != nil {
			continue
		}
		for i, e := range entries {
			if i > 200 {
				break
			}
			info, err := e.Info()
			if err == nil && info.Mode().IsRegular() && info.Mode().Perm()&0o004 != 0 && !strings.ContainsAny(e.Name(), "%?# ") {
				return fields[0], e.Name(), info.Size()
			}
		}
	}
	t.Skip("no passwd user has a world-readable file in a world-readable home directory")
	return "", "", 0
}

// TestUserDirFromPasswd maps /~user/ through the passwd database: with
// "UserDir ." a user's home directory itself is published.
func TestUserDirFromPasswd(t *testing.T) {
	requireRoot(t)
	user, file, size := passwdUserWithFile(t)
	dir, port := site(t, mappingBaseConf+`
UserDir = ["public_html_missing .", "enabled"]
`)
	s := start(t, dir, port)
	c := httpClient(false)
	resp, body := fetch(t, c, "GET", "http://"+s.addr()+"/~"+user+"/"+file, nil)
	assert.Equal(t, 200, resp.StatusCode, "/~%s/%s", user, file)
	assert.Equal(t, size, int64(len(body)))
	resp, _ = fetch(t, c, "GET", "http://"+s.addr()+"/~root/", nil)
	assert.Equal(t, 404, resp.StatusCode, "root stays disabled unless enabled by name")
	resp, _ = fetch(t, c, "GET", "http://"+s.addr()+"/~no-such-user-here/", nil)
	assert.Equal(t, 404, resp.StatusCode)
}
