package logconfig

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/pipeline"
)

// fixedTime is when testRequest arrived; it took 1.5 s.
var fixedTime = time.Date(2024, 3, 9, 14, 5, 7, 123456000, time.FixedZone("XYZ", -7*3600))

// testRequest is a served request with every field set.
func testRequest() *pipeline.Request {
	c := &pipeline.Conn{RemoteAddr: "192.0.2.7", RemotePort: 51000, LocalAddr: "198.51.100.1", LocalPort: 8080,
		Keepalive: true, Keepalives: 3, Worker: pipeline.NopWorkerSlot{}}
	s := &pipeline.Server{ServerName: "www.example.test", MaxKeepAliveRequests: 100}
	r := &pipeline.Request{Conn: c, Server: s, Time: fixedTime,
		RequestLine: `GET /a%20b?x=1&y="2" HTTP/1.1`, Method: "GET", URI: "/a b", RawURI: `/a%20b?x=1&y="2"`,
		Args: `x=1&y="2"`, Protocol: "HTTP/1.1", ProtoNum: 1001, Hostname: "www.example.test",
		Filename: "/srv/www/a b", Status: 200, BytesSent: 1234, User: "alice", ContentType: "text/html; charset=utf-8"}
	r.HeadersIn.Add("Host", "www.example.test")
	r.HeadersIn.Add("User-Agent", "curl/8.0 \"x\"")
	r.HeadersIn.Add("Accept", "a")
	r.HeadersIn.Add("accept", "b")
	r.HeadersIn.Add("Cookie", "theme=dark; session = s1 ;empty=;flag")
	r.HeadersIn.Add("X-Empty", "")
	r.HeadersOut.Add("Set-Cookie", "a=1")
	r.HeadersOut.Add("Set-Cookie", "b=2")
	r.HeadersOut.Add("ETag", `"abc"`)
	r.ErrHeadersOut.Add("X-Err", "e")
	r.SubprocessEnv.Add("HTTPS", "on")
	r.Notes.Add("note", "n\x01")
	return r
}

// line renders format for r with logging at fixedTime+1.5s.
func line(t *testing.T, format string, r *pipeline.Request) string {
	t.Helper()
	f, err := ParseFormat(format)
	require.NoError(t, err, format)
	lc := logCtx{end: fixedTime.Add(1500 * time.Millisecond), bytesIn: 321, bytesOut: 4567}
	out := string(f.appendLine(nil, &lc, r.Initial(), r.Last()))
	require.True(t, strings.HasSuffix(out, "\n"), "a line ends with a newline")
	return strings.TrimSuffix(out, "\n")
}

