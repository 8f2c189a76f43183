package http_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testConf = `
KeepAliveTimeout = 2
Timeout = 2
MaxKeepAliveRequests = 100

[[Location]]
Path = "/noop"
SetHandler = "noop"

[[Location]]
Path = "/echo"
SetHandler = "echo"

[[Location]]
Path = "/small"
SetHandler = "echo"
LimitRequestBody = 10

[[Location]]
Path = "/badheader"
SetHandler = "badheader"

[[Location]]
Path = "/proxied"
SetHandler = "proxied"

[[Location]]
Path = "/proxied-bare"
SetHandler = "proxied-bare"

[[Location]]
Path = "/stream"
SetHandler = "stream"

[[Location]]
Path = "/redir"
SetHandler = "redir"

[[Location]]
Path = "/errbucket"
SetHandler = "errbucket"

[[Location]]
Path = "/headeronly"
SetHandler = "headeronly"

[[Location]]
Path = "/txt"
ErrorDocument = ['404 "custom text"']

[[Location]]
Path = "/local"
ErrorDocument = ['404 /file.txt']

[[Location]]
Path = "/localbad"
ErrorDocument = ['404 /missing.html']

[[Location]]
Path = "/remote"
ErrorDocument = ['404 http://other.example/nf']
`

var testFiles = map[string]string{
	"htdocs/file.txt":       "hello\n",
	"htdocs/dir/index.html": "<html>index</html>\n",
	"htdocs/empty/.keep":    "",
}

func start(t *testing.T) *testServer { return startServer(t, testConf, testFiles) }

// Apache 2.4.71's bodies, recorded from Debian's apache2.
const (
	apache404 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`
	apache404Recursive = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
<p>Additionally, a 404 Not Found
error was encountered while trying to use an ErrorDocument to handle the request.</p>
</body></html>
`
	apache501 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>501 Not Implemented</title>
</head><body>
<h1>Not Implemented</h1>
<p>FOO not supported for current URL.<br />
</p>
</body></html>
`
	apache413 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>413 Request Entity Too Large</title>
</head><body>
<h1>Request Entity Too Large</h1>
The requested resource does not allow request data with POST requests, or the amount of data provided in
the request exceeds the capacity limit.
</body></html>
`
	apache400 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>400 Bad Request</title>
</head><body>
<h1>Bad Request</h1>
<p>Your browser sent a request that this server could not understand.<br />
</p>
</body></html>
`
	apache302Remote = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<title>302 Found</title>
</head><body>
<h1>Found</h1>
<p>The document has moved <a href="http://other.example/nf">here</a>.</p>
</body></html>
`
)

func TestStaticFileHeaders(t *testing.T) {
	ts := start(t)
	resp, body := ts.roundTrip("GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello\n", body)
	assert.Equal(t, "6", resp.Header.Get("Content-Length"))
	assert.Equal(t, "bytes", resp.Header.Get("Accept-Ranges"))
	assert.Regexp(t, regexp.MustCompile(`^(W/)?"6-[0-9a-f]+"$`), resp.Header.Get("ETag"))
	_, err := time.Parse(time.RFC1123, resp.Header.Get("Last-Modified"))
	assert.NoError(t, err)
	_, err = time.Parse(time.RFC1123, resp.Header.Get("Date"))
	assert.NoError(t, err)
	assert.Empty(t, resp.Header.Get("Connection"))
}

