package h1

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestReader(raw string, size int) *Reader {
	return NewReader(bufio.NewReaderSize(strings.NewReader(raw), size), DefaultLimits())
}

func TestReadRequestFields(t *testing.T) {
	raw := "GET /a?b=c HTTP/1.1\r\n" +
		"Host: example.com:8080\r\n" +
		"X-Fold: one \r\n" +
		" \t two\r\n" +
		"\tthree\r\n" +
		"Accept:text/html\r\n" +
		"x-dup: 1\r\n" +
		"X-Dup: 2\r\n" +
		"Connection: Keep-Alive, Upgrade\r\n" +
		"\r\n"
	for _, size := range []int{16, 4096} { // lines longer and shorter than the buffer
		p := newTestReader(raw, size)
		var r Request
		require.NoError(t, p.ReadRequest(&r))
		assert.Equal(t, "GET", r.Method)
		assert.Equal(t, "/a?b=c", string(r.URI))
		assert.Equal(t, "HTTP/1.1", r.Proto)
		assert.Equal(t, 1, r.ProtoMajor)
		assert.Equal(t, 1, r.ProtoMinor)
		assert.Equal(t, "example.com:8080", string(r.Host))
		assert.Equal(t, "one two three", string(r.Get("x-fold")))
		assert.Equal(t, "text/html", string(r.Get("ACCEPT")))
		assert.Equal(t, "1", string(r.Get("X-Dup")))
		assert.Equal(t, 2, r.Count("x-dup"))
		assert.Equal(t, "1, 2", string(r.AppendMerged(nil, "X-Dup")))
		_, ok := r.Lookup("Missing")
		assert.False(t, ok)
		require.Len(t, r.Fields, 6)
		assert.Equal(t, "Host", string(r.Fields[0].Name))
		assert.Equal(t, "Connection", string(r.Fields[5].Name))
		assert.Equal(t, int64(-1), r.ContentLength)
		assert.False(t, r.Chunked)
		assert.True(t, r.ConnKeepAlive)
		assert.False(t, r.ConnClose)
		assert.True(t, r.KeepAlive())
		assert.False(t, r.HasBody())
	}
}

func TestReadRequestPipelined(t *testing.T) {
	raw := "POST /one HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" +
		"POST /two HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: x\r\n\r\n" +
		"\r\nGET /three HTTP/1.0\r\n\r\n"
	p := newTestReader(raw, 64)
	var r Request

	require.NoError(t, p.ReadRequest(&r))
	assert.Equal(t, "/one", string(r.URI))
	assert.Equal(t, int64(5), r.ContentLength)
	body, err := io.ReadAll(p.Body(&r))
	require.NoError(t, err)
	assert.Equal(t, "hello", string(body))

	require.NoError(t, p.ReadRequest(&r))
	assert.Equal(t, "/two", string(r.URI))
	assert.True(t, r.Chunked)
	br := p.Body(&r)
	body, err = io.ReadAll(br)
	require.NoError(t, err)
	assert.Equal(t, "abc", string(body))
	tr := br.(*ChunkedReader).Trailers()
	require.Len(t, tr, 1)
	assert.Equal(t, "T", string(tr[0].Name))
	assert.Equal(t, "x", string(tr[0].Value))

	require.NoError(t, p.ReadRequest(&r))
	assert.Equal(t, "/three", string(r.URI))
	assert.Equal(t, "HTTP/1.0", r.Proto)
	assert.False(t, r.KeepAlive(), "HTTP/1.0 without keep-alive")
	body, err = io.ReadAll(p.Body(&r))
	require.NoError(t, err)
	assert.Empty(t, body)

	assert.Equal(t, io.EOF, p.ReadRequest(&r))
}

func TestReadRequestFlags(t *testing.T) {
	tests := []struct {
		name  string
		raw   string
		check func(t *testing.T, r *Request)
	}{
		{"te and cl", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", func(t *testing.T, r *Request) {
			assert.True(t, r.Chunked)
			assert.True(t, r.MustClose)
			assert.Equal(t, int64(-1), r.ContentLength)
			assert.False(t, r.KeepAlive())
		}},
		{"close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n", func(t *testing.T, r *Request) {
			assert.True(t, r.ConnClose)
			assert.False(t, r.KeepAlive())
		}},
		{"http10 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", func(t *testing.T, r *Request) {
			assert.True(t, r.KeepAlive())
			assert.Empty(t, r.Host)
		}},
		{"expect", "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 0\r\n\r\n", func(t *testing.T, r *Request) {
			assert.True(t, r.Expect100)
			assert.Equal(t, int64(0), r.ContentLength)
			assert.False(t, r.HasBody())
		}},
		{"absolute uri host wins", "GET http://b.example:81/x HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, r *Request) {
			assert.Equal(t, "b.example:81", string(r.Host))
			assert.Equal(t, "a", string(r.Get("Host")))
		}},
		{"http09", "GET /x\r\n", func(t *testing.T, r *Request) {
			assert.True(t, r.IsHTTP09())
			assert.Equal(t, "HTTP/0.9", r.Proto)
			assert.True(t, r.MustClose)
			assert.Empty(t, r.Fields)
		}},
		{"unknown method", "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, r *Request) {
			assert.Equal(t, "BREW", r.Method)
		}},
		{"http2 version", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", func(t *testing.T, r *Request) {
			assert.Equal(t, "HTTP/2.0", r.Proto)
			assert.Equal(t, 2, r.ProtoMajor)
			assert.True(t, r.KeepAlive())
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Request
			require.NoError(t, newTestReader(tt.raw, 4096).ReadRequest(&r))
			tt.check(t, &r)
		})
	}
}