func TestFormatDirectives(t *testing.T) {
	for _, tc := range []struct{ format, want string }{
		{`%h %l %u %t "%r" %>s %b`, `192.0.2.7 - alice [09/Mar/2024:14:05:07 -0700] "GET /a%20b?x=1&y=\"2\" HTTP/1.1" 200 1234`},
		{`%a|%{c}a|%A|%{c}h`, `192.0.2.7|192.0.2.7|198.51.100.1|192.0.2.7`},
		{`%v|%V|%p|%{canonical}p|%{local}p|%{remote}p|%{other}p`, `www.example.test|www.example.test|80|80|8080|51000|other`},
		{`%H|%m|%U|%q|%s|%B|%f|%R|%L`, `HTTP/1.1|GET|/a b|?x=1&y=\"2\"|200|1234|/srv/www/a b|-|-`},
		{`%{User-Agent}i|%{accept}i|%{X-Empty}i|%{X-None}i`, `curl/8.0 \"x\"|a, b||-`},
		{`%{Content-Type}o|%{Set-Cookie}o|%{ETag}o|%{X-Err}o`, `text/html|a=1, b=2|\"abc\"|-`},
		{`%{HTTPS}e|%{none}e|%{note}n`, `on|-|n\x01`},
		{`%{theme}C|%{SESSION}C|%{empty}C|%{flag}C|%{none}C`, `dark|s1|-|-|-`},
		{`%I|%O|%S`, `321|4567|4888`},
		{`%D|%T|%{s}T|%{ms}T|%{us}T|%{min}T`, `1500000|1|1|1500|1500000|min`},
		{`%{sec}t|%{msec}t|%{usec}t|%{msec_frac}t|%{usec_frac}t`, `1710018307|1710018307123|1710018307123456|123|123456`},
		{`%{end}t|%{end:sec}t|%{begin:msec}t|%{begin}t`, `[09/Mar/2024:14:05:08 -0700]|1710018308|1710018307123|[09/Mar/2024:14:05:07 -0700]`},
		{`%X|%k`, `+|2`},
		{`%%|100%%|\t|\n|\\|\"|\q|end\`, "%|100%|\t|\n|\\|\\\"|\\q|end\\"},
		{`%200{Host}i|%!200{Host}i|%404,500{Host}i|%!404,500{Host}i|%!!200s`, `www.example.test|-|-|www.example.test|200`},
		{`%^ti|%^to|%^FB`, `-|-|-`},
	} {
		f := tc.format
		t.Run(f, func(t *testing.T) {
			r := testRequest()
			// %t and friends render in the local zone; pin it.
			defer setLocal(fixedTime.Location())()
			assert.Equal(t, tc.want, line(t, f, r))
		})
	}
}

// setLocal sets time.Local for one test and returns the undo.
func setLocal(loc *time.Location) func() {
	old := time.Local
	time.Local = loc
	return func() { time.Local = old }
}

func TestFormatDurationsMeasureUntilLogging(t *testing.T) {
	r := testRequest()
	r.Time = time.Now()
	for _, format := range []string{"%D", "%{us}T", "%T"} {
		f, err := ParseFormat(format)
		require.NoError(t, err)
		v, err := strconv.ParseInt(strings.TrimSpace(string(f.AppendLine(nil, r))), 10, 64)
		require.NoError(t, err, format)
		assert.GreaterOrEqual(t, v, int64(0), format)
	}
}

func TestFormatAbsentValues(t *testing.T) {
	c := &pipeline.Conn{RemoteAddr: "192.0.2.7", Worker: pipeline.NopWorkerSlot{}}
	r := &pipeline.Request{Conn: c, Server: &pipeline.Server{}, Time: fixedTime}
	assert.Equal(t, `- - - "-" - - - - - 0 -`, line(t, `%u %l %f "%r" %m %H %U %s %b %B %v`, r))
	assert.Equal(t, `|-`, line(t, `%q|%X`, r))
}

func TestFormatOriginalAndFinalRequest(t *testing.T) {
	orig := testRequest()
	orig.Status = 404
	final := &pipeline.Request{Conn: orig.Conn, Server: orig.Server, Prev: orig, Time: fixedTime,
		RequestLine: "GET /404.html HTTP/1.1", Method: "GET", URI: "/404.html", Status: 200, BytesSent: 99,
		Filename: "/srv/www/404.html"}
	final.HeadersIn = orig.HeadersIn.Clone() // as an internal redirect copies them
	orig.Next = final
	assert.Equal(t, "404|200|404|200", line(t, `%s|%>s|%<s|%>s`, orig))
	assert.Equal(t, "/a b|/404.html|/srv/www/404.html|/srv/www/a b", line(t, `%U|%>U|%f|%<f`, final))
	assert.Equal(t, "99|99", line(t, `%b|%B`, orig))
	assert.Equal(t, `GET /a%20b?x=1&y=\"2\" HTTP/1.1`, line(t, `%r`, final))
	// Conditions test the final status.
	assert.Equal(t, "-|www.example.test", line(t, `%404{Host}i|%200{Host}i`, orig))
}

func TestFormatURIOfRefusedRequest(t *testing.T) {
	// A request refused while its head was read has no normalised path:
	// %U is the path of the request-target, as Apache's.
	r := testRequest()
	r.URI = ""
	r.RawURI = "http://h/x%41/y?q"
	assert.Equal(t, "/x%41/y", line(t, `%U`, r))
}

func TestFormatConnectionStatus(t *testing.T) {
	r := testRequest()
	r.Conn.Keepalive = false
	assert.Equal(t, "-", line(t, "%X", r))
	r.Conn.Keepalive, r.Conn.Keepalives = true, 100
	assert.Equal(t, "-", line(t, "%X", r), "MaxKeepAliveRequests reached")
	r.Conn.Aborted = true
	assert.Equal(t, "X", line(t, "%X", r))
}

func TestParseFormatErrors(t *testing.T) {
	for format, want := range map[string]string{
		"%Z":        "Unrecognized LogFormat directive %Z",
		"%h %{x}":   "Ran off end of LogFormat parsing args to some directive",
		"%{x":       "Ran off end of LogFormat parsing args to some directive",
		"%400":      "Ran off end of LogFormat parsing args to some directive",
		"%":         "Ran off end of LogFormat parsing args to some directive",
		"%^zzh":     "Unrecognized LogFormat directive %^",
		"ok %>!<%y": "Unrecognized LogFormat directive %%",
	} {
		_, err := ParseFormat(format)
		if assert.Error(t, err, format) {
			assert.Equal(t, want, err.Error(), format)
		}
	}
}

func TestParseFormatByteCounters(t *testing.T) {
	for format, want := range map[string]bool{"%h": false, "%I": true, "%>O": true, "%{x}S": true, "%%I": false} {
		f, err := ParseFormat(format)
		require.NoError(t, err)
		assert.Equal(t, want, f.UsesByteCounters(), format)
		assert.Equal(t, format, f.String())
	}
}

func TestAppendEscaped(t *testing.T) {
	for in, want := range map[string]string{
		"plain text/ok":        "plain text/ok",
		`say "hi" \o/`:         `say \"hi\" \\o/`,
		"\b\n\r\t\v":           `\b\n\r\t\v`,
		"\x01\x1f\x7f":         `\x01\x1f\x7f`,
		"caf\xc3\xa9 \xff":     `caf\xc3\xa9 \xff`,
		"cut\x00after the NUL": "cut",
		"":                     "",
	} {
		assert.Equal(t, want, string(AppendEscaped(nil, in)), "%q", in)
	}
	assert.Equal(t, `pre:\"`, string(AppendEscaped([]byte("pre:"), `"`)))
}

func TestCookieValue(t *testing.T) {
	for _, tc := range []struct {
		header, name, want string
		ok                 bool
	}{
		{"a=1; b=2", "b", "2", true},
		{"a=1;b=2", "A", "1", true},
		{" a = spaced value ;b=2", "a", "spaced value", true},
		{"a=x=y", "a", "x=y", true},
		{"a=; b=2", "a", "", false},
		{"a; a=3", "a", "3", true},
		{"ab=1", "a", "", false},
		{"", "a", "", false},
	} {
		v, ok := cookieValue(tc.header, tc.name)
		assert.Equal(t, tc.ok, ok, "%q %q", tc.header, tc.name)
		assert.Equal(t, tc.want, v, "%q %q", tc.header, tc.name)
	}
}

// TestStrftimeMatchesGlibc compares every conversion with date(1), which
// formats with glibc's strftime as Apache's apr_strftime does.
func TestStrftimeMatchesGlibc(t *testing.T) {
	date, err := exec.LookPath("date")
	if err != nil {
		t.Skip("date(1) not found")
	}
	format := "%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %k %l %m %M %n %p %P %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %% %Ey %Od %q"
	for _, ts := range []time.Time{
		time.Date(2024, 3, 9, 14, 5, 7, 0, time.UTC),
		time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),      // ISO week of the year before
		time.Date(2020, 12, 31, 23, 59, 59, 0, time.UTC), // week 53
		time.Date(1999, 7, 4, 9, 0, 3, 0, time.UTC),
	} {
		cmd := exec.Command(date, "-u", "-d", "@"+itoa(ts.Unix()), "+"+format)
		cmd.Env = []string{"LC_ALL=C", "TZ=UTC"}
		out, err := cmd.Output()
		require.NoError(t, err)
		want := strings.TrimSuffix(string(out), "\n")
		assert.Equal(t, want, string(appendStrftime(nil, ts, format)), ts.String())
	}
}

func itoa(n int64) string { return string(appendPadded(nil, n, 1)) }
