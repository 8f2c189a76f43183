package h1

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLineAsApacheLogsIt pins Line, Method and URI of refused requests to
// what Debian's Apache 2.4.71 logged for the same bytes (%r, %m; checked
// with LogFormat "%r" on the real server).
func TestLineAsApacheLogsIt(t *testing.T) {
	long := "GET /" + strings.Repeat("a", 9000) + " HTTP/1.1"
	tests := []struct {
		raw          string
		line, method string
		uri          string
		hasLine      bool
	}{
		{"GET /file.txt HTTP/1.1\r\nHost: a\r\n\r\n", "GET /file.txt HTTP/1.1", "GET", "/file.txt", true},
		{"GARBAGE\r\n\r\n", "GARBAGE", "GARBAGE", "", true},
		{"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1", "GET", "/", true},
		{"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "GET / HTTP/1.1", "GET", "/", true},
		{"GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1", "GET", "/", true},
		{"  GET / HTTP/1.1\r\nHost: a\r\n\r\n", "GET / HTTP/1.1", "GET", "/", true},
		{"GET / HTTP/1.1\x01x\r\nHost: a\r\n\r\n", "GET / HTTP/1.1", "GET", "/", true},
		{"G\x01T /x\x02y HTTP/1.1 extra\r\nHost: a\r\n\r\n", "G\x01T /x\x02y HTTP/1.1", "G\x01T", "/x\x02y", true},
		{"GET / http/1.1\r\nHost: a\r\n\r\n", "GET / http/1.1", "GET", "/", true},
		{"GET /\r\r\n", "GET /", "GET", "/", true},
		{"HEAD *\r\n", "HEAD *", "HEAD", "*", true},
		{"GET / HTTP/1.1\nHost: a\r\n\r\n", "GET / HTTP/1.1\n", "", "", false},
		{"GET /a\x00b HTTP/1.1\r\nHost: a\r\n\r\n", "GET /a", "", "", false},
		{long + "\r\nHost: a\r\n\r\n", long[:DefaultRequestLine+1], "", "", false},
		// A refused head keeps the parsed line.
		{"GET / HTTP/1.1\r\nHost: bad host\r\n\r\n", "GET / HTTP/1.1", "GET", "/", true},
		// Only blank lines: an empty line, as Apache's "".
		{strings.Repeat("\r\n", 12), "", "", "", true},
	}
	for _, tt := range tests {
		var r Request
		err := newTestReader(tt.raw, 4096).ReadRequest(&r)
		if tt.uri == "/file.txt" {
			require.NoError(t, err)
		} else {
			require.Error(t, err, "%q", tt.raw)
		}
		assert.Equal(t, tt.line, r.Line(), "%q", tt.raw)
		assert.Equal(t, tt.method, r.Method, "%q", tt.raw)
		assert.Equal(t, tt.uri, string(r.URI), "%q", tt.raw)
		assert.Equal(t, tt.hasLine, r.HasLine(), "%q", tt.raw)
	}
}

func TestHasLineFalseForCutLines(t *testing.T) {
	for _, raw := range []string{"", "GET /par", "\r\n\r\nGET"} {
		var r Request
		err := newTestReader(raw, 4096).ReadRequest(&r)
		require.Error(t, err)
		assert.False(t, r.HasLine(), "%q", raw)
		assert.Empty(t, r.Line(), "%q", raw)
	}
}

// TestLongLinesAreConsumed pins what is read of an over-long line: all of
// it, up to its LF, as Apache's line reader does (its %I counts it), and
// nothing after it.
func TestLongLinesAreConsumed(t *testing.T) {
	for _, raw := range []string{
		"GET /" + strings.Repeat("a", 30000) + " HTTP/1.1\r\n",
		"GET / HTTP/1.1\r\nX: " + strings.Repeat("a", 9000) + "\r\n",
	} {
		const rest = "Host: a\r\n\r\n"
		br := bufio.NewReaderSize(strings.NewReader(raw+rest), 4096)
		err := NewReader(br, DefaultLimits()).ReadRequest(new(Request))
		require.Error(t, err)
		left, _ := io.ReadAll(br)
		assert.Equal(t, rest, string(left))
	}
	// A line that never ends is read until the input ends (or times out).
	br := bufio.NewReaderSize(strings.NewReader("GET /"+strings.Repeat("a", 20000)), 4096)
	err := NewReader(br, DefaultLimits()).ReadRequest(new(Request))
	assert.Equal(t, 414, StatusOf(err))
	assert.Zero(t, br.Buffered())
}

// TestLineTimeoutKeepsNoLine: a timeout inside the request line leaves
// HasLine false, inside the header section true.
func TestLineTimeoutKeepsNoLine(t *testing.T) {
	for raw, has := range map[string]bool{"GET /pa": false, "GET / HTTP/1.1\r\nHost: a": true} {
		var r Request
		br := bufio.NewReader(io.MultiReader(strings.NewReader(raw), timeoutReader{}))
		err := NewReader(br, DefaultLimits()).ReadRequest(&r)
		require.Error(t, err)
		assert.Zero(t, StatusOf(err))
		assert.Equal(t, has, r.HasLine(), "%q", raw)
	}
}

type timeoutReader struct{}

func (timeoutReader) Read([]byte) (int, error) { return 0, errTimeout{} }

type errTimeout struct{}

func (errTimeout) Error() string   { return "i/o timeout" }
func (errTimeout) Timeout() bool   { return true }
func (errTimeout) Temporary() bool { return true }
