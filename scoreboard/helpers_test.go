package scoreboard

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// newScoreboard creates a scoreboard closed when the test ends.
func newScoreboard(t testing.TB, serverLimit, threadLimit int) *Scoreboard {
	t.Helper()
	sb, err := Create(serverLimit, threadLimit)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sb.Close()) })
	return sb
}
