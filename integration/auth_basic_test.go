package integration

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const authToolConf = authSiteConf + `
[[Directory]]
Path         = "htdocs/private"
AuthType     = "Basic"
AuthName     = "Tool made"
AuthUserFile = "auth/htpasswd"
Require      = ["valid-user"]

[[Directory]]
Path         = "htdocs/locked"
AuthType     = "Basic"
AuthName     = "Locked"
AuthUserFile = "auth/unreadable"
Require      = ["valid-user"]
`

// htpasswdTool returns the htpasswd binary, or skips the test.
func htpasswdTool(t *testing.T) string {
	bin, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skip("htpasswd is not installed (apt-get install apache2-utils): the tool-made files cannot be tested")
	}
	return bin
}

// TestAuthHtpasswdToolFiles: every hash the htpasswd tool writes logs in;
// wrong passwords, unknown users and plain text do not; a user added while
// the server runs can log in at once; an unreadable file answers 500 and
// says so in the error log.
func TestAuthHtpasswdToolFiles(t *testing.T) {
	requireRoot(t)
	tool := htpasswdTool(t)
	dir, port := site(t, authToolConf)
	for _, d := range []string{"htdocs/private", "htdocs/locked", "auth"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	for _, d := range []string{"htdocs/private", "htdocs/locked"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, d, "f.txt"), []byte("secret\n"), 0o644))
	}
	pwfile := filepath.Join(dir, "auth", "htpasswd")
	users := map[string]string{"-m": "md5", "-B": "bcrypt", "-2": "sha256", "-5": "sha512", "-d": "des", "-s": "sha1", "-p": "plain"}
	first := true
	for flag, user := range users {
		args := []string{"-b"}
		if first {
			args[0] = "-cb"
			first = false
		}
		out, err := exec.Command(tool, append(args, flag, pwfile, user, user+"-pw")...).CombinedOutput()
		require.NoError(t, err, "htpasswd %s: %s", flag, out)
	}
	require.NoError(t, os.Chmod(pwfile, 0o644))
	locked := filepath.Join(dir, "auth", "unreadable")
	require.NoError(t, os.WriteFile(locked, []byte("alice:{SHA}x\n"), 0o600)) // root's; children run as nobody

	start(t, dir, port)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ask := func(path, cred string) (int, respHeader, string) {
		return authRequestTo(t, addr, path, authRequest{cred: cred})
	}
	for _, user := range users {
		st, _, _ := ask("/private/f.txt", user+":"+user+"-pw")
		if user == "plain" {
			assert.Equal(t, 401, st, "plain text is refused on Linux, as Apache")
			continue
		}
		assert.Equal(t, 200, st, "%s hash made by htpasswd", user)
		st, hdr, body := ask("/private/f.txt", user+":"+user+"-pX")
		assert.Equal(t, 401, st, "%s with a wrong password", user)
		assert.Equal(t, `Basic realm="Tool made"`, hdr.Get("WWW-Authenticate"))
		assert.Contains(t, body, "<h1>Unauthorized</h1>")
	}
	st, _, _ := ask("/private/f.txt", "nosuchuser:x")
	assert.Equal(t, 401, st)

	out, err := exec.Command(tool, "-bB", pwfile, "late", "late-pw").CombinedOutput()
	require.NoError(t, err, "%s", out)
	st, _, _ = ask("/private/f.txt", "late:late-pw")
	assert.Equal(t, 200, st, "a user added while the server runs logs in without a restart")
	out, err = exec.Command(tool, "-D", pwfile, "md5").CombinedOutput()
	require.NoError(t, err, "%s", out)
	st, _, _ = ask("/private/f.txt", "md5:md5-pw")
	assert.Equal(t, 401, st, "a deleted user is refused at once")

	st, _, _ = ask("/locked/f.txt", "alice:x")
	assert.Equal(t, 500, st)
	assert.True(t, eventually(5*time.Second, func() bool {
		return strings.Contains(errorLog(t, dir), "AH01620: Could not open password file: "+locked)
	}), "the error log names the unreadable file:\n%s", errorLog(t, dir))
}
