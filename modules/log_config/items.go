package logconfig

import (
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"gohttpd/pipeline"
)

// directives maps each % letter to its renderer. The orig flags are
// Apache's defaults: %s, %U, %r, %D, %T, %R and %L describe the original
// request of an internal redirect chain, the others the last one.
var directives = map[byte]directive{
	'a': {render: renderRemoteAddr},
	'A': {render: renderLocalAddr},
	'b': {render: renderBytesCLF},
	'B': {render: renderBytes},
	'C': {render: renderCookie},
	'D': {render: renderMicros, orig: true, end: true},
	'e': {render: renderEnv},
	'f': {render: renderFilename},
	'h': {render: renderRemoteHost},
	'H': {render: renderProtocol},
	'i': {render: renderHeaderIn},
	'I': {render: renderBytesIn, logio: true},
	'k': {render: renderKeepalives},
	'l': {render: renderDash},
	'L': {render: renderDash, orig: true},
	'm': {render: renderMethod},
	'n': {render: renderNote},
	'o': {render: renderHeaderOut},
	'O': {render: renderBytesOut, logio: true},
	'p': {render: renderPort},
	'P': {render: renderPid},
	'q': {render: renderQuery},
	'r': {render: renderRequestLine, orig: true},
	'R': {render: renderHandler, orig: true},
	's': {render: renderStatus, orig: true},
	'S': {render: renderBytesInOut, logio: true},
	't': {render: renderTime, endArg: true},
	'T': {render: renderDuration, orig: true, end: true},
	'u': {render: renderUser},
	'U': {render: renderURI, orig: true},
	'v': {render: renderServerName},
	'V': {render: renderRequestHost},
	'X': {render: renderConnStatus},
}

// caretDirectives are the three-character "%^xx" directives. gohttpd keeps
// no trailers and no time-to-first-byte, so they read "-".
var caretDirectives = map[string]directive{
	"ti": {render: renderDash},
	"to": {render: renderDash},
	"FB": {render: renderDash},
}

// appendOr appends s escaped, or "-" when s is empty (Apache's NULL).
func appendOr(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, '-')
	}
	return AppendEscaped(dst, s)
}

func renderDash(dst []byte, _ logCtx, _ *pipeline.Request, _ string) []byte {
	return append(dst, '-')
}

func renderRemoteHost(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	// HostnameLookups is Off: the host is the address.
	return appendOr(dst, r.Conn.RemoteAddr)
}

func renderRemoteAddr(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return append(dst, r.Conn.RemoteAddr...)
}

func renderLocalAddr(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return append(dst, r.Conn.LocalAddr...)
}

func renderUser(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return appendOr(dst, r.User)
}

func renderFilename(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return appendOr(dst, r.Filename)
}

func renderHandler(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return appendOr(dst, r.Handler)
}

func renderMethod(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return appendOr(dst, r.Method)
}

func renderProtocol(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.HTTP09 {
		return append(dst, "HTTP/0.9"...)
	}
	return appendOr(dst, r.Protocol)
}

// renderURI is %U: the URL path. A request refused before the phases ran
// (a 400 for a bad header) has no normalised path yet; Apache logs the
// path of the request-target as received then, and so does this.
func renderURI(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.URI == "" && r.RawURI != "" {
		return appendOr(dst, r.RawPath())
	}
	return appendOr(dst, r.URI)
}

func renderRequestLine(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	return appendOr(dst, r.RequestLine)
}

// renderQuery is %q: "?" and the query string, or nothing without one.
func renderQuery(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.Args == "" && !hasQuery(r) {
		return dst
	}
	dst = append(dst, '?')
	return AppendEscaped(dst, r.Args)
}

// hasQuery reports whether the request-target had a '?', for an empty
// query string ("/x?").
func hasQuery(r *pipeline.Request) bool {
	return r.Prev == nil && r.Main == nil && strings.IndexByte(r.RawURI, '?') >= 0
}

func renderStatus(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.Status <= 0 {
		return append(dst, '-')
	}
	return strconv.AppendInt(dst, int64(r.Status), 10)
}

// renderBytesCLF is %b: body bytes, "-" for none.
func renderBytesCLF(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.BytesSent <= 0 {
		return append(dst, '-')
	}
	return strconv.AppendInt(dst, r.BytesSent, 10)
}

// renderBytes is %B: body bytes, "0" for none.
func renderBytes(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.BytesSent <= 0 {
		return append(dst, '0')
	}
	return strconv.AppendInt(dst, r.BytesSent, 10)
}

// renderHeaderIn is %{name}i. Apache merges repeated request header
// fields into one value joined by ", " as it reads them, so that is what
// is logged.
func renderHeaderIn(dst []byte, _ logCtx, r *pipeline.Request, name string) []byte {
	return appendJoined(dst, &r.HeadersIn, name)
}

// appendJoined appends every value of name in t, escaped and joined by
// ", ", or "-" when there is none.
func appendJoined(dst []byte, t *pipeline.Table, name string) []byte {
	found := false
	for _, f := range t.Fields() {
		if !strings.EqualFold(f.Name, name) {
			continue
		}
		if found {
			dst = append(dst, ',', ' ')
		}
		found = true
		dst = AppendEscaped(dst, f.Value)
	}
	if !found {
		return append(dst, '-')
	}
	return dst
}

// renderHeaderOut is %{name}o: Content-Type is the response's type
// without parameters, Set-Cookie every cookie joined by ", ", any other
// header its first value.
func renderHeaderOut(dst []byte, _ logCtx, r *pipeline.Request, name string) []byte {
	switch {
	case strings.EqualFold(name, "Content-Type") && r.ContentType != "":
		return AppendEscaped(dst, fieldNoParam(r.ContentType))
	case strings.EqualFold(name, "Set-Cookie"):
		return appendJoined(dst, &r.HeadersOut, name)
	}
	return appendLookup(dst, &r.HeadersOut, name)
}