func TestErrorPagesAreApaches(t *testing.T) {
	ts := start(t)
	resp, body := ts.roundTrip("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, apache404, body)
	assert.Equal(t, "text/html; charset=iso-8859-1", resp.Header.Get("Content-Type"))
	assert.Equal(t, fmt.Sprint(len(apache404)), resp.Header.Get("Content-Length"))

	resp, body = ts.roundTrip("FOO /file.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 501, resp.StatusCode)
	assert.Equal(t, apache501, body)
	assert.Equal(t, "OPTIONS,HEAD,GET,POST,TRACE", resp.Header.Get("Allow"), "as Apache with TraceEnable on")
	assert.True(t, resp.Close, "Connection: close")

	resp, _ = ts.roundTrip("PUT /file.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
	assert.Equal(t, 405, resp.StatusCode)

	// A request the parser refuses is answered and logged.
	c := ts.dial()
	c.send("GET /file.txt HTTP/1.1\r\n\r\n") // no Host
	resp, body = c.response("GET")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, apache400, body)
	// Its URI is the target's path, as Apache's r->uri of a refused
	// request.
	var events []string
	for i := 0; i < 5 && !slices.Contains(events, "log_transaction 400 /file.txt"); i++ {
		events = append(events, recorderOf(ts).take()...)
	}
	assert.Contains(t, events, "log_transaction 400 /file.txt")
}

func TestKeepAliveAndPipelining(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n" +
		"GET /noop HTTP/1.1\r\nHost: x\r\n\r\n" +
		"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	resp, body := c.response("GET")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello\n", body)
	resp, body = c.response("GET")
	assert.Equal(t, "ok", body)
	assert.Equal(t, "2", resp.Header.Get("Content-Length"))
	resp, _ = c.response("GET")
	assert.Equal(t, 404, resp.StatusCode)
	assert.True(t, resp.Close, "Connection: close")
	assert.Empty(t, c.rawUntilClose())
}

func TestHTTP10KeepAlive(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("GET /file.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
	resp, _ := c.response("GET")
	assert.Equal(t, "timeout=2, max=100", resp.Header.Get("Keep-Alive"))
	assert.Equal(t, "Keep-Alive", resp.Header.Get("Connection"))
	c.send("GET /file.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
	resp, _ = c.response("GET")
	assert.Equal(t, "timeout=2, max=99", resp.Header.Get("Keep-Alive"))
	c.send("GET /stream HTTP/1.0\r\n\r\n")
	resp, body := c.response("GET")
	assert.Equal(t, "part1,part2", body)
	assert.True(t, resp.Close, "Connection: close")
	assert.Empty(t, resp.Header.Get("Content-Length"))
	assert.Empty(t, resp.TransferEncoding)
}

func TestChunkedResponse(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /noop HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, body := c.response("GET")
	assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
	assert.Equal(t, "part1,part2", body)
	_, body = c.response("GET")
	assert.Equal(t, "ok", body)
}

func TestHead(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("HEAD /file.txt HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /noop HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, body := c.response("HEAD")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "6", resp.Header.Get("Content-Length"))
	assert.Empty(t, body)
	resp, _ = c.response("HEAD")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Length"))
	_, body = c.response("GET") // no stray body bytes came before it
	assert.Equal(t, "ok", body)
}

func TestExpect100Continue(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	line, err := c.br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
	line, err = c.br.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "\r\n", line)
	c.send("abcde")
	resp, body := c.response("POST")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "abcde", body)

	// No 100 for a request refused before anything reads the body; the
	// connection closes after the final answer.
	c = ts.dial()
	c.send("POST /deny HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
	resp, _ = c.response("POST")
	assert.Equal(t, 403, resp.StatusCode)
	assert.True(t, resp.Close, "Connection: close")
}

func TestChunkedRequestBody(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\nGET /noop HTTP/1.1\r\nHost: x\r\n\r\n")
	_, body := c.response("POST")
	assert.Equal(t, "abcdefg", body)
	_, body = c.response("GET")
	assert.Equal(t, "ok", body)
}

func TestRequestBodyTooLarge(t *testing.T) {
	ts := start(t)
	resp, body := ts.roundTrip("POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
	assert.Equal(t, 413, resp.StatusCode)
	assert.Equal(t, apache413, body)
	assert.True(t, resp.Close, "Connection: close")

	resp, _ = ts.roundTrip("POST /small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + strings.Repeat("x", 32) + "\r\n0\r\n\r\n")
	assert.Equal(t, 413, resp.StatusCode)

	// The default handler reads (and limits) the body too, and then
	// answers a POST to a file like a GET, as Apache's.
	resp, _ = ts.roundTrip("POST /file.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestBadResponseHeaderIs500(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("GET /badheader HTTP/1.1\r\nHost: x\r\n\r\n")
	raw := c.rawUntilClose()
	assert.True(t, strings.HasPrefix(raw, "HTTP/1.1 500 Internal Server Error\r\n"), raw)
	assert.NotContains(t, raw, "Injected")
	assert.NotContains(t, raw, "X-Bad")
	assert.NotContains(t, raw, "should not be seen")
}

// 204 and 304 carry no content headers, whichever handler answered
// them: Apache's header filter drops the length and framing and never
// adds the type, encoding and language of the request record.
func TestHeaderOnlyStatusesDropContentHeaders(t *testing.T) {
	ts := start(t)
	for _, status := range []string{"204", "304"} {
		c := ts.dial()
		c.send("GET /headeronly?" + status + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		raw := c.rawUntilClose()
		head, body, _ := strings.Cut(raw, "\r\n\r\n")
		assert.True(t, strings.HasPrefix(head, "HTTP/1.1 "+status+" "), head)
		for _, name := range []string{"Content-Length", "Content-Type", "Content-Encoding", "Content-Language", "Transfer-Encoding"} {
			assert.NotContains(t, head, name+":", status)
		}
		assert.Contains(t, head, "ETag: \"kept\"\r\n", status)
		assert.Contains(t, head, "X-Kept: yes\r\n", status)
		assert.Empty(t, body, status)
	}
}

func TestErrorBucketAnswersStatus(t *testing.T) {
	ts := start(t)
	resp, body := ts.roundTrip("GET /errbucket HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 503, resp.StatusCode)
	assert.Contains(t, body, "<title>503 Service Unavailable</title>")
}

func TestErrorDocuments(t *testing.T) {
	ts := start(t)
	resp, body := ts.roundTrip("GET /txt/x HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "custom text", body)
	assert.Equal(t, "text/html; charset=iso-8859-1", resp.Header.Get("Content-Type"))

	recorderOf(ts).take()
	resp, body = ts.roundTrip("GET /local/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "hello\n", body)
	assert.Contains(t, recorderOf(ts).take(), "log_transaction 404 /local/x")

	resp, body = ts.roundTrip("GET /localbad/x HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, apache404Recursive, body)

	resp, body = ts.roundTrip("GET /remote/x HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 302, resp.StatusCode)
	assert.Equal(t, "http://other.example/nf", resp.Header.Get("Location"))
	assert.Equal(t, apache302Remote, body)
}

func TestInternalRedirectLinkage(t *testing.T) {
	ts := start(t)
	recorderOf(ts).take()
	resp, body := ts.roundTrip("GET /redir HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello\n", body)
	ev := recorderOf(ts).take()
	assert.Contains(t, ev, "redirect linked=true env=200 url=/redir")
	assert.Contains(t, ev, "log_transaction 200 /redir")
}

func TestDirectories(t *testing.T) {
	ts := start(t)
	resp, body := ts.roundTrip("GET /dir?a=1 HTTP/1.1\r\nHost: example.test:8080\r\n\r\n")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "http://example.test:8080/dir/?a=1", resp.Header.Get("Location"))
	assert.Contains(t, body, `<p>The document has moved <a href="http://example.test:8080/dir/?a=1">here</a>.</p>`)

	resp, body = ts.roundTrip("GET /dir/ HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "<html>index</html>\n", body)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"))

	resp, _ = ts.roundTrip("GET /empty/ HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 403, resp.StatusCode)

	resp, _ = ts.roundTrip("GET /file.txt/extra HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 404, resp.StatusCode)

	resp, _ = ts.roundTrip("OPTIONS /file.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OPTIONS,HEAD,GET,POST,TRACE", resp.Header.Get("Allow"), "as Apache with TraceEnable on")
	assert.Equal(t, "0", resp.Header.Get("Content-Length"))
}

func TestURINormalisation(t *testing.T) {
	ts := start(t)
	for _, tc := range []struct {
		uri    string
		status int
	}{
		{"/a/../file.txt", 200},
		{"//file.txt", 200},
		{"/./file.txt", 200},
		{"/%66ile.txt", 200},
		{"/../file.txt", 400},
		{"/%2e%2e/file.txt", 400},
		{"/dir%2findex.html", 404},
		{"/file%00.txt", 404},
		{"/file%zz", 400},
	} {
		resp, _ := ts.roundTrip("GET " + tc.uri + " HTTP/1.1\r\nHost: x\r\n\r\n")
		assert.Equal(t, tc.status, resp.StatusCode, tc.uri)
	}
}

func TestPhaseOrder(t *testing.T) {
	ts := start(t)
	recorderOf(ts).take()
	resp, _ := ts.roundTrip("GET /file.txt HTTP/1.1\r\nHost: x\r\nX-Trace: 1\r\nX-Auth: 1\r\nConnection: close\r\n\r\n")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, []string{
		// create_request runs before the head is read, so X-Trace cannot
		// select it; it is covered by the filters it inserts.
		"post_read_request", "quick_handler", "translate_name",
		"map_to_storage", "header_parser", "access_checker", "access_checker_3",
		"check_user_id", "auth_checker", "type_checker", "fixups", "insert_filter",
		"handler", "log_transaction 200 /file.txt",
	}, recorderOf(ts).take())

	// access_checker_ex authorizes without authentication: no
	// check_user_id or auth_checker (Apache's rule).
	for _, h := range []string{"", "X-Auth: 1\r\nX-Ex: ok\r\n"} {
		ts.roundTrip("GET /file.txt HTTP/1.1\r\nHost: x\r\nX-Trace: 1\r\n" + h + "Connection: close\r\n\r\n")
		got := recorderOf(ts).take()
		assert.NotContains(t, got, "check_user_id", h)
		assert.NotContains(t, got, "auth_checker", h)
	}
	// ...unless force_authn insists.
	ts.roundTrip("GET /file.txt HTTP/1.1\r\nHost: x\r\nX-Trace: 1\r\nX-Auth: 1\r\nX-Ex: ok\r\nX-Force: 1\r\nConnection: close\r\n\r\n")
	assert.Contains(t, recorderOf(ts).take(), "check_user_id")
	// A refusal from access_checker_ex is the answer.
	resp, _ = ts.roundTrip("GET /file.txt HTTP/1.1\r\nHost: x\r\nX-Trace: 1\r\nX-Ex: deny\r\nConnection: close\r\n\r\n")
	assert.Equal(t, 403, resp.StatusCode)
	assert.NotContains(t, recorderOf(ts).take(), "check_user_id")
}

func TestRunFirstAndRunAll(t *testing.T) {
	ts := start(t)
	// RUN_FIRST: the test module's translate_name answers /virtual/, so the
	// core's (which would find nothing there) never runs.
	resp, body := ts.roundTrip("GET /virtual/anything HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "hello\n", body)

	// RUN_ALL: the second access checker refuses; the third never runs;
	// the error path and log_transaction still run.
	recorderOf(ts).take()
	resp, _ = ts.roundTrip("GET /deny HTTP/1.1\r\nHost: x\r\nX-Trace: 1\r\nConnection: close\r\n\r\n")
	assert.Equal(t, 403, resp.StatusCode)
	ev := recorderOf(ts).take()
	assert.Contains(t, ev, "access_checker")
	assert.NotContains(t, ev, "access_checker_3")
	assert.NotContains(t, ev, "handler")
	assert.Contains(t, ev, "insert_error_filter")
	assert.Contains(t, ev, "log_transaction 403 /deny")
}

func TestDrainingClosesAfterRequest(t *testing.T) {
	ts := start(t)
	ts.draining.Store(true)
	c := ts.dial()
	c.send("GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	resp, _ := c.response("GET")
	assert.Equal(t, 200, resp.StatusCode)
	assert.True(t, resp.Close, "Connection: close")
	assert.Empty(t, c.rawUntilClose())
}

func TestHTTP09(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("GET /file.txt\r\n")
	assert.Equal(t, "hello\n", c.rawUntilClose())
}

func TestTimedOutPartialRequestIs408(t *testing.T) {
	ts := startServer(t, "Timeout = 1\n", testFiles)
	c := ts.dial()
	c.send("GET /file.txt HTTP/1.1\r\nHost: x\r\n")
	raw := c.rawUntilClose()
	assert.True(t, strings.HasPrefix(raw, "HTTP/1.1 408 Request Timeout\r\n"), raw)

	// An idle connection closes silently.
	c = ts.dial()
	assert.Empty(t, c.rawUntilClose())
}

// A proxied response keeps the origin's Date and Server, once each, as
// Apache's basic_http_header; without them the server's own are sent.
func TestProxiedResponseKeepsOriginDateAndServer(t *testing.T) {
	ts := start(t)
	c := ts.dial()
	c.send("GET /proxied HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	raw := c.rawUntilClose()
	assert.Contains(t, raw, "\r\nDate: Tue, 01 Jan 2030 00:00:00 GMT\r\n")
	assert.Contains(t, raw, "\r\nServer: origin/1.0\r\n")
	assert.Equal(t, 1, strings.Count(raw, "\r\nServer: "), raw)
	assert.Equal(t, 1, strings.Count(raw, "\r\nDate: "), raw)

	resp, body := ts.roundTrip("GET /proxied-bare HTTP/1.1\r\nHost: x\r\n\r\n")
	assert.Equal(t, "from the origin", body)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Server"), "gohttpd/"), resp.Header.Get("Server"))
	assert.NotEmpty(t, resp.Header.Get("Date"))
}
