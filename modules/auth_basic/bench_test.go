package auth_basic_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"gohttpd/modules/auth/authtest"
	_ "gohttpd/modules/auth_basic"
	_ "gohttpd/modules/authn_core"
	_ "gohttpd/modules/authn_file"
	_ "gohttpd/modules/authz_core"
	_ "gohttpd/modules/authz_user"
	"gohttpd/pipeline"
)

// BenchmarkBcryptLogin runs the access phases for a bcrypt user (cost 5,
// htpasswd -B's default) with the right password, a wrong one, and an
// unknown user: the three must cost the same (compare the medians of
// -count=10 runs).
func BenchmarkBcryptLogin(b *testing.B) {
	dir := b.TempDir()
	require.NoError(b, os.WriteFile(filepath.Join(dir, "htpasswd"), []byte(
		"alice:$2y$05$ts5MdSr5sSBR/C4SttGOze915NarYpC1WRnRgIH7OBc.UKVHNqiIO\n"+
			"bob:$apr1$MpIolb.p$SRPO/LDAqmCk/HkP./iwq/\n"), 0o644))
	s := authtest.NewIn(b, dir, `
[[Location]]
Path = "/p"
AuthType = "Basic"
AuthName = "P"
AuthUserFile = "htpasswd"
Require = ["valid-user"]
`, nil)
	for _, c := range []struct {
		name, user, pw string
		want           pipeline.Result
	}{
		{"good", "alice", "alice-pw", pipeline.OK},
		{"badpassword", "alice", "alice-pX", 401},
		{"unknownuser", "mallory", "alice-pw", 401},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if st, _ := s.Do(authtest.Req{URI: "/p/x", User: c.user, Password: c.pw}); st != c.want {
					b.Fatalf("got %v, want %v", st, c.want)
				}
			}
		})
	}
}
