package pipeline

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSharedFiles(t *testing.T) {
	g := &Generation{}
	assert.Nil(t, g.SharedFile("log"))
	a, err := os.CreateTemp(t.TempDir(), "a")
	require.NoError(t, err)
	b, err := os.CreateTemp(t.TempDir(), "b")
	require.NoError(t, err)
	g.ShareFile("zeta", a)
	g.ShareFile("alpha", b)
	assert.Same(t, a, g.SharedFile("zeta"))
	names, files := g.SharedFiles()
	assert.Equal(t, []string{"alpha", "zeta"}, names)
	assert.Equal(t, []*os.File{b, a}, files)
	g.CloseSharedFiles()
	assert.Nil(t, g.SharedFile("zeta"))
	_, err = a.Write([]byte("x"))
	assert.Error(t, err, "closed")
}
