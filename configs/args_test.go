package configs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSplitArgs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{``, nil},
		{`   `, nil},
		{`one`, []string{"one"}},
		{"  a \t b\n c  ", []string{"a", "b", "c"}},
		{`always set X-Frame-Options "DENY"`, []string{"always", "set", "X-Frame-Options", "DENY"}},
		{`/icons/ /usr/share/icons/`, []string{"/icons/", "/usr/share/icons/"}},
		{`logs/access.log combined`, []string{"logs/access.log", "combined"}},
		{`"%h %l %u %t \"%r\" %>s %b" common`, []string{`%h %l %u %t "%r" %>s %b`, "common"}},
		{`'it''s'`, []string{"it", "s"}},
		{`'a \'b\' c'`, []string{"a 'b' c"}},
		{`'a \"b\" c'`, []string{`a \"b\" c`}},
		{`"a 'b' c"`, []string{"a 'b' c"}},
		{`"back\\slash"`, []string{`back\slash`}},
		{`"keep \n and \d"`, []string{`keep \n and \d`}},
		{`C:\\dir`, []string{`C:\dir`}},
		{`a\ b`, []string{`a\`, "b"}},
		{`a"b c"`, []string{`a"b`, `c"`}},
		{`"a"b`, []string{"a", "b"}},
		{`"" x`, []string{"", "x"}},
		{`''`, []string{""}},
		{`"ends with backslash\\"`, []string{`ends with backslash\`}},
		{`"héllo wörld" ü`, []string{"héllo wörld", "ü"}},
		{"a\vb\fc\rd", []string{"a", "b", "c", "d"}},
	}
	for _, tt := range tests {
		got, err := SplitArgs(tt.in)
		require.NoError(t, err, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestSplitArgsUnterminated(t *testing.T) {
	for _, in := range []string{`"abc`, `a 'b c`, `"x\"`, `'`, `"a" "`} {
		_, err := SplitArgs(in)
		require.Error(t, err, "%q", in)
		assert.ErrorIs(t, err, ErrUnterminatedQuote, "%q", in)
	}
}

func BenchmarkSplitArgs(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SplitArgs(`always set X-Frame-Options "DENY" env=!no_frame`); err != nil {
			b.Fatal(err)
		}
	}
}
