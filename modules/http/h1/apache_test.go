package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const recordedFile = "testdata/apache_cases.txt"

// parseDecided are the statuses Apache answers while reading the request
// head or body: for these the parser must give the same answer. Any other
// status (200, 404, 405, 501, ...) is decided later by the server, and the
// parser must accept the request.
var parseDecided = map[string]bool{"400": true, "413": true, "414": true, "417": true}

// dropsConnection are the statuses after which Apache closes the
// connection (ap_status_drops_connection), ignoring pipelined requests.
var dropsConnection = map[string]bool{
	"400": true, "408": true, "411": true, "413": true, "414": true,
	"417": true, "500": true, "501": true, "503": true,
}

// outcomes runs the parser over raw as a server would: read a head, read
// its body, repeat while the client keeps the connection. Each request
// yields "ok", the status of an *Error, or "-" when nothing would be
// answered (the connection ended, or ended in the request line).
func outcomes(raw []byte, limits Limits) []string {
	p := NewReader(bufio.NewReaderSize(strings.NewReader(string(raw)), 512), limits)
	var req Request
	var out []string
	for range 20 {
		err := p.ReadRequest(&req)
		if err == nil {
			_, err = io.Copy(io.Discard, p.Body(&req))
		}
		switch {
		case err == nil:
			out = append(out, "ok")
			if !req.KeepAlive() {
				return out
			}
			continue
		case errors.Is(err, io.EOF) && StatusOf(err) == 0:
			return out
		case StatusOf(err) != 0:
			return append(out, fmt.Sprint(StatusOf(err)))
		default:
			return append(out, "-")
		}
	}
	return out
}

// loadRecorded reads testdata/apache_cases.txt: "name<TAB>statuses".
func loadRecorded(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(recordedFile)
	require.NoError(t, err, "re-record with testdata/record_apache.sh")
	rec := make(map[string][]string)
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, statuses, ok := strings.Cut(line, "\t")
		require.True(t, ok, "malformed line %q", line)
		rec[name] = nil
		if statuses != "" {
			rec[name] = strings.Split(statuses, ",")
		}
	}
	return rec
}

func caseLimits(c rawCase) Limits {
	l := DefaultLimits()
	if c.bodyLimit != 0 {
		l.Body = c.bodyLimit
	}
	return l
}

// TestApacheCases checks the parser against the answers Apache gave to the
// same bytes.
func TestApacheCases(t *testing.T) {
	rec := loadRecorded(t)
	require.GreaterOrEqual(t, len(apacheCases), 100)
	seen := make(map[string]bool)
	for _, c := range apacheCases {
		t.Run(c.name, func(t *testing.T) {
			require.False(t, seen[c.name], "duplicate case name")
			seen[c.name] = true
			apache, ok := rec[c.name]
			require.True(t, ok, "no recorded answer: re-record with testdata/record_apache.sh")
			got := outcomes([]byte(c.raw), caseLimits(c))
			if c.ours != "" {
				require.NotEmpty(t, c.why, "a deliberate difference needs its reason")
				assert.Equal(t, strings.Split(c.ours, ","), got, "deliberate difference: %s (Apache: %v)", c.why, apache)
				return
			}
			var want []string
			for _, s := range apache {
				switch {
				case strings.HasPrefix(s, "1"):
					// interim 100 Continue
				case strings.HasPrefix(s, "0.9:") && parseDecided[s[4:]]:
					want = append(want, s[4:])
				case s == "-":
					// no answer: the connection ended first
				case parseDecided[s]:
					want = append(want, s)
				default:
					want = append(want, "ok")
				}
			}
			got = slices.DeleteFunc(got, func(s string) bool { return s == "-" })
			if len(got) > len(want) && len(want) > 0 && dropsConnection[apache[len(apache)-1]] {
				got = got[:len(want)] // Apache closed after answering
			}
			assert.Equal(t, strings.Join(want, ","), strings.Join(got, ","), "Apache answered %v", apache)
		})
	}
}

var (
	statusLine = regexp.MustCompile(`(?m)^HTTP/1\.[01] (\d{3}) `)
	errorTitle = regexp.MustCompile(`<title>(\d{3}) `)
)

// TestRecordApache sends every case to a running Apache and rewrites
// testdata/apache_cases.txt with its answers. It runs only when
// H1_APACHE_ADDR names the (loopback) address Apache listens on; see
// testdata/record_apache.sh.
func TestRecordApache(t *testing.T) {
	addr := os.Getenv("H1_APACHE_ADDR")
	if addr == "" {
		t.Skip("H1_APACHE_ADDR not set; run testdata/record_apache.sh to re-record")
	}
	host, _, err := net.SplitHostPort(addr)
	require.NoError(t, err)
	require.True(t, net.ParseIP(host).IsLoopback(), "record from a loopback address only")

	var b strings.Builder
	fmt.Fprintf(&b, "# Answers of %s to the raw requests of cases_test.go,\n", os.Getenv("H1_APACHE_VERSION"))
	fmt.Fprintf(&b, "# recorded on %s by testdata/record_apache.sh (configuration: testdata/apache.conf.in).\n", time.Now().UTC().Format("2006-01-02"))
	b.WriteString("# name<TAB>status of each response, comma-separated (interim 1xx included);\n")
	b.WriteString("# \"-\" = no response at all; \"0.9\" = an HTTP/0.9 response (body without status line);\n")
	b.WriteString("# \"0.9:NNN\" = an HTTP/0.9 error page for status NNN.\n")
	for _, c := range apacheCases {
		statuses, err := sendRaw(addr, []byte(c.raw))
		require.NoError(t, err, c.name)
		fmt.Fprintf(&b, "%s\t%s\n", c.name, strings.Join(statuses, ","))
	}
	require.NoError(t, os.WriteFile(recordedFile, []byte(b.String()), 0o644))
}

// sendRaw writes raw on a new connection, half-closes it and returns the
// statuses of the responses read until Apache closes the connection.
func sendRaw(addr string, raw []byte) ([]string, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		return nil, err
	}
	if _, err := conn.Write(raw); err != nil {
		return nil, err
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		return nil, err
	}
	resp, err := io.ReadAll(conn)
	if err != nil && len(resp) == 0 {
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			// A reset after Apache closed on an error: no answer.
			return []string{"-"}, nil
		}
		return nil, err
	}
	if len(resp) == 0 {
		return []string{"-"}, nil
	}
	if !strings.HasPrefix(string(resp), "HTTP/") {
		// HTTP/0.9: no status line; an error page still names its status.
		if m := errorTitle.FindSubmatch(resp); m != nil {
			return []string{"0.9:" + string(m[1])}, nil
		}
		return []string{"0.9"}, nil
	}
	var statuses []string
	for _, m := range statusLine.FindAllSubmatch(resp, -1) {
		statuses = append(statuses, string(m[1]))
	}
	return statuses, nil
}
