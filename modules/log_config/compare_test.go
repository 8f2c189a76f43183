package logconfig

import (
	"bufio"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The Apache comparison: the same LogFormats and the same requests (in
// testdata/requests.txt) are given to Debian's Apache 2.4 (once, by
// TestCaptureApache, which stores its logs in testdata/apache) and to
// gohttpd (by TestLinesMatchApache); the lines must be equal once the
// fields that legitimately differ — times, durations, pids, ports, the
// document root — are masked.

// cmpLog is one log of the comparison.
type cmpLog struct {
	file string
	spec string // format (LogFormat language) or nickname
	cond string // optional env= clause
	mask func(string) string
}

// Formats covering every directive; fields are separated by '|'.
const (
	fieldsFormat  = `%a|%A|%h|%{c}h|%{c}a|%l|%u|%v|%V|%p|%{local}p|%{remote}p|%{canonical}p|%{bogus}p|%H|%m|%U|%>U|%q|%r|%<r|%s|%>s|%<s|%b|%B|%I|%O|%S|%X|%k|%L|%f|%R|%%|tab\there|back\\slash|lit"q`
	headersFormat = `%{Host}i|%{X-Multi}i|%{Referer}i|%{User-Agent}i|%{Content-Type}o|%{Content-Length}o|%{Last-Modified}o|%{ETag}o|%{Set-Cookie}o|%{X-None}o|%{a}C|%{sess}C|%{other}C|%{none}C|%{nope}e|%{nope}n|%400,501{User-agent}i|%!200,304{Referer}i|%200{Host}i|%!404>s|%{Connection}o|%{Keep-Alive}o`
	timesFormat   = `%t|%{sec}t|%{msec}t|%{usec}t|%{msec_frac}t|%{usec_frac}t|%{%d/%b/%Y:%H:%M:%S %z}t|%{begin:%a %A %B %j %p %Z %e}t|%{end}t|%{end:sec}t|%D|%T|%{ms}T|%{us}T|%{bogus}T|%P|%{pid}P|%{tid}P|%{hextid}P`
	bytesFormat   = `%I %O %S`
)

var (
	clfTime    = regexp.MustCompile(`\[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\]`)
	vhostBytes = regexp.MustCompile(`(" \d{3}) \d+ "`)
	digitRuns  = regexp.MustCompile(`[0-9]+`)
	alphaRuns  = regexp.MustCompile(`[A-Za-z]+`)
)

func maskTime(s string) string { return clfTime.ReplaceAllString(s, "[TIME]") }

// maskFields replaces the '|'-separated fields at the given indexes.
func maskFields(idx ...int) func(string) string {
	return func(s string) string {
		f := strings.Split(s, "|")
		for _, i := range idx {
			if i < len(f) {
				f[i] = "*"
			}
		}
		return strings.Join(f, "|")
	}
}

// shape keeps only the form of a times line: runs of digits and of
// letters become 9 and a (the two servers ran at different times).
func shape(s string) string {
	f := strings.Split(s, "|")
	f[len(f)-1] = "*" // %{hextid}P: Apache's pthread_t, gohttpd's kernel tid
	s = strings.Join(f, "|")
	s = digitRuns.ReplaceAllString(s, "9")
	return alphaRuns.ReplaceAllString(s, "a")
}

var cmpLogs = []cmpLog{
	{file: "combined.log", spec: "combined", mask: maskTime},
	{file: "common.log", spec: "common", mask: maskTime},
	{file: "vhost.log", spec: "vhost_combined", mask: func(s string) string {
		return vhostBytes.ReplaceAllString(maskTime(s), "$1 %O \"")
	}},
	{file: "referer.log", spec: "referer", mask: func(s string) string { return s }},
	{file: "agent.log", spec: "agent", mask: func(s string) string { return s }},
	// %{local}p, %{remote}p: the servers listened on different ports;
	// %O, %S: the response heads differ (Server, Date); checked against
	// the bytes on the wire instead.
	{file: "fields.log", spec: fieldsFormat, mask: maskFields(10, 11, 27, 28)},
	{file: "headers.log", spec: headersFormat, mask: func(s string) string { return s }},
	{file: "times.log", spec: timesFormat, mask: shape},
	{file: "bytes.log", spec: bytesFormat, mask: func(s string) string { return strings.Fields(s)[0] }},
	{file: "env.log", spec: "common", cond: "env=!nolog", mask: maskTime},
	{file: "envset.log", spec: "common", cond: "env=nolog", mask: maskTime},
}

// apacheDocRoot is where TestCaptureApache served from; lines name it.
const apacheDocRoot = "/tmp/gohttpd-logcmp/htdocs"

// indexMtime is the modification time of htdocs/index.html on both sides.
var indexMtime = time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)

const indexBody = "<h1>hello</h1>\n"

// loadRequests reads testdata/requests.txt: one connection per line.
func loadRequests(t *testing.T) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "requests.txt"))
	require.NoError(t, err)
	var conns [][]string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var reqs []string
		for line != "" {
			q, err := strconv.QuotedPrefix(line)
			require.NoError(t, err, "requests.txt: %s", line)
			s, err := strconv.Unquote(q)
			require.NoError(t, err)
			reqs = append(reqs, s)
			line = strings.TrimSpace(line[len(q):])
		}
		conns = append(conns, reqs)
	}
	return conns
}

