package proxyhttp

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reader(s string) *bufio.Reader { return bufio.NewReaderSize(strings.NewReader(s), 64) }

func TestReadHead(t *testing.T) {
	var h respHead
	got, err := readHead(reader("HTTP/1.1 201 Created Here\r\nA: 1\r\nB:2 \r\n  folded\r\nA: 3\r\n\r\nbody"), &h)
	require.NoError(t, err)
	assert.True(t, got)
	assert.Equal(t, 201, h.status)
	assert.Equal(t, "201 Created Here", h.statusLine())
	assert.Equal(t, []string{"1", "3"}, h.fields.Values("a"))
	assert.Equal(t, "2 folded", h.fields.Get("B"))
	assert.True(t, h.keepAlive())

	_, err = readHead(reader("HTTP/1.0 200\r\n\r\n"), &h)
	require.NoError(t, err)
	assert.Equal(t, "200 OK", h.statusLine())
	assert.False(t, h.keepAlive(), "HTTP/1.0 without keep-alive")

	_, err = readHead(reader("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"), &h)
	require.NoError(t, err)
	assert.False(t, h.keepAlive())

	got, err = readHead(reader(""), &h)
	assert.False(t, got)
	assert.ErrorIs(t, err, io.EOF)

	for _, bad := range []string{
		"ICY 200 OK\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
		"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", maxHeadLine) + "\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: 1\r\n",
	} {
		_, err := readHead(bufio.NewReaderSize(strings.NewReader(bad), 16<<10), &h)
		assert.Error(t, err, "%q", bad)
	}
}

func readAllBody(t *testing.T, b bodyReader) string {
	t.Helper()
	data, err := io.ReadAll(b)
	require.NoError(t, err)
	assert.True(t, b.done())
	return string(data)
}

func TestBodyFraming(t *testing.T) {
	head := func(s string) *respHead {
		var h respHead
		_, err := readHead(reader(s), &h)
		require.NoError(t, err)
		return &h
	}
	br := reader("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT")
	b, err := newBodyReader(br, "GET", head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "hello world", readAllBody(t, b))
	assert.True(t, b.delimited())
	rest, _ := io.ReadAll(br)
	assert.Equal(t, "NEXT", string(rest), "the trailer is consumed, nothing more")

	br = reader("abcdefXYZ")
	b, err = newBodyReader(br, "GET", head("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "abcdef", readAllBody(t, b))

	b, err = newBodyReader(reader("abc"), "GET", head("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n"))
	require.NoError(t, err)
	_, err = io.ReadAll(b)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)

	b, err = newBodyReader(reader("until close"), "GET", head("HTTP/1.0 200 OK\r\n\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "until close", readAllBody(t, b))
	assert.False(t, b.delimited())

	for _, st := range []string{"204 No Content", "304 Not Modified"} {
		b, err = newBodyReader(reader("x"), "GET", head("HTTP/1.1 "+st+"\r\nContent-Length: 5\r\n\r\n"))
		require.NoError(t, err)
		assert.Equal(t, "", readAllBody(t, b))
	}
	b, err = newBodyReader(reader("x"), "HEAD", head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))
	require.NoError(t, err)
	assert.Equal(t, "", readAllBody(t, b))

	_, err = newBodyReader(reader(""), "GET", head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"))
	assert.Error(t, err)
	_, err = newBodyReader(reader(""), "GET", head("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"))
	assert.Error(t, err)

	for _, bad := range []string{"zz\r\n", "5\r\nhelloX\r\n0\r\n\r\n", "5\r\nhel"} {
		b, err = newBodyReader(reader(bad), "GET", head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
		require.NoError(t, err)
		_, err = io.ReadAll(b)
		assert.Error(t, err, "%q", bad)
	}
}

func TestChunkedEndSeenWithoutAnotherRead(t *testing.T) {
	var h respHead
	_, err := readHead(reader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), &h)
	require.NoError(t, err)
	b, err := newBodyReader(bufio.NewReader(strings.NewReader("3\r\nabc\r\n0\r\n\r\n")), "GET", &h)
	require.NoError(t, err)
	p := make([]byte, 64)
	n, err := b.Read(p)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(p[:n]))
	assert.True(t, b.done(), "the last chunk was buffered: the body is known to be complete")
}

func BenchmarkReadHead(b *testing.B) {
	const resp = "HTTP/1.1 200 OK\r\nDate: Mon, 23 Nov 2026 02:11:23 GMT\r\nServer: test\r\nContent-Type: text/html\r\nContent-Length: 1024\r\nLast-Modified: Mon, 23 Nov 2026 02:11:23 GMT\r\n\r\n"
	sr := strings.NewReader(resp)
	br := bufio.NewReaderSize(sr, 4096)
	var h respHead
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		sr.Reset(resp)
		br.Reset(sr)
		if _, err := readHead(br, &h); err != nil {
			b.Fatal(err)
		}
	}
}
