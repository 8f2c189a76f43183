package configs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCommandLineDirectivesWrapTheConfiguration(t *testing.T) {
	cfg, err := ReadBytes("main.toml", []byte("Timeout = 60\n"), ReadOptions{
		ServerRoot: "/srv",
		Before:     []string{"KeepAlive Off", `Listen = ["8081", "8082"]`},
		After:      []string{`ServerName "a \"quoted\" name"`},
	})
	require.NoError(t, err)
	var keys []string
	for _, e := range cfg.Root.Entries {
		keys = append(keys, e.Key)
	}
	assert.Equal(t, []string{"KeepAlive", "Listen", "Timeout", "ServerName"}, keys)
	assert.Equal(t, "Off", cfg.Root.Entries[0].Value)
	assert.Equal(t, []any{"8081", "8082"}, cfg.Root.Entries[1].Value)
	assert.Equal(t, `"a \"quoted\" name"`, cfg.Root.Entries[3].Value)
	assert.Equal(t, "command line -C #1", cfg.Root.Entries[0].Pos.File)

	again, err := ReadSnapshot(cfg.Snapshot)
	require.NoError(t, err)
	assert.Equal(t, cfg.Root.Entries, again.Root.Entries, "children see the same -C/-c directives")
}

func TestCommandLineDirectiveErrors(t *testing.T) {
	_, err := ReadBytes("main.toml", nil, ReadOptions{After: []string{"Bad = [unclosed"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "command line -c #1")
}
