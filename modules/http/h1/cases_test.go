package h1

import (
	"fmt"
	"strings"
)

// rawCase is one request (or pipelined sequence) sent byte for byte to
// Apache 2.4 and to this parser. The statuses Apache answered are recorded
// in testdata/apache_cases.txt under the case name (re-record them with
// testdata/record_apache.sh); TestApacheCases checks that the parser agrees
// wherever parsing decides the answer.
type rawCase struct {
	name string
	raw  string
	// bodyLimit is LimitRequestBody for the case when not the default
	// (the recording configuration sets 100 bytes on /small/).
	bodyLimit int64
	// ours, when set, is a deliberate difference from Apache: the
	// comma-separated outcomes this parser gives instead ("ok" for an
	// accepted request, a status, "-" for no answer), and why.
	ours, why string
}

// req builds a request from its request line and header lines.
func req(line string, fields ...string) string {
	var b strings.Builder
	b.WriteString(line + "\r\n")
	for _, f := range fields {
		b.WriteString(f + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

const host = "Host: localhost"

// get is a GET of path over HTTP/1.1 with a Host field and extra fields.
func get(path string, fields ...string) string {
	return req("GET "+path+" HTTP/1.1", append([]string{host}, fields...)...)
}

// chunked is a GET of path with a chunked body and raw (already encoded).
func chunked(path, body string) string {
	return get(path, "Transfer-Encoding: chunked") + body
}

// lineOf returns a request line of exactly n bytes (before CRLF).
func lineOf(n int) string {
	pre, suf := "GET /?", " HTTP/1.1"
	return pre + strings.Repeat("a", n-len(pre)-len(suf)) + suf
}

// fieldOf returns a field line of exactly n bytes (before CRLF).
func fieldOf(name string, n int) string {
	return name + ": " + strings.Repeat("v", n-len(name)-2)
}

func manyFields(n int) []string {
	f := make([]string, n)
	for i := range f {
		f[i] = fmt.Sprintf("X-F%d: v", i)
	}
	return f
}

// sizeLineOf returns a chunk-size line for a 5-byte chunk whose total
// length, CRLF included, is n.
func sizeLineOf(n int) string {
	return "5;e=" + strings.Repeat("x", n-6) + "\r\n"
}

var apacheCases = []rawCase{
	// Request line.
	{name: "line/simple", raw: get("/")},
	{name: "line/file", raw: get("/file.txt")},
	{name: "line/missing-file", raw: get("/missing")},
	{name: "line/head", raw: req("HEAD / HTTP/1.1", host)},
	{name: "line/http10-no-host", raw: req("GET / HTTP/1.0")},
	{name: "line/bare-lf-everywhere", raw: "GET / HTTP/1.1\nHost: localhost\n\n"},
	{name: "line/bare-lf-request-line", raw: "GET / HTTP/1.1\nHost: localhost\r\n\r\n"},
	{name: "line/bare-lf-field", raw: "GET / HTTP/1.1\r\nHost: localhost\n\r\n"},
	{name: "line/bare-lf-end-of-head", raw: "GET / HTTP/1.1\r\nHost: localhost\r\n\n"},
	{name: "line/two-spaces-after-method", raw: req("GET  / HTTP/1.1", host)},
	{name: "line/two-spaces-before-version", raw: req("GET /  HTTP/1.1", host)},
	{name: "line/tab-after-method", raw: req("GET\t/ HTTP/1.1", host)},
	{name: "line/tab-before-version", raw: req("GET /\tHTTP/1.1", host)},
	{name: "line/leading-space", raw: req(" GET / HTTP/1.1", host)},
	{name: "line/trailing-space", raw: req("GET / HTTP/1.1 ", host)},
	{name: "line/trailing-tab", raw: req("GET / HTTP/1.1\t", host)},
	{name: "line/method-only", raw: req("GET", host)},
	{name: "line/method-space-only", raw: req("GET ", host)},
	{name: "line/ctl-in-uri", raw: req("GET /a\x01b HTTP/1.1", host)},
	{name: "line/del-in-uri", raw: req("GET /a\x7fb HTTP/1.1", host)},
	{name: "line/obs-text-in-uri", raw: req("GET /caf\xe9 HTTP/1.1", host)},
	{name: "line/nul-in-line", raw: req("GET /a\x00b HTTP/1.1", host)},
	{name: "line/bare-cr-in-line", raw: "GET / HTTP/1.1\rX\r\nHost: localhost\r\n\r\n"},
	{name: "line/ten-blank-lines", raw: strings.Repeat("\r\n", 10) + get("/")},
	{name: "line/eleven-blank-lines", raw: strings.Repeat("\r\n", 11) + get("/")},
	{name: "line/blank-lines-then-eof", raw: "\r\n\r\n"},
	{name: "line/empty-connection", raw: ""},
	{name: "line/partial-then-eof", raw: "GET / HT"},
	{name: "line/limit-8190", raw: req(lineOf(8190), host)},
	{name: "line/limit-8191", raw: req(lineOf(8191), host)},
	{name: "line/limit-8192", raw: req(lineOf(8192), host)},
	{name: "line/limit-20000", raw: req(lineOf(20000), host)},
	{name: "line/limit-8191-bare-lf", raw: lineOf(8191) + "\n" + host + "\r\n\r\n"},

	// Methods.
	{name: "method/unknown", raw: req("FOO / HTTP/1.1", host)},
	{name: "method/lowercase-get", raw: req("get / HTTP/1.1", host)},
	{name: "method/tchar", raw: req("M-SEARCH / HTTP/1.1", host)},
	{name: "method/paren", raw: req("GE(T / HTTP/1.1", host)},
	{name: "method/at", raw: req("G@T / HTTP/1.1", host)},
	{name: "method/obs-text", raw: req("G\xffT / HTTP/1.1", host)},
	{name: "method/post-file", raw: req("POST /file.txt HTTP/1.1", host, "Content-Length: 5") + "hello"},
	{name: "method/put-file", raw: req("PUT /file.txt HTTP/1.1", host, "Content-Length: 5") + "hello"},
	{name: "method/delete", raw: req("DELETE /file.txt HTTP/1.1", host)},
	{name: "method/options-star", raw: req("OPTIONS * HTTP/1.1", host)},
	{name: "method/get-star", raw: req("GET * HTTP/1.1", host)},
	{name: "method/options-path", raw: req("OPTIONS / HTTP/1.1", host)},
	{name: "method/trace", raw: req("TRACE / HTTP/1.1", host)},
	{name: "method/connect", raw: req("CONNECT localhost:443 HTTP/1.1", host)},
	{name: "method/connect-no-port", raw: req("CONNECT localhost HTTP/1.1", host)},
	{name: "method/connect-path", raw: req("CONNECT / HTTP/1.1", host)},
	{name: "method/propfind", raw: req("PROPFIND / HTTP/1.1", host)},

	// Versions.
	{name: "version/1.0", raw: req("GET / HTTP/1.0", host)},
	{name: "version/2.0", raw: req("GET / HTTP/2.0", host)},
	{name: "version/1.2-no-host", raw: req("GET / HTTP/1.2")},
	{name: "version/1.2", raw: req("GET / HTTP/1.2", host)},
	{name: "version/3.5", raw: req("GET / HTTP/3.5", host)},
	{name: "version/0.9-explicit", raw: req("GET / HTTP/0.9", host)},
	{name: "version/lowercase", raw: req("GET / http/1.1", host)},
	{name: "version/1.10", raw: req("GET / HTTP/1.10", host)},
	{name: "version/no-minor", raw: req("GET / HTTP/1", host)},
	{name: "version/leading-zero", raw: req("GET / HTTP/01.1", host)},
	{name: "version/other-protocol", raw: req("GET / FOO/1.1", host)},
	{name: "version/ctl-after", raw: req("GET / HTTP/1.1\x01", host)},

	// HTTP/0.9 simple requests (Allow0.9, strict: GET only).
	{name: "http09/get", raw: "GET /\r\n"},
	{name: "http09/get-trailing-space", raw: "GET / \r\n"},
	{name: "http09/file", raw: "GET /file.txt\r\n"},
	{name: "http09/missing", raw: "GET /missing\r\n"},
	{name: "http09/head", raw: "HEAD /\r\n"},
	{name: "http09/post", raw: "POST /\r\n"},
	{name: "http09/unknown-method", raw: "FOO /\r\n"},
	{name: "http09/bare-lf", raw: "GET /\n"},
	{name: "http09/bad-uri-host", raw: "GET http://bad..host/\r\n"},
	{name: "http09/fields-ignored", raw: "GET /\r\nHost: localhost\r\n\r\n"},

	// Request-target.
	{name: "target/absolute", raw: get("http://localhost/")},
	{name: "target/absolute-no-host-1.1", raw: req("GET http://localhost/ HTTP/1.1")},
	{name: "target/absolute-no-host-1.0", raw: req("GET http://localhost/ HTTP/1.0")},
	{name: "target/absolute-bad-host-field", raw: req("GET http://localhost/ HTTP/1.1", "Host: a..b")},
	{name: "target/absolute-port", raw: get("http://localhost:8099/file.txt")},
	{name: "target/absolute-userinfo", raw: get("http://user:pw@localhost/")},
	{name: "target/absolute-bad-port", raw: get("http://localhost:abc/")},
	{name: "target/absolute-bad-host", raw: get("http://bad..name/")},
	{name: "target/absolute-ipv6", raw: get("http://[::1]/")},
	{name: "target/absolute-https", raw: get("https://localhost/")},
	{name: "target/absolute-no-path", raw: get("http://localhost")},
	{name: "target/fragment", raw: get("/#frag")},
	{name: "target/fragment-in-query", raw: get("/?a#b")},
	{name: "target/relative", raw: get("foo")},
	{name: "target/query-only", raw: get("?x")},
	{name: "target/double-slash", raw: get("//file.txt")},
	{name: "target/colon-segment", raw: get("a:b")},
	{name: "target/mailto", raw: get("mailto:x")},

	// Header fields.
	{name: "field/space-before-colon", raw: get("/", "X-A : b")},
	{name: "field/tab-before-colon", raw: get("/", "X-A\t: b")},
	{name: "field/no-colon", raw: get("/", "X-A b")},
	{name: "field/empty-name", raw: get("/", ": b")},
	{name: "field/non-token-name", raw: get("/", "X(A): b")},
	{name: "field/obs-text-name", raw: get("/", "X-\xe9: b")},
	{name: "field/ctl-in-value", raw: get("/", "X-A: a\x01b")},
	{name: "field/del-in-value", raw: get("/", "X-A: a\x7fb")},
	{name: "field/nul-in-value", raw: get("/", "X-A: a\x00b")},
	{name: "field/cr-in-value", raw: get("/", "X-A: a\rb")},
	{name: "field/obs-text-value", raw: get("/", "X-A: caf\xe9")},
	{name: "field/tab-in-value", raw: get("/", "X-A: a\tb")},
	{name: "field/obs-fold", raw: get("/", "X-A: a", " b")},
	{name: "field/obs-fold-tab", raw: get("/", "X-A: a", "\t\t b")},
	{name: "field/fold-first-line", raw: req("GET / HTTP/1.1", " X-A: a", host)},
	{name: "field/fold-empty", raw: get("/", "X-A: a", " ")},
	{name: "field/empty-value", raw: get("/", "X-A:")},
	{name: "field/trailing-whitespace", raw: get("/", "X-A: a \t ")},
	{name: "field/size-8191", raw: get("/", fieldOf("X-A", 8191))},
	{name: "field/size-8192", raw: get("/", fieldOf("X-A", 8192))},
	{name: "field/fold-8188", raw: get("/", fieldOf("X-A", 100), " "+strings.Repeat("b", 8188-100-1))},
	{name: "field/fold-8189", raw: get("/", fieldOf("X-A", 100), " "+strings.Repeat("b", 8189-100-1))},
	{name: "field/count-100", raw: get("/", manyFields(99)...)},
	{name: "field/count-101", raw: get("/", manyFields(100)...)},
	{name: "field/merged-8190", raw: get("/", "X-A: "+strings.Repeat("a", 4000), "X-A: "+strings.Repeat("b", 8190-4002))},
	{name: "field/merged-8191", raw: get("/", "X-A: "+strings.Repeat("a", 4000), "X-A: "+strings.Repeat("b", 8191-4002))},
	{name: "field/eof-in-head", raw: "GET / HTTP/1.1\r\nHost: localhost\r\n"},
	{name: "field/eof-in-line", raw: "GET / HTTP/1.1\r\nHost: localhost"},

	// Host.
	{name: "host/missing-1.1", raw: req("GET / HTTP/1.1")},
	{name: "host/empty-1.1", raw: req("GET / HTTP/1.1", "Host:")},
	{name: "host/empty-1.0", raw: req("GET / HTTP/1.0", "Host:")},
	{name: "host/duplicate-same", raw: get("/", host)},
	{name: "host/duplicate-different", raw: get("/", "Host: example.com")},
	{name: "host/port", raw: req("GET / HTTP/1.1", "Host: localhost:8099")},
	{name: "host/port-zero", raw: req("GET / HTTP/1.1", "Host: localhost:0")},
	{name: "host/port-65536", raw: req("GET / HTTP/1.1", "Host: localhost:65536")},
	{name: "host/port-leading-zero", raw: req("GET / HTTP/1.1", "Host: localhost:080")},
	{name: "host/port-only", raw: req("GET / HTTP/1.1", "Host: :80")},
	{name: "host/empty-port", raw: req("GET / HTTP/1.1", "Host: localhost:")},
	{name: "host/numeric", raw: req("GET / HTTP/1.1", "Host: 123")},
	{name: "host/ipv4", raw: req("GET / HTTP/1.1", "Host: 127.0.0.1")},
	{name: "host/ipv4-three-parts", raw: req("GET / HTTP/1.1", "Host: 127.0.1")},
	{name: "host/ipv4-leading-zero", raw: req("GET / HTTP/1.1", "Host: 127.0.0.01")},
	{name: "host/double-dot", raw: req("GET / HTTP/1.1", "Host: a..b")},
	{name: "host/slash", raw: req("GET / HTTP/1.1", "Host: a/b")},
	{name: "host/space", raw: req("GET / HTTP/1.1", "Host: a b")},
	{name: "host/numeric-tld", raw: req("GET / HTTP/1.1", "Host: example.123")},
	{name: "host/ipv6", raw: req("GET / HTTP/1.1", "Host: [::1]:8099")},
	{name: "host/ipv6-unclosed", raw: req("GET / HTTP/1.1", "Host: [::1")},
	{name: "host/ipv6-zone", raw: req("GET / HTTP/1.1", "Host: [fe80::1%25eth0]")},
	{name: "host/ipv6-not-address", raw: req("GET / HTTP/1.1", "Host: [::g]")},
	{name: "host/trailing-dot", raw: req("GET / HTTP/1.1", "Host: example.com.")},
	{name: "host/underscore", raw: req("GET / HTTP/1.1", "Host: under_score.example")},
	{name: "host/obs-text", raw: req("GET / HTTP/1.1", "Host: caf\xe9.example")},
	{name: "host/comma", raw: req("GET / HTTP/1.1", "Host: a,b")},
	{name: "host/malformed-1.0", raw: req("GET / HTTP/1.0", "Host: a..b")},

	// Content-Length.
	{name: "length/zero", raw: get("/", "Content-Length: 0")},
	{name: "length/body-get", raw: get("/", "Content-Length: 5") + "hello"},
	{name: "length/letters", raw: get("/", "Content-Length: abc")},
	{name: "length/negative", raw: get("/", "Content-Length: -1")},
	{name: "length/plus", raw: get("/", "Content-Length: +5") + "hello"},
	{name: "length/spaces-around", raw: get("/", "Content-Length:  5  ") + "hello"},
	{name: "length/list", raw: get("/", "Content-Length: 5, 5") + "hello"},
	{name: "length/duplicate-same", raw: get("/", "Content-Length: 5", "Content-Length: 5") + "hello"},
	{name: "length/duplicate-different", raw: get("/", "Content-Length: 5", "Content-Length: 6") + "hello!"},
	{name: "length/overflow", raw: get("/", "Content-Length: 99999999999999999999")},
	{name: "length/max-int64", raw: get("/", "Content-Length: 9223372036854775807")},
	{name: "length/over-1gib", raw: get("/", "Content-Length: 1073741825")},
	{name: "length/1gib-truncated", raw: get("/", "Content-Length: 1073741824")},
	{name: "length/truncated", raw: get("/", "Content-Length: 10") + "abc"},
	{name: "length/hex", raw: get("/", "Content-Length: 0x10")},
	{name: "length/empty", raw: get("/", "Content-Length:")},
	{name: "length/small-at-limit", raw: get("/small/", "Content-Length: 100") + strings.Repeat("x", 100), bodyLimit: 100},
	{name: "length/small-over-limit", raw: get("/small/", "Content-Length: 101") + strings.Repeat("x", 101), bodyLimit: 100},

	// Transfer-Encoding.
	{name: "te/chunked", raw: chunked("/", "5\r\nhello\r\n0\r\n\r\n")},
	{name: "te/gzip", raw: get("/", "Transfer-Encoding: gzip")},
	{name: "te/gzip-chunked", raw: get("/", "Transfer-Encoding: gzip, chunked") + "0\r\n\r\n"},
	{name: "te/chunked-gzip", raw: get("/", "Transfer-Encoding: chunked, gzip")},
	{name: "te/uppercase", raw: get("/", "Transfer-Encoding: CHUNKED") + "0\r\n\r\n"},
	{name: "te/identity", raw: get("/", "Transfer-Encoding: identity")},
	{name: "te/with-length", raw: get("/", "Transfer-Encoding: chunked", "Content-Length: 5") + "5\r\nhello\r\n0\r\n\r\n" + get("/file.txt")},
	{name: "te/fields-gzip-then-chunked", raw: get("/", "Transfer-Encoding: gzip", "Transfer-Encoding: chunked") + "0\r\n\r\n"},
	{name: "te/fields-chunked-then-gzip", raw: get("/", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip")},
	{name: "te/no-comma", raw: get("/", "Transfer-Encoding: gzip chunked")},
	{name: "te/xchunked", raw: get("/", "Transfer-Encoding: xchunked")},
	{name: "te/chunked-twice", raw: get("/", "Transfer-Encoding: chunked, chunked") + "0\r\n\r\n"},
	{name: "te/http10", raw: req("GET / HTTP/1.0", "Transfer-Encoding: chunked") + "0\r\n\r\n"},

	// Chunked bodies.
	{name: "chunk/extension", raw: chunked("/", "5;foo=bar\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/extension-quoted", raw: chunked("/", "5;foo=\"a b;c\"\r\nhello\r\n0;x\r\n\r\n")},
	{name: "chunk/extension-ctl", raw: chunked("/", "5;foo=\x01\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/uppercase-hex", raw: chunked("/", "A\r\n0123456789\r\n0\r\n\r\n")},
	{name: "chunk/leading-zeros", raw: chunked("/", "0005\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/many-leading-zeros", raw: chunked("/", strings.Repeat("0", 40)+"5\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/invalid-hex", raw: chunked("/", "g\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/empty-size", raw: chunked("/", "\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/bws", raw: chunked("/", "5 \t\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/bws-10", raw: chunked("/", "5"+strings.Repeat(" ", 10)+"\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/bws-11", raw: chunked("/", "5"+strings.Repeat(" ", 11)+"\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/bws-then-ext", raw: chunked("/", "5 ;a\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/space-before-size", raw: chunked("/", " 5\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/junk-after-size", raw: chunked("/", "5 x\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/negative", raw: chunked("/", "-5\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/0x-prefix", raw: chunked("/", "0x5\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/overflow-17-digits", raw: chunked("/", "10000000000000000\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/overflow-sign", raw: chunked("/", "8000000000000000\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/bare-lf-size", raw: chunked("/", "5\nhello\r\n0\r\n\r\n")},
	{name: "chunk/missing-crlf-after-data", raw: chunked("/", "5\r\nhelloX\r\n0\r\n\r\n")},
	{name: "chunk/bare-lf-after-data", raw: chunked("/", "5\r\nhello\n0\r\n\r\n")},
	{name: "chunk/cr-without-lf", raw: chunked("/", "5\rX\r\nhello\r\n0\r\n\r\n")},
	{name: "chunk/trailer", raw: chunked("/", "5\r\nhello\r\n0\r\nX-T: v\r\nX-U: w\r\n\r\n")},
	{name: "chunk/trailer-malformed", raw: chunked("/", "5\r\nhello\r\n0\r\nX-T v\r\n\r\n")},
	{name: "chunk/trailer-fold", raw: chunked("/", "5\r\nhello\r\n0\r\nX-T: v\r\n w\r\n\r\n")},
	{name: "chunk/trailer-bare-lf", raw: chunked("/", "5\r\nhello\r\n0\r\nX-T: v\n\r\n")},
	{name: "chunk/trailer-count-101", raw: chunked("/", "0\r\n"+strings.Join(manyFields(101), "\r\n")+"\r\n\r\n")},
	{name: "chunk/truncated-data", raw: chunked("/", "5\r\nhel")},
	{name: "chunk/missing-last-chunk", raw: chunked("/", "5\r\nhello\r\n")},
	{name: "chunk/missing-final-crlf", raw: chunked("/", "5\r\nhello\r\n0\r\n")},
	{name: "chunk/size-line-8190", raw: chunked("/", sizeLineOf(8190)+"hello\r\n0\r\n\r\n")},
	{name: "chunk/size-line-8191", raw: chunked("/", sizeLineOf(8191)+"hello\r\n0\r\n\r\n")},
	{name: "chunk/small-at-limit", raw: chunked("/small/", "64\r\n"+strings.Repeat("x", 100)+"\r\n0\r\n\r\n"), bodyLimit: 100},
	{name: "chunk/small-over-limit", raw: chunked("/small/", "64\r\n"+strings.Repeat("x", 100)+"\r\n1\r\nx\r\n0\r\n\r\n"), bodyLimit: 100},
	{name: "chunk/small-declared-over-limit-truncated", raw: chunked("/small/", "1000\r\n"+strings.Repeat("x", 10)), bodyLimit: 100,
		ours: "413", why: "a chunk announced beyond LimitRequestBody is refused before its data is read; Apache reads on and, the data being cut short, answers 400"},

	// Expect.
	{name: "expect/100-continue", raw: req("POST /file.txt HTTP/1.1", host, "Expect: 100-continue", "Content-Length: 5") + "hello"},
	{name: "expect/unknown", raw: get("/", "Expect: foo")},
	{name: "expect/case", raw: get("/", "Expect: 100-Continue")},
	{name: "expect/empty", raw: get("/", "Expect:")},
	{name: "expect/http10", raw: req("GET / HTTP/1.0", "Expect: 100-continue")},
	{name: "expect/duplicate", raw: get("/", "Expect: 100-continue", "Expect: 100-continue")},

	// Connections and pipelining.
	{name: "pipeline/two-gets", raw: get("/") + get("/file.txt")},
	{name: "pipeline/close-first", raw: get("/", "Connection: close") + get("/file.txt")},
	{name: "pipeline/http10-keep-alive", raw: req("GET / HTTP/1.0", "Connection: keep-alive") + req("GET /file.txt HTTP/1.0")},
	{name: "pipeline/http10-no-keep-alive", raw: req("GET / HTTP/1.0") + req("GET /file.txt HTTP/1.0")},
	{name: "pipeline/after-error", raw: get("/", "X-A : b") + get("/file.txt")},
	{name: "pipeline/post-then-get", raw: req("POST /file.txt HTTP/1.1", host, "Content-Length: 5") + "hello" + get("/")},
	{name: "pipeline/chunked-then-get", raw: chunked("/file.txt", "5\r\nhello\r\n0\r\n\r\n") + get("/missing")},
	{name: "pipeline/unknown-method-then-get", raw: req("FOO / HTTP/1.1", host) + get("/")},
	{name: "pipeline/crlf-between", raw: get("/") + "\r\n" + get("/file.txt")},
}
