package h1

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChunkedReader(t *testing.T) {
	raw := "5;ext=1\r\nhello\r\n1A \r\n" + strings.Repeat("x", 26) + "\r\n000\r\nA: b\r\n c\r\n\r\nNEXT"
	// One byte at a time exercises every state boundary.
	br := bufio.NewReaderSize(iotest.OneByteReader(strings.NewReader(raw)), 16)
	c := NewChunkedReader(br, DefaultLimits())
	body, err := io.ReadAll(iotest.OneByteReader(c))
	require.NoError(t, err)
	assert.Equal(t, "hello"+strings.Repeat("x", 26), string(body))
	require.Len(t, c.Trailers(), 1)
	assert.Equal(t, "b c", string(c.Trailers()[0].Value))
	rest, err := io.ReadAll(br)
	require.NoError(t, err)
	assert.Equal(t, "NEXT", string(rest), "bytes after the body stay unread")

	n, err := c.Read(make([]byte, 4))
	assert.Zero(t, n)
	assert.Equal(t, io.EOF, err)

	c.Reset(bufio.NewReader(strings.NewReader("0\r\n\r\n")), DefaultLimits())
	body, err = io.ReadAll(c)
	require.NoError(t, err)
	assert.Empty(t, body)
	assert.Empty(t, c.Trailers())
}

func TestChunkedReaderErrors(t *testing.T) {
	tests := []struct {
		raw    string
		limits Limits
		status int
	}{
		{"5\r\nhel", DefaultLimits(), 400},
		{"5\r\nhelloXX", DefaultLimits(), 400},
		{"z\r\n", DefaultLimits(), 400},
		{"10000000000000000\r\n", DefaultLimits(), 413},
		{"5;" + strings.Repeat("e", 20) + "\r\nhello\r\n0\r\n\r\n", Limits{RequestLine: 100, FieldSize: 10, Fields: 10}, 413},
		{"5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", DefaultLimits(), 400},
		{"5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\n\r\n", Limits{RequestLine: 100, FieldSize: 100, Fields: 1}, 400},
		{"3\r\nabc\r\n3\r\nabc\r\n0\r\n\r\n", Limits{RequestLine: 100, FieldSize: 100, Body: 5}, 413},
	}
	for _, tt := range tests {
		c := NewChunkedReader(bufio.NewReader(strings.NewReader(tt.raw)), tt.limits)
		_, err := io.ReadAll(c)
		assert.Equal(t, tt.status, StatusOf(err), "%q: %v", tt.raw, err)
		// The error sticks.
		_, err2 := c.Read(make([]byte, 1))
		assert.Equal(t, tt.status, StatusOf(err2))
	}
}

func TestLengthReader(t *testing.T) {
	br := bufio.NewReader(strings.NewReader("helloNEXT"))
	l := NewLengthReader(br, 5, 0)
	body, err := io.ReadAll(l)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(body))
	rest, _ := io.ReadAll(br)
	assert.Equal(t, "NEXT", string(rest))

	l.Reset(bufio.NewReader(strings.NewReader("abc")), 5, 0)
	_, err = io.ReadAll(l)
	assert.Equal(t, 400, StatusOf(err))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	l.Reset(bufio.NewReader(strings.NewReader("abcdef")), 6, 5)
	n, err := l.Read(make([]byte, 10))
	assert.Zero(t, n, "refused before reading")
	assert.Equal(t, 413, StatusOf(err))

	// The last bytes may arrive together with io.EOF.
	l.Reset(bufio.NewReader(iotest.DataErrReader(strings.NewReader("abc"))), 3, 5)
	body, err = io.ReadAll(l)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(body))
}
