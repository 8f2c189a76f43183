package main

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite README.md's directive reference")

const (
	refBegin = "<!-- directives:begin -->\n"
	refEnd   = "<!-- directives:end -->"
)

// TestREADMEDirectiveReference keeps README.md's directive reference equal
// to what the registry generates; -update rewrites it.
func TestREADMEDirectiveReference(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(readme)
	i := strings.Index(text, refBegin)
	j := strings.Index(text, refEnd)
	require.True(t, i >= 0 && j > i, "README.md lacks the directive reference markers")
	var gen bytes.Buffer
	writeReference(&gen)
	updated := text[:i+len(refBegin)] + gen.String() + text[j:]
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(updated), 0o644))
		return
	}
	require.Equal(t, updated, text, "README.md's directive reference is stale: run go test ./cmd/httpd -run TestREADME -update")
}
