package authn_file

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/modules/auth"
	"gohttpd/modules/auth/authtest"
	_ "gohttpd/modules/auth_basic"
	_ "gohttpd/modules/authn_core"
	_ "gohttpd/modules/authz_core"
	_ "gohttpd/modules/authz_user"
	"gohttpd/pipeline"
)

const (
	aliceBcrypt = "$2y$05$ts5MdSr5sSBR/C4SttGOze915NarYpC1WRnRgIH7OBc.UKVHNqiIO" // alice-pw
	bobAPR1     = "$apr1$MpIolb.p$SRPO/LDAqmCk/HkP./iwq/"                        // bob-pw
	erinSHA     = "{SHA}rLDVZ5UFfmq7zJVTNNCq+uETNl0="                            // erin-pw
)

func TestParseUserFile(t *testing.T) {
	uf, err := parseUserFile([]byte("# comment\n\n  bob:" + bobAPR1 + ":extra field\nerin:" + erinSHA +
		"\nalice:" + aliceBcrypt + "\nbob:{SHA}second-entry-ignored\r\nnocolon\n"))
	require.NoError(t, err)
	assert.Equal(t, bobAPR1, uf.hashes["bob"], "first entry wins; fields after the hash are ignored")
	assert.Equal(t, aliceBcrypt, uf.standIn, "unknown users are checked against the most expensive hash")
	assert.Equal(t, "", uf.hashes["nocolon"])

	ok, found := uf.check("bob", "bob-pw")
	assert.True(t, ok && found)
	ok, found = uf.check("bob", "nope")
	assert.True(t, !ok && found)
	ok, found = uf.check("mallory", "alice-pw")
	assert.True(t, !ok && !found, "the stand-in hash never admits anyone")
	ok, _ = uf.check("nocolon", "")
	assert.False(t, ok)
}

func site(t *testing.T, users string) (*authtest.Server, string) {
	dir := t.TempDir()
	path := filepath.Join(dir, "htpasswd")
	require.NoError(t, os.WriteFile(path, []byte(users), 0o644))
	return authtest.NewIn(t, dir, `
[[Location]]
Path = "/p"
AuthType = "Basic"
AuthName = "P"
AuthUserFile = "htpasswd"
Require = ["valid-user"]
`, nil), path
}

func TestFileChangesAreSeen(t *testing.T) {
	s, path := site(t, "bob:"+bobAPR1+"\n")
	st, _ := s.Do(authtest.Req{URI: "/p/", User: "erin", Password: "erin-pw"})
	assert.Equal(t, pipeline.Result(401), st)
	require.NoError(t, os.WriteFile(path, []byte("bob:"+bobAPR1+"\nerin:"+erinSHA+"\n"), 0o644))
	st, _ = s.Do(authtest.Req{URI: "/p/", User: "erin", Password: "erin-pw"})
	assert.Equal(t, pipeline.OK, st, "the edited file is read again")

	require.NoError(t, os.Remove(path))
	st, _ = s.Do(authtest.Req{URI: "/p/", User: "erin", Password: "erin-pw"})
	assert.Equal(t, pipeline.Result(500), st, "a missing file answers 500, not the old contents")
	st, _ = s.Do(authtest.Req{URI: "/p/"})
	assert.Equal(t, pipeline.Result(401), st, "without credentials the file is not needed (as Apache)")
}

func TestSubRequestReusesTheCheck(t *testing.T) {
	s, _ := site(t, "alice:"+aliceBcrypt+"\n")
	st, r := s.Do(authtest.Req{URI: "/p/", User: "alice", Password: "alice-pw"})
	require.Equal(t, pipeline.OK, st)
	m, ok := r.Values[memoKey{}].(*memo)
	require.True(t, ok)
	assert.Equal(t, auth.AuthGranted, m.status)

	sub := &pipeline.Request{Main: r, Conn: r.Conn, Server: r.Server, PerDir: r.PerDir}
	m.status = auth.AuthDenied // prove the sub-request reads the memo
	assert.Equal(t, auth.AuthDenied, checkPassword(sub, "alice", "alice-pw"))
	assert.Equal(t, auth.AuthDenied, checkPassword(sub, "alice", "wrong"), "another password is checked afresh")
}
