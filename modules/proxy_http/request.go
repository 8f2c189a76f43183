package proxyhttp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// prefetchSize is how much of a request body is read before a backend
// connection is taken (Apache's MAX_MEM_SPOOL): a body that fits is sent
// with its exact Content-Length and can be sent again on a retry.
const prefetchSize = 16 << 10

// requestHopByHop reports whether a request header concerns only the
// client's connection, or is one the proxy writes itself.
func requestHopByHop(name string) bool {
	return responseHopByHop(name) || equalAny(name, "Proxy-Authorization", "Content-Length", "Expect", "Host")
}

// equalAny reports whether name equals one of names, ignoring case.
func equalAny(name string, names ...string) bool {
	for _, n := range names {
		if len(n) == len(name) && strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// reqBody is the request body's state, kept in r.Values so that a second
// attempt (a retry, or a balancer's failover) sends the same prefetched
// bytes (Apache's "proxy-req-input").
type reqBody struct {
	has        bool  // the client sent a body
	length     int64 // the client's Content-Length; -1 when chunked
	pre        []byte
	prefetched bool
	complete   bool // pre is the whole body
	consumed   bool // bytes beyond pre were read: no second attempt
}

type bodyKey struct{}

// bodyOf returns r's body state, creating it from the request head.
func bodyOf(r *pipeline.Request) *reqBody {
	if b, ok := r.Values[bodyKey{}].(*reqBody); ok {
		return b
	}
	b := &reqBody{length: -1}
	if te := r.HeadersIn.Get("Transfer-Encoding"); te != "" {
		b.has = true
	} else if cl, ok := r.HeadersIn.Lookup("Content-Length"); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64); err == nil && n >= 0 {
			b.length = n
			b.has = n > 0
		}
	}
	if r.Values == nil {
		r.Values = map[any]any{}
	}
	r.Values[bodyKey{}] = b
	return b
}

// prefetch reads up to prefetchSize bytes of the body (once).
func (b *reqBody) prefetch(r *pipeline.Request) error {
	if b.prefetched || !b.has {
		b.prefetched = true
		b.complete = b.complete || !b.has
		return nil
	}
	b.prefetched = true
	buf := make([]byte, prefetchSize)
	n := 0
	for n < len(buf) {
		m, err := r.Body().Read(buf[n:])
		n += m
		if errors.Is(err, io.EOF) {
			b.complete = true
			break
		}
		if err != nil {
			b.pre = buf[:n]
			return err
		}
	}
	b.pre = buf[:n]
	if !b.complete && n == len(buf) && b.length == int64(n) {
		b.complete = true
	}
	return nil
}

// replayable reports whether the body can be sent again.
func (b *reqBody) replayable() bool { return !b.consumed }

// framing returns the body framing for the backend: a Content-Length
// (>= 0), or -1 for chunked; none is false when no body is sent.
func (b *reqBody) framing(expect bool) (length int64, none bool) {
	switch {
	case !b.has && b.length == 0:
		return 0, false
	case !b.has:
		return 0, true
	case b.complete && !expect:
		return int64(len(b.pre)), false
	case b.length >= 0:
		return b.length, false
	}
	return -1, false
}

// exchange is one request to one backend connection.
type exchange struct {
	r       *pipeline.Request
	d       *proxy.Dispatch
	ph      *proxy.Hooks
	w       *proxy.Worker
	target  string // request-target for the backend
	body    *reqBody
	expect  bool   // forwarding "Expect: 100-continue"
	upgrade string // protocol asked for with Upgrade, when the worker allows it
	timeout time.Duration
	sent    int64 // bytes written to the backend
}