func TestReadRequestErrors(t *testing.T) {
	tests := []struct {
		raw    string
		status int
		reason string
	}{
		{"GET  / HTTP/1.1\r\n\r\n", 400, "Excess whitespace"},
		{"G(T / HTTP/1.1\r\n\r\n", 400, "Invalid method token"},
		{"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "field name is malformed"},
		{"GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n", 400, "value is malformed"},
		{"GET / HTTP/1.1\r\n\r\n", 400, "without hostname"},
		{"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400, "malformed Host"},
		{"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", 400, "invalid Content-Length"},
		{"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, "unknown Transfer-Encoding"},
		{"GET / HTTP/1.1\r\nHost: a\r\nExpect: x\r\n\r\n", 417, "unrecognized expectation"},
		{lineOf(9000) + "\r\n\r\n", 414, "LimitRequestLine"},
		{"GET / HTTP/1.1\r\nHost: a\r\n", 400, "connection closed"},
		{"HEAD /\r\n", 400, "only GET"},
	}
	for _, tt := range tests {
		var r Request
		err := newTestReader(tt.raw, 4096).ReadRequest(&r)
		var he *Error
		require.ErrorAs(t, err, &he, "%q", tt.raw)
		assert.Equal(t, tt.status, he.Status, "%q", tt.raw)
		assert.Contains(t, he.Reason, tt.reason, "%q", tt.raw)
		assert.Equal(t, tt.status, StatusOf(err))
	}
	// The end of input inside a request line is not answered.
	err := newTestReader("GET / HT", 4096).ReadRequest(new(Request))
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Zero(t, StatusOf(err))
}

func TestLimitsApply(t *testing.T) {
	lim := Limits{RequestLine: 20, FieldSize: 30, Fields: 2, Body: 4}
	read := func(raw string) error {
		p := NewReader(bufio.NewReader(strings.NewReader(raw)), lim)
		var r Request
		if err := p.ReadRequest(&r); err != nil {
			return err
		}
		_, err := io.Copy(io.Discard, p.Body(&r))
		return err
	}
	assert.NoError(t, read("GET /123 HTTP/1.1\r\nHost: a\r\n\r\n"))
	assert.Equal(t, 414, StatusOf(read("GET /1234567890123 HTTP/1.1\r\nHost: a\r\n\r\n")))
	assert.Equal(t, 400, StatusOf(read("GET / HTTP/1.1\r\nHost: a\r\nX-Long: 123456789012345678901234\r\n\r\n")))
	assert.Equal(t, 400, StatusOf(read("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n")))
	assert.NoError(t, read("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n1234"))
	assert.Equal(t, 413, StatusOf(read("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n12345")))
	assert.Equal(t, 413, StatusOf(read("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n123\r\n2\r\n45\r\n0\r\n\r\n")))

	p := NewReader(bufio.NewReader(strings.NewReader("")), lim)
	assert.Equal(t, lim, p.Limits())
	p.SetLimits(DefaultLimits())
	assert.Equal(t, DefaultLimits(), p.Limits())
}

func TestRequestReuse(t *testing.T) {
	p := newTestReader("GET /a HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\nGET /b HTTP/1.0\r\n\r\n", 4096)
	var r Request
	require.NoError(t, p.ReadRequest(&r))
	require.NoError(t, p.ReadRequest(&r))
	assert.Equal(t, "/b", string(r.URI))
	assert.Empty(t, r.Fields)
	assert.Nil(t, r.Get("X"))
	assert.Empty(t, r.Host)
}

func TestErrorFormatting(t *testing.T) {
	e := &Error{Status: 400, Reason: "bad", Err: io.ErrUnexpectedEOF}
	assert.Equal(t, "400 bad: unexpected EOF", e.Error())
	assert.True(t, errors.Is(e, io.ErrUnexpectedEOF))
	assert.Equal(t, "413 big", (&Error{Status: 413, Reason: "big"}).Error())
	assert.Zero(t, StatusOf(io.EOF))
}
