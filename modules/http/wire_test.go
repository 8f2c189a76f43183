package http_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The answers below were checked against Debian's Apache/2.4.71 with the
// same requests (raw sockets, LogFormat "%r %>s %I").

func startWithIndex(t *testing.T, conf string) *testServer {
	files := map[string]string{"htdocs/index.html": "<html>root</html>\n"}
	for k, v := range testFiles {
		files[k] = v
	}
	return startServer(t, conf, files)
}

// TestOptionsStar: "OPTIONS *" (and OPTIONS of a target without a path)
// asks about the whole server: 200 with an empty body. Any other method
// with "*" is 400.
func TestOptionsStar(t *testing.T) {
	ts := start(t)
	for _, target := range []string{"*", "?x", "http://x"} {
		resp, body := ts.roundTrip("OPTIONS " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")
		assert.Equal(t, 200, resp.StatusCode, target)
		assert.Equal(t, "0", resp.Header.Get("Content-Length"), target)
		assert.Empty(t, body)
	}
	for _, method := range []string{"GET", "HEAD", "TRACE", "POST"} {
		resp, _ := ts.roundTrip(method + " * HTTP/1.1\r\nHost: x\r\n\r\n")
		assert.Equal(t, 400, resp.StatusCode, method)
	}
	resp, _ := ts.roundTrip("OPTIONS */ HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 400, resp.StatusCode)
	logs := recorderOf(ts).takeLogged(8)
	require.NotEmpty(t, logs)
	assert.Equal(t, "*", logs[0].URI)
}

// TestOptionsStarHasNoAllow: Apache's http module ends "OPTIONS *" in
// map_to_storage, so no handler adds an Allow header.
func TestOptionsStarHasNoAllow(t *testing.T) {
	ts := start(t)
	resp, _ := ts.roundTrip("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Allow"))
	assert.Empty(t, resp.Header.Get("Content-Type"))
}

// TestConnectAuthorityForm: CONNECT host:port with no proxy maps to "/"
// and the file handler refuses the method, 405 with Allow.
func TestConnectAuthorityForm(t *testing.T) {
	ts := startWithIndex(t, testConf)
	resp, _ := ts.roundTrip("CONNECT localhost:443 HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 405, resp.StatusCode)
	// Apache lists these methods in an order that changes between its
	// starts (a hash seeded at start-up); the set is what counts.
	assert.ElementsMatch(t, []string{"HEAD", "GET", "POST", "OPTIONS", "TRACE"}, strings.Split(resp.Header.Get("Allow"), ","))
	for _, target := range []string{"localhost", "/"} {
		resp, _ = ts.roundTrip("CONNECT " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")
		assert.Equal(t, 400, resp.StatusCode, target)
	}
}

// TestQueryOnlyTarget: a target of only a query is "/" with that query.
func TestQueryOnlyTarget(t *testing.T) {
	ts := startWithIndex(t, testConf)
	for _, target := range []string{"?x", "?"} {
		resp, body := ts.roundTrip("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")
		assert.Equal(t, 200, resp.StatusCode, target)
		assert.Equal(t, "<html>root</html>\n", body, target)
	}
}

// TestRefusedRequestsLogLikeApache: the request line, method and URI of a
// refused request are recorded as Apache records them for %r, %m and %U.
func TestRefusedRequestsLogLikeApache(t *testing.T) {
	ts := start(t)
	long := "GET /" + strings.Repeat("a", 9000) + " HTTP/1.1"
	tests := []struct {
		raw    string
		want   logged
		status int
	}{
		{"GARBAGE\r\n\r\n", logged{400, "GARBAGE", "GARBAGE", "/", "HTTP/1.0", 9}, 400},
		{"GET  / HTTP/1.1\r\nHost: x\r\n\r\n", logged{400, "GET / HTTP/1.1", "GET", "/", "HTTP/1.0", 17}, 400},
		{"GET / HTTP/1.1\nHost: x\r\n\r\n", logged{400, "GET / HTTP/1.1\n", "", "", "HTTP/1.0", 15}, 400},
		{"GET / HTTP/1.1\r\nHost: bad host\r\n\r\n", logged{400, "GET / HTTP/1.1", "GET", "/", "HTTP/1.1", 34}, 400},
		{"GET / HTTP/1.1\r\nBad header\r\n\r\n", logged{400, "GET / HTTP/1.1", "GET", "/", "HTTP/1.1", 30}, 400},
		{"GET /a?b HTTP/1.1\r\nX: \x01\r\nHost: x\r\nConnection: close\r\n\r\n", logged{400, "GET /a?b HTTP/1.1", "GET", "/a", "HTTP/1.1", 34}, 400},
		{long + "\r\nHost: x\r\n\r\n", logged{414, long[:8191], "", "", "HTTP/1.0", int64(len(long)) + 2}, 414},
	}
	for _, tt := range tests {
		c := ts.dial()
		c.send(tt.raw)
		resp, _ := c.response("GET")
		assert.Equal(t, tt.status, resp.StatusCode, "%q", tt.raw)
		got := recorderOf(ts).takeLogged(1)
		if assert.Len(t, got, 1, "%q", tt.raw) {
			assert.Equal(t, tt.want, got[0], "%q", tt.raw)
		}
	}
}

// TestBytesRead: Request.BytesRead is what the request consumed of the
// connection — blank lines before it, head, body with its framing — as
// Apache's %I, also for pipelined requests read ahead in one buffer.
func TestBytesRead(t *testing.T) {
	ts := start(t)
	get := "GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n"
	chunked := "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n"
	length := "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
	c := ts.dial()
	c.send("\r\n\r\n" + get + chunked + length + get)
	for _, m := range []string{"GET", "POST", "POST", "GET"} {
		resp, _ := c.response(m)
		assert.Equal(t, 200, resp.StatusCode)
	}
	var got []int64
	for _, l := range recorderOf(ts).takeLogged(4) {
		got = append(got, l.BytesRead)
	}
	assert.Equal(t, []int64{int64(4 + len(get)), int64(len(chunked)), int64(len(length)), int64(len(get))}, got)

	// A body the handler never reads is not counted (Apache's %I neither).
	c = ts.dial()
	head := "POST /file.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\n"
	c.send(head + "abc")
	resp, _ := c.response("POST")
	assert.Equal(t, 200, resp.StatusCode)
	l := recorderOf(ts).takeLogged(1)
	require.Len(t, l, 1)
	assert.Equal(t, int64(len(head)+3), l[0].BytesRead, "the default handler discards (reads) the body")
}

// TestTooLargeBodyAnswerIsCloseDelimited: a body the HTTP_IN filter
// refuses (over LimitRequestBody, malformed chunks) is answered without a
// Content-Length, "Connection: close", the body ending at the close, as
// Apache's; a body cut short is answered with a Content-Length.
func TestTooLargeBodyAnswerIsCloseDelimited(t *testing.T) {
	ts := start(t)
	for _, req := range []string{
		"POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n",
		"POST /small HTTP/1.0\r\nContent-Length: 100\r\n\r\n",
		"POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + strings.Repeat("x", 32) + "\r\n0\r\n\r\n",
	} {
		c := ts.dial()
		c.send(req)
		raw := c.rawUntilClose()
		head, body, _ := strings.Cut(raw, "\r\n\r\n")
		assert.True(t, strings.HasPrefix(head, "HTTP/1.1 413 Request Entity Too Large\r\n"), head)
		assert.NotContains(t, head, "Content-Length")
		assert.NotContains(t, head, "Transfer-Encoding")
		assert.Contains(t, head, "\r\nConnection: close\r\n")
		assert.Equal(t, apache413, body)
	}

	c := ts.dial()
	c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
	head, body, _ := strings.Cut(c.rawUntilClose(), "\r\n\r\n")
	assert.True(t, strings.HasPrefix(head, "HTTP/1.1 400 Bad Request\r\n"), head)
	assert.NotContains(t, head, "Content-Length")
	assert.Equal(t, apache400, body)

	c = ts.dial()
	c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
	_ = c.nc.(interface{ CloseWrite() error }).CloseWrite()
	resp, body := c.response("POST")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "266", resp.Header.Get("Content-Length"))
	assert.Equal(t, apache400, body)
}

// TestHeadLimitsOfAddressDefault: the request line and header fields are
// read under the LimitRequest* of the connection's address-based default
// server (the first VirtualHost for the address), whatever Host names;
// chunk-size lines and trailers under those of the virtual host chosen.
func TestHeadLimitsOfAddressDefault(t *testing.T) {
	ts := startServer(t, baseConf+`
[[VirtualHost]]
Address = "*"
ServerName = "small.test"
LimitRequestLine = 100
LimitRequestFieldSize = 50
LimitRequestFields = 3

[[VirtualHost.Location]]
Path = "/echo"
SetHandler = "echo"

[[VirtualHost]]
Address = "*"
ServerName = "big.test"
LimitRequestLine = 20000
LimitRequestFieldSize = 20000
LimitRequestFields = 200

[[VirtualHost.Location]]
Path = "/echo"
SetHandler = "echo"
`, testFiles)
	status := func(raw string) int {
		c := ts.dial()
		c.send(raw)
		resp, _ := c.response("GET")
		return resp.StatusCode
	}
	longLine := "GET /" + strings.Repeat("a", 150) + " HTTP/1.1\r\n"
	longField := "X-Long: " + strings.Repeat("b", 70) + "\r\n"
	for _, host := range []string{"small.test", "big.test"} {
		h := "Host: " + host + "\r\nConnection: close\r\n"
		assert.Equal(t, 414, status(longLine+h+"\r\n"), host)
		assert.Equal(t, 400, status("GET / HTTP/1.1\r\n"+h+longField+"\r\n"), host)
		assert.Equal(t, 400, status("GET / HTTP/1.1\r\n"+h+"A: 1\r\nB: 2\r\n\r\n"), host)
	}
	post := "POST /echo HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	trailer := "5\r\nhello\r\n0\r\nT: " + strings.Repeat("t", 70) + "\r\n\r\n"
	ext := "5;" + strings.Repeat("e", 70) + "\r\nhello\r\n0\r\n\r\n"
	assert.Equal(t, 400, status(strings.Replace(post, "%s", "small.test", 1)+trailer))
	assert.Equal(t, 200, status(strings.Replace(post, "%s", "big.test", 1)+trailer))
	assert.Equal(t, 413, status(strings.Replace(post, "%s", "small.test", 1)+ext))
	assert.Equal(t, 200, status(strings.Replace(post, "%s", "big.test", 1)+ext))
}

// TestRequestLineTimeout: a client that stops in the middle of its first
// request line gets no answer; the request is logged as a 408 without a
// request line. On a reused connection nothing is logged.
func TestRequestLineTimeout(t *testing.T) {
	ts := startServer(t, "Timeout = 1\nKeepAliveTimeout = 2\n", testFiles)
	c := ts.dial()
	c.send("GET /fil")
	assert.Empty(t, c.rawUntilClose())
	got := recorderOf(ts).takeLogged(1)
	require.Len(t, got, 1)
	assert.Equal(t, logged{Status: 408, Protocol: "HTTP/1.0", BytesRead: 8}, got[0])

	c = ts.dial()
	c.send("GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /fil")
	resp, _ := c.response("GET")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, c.rawUntilClose())
	assert.Len(t, recorderOf(ts).takeLogged(2), 1)
}