// fieldNoParam cuts a header value at its first ';' and drops the white
// space before it (Apache's ap_field_noparam).
func fieldNoParam(v string) string {
	if i := strings.IndexByte(v, ';'); i >= 0 {
		v = strings.TrimRight(v[:i], " \t")
	}
	return v
}

// appendLookup appends the first value of name in t, escaped, or "-".
func appendLookup(dst []byte, t *pipeline.Table, name string) []byte {
	v, ok := t.Lookup(name)
	if !ok {
		return append(dst, '-')
	}
	return AppendEscaped(dst, v)
}

func renderNote(dst []byte, _ logCtx, r *pipeline.Request, name string) []byte {
	return appendLookup(dst, &r.Notes, name)
}

func renderEnv(dst []byte, _ logCtx, r *pipeline.Request, name string) []byte {
	return appendLookup(dst, &r.SubprocessEnv, name)
}

// renderCookie is %{name}C: the value of the named cookie in the Cookie
// request header. Names match case-insensitively; white space around
// names and values is dropped.
func renderCookie(dst []byte, _ logCtx, r *pipeline.Request, name string) []byte {
	v, ok := cookieValue(r.HeadersIn.Get("Cookie"), name)
	if !ok {
		return append(dst, '-')
	}
	return AppendEscaped(dst, v)
}

// cookieValue finds name in a Cookie header as Apache's log_cookie does:
// pairs separated by ';', name and value by the first '=', and a pair
// without a value (or with an empty one) never matches.
func cookieValue(header, name string) (string, bool) {
	for header != "" {
		var pair string
		pair, header, _ = strings.Cut(header, ";")
		n, v, ok := strings.Cut(pair, "=")
		if !ok || v == "" {
			continue
		}
		n = strings.TrimLeft(n, " \t")
		n = strings.TrimRight(n, " \t\n\v\f\r")
		if n == "" || !strings.EqualFold(n, name) {
			continue
		}
		v = strings.TrimLeft(v, " \t")
		return strings.TrimRight(v, " \t\n\v\f\r"), true
	}
	return "", false
}

// renderServerName is %v: the ServerName of the server (virtual host)
// that answered.
func renderServerName(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	if r.Server == nil {
		return append(dst, '-')
	}
	return appendOr(dst, r.Server.ServerName)
}

// renderRequestHost is %V: the host the client asked for, else the
// ServerName (UseCanonicalName Off).
func renderRequestHost(dst []byte, lc logCtx, r *pipeline.Request, arg string) []byte {
	if r.Hostname != "" {
		return AppendEscaped(dst, r.Hostname)
	}
	return renderServerName(dst, lc, r, arg)
}

// renderPort is %p, %{canonical}p, %{local}p and %{remote}p. An unknown
// argument is logged as written, as Apache does.
func renderPort(dst []byte, _ logCtx, r *pipeline.Request, arg string) []byte {
	var port int
	switch {
	case arg == "" || strings.EqualFold(arg, "canonical"):
		if r.Server != nil && r.Server.Port != 0 {
			port = r.Server.Port
		} else {
			port = defaultPort(r)
		}
	case strings.EqualFold(arg, "remote"):
		port = r.Conn.RemotePort
	case strings.EqualFold(arg, "local"):
		port = r.Conn.LocalPort
	default:
		return append(dst, arg...)
	}
	return strconv.AppendInt(dst, int64(port), 10)
}

// defaultPort asks the default_port hook, 80 when nobody answers.
func defaultPort(r *pipeline.Request) int {
	port := 0
	if g := r.Conn.Gen; g != nil {
		g.Hooks.DefaultPort.Run(func(f pipeline.DefaultPortFunc) pipeline.Result {
			if port = f(r); port != 0 {
				return pipeline.OK
			}
			return pipeline.Declined
		})
	}
	if port == 0 {
		port = 80
	}
	return port
}

// renderPid is %P, %{pid}P, %{tid}P and %{hextid}P. Go has no stable
// pthread id; the thread ids are the kernel's ids of the thread that
// runs the logging goroutine.
func renderPid(dst []byte, _ logCtx, _ *pipeline.Request, arg string) []byte {
	switch {
	case arg == "" || strings.EqualFold(arg, "pid"):
		return strconv.AppendInt(dst, int64(os.Getpid()), 10)
	case strings.EqualFold(arg, "tid"):
		return strconv.AppendInt(dst, int64(unix.Gettid()), 10)
	case strings.EqualFold(arg, "hextid"):
		return strconv.AppendInt(dst, int64(unix.Gettid()), 16)
	}
	return append(dst, arg...)
}

// renderConnStatus is %X: "X" when the client went away before the
// response was complete, "+" when the connection may carry another
// request, "-" when it closes.
func renderConnStatus(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	c := r.Conn
	if c.Aborted {
		return append(dst, 'X')
	}
	max := 0
	if r.Server != nil {
		max = r.Server.MaxKeepAliveRequests
	}
	if c.Keepalive && (max == 0 || max-c.Keepalives > 0) {
		return append(dst, '+')
	}
	return append(dst, '-')
}

// renderKeepalives is %k: how many requests the connection carried
// before this one.
func renderKeepalives(dst []byte, _ logCtx, r *pipeline.Request, _ string) []byte {
	n := r.Conn.Keepalives - 1
	if n < 0 {
		n = 0
	}
	return strconv.AppendInt(dst, int64(n), 10)
}
