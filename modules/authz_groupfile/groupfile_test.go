package authz_groupfile

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

func TestParseGroups(t *testing.T) {
	g, err := parseGroups([]byte("# comment\nstaff: bob carol\n\nadmins:alice\nstaff: frank \"odd name\"\n"))
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"staff": true}, g["bob"])
	assert.Equal(t, map[string]bool{"staff": true}, g["frank"], "a group may span lines")
	assert.Equal(t, map[string]bool{"staff": true}, g["odd name"], "members are words as in httpd.conf")
	assert.Equal(t, map[string]bool{"admins": true}, g["alice"])
}

func TestRequireGroupWithoutUserOrFile(t *testing.T) {
	check, err := parseRequireGroup([]string{"staff"})
	require.NoError(t, err)
	assert.Equal(t, auth.AuthzDeniedNoUser, check(&pipeline.Request{}))
	assert.Equal(t, auth.AuthzDenied, check(&pipeline.Request{User: "bob"}), "no AuthGroupFile: denied, as Apache")
}