// wire is what the client saw of one request: bytes sent and received.
type wire struct{ sent, received int64 }

// countingReader counts what it reads.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// sendRequests sends every connection's requests in order, each after the
// previous response, and after each connection waits until logFile has a
// line per request so far (so lines are in request order whichever worker
// wrote them). It returns the bytes of each request and response.
func sendRequests(t *testing.T, addr string, conns [][]string, logFile string) []wire {
	t.Helper()
	var out []wire
	for _, reqs := range conns {
		nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
		cr := &countingReader{r: nc}
		br := bufio.NewReader(cr)
		for i, req := range reqs {
			_, err := io.WriteString(nc, req)
			require.NoError(t, err)
			method, _, _ := strings.Cut(req, " ")
			resp, err := nethttp.ReadResponse(br, &nethttp.Request{Method: method})
			require.NoError(t, err, "response to %q", req)
			_, err = io.Copy(io.Discard, resp.Body)
			require.NoError(t, err)
			resp.Body.Close()
			if i == len(reqs)-1 {
				_, _ = io.Copy(io.Discard, br) // until the server closes
			}
			prev := int64(0)
			for _, w := range out[len(out)-i:] {
				prev += w.received
			}
			out = append(out, wire{sent: int64(len(req)), received: cr.n - int64(br.Buffered()) - prev})
		}
		nc.Close()
		waitLines(t, logFile, len(out))
	}
	return out
}

// waitLines waits (up to 5 s) until file has n lines.
func waitLines(t *testing.T, file string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if len(readLines(t, file)) >= n {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readLines(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// writeDocRoot makes htdocs/index.html with the fixed body and mtime.
func writeDocRoot(t *testing.T, docroot string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(docroot, 0o755))
	index := filepath.Join(docroot, "index.html")
	require.NoError(t, os.WriteFile(index, []byte(indexBody), 0o644))
	require.NoError(t, os.Chtimes(index, indexMtime, indexMtime))
}

// apacheQuote quotes a format for httpd.conf, where only the quote needs a
// backslash.
func apacheQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// argQuote quotes a word for gohttpd's Apache-argument syntax, where a
// backslash escapes the quote and itself.
func argQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// tomlQuote writes s as a TOML basic string.
func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// customLogs returns the CustomLog values for gohttpd's TOML.
func customLogs(logDir string) string {
	var items []string
	for _, l := range cmpLogs {
		spec := l.spec
		if _, nick := builtinFormats[spec]; !nick {
			spec = argQuote(spec)
		}
		item := argQuote(filepath.Join(logDir, l.file)) + " " + spec
		if l.cond != "" {
			item += " " + l.cond
		}
		items = append(items, tomlQuote(item))
	}
	return "CustomLog = [\n  " + strings.Join(items, ",\n  ") + ",\n]\n"
}

// apacheConf is the httpd.conf TestCaptureApache runs Apache with. The
// nicknames gohttpd has built in are defined explicitly.
func apacheConf(root string, port int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `ServerRoot %[1]q
Listen 127.0.0.1:%[2]d
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
TypesConfig /etc/mime.types
StartServers 1
MinSpareServers 1
MaxSpareServers 2
User nobody
Group nogroup
ServerName localhost
ServerTokens Prod
DocumentRoot %[3]q
<Directory />
    Require all granted
</Directory>
ErrorLog %[1]s/logs/error.log
PidFile %[1]s/logs/httpd.pid
DefaultRuntimeDir %[1]s/run
`, root, port, apacheDocRoot)
	for _, nick := range []string{"common", "combined", "vhost_combined", "referer", "agent"} {
		fmt.Fprintf(&b, "LogFormat %s %s\n", apacheQuote(builtinFormats[nick]), nick)
	}
	for _, l := range cmpLogs {
		spec := l.spec
		if _, nick := builtinFormats[spec]; !nick {
			spec = apacheQuote(spec)
		}
		fmt.Fprintf(&b, "CustomLog %s/logs/%s %s %s\n", root, l.file, spec, l.cond)
	}
	return b.String()
}
