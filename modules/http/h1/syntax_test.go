package h1

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsChunked(t *testing.T) {
	for v, want := range map[string]bool{
		"chunked": true, "Chunked": true, "gzip, chunked": true, "gzip,chunked": true,
		"gzip ,  chunked": true, "chunked, chunked": true,
		"gzip chunked": false, "gzip,\tchunked": false, "xchunked": false, "chunked, gzip": false,
		"chunked;q=1": false, "": false, "identity": false,
	} {
		assert.Equal(t, want, isChunked([]byte(v)), "%q", v)
	}
}

func TestParseLength(t *testing.T) {
	for v, want := range map[string]int64{"0": 0, "007": 7, "9223372036854775807": 1<<63 - 1} {
		n, ok := parseLength([]byte(v))
		assert.True(t, ok, v)
		assert.Equal(t, want, n, v)
	}
	for _, v := range []string{"", "-1", "+1", "1 ", "1,1", "9223372036854775808", "0x1"} {
		_, ok := parseLength([]byte(v))
		assert.False(t, ok, "%q", v)
	}
}

func TestCheckHostField(t *testing.T) {
	for _, v := range []string{"localhost", "a.example:80", "EXAMPLE.com.", "1.2.3.4", "[::1]", "[::ffff:1.2.3.4]:443", "x_y-z", "a.b-c"} {
		assert.NoError(t, checkHostField([]byte(v)), v)
	}
	for _, v := range []string{"80", ":80", "a:", "a:0", "a:65536", "a..b", "a/b", `a\b`, "a b", "a,b", "1.2.3", "01.2.3.4",
		"1.2.3.04", "a.1b", "[::1", "[1.2.3.4]", "[fe80::1%eth0]", "[::1::2]", "caf\xe9"} {
		assert.Error(t, checkHostField([]byte(v)), v)
	}
}

func TestHTTP09ErrorKeepsProtocol(t *testing.T) {
	var r Request
	err := newTestReader("GET http://a..b/\r\n", 64).ReadRequest(&r)
	require.Equal(t, 400, StatusOf(err))
	assert.True(t, r.IsHTTP09(), "answered as HTTP/0.9, as Apache does")

	err = newTestReader("HEAD /\r\n", 64).ReadRequest(&r)
	require.Equal(t, 400, StatusOf(err))
	assert.False(t, r.IsHTTP09(), "a refused request line is answered as HTTP/1.0")
	assert.Equal(t, "HTTP/1.0", r.Proto)
}