// buildHead writes the request head into buf (Apache's
// ap_proxy_create_hdrbrgd).
func (x *exchange) buildHead(buf []byte) []byte {
	r := x.r
	h := buf[:0]
	h = append(h, r.Method...)
	h = append(h, ' ')
	h = append(h, x.target...)
	h = append(h, " HTTP/1.1\r\nHost: "...)
	host := ""
	if proxy.DirConfigOf(r.PerDir).PreserveHost() {
		host = r.HeadersIn.Get("Host")
	}
	if host == "" {
		host = x.w.HostPort()
	}
	h = append(h, host...)
	h = append(h, "\r\n"...)

	listed := strings.Join(r.HeadersIn.Values("Connection"), ",")
	addXF := proxy.RequestKind(r) == proxy.Reverse && proxy.DirConfigOf(r.PerDir).AddHeaders()
	var xff, xfh, xfs, via string
	ownVia, blockVia := proxy.ViaValue(r), proxy.BlocksVia(r)
	for _, f := range r.HeadersIn.Fields() {
		if requestHopByHop(f.Name) || listed != "" && hasToken(listed, f.Name) {
			continue
		}
		if strings.EqualFold(f.Name, "Via") && (blockVia || ownVia != "") {
			via = joinComma(via, f.Value) // dropped (Block) or merged with ours
			continue
		}
		if addXF && len(f.Name) > 12 && strings.EqualFold(f.Name[:12], "X-Forwarded-") {
			switch {
			case strings.EqualFold(f.Name, "X-Forwarded-For"):
				xff = joinComma(xff, f.Value)
				continue
			case strings.EqualFold(f.Name, "X-Forwarded-Host"):
				xfh = joinComma(xfh, f.Value)
				continue
			case strings.EqualFold(f.Name, "X-Forwarded-Server"):
				xfs = joinComma(xfs, f.Value)
				continue
			}
		}
		h = appendField(h, f.Name, f.Value)
	}
	if ownVia != "" {
		h = appendField(h, "Via", joinComma(via, ownVia))
	}
	if addXF {
		h = appendField(h, "X-Forwarded-For", joinComma(xff, r.Conn.RemoteAddr))
		if ch := r.HeadersIn.Get("Host"); ch != "" {
			h = appendField(h, "X-Forwarded-Host", joinComma(xfh, ch))
		} else if xfh != "" {
			h = appendField(h, "X-Forwarded-Host", xfh)
		}
		name := r.Server.ServerName
		if name == "" {
			name = r.Hostname
		}
		if name == "" {
			name = r.Conn.LocalAddr
		}
		h = appendField(h, "X-Forwarded-Server", joinComma(xfs, name))
	}
	if n, none := x.body.framing(x.expect); !none {
		if n >= 0 {
			h = appendField(h, "Content-Length", strconv.FormatInt(n, 10))
		} else {
			h = appendField(h, "Transfer-Encoding", "chunked")
		}
	}
	if x.expect {
		h = appendField(h, "Expect", "100-continue")
	}
	switch {
	case x.upgrade != "":
		h = appendField(h, "Connection", "Upgrade")
		h = appendField(h, "Upgrade", x.upgrade)
	case x.w.Params.DisableReuse:
		h = appendField(h, "Connection", "close")
	}
	return append(h, "\r\n"...)
}

func appendField(h []byte, name, value string) []byte {
	h = append(h, name...)
	h = append(h, ": "...)
	h = append(h, value...)
	return append(h, "\r\n"...)
}

func joinComma(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}

// write sends bufs to the backend within the timeout.
func (x *exchange) write(bc *proxy.BackendConn, bufs ...[]byte) error {
	_ = bc.Conn.SetWriteDeadline(time.Now().Add(x.timeout))
	nb := net.Buffers(bufs)
	n, err := nb.WriteTo(bc.Conn)
	x.sent += n
	return err
}

// sendHead writes the head and, unless waiting for "100 Continue", the
// prefetched body bytes.
func (x *exchange) sendHead(bc *proxy.BackendConn) error {
	bc.Head = x.buildHead(bc.Head)
	if x.expect || len(x.body.pre) == 0 {
		return x.write(bc, bc.Head)
	}
	if _, none := x.body.framing(false); none {
		return x.write(bc, bc.Head)
	}
	if n, _ := x.body.framing(false); n < 0 {
		return x.write(bc, bc.Head, chunkHeader(len(x.body.pre)), x.body.pre, crlf)
	}
	return x.write(bc, bc.Head, x.body.pre)
}

var (
	crlf      = []byte("\r\n")
	lastChunk = []byte("0\r\n\r\n")
)

func chunkHeader(n int) []byte {
	return append(strconv.AppendInt(make([]byte, 0, 12), int64(n), 16), '\r', '\n')
}

// errClientBody wraps a failure to read the client's body; its status
// answers the request.
type errClientBody struct{ err error }

func (e *errClientBody) Error() string { return "reading the request body: " + e.err.Error() }
func (e *errClientBody) Unwrap() error { return e.err }

// sendBody streams the rest of the body (after what sendHead sent) from
// the request's input filters to the backend, and ends a chunked body.
// With expect set the prefetched part (if any) goes first.
func (x *exchange) sendBody(bc *proxy.BackendConn) error {
	n, none := x.body.framing(x.expect)
	if none {
		return nil
	}
	chunked := n < 0
	if x.expect && len(x.body.pre) > 0 {
		if err := x.writeBody(bc, x.body.pre, chunked); err != nil {
			return err
		}
	}
	if !x.body.complete || x.expect {
		buf := bc.Buf
		for !x.body.complete {
			m, err := x.r.Body().Read(buf)
			if m > 0 {
				x.body.consumed = true
				if werr := x.writeBody(bc, buf[:m], chunked); werr != nil {
					return werr
				}
			}
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				x.body.consumed = true
				return &errClientBody{err}
			}
		}
	}
	if chunked {
		return x.write(bc, lastChunk)
	}
	return nil
}

func (x *exchange) writeBody(bc *proxy.BackendConn, p []byte, chunked bool) error {
	if chunked {
		return x.write(bc, chunkHeader(len(p)), p, crlf)
	}
	return x.write(bc, p)
}

// errorf logs a proxy error for r.
func errorf(r *pipeline.Request, w *proxy.Worker, err error, format string, args ...any) {
	if r.Server == nil || r.Server.Log == nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if err != nil {
		r.Server.Log.Error("proxy_http: "+msg, "worker", w.Name, "error", err, "client", r.Conn.RemoteAddr)
		return
	}
	r.Server.Log.Error("proxy_http: "+msg, "worker", w.Name, "client", r.Conn.RemoteAddr)
}
