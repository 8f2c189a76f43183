package access_compat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/pipeline"
)

func TestMatchers(t *testing.T) {
	req := func(addr string) *pipeline.Request {
		return &pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: addr}}
	}
	for _, c := range []struct {
		spec, addr string
		want       bool
	}{
		{"all", "192.0.2.1", true},
		{"10.1", "10.1.200.3", true},
		{"10.1", "10.2.0.1", false},
		{"10.0.0.0/255.0.0.0", "10.9.9.9", true},
		{"2001:db8::/32", "2001:db8::1", true},
		{"127.0.0.1", "::ffff:127.0.0.1", true},
		{"localhost", "127.0.0.1", true},
		{"example.invalid", "127.0.0.1", false},
	} {
		m, err := parseMatcher(c.spec)
		require.NoError(t, err, c.spec)
		assert.Equal(t, c.want, m.match(req(c.addr)), "%s vs %s", c.spec, c.addr)
	}
	m, err := parseMatcher("env=!NOPE")
	require.NoError(t, err)
	r := req("192.0.2.1")
	assert.True(t, m.match(r))
	r.SubprocessEnv.Set("NOPE", "1")
	assert.False(t, m.match(r))
	for _, bad := range []string{"10.1.2.300", "1.2.3.4/99", "env=", "::zz"} {
		_, err := parseMatcher(bad)
		assert.Error(t, err, bad)
	}
}

func TestMergeReplacesWholeRecord(t *testing.T) {
	base := &DirConfig{denys: []matcher{{all: true}}, satisfy: 1}
	assert.Same(t, base, mergeDirConfig(base, &DirConfig{}), "a section without the module's directives inherits")
	add := &DirConfig{allows: []matcher{{all: true}}}
	got := mergeDirConfig(base, add).(*DirConfig)
	assert.Nil(t, got.denys, "Apache drops the parent's Deny lines (recorded against 2.4.71)")
	assert.Equal(t, 0, got.satisfy)
}
