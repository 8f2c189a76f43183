package h1

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsTokenAndIsFieldValue(t *testing.T) {
	for s, want := range map[string]bool{"Content-Type": true, "X-a.b_c~!#$%&'*+^`|": true, "": false,
		"a b": false, "a:b": false, "a\"b": false, "a/b": false, "é": false, "a\x7f": false} {
		assert.Equal(t, want, IsToken(s), "%q", s)
	}
	for s, want := range map[string]bool{"": true, "text/html; charset=utf-8": true, "a\tb": true, "é": true,
		"a\r\nb": false, "a\x00": false, "a\x7f": false, "a\x1b": false} {
		assert.Equal(t, want, IsFieldValue(s), "%q", s)
	}
}
