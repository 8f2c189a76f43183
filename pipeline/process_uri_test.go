package pipeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestTargetPath pins r->uri as Apache 2.4.71's ap_parse_uri makes it,
// checked against the real server: "OPTIONS *" and "OPTIONS ?x" are both
// answered as the server-wide OPTIONS; "GET ?x" serves "/"; CONNECT's
// authority-form maps to "/" (and is refused 405 by the file handler).
func TestTargetPath(t *testing.T) {
	tests := []struct {
		method, target, want string
	}{
		{"GET", "/a/b?x=1", "/a/b"},
		{"GET", "//a", "//a"},
		{"GET", "?x", "/"},
		{"GET", "", "/"},
		{"GET", "http://h/p?q", "/p"},
		{"GET", "http://h", "/"},
		{"GET", "http://h?q", "/"},
		{"GET", "foo", "foo"}, // refused by the parser; logged as Apache's r->uri
		{"OPTIONS", "*", "*"},
		{"OPTIONS", "?x", "*"},
		{"OPTIONS", "http://h", "*"},
		{"OPTIONS", "/", "/"},
		{"CONNECT", "localhost:443", "/"},
		{"CONNECT", "[::1]:443", "/"},
		{"CONNECT", "/x", "/x"},
	}
	for _, tt := range tests {
		r := &Request{Method: tt.method, MethodNumber: MethodNumber(tt.method)}
		r.SetURI(tt.target)
		assert.Equal(t, tt.want, r.TargetPath(), "%s %s", tt.method, tt.target)
	}
}

// TestNormalizePathRules pins the normalisation rules, the empty path
// (a target without one) included.
func TestNormalizePathRules(t *testing.T) {
	tests := []struct {
		raw, want string
		st        Result
	}{
		{"", "/", OK},
		{"/", "/", OK},
		{"/a//b/./c/../d", "/a/b/d", OK},
		{"/%2e%2e/x", "", 400},
		{"/a/%2E%2E/b", "/b", OK},
		{"/a%2fb", "", 404},
		{"/a%00", "", 404},
		{"/a%zz", "", 400},
		{"/caf%C3%A9", "/caf\u00e9", OK},
		{"/a/..", "/", OK},
		{"/a/.", "/a/", OK},
		{"*", "", 400},
		{"foo", "", 400},
	}
	for _, tt := range tests {
		got, st := NormalizePath(tt.raw)
		assert.Equal(t, tt.st, st, "%q", tt.raw)
		assert.Equal(t, tt.want, got, "%q", tt.raw)
	}
}
