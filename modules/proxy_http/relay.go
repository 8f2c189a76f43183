package proxyhttp

import (
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// responseHopByHop reports whether a response header concerns only the
// backend connection, or is one the client's protocol filter writes.
func responseHopByHop(name string) bool {
	return equalAny(name, "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade")
}

func deadline(d time.Duration) time.Time { return time.Now().Add(d) }

// copyHeaders moves the backend's end-to-end headers into r: the
// Content-Type into r.ContentType, the rest into HeadersOut, hop-by-hop
// headers (and those the Connection header lists) dropped, and this
// server's Via added under ProxyVia On or Full. The Content-Length is kept
// only when it frames the body.
func copyHeaders(r *pipeline.Request, h *respHead, keepLength bool) {
	listed := strings.Join(h.fields.Values("Connection"), ",")
	r.HeadersOut.Reset()
	for _, f := range h.fields.Fields() {
		switch {
		case responseHopByHop(f.Name), listed != "" && hasToken(listed, f.Name):
			continue
		case equalAny(f.Name, "Content-Type"):
			r.ContentType = f.Value
			continue
		case !keepLength && equalAny(f.Name, "Content-Length"):
			continue
		}
		r.HeadersOut.Add(f.Name, f.Value)
	}
	if via := proxy.ViaValue(r); via != "" {
		r.HeadersOut.Add("Via", via) // ProxyVia On/Full
	}
}

// interim passes a 1xx response other than 100 and 101 (such as 103
// Early Hints) to an HTTP/1.1 client (Apache's ap_send_interim_response).
func (x *exchange) interim(h *respHead) {
	r := x.r
	if r.ProtoNum < 1001 {
		return
	}
	var b []byte
	b = append(b, "HTTP/1.1 "...)
	b = append(b, h.statusLine()...)
	b = append(b, "\r\n"...)
	for _, f := range h.fields.Fields() {
		if !responseHopByHop(f.Name) {
			b = appendField(b, f.Name, f.Value)
		}
	}
	b = append(b, "\r\n"...)
	var bb pipeline.Brigade
	bb.AppendBytes(b)
	bb.AppendFlush()
	_ = r.Conn.OutputFilters().Pass(&bb)
}

// relay answers r with the backend's final response (Apache's
// ap_proxy_http_process_response): status and headers (rewritten by
// ProxyPassReverse), then the body streamed one backend read per pass,
// each pass flushed; or, under ProxyErrorOverride, the local error
// document for an error status.
func (x *exchange) relay(bc *proxy.BackendConn, h *respHead) pipeline.Result {
	r := x.r
	body, err := newBodyReader(bc.R, r.Method, h)
	if err != nil {
		errorf(r, x.w, err, "bad response framing")
		return 502
	}
	if !h.keepAlive() || !body.delimited() {
		bc.Close = true
	}
	if proxy.DirConfigOf(r.PerDir).ErrorOverride(h.status) {
		// The backend's body is not wanted: drop the connection rather
		// than read it, and let the error document answer.
		bc.Close = true
		if wa := h.fields.Values("WWW-Authenticate"); h.status == 401 && len(wa) > 0 {
			for _, v := range wa {
				r.ErrHeadersOut.Add("WWW-Authenticate", v)
			}
		}
		return pipeline.Result(h.status)
	}
	_, isLength := body.(*lengthBody)
	r.Status = h.status
	r.StatusLine = h.statusLine()
	copyHeaders(r, h, isLength || r.Method == "HEAD")
	proxy.RewriteResponseHeaders(r, x.ph, &r.HeadersOut)

	var bb pipeline.Brigade
	var read int64
	defer func() { x.w.AddTraffic(0, read) }()
	buf := bc.Buf
	for {
		if body.done() {
			bb.AppendEOS()
			if err := r.PassBrigade(&bb); err != nil {
				bc.Close = true
			}
			return pipeline.OK
		}
		_ = bc.Conn.SetReadDeadline(deadline(x.timeout))
		n, rerr := body.Read(buf)
		read += int64(n)
		if n > 0 {
			bb.AppendBytes(buf[:n])
		}
		eof := errors.Is(rerr, io.EOF) || rerr == nil && body.done()
		switch {
		case eof:
			bb.AppendEOS()
		case rerr != nil:
			return x.bodyFailed(bc, &bb, rerr)
		default:
			bb.AppendFlush()
		}
		err := r.PassBrigade(&bb)
		bb.Reset()
		if err != nil {
			// The client went away: the rest of the body cannot be
			// delivered, and the backend connection is not clean.
			bc.Close = true
			return pipeline.OK
		}
		if eof {
			return pipeline.OK
		}
	}
}

// bodyFailed handles a backend failure in the middle of the body: what
// was read goes out, then the client connection is aborted so the client
// sees a truncated response rather than a complete one (Apache sends an
// error bucket and closes).
func (x *exchange) bodyFailed(bc *proxy.BackendConn, bb *pipeline.Brigade, err error) pipeline.Result {
	r := x.r
	bc.Close = true
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		errorf(r, x.w, err, "timeout reading the response body (%s)", x.timeout)
	} else {
		errorf(r, x.w, err, "error reading the response body")
	}
	if !bb.Empty() {
		bb.AppendFlush()
		_ = r.PassBrigade(bb)
		bb.Reset()
	}
	if !r.HeadersSent {
		// Nothing reached the client yet: answer with an error.
		r.HeadersOut.Reset()
		r.ContentType, r.StatusLine = "", ""
		return 502
	}
	r.Conn.MustClose = true
	r.Conn.Aborted = true
	return pipeline.OK
}
