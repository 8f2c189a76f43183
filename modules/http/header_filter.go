package http

import (
	"strconv"
	"strings"
	"time"

	"gohttpd/modules/http/h1"
	"gohttpd/pipeline"
)

// respState is the HTTP_HEADER filter's state for the response in flight.
type respState struct {
	hc      *hconn
	started bool // the head has been passed on
	done    bool // EOS has been passed on
	chunked bool
	noBody  bool
	out     pipeline.Brigade
	size    [20]byte // chunk-size line
}

var (
	crlf      = []byte("\r\n")
	lastChunk = []byte("0\r\n\r\n")
)

// headerFilter is the HTTP_HEADER output filter (Apache's
// ap_http_header_filter with the content-length and chunking filters
// folded in). On the first brigade it writes the head: the status line,
// Date, Server, ErrHeadersOut and HeadersOut in order, Content-Length when
// the handler set it or the brigade holds the whole body, Transfer-Encoding
// chunked for an HTTP/1.1 body of unknown length on a persistent
// connection, Connection and Keep-Alive, and Content-Type. Then it frames
// the body (chunks, or nothing for HEAD, 204 and 304).
func headerFilter(f *pipeline.Filter, bb *pipeline.Brigade) error {
	st := f.Ctx.(*respState)
	r := f.Req
	if st.done {
		bb.Reset()
		return pipeline.ErrFilterHandled
	}
	out := &st.out
	out.Reset()
	if !st.started {
		for i := range bb.Buckets {
			if b := &bb.Buckets[i]; b.Kind == pipeline.BucketError {
				status := pipeline.Result(b.Status)
				bb.Reset()
				r.Status = 200
				pipeline.Die(r, status)
				return pipeline.ErrFilterHandled
			}
		}
		if r.HTTP09 {
			st.started = true
			r.HeadersSent = true
		} else {
			if name, ok := invalidHeader(r); ok {
				logBadHeader(r, name)
				r.HeadersOut.Reset()
				r.ErrHeadersOut.Reset()
				r.ContentType, r.ContentEncoding = "", ""
				bb.Reset()
				r.Status = 200
				pipeline.Die(r, 500)
				return pipeline.ErrFilterHandled
			}
			st.buildHead(r, bb)
			out.AppendBytes(st.hc.head)
			st.started = true
			r.HeadersSent = true
		}
	}
	var data int64
	eos := false
	for i := range bb.Buckets {
		b := &bb.Buckets[i]
		switch b.Kind {
		case pipeline.BucketBytes, pipeline.BucketFile:
			data += b.Len()
		case pipeline.BucketEOS:
			eos = true
		case pipeline.BucketError:
			// Too late to answer with the status: close when done.
			r.Conn.MustClose = true
		}
	}
	if st.noBody {
		data = 0
	}
	if data > 0 && st.chunked {
		out.AppendBytes(strconv.AppendInt(st.size[:0], data, 16))
		out.AppendBytes(crlf)
	}
	for i := range bb.Buckets {
		b := bb.Buckets[i]
		switch b.Kind {
		case pipeline.BucketBytes, pipeline.BucketFile:
			if !st.noBody {
				out.Buckets = append(out.Buckets, b)
			}
		case pipeline.BucketFlush:
			out.Buckets = append(out.Buckets, b)
		}
	}
	if data > 0 && st.chunked {
		out.AppendBytes(crlf)
	}
	r.BytesSent += data
	if eos {
		if st.chunked {
			out.AppendBytes(lastChunk)
		}
		out.AppendEOS()
		st.done = true
	}
	bb.Reset()
	if out.Empty() {
		return nil
	}
	err := f.Next.Pass(out)
	out.Reset()
	return err
}

// buildHead decides the framing and writes the response head into
// hc.head.
func (st *respState) buildHead(r *pipeline.Request, bb *pipeline.Brigade) {
	status := r.Status
	st.noBody = r.HeaderOnly || pipeline.IsHeaderOnlyStatus(status)
	if pipeline.IsHeaderOnlyStatus(status) {
		dropContentHeaders(r)
	}
	if _, ok := r.HeadersOut.Lookup("Content-Length"); !ok && !pipeline.IsHeaderOnlyStatus(status) && bb.HasEOS() && !st.hc.in.bailed {
		// The whole body is here: its length is known (Apache's
		// content-length filter). A HEAD answered without a body gets
		// none, as in Apache; nor does the answer to a request body the
		// HTTP_IN filter refused (413, malformed chunks), which Apache
		// sends close-delimited.
		if n := bb.Len(); !(r.HeaderOnly && n == 0) {
			r.SetContentLength(n)
		}
	}
	st.chunked = setKeepalive(r, st.hc)
	if st.chunked {
		r.HeadersOut.Merge("Transfer-Encoding", "chunked")
		r.HeadersOut.Del("Content-Length")
		if st.noBody {
			st.chunked = false
		}
	}

	h := st.hc.head[:0]
	h = append(h, "HTTP/1.1 "...)
	if sl := r.StatusLine; len(sl) > 4 && strings.HasPrefix(sl, strconv.Itoa(status)+" ") {
		h = append(h, sl...)
	} else {
		h = append(h, pipeline.StatusLine(status)...)
	}
	// A proxied response keeps the origin's Date and Server (Apache's
	// basic_http_header); any other gets the server's own.
	date, server := "", ""
	if r.ProxyReq {
		date, server = r.HeadersOut.Get("Date"), r.HeadersOut.Get("Server")
	}
	h = append(h, "\r\nDate: "...)
	if date != "" {
		h = append(h, date...)
	} else {
		h = append(h, st.hc.dates.get(r.Time)...) // request_time, as Apache
	}
	h = append(h, "\r\nServer: "...)
	if server != "" {
		h = append(h, server...)
	} else {
		h = append(h, pipeline.ServerBanner(r)...)
	}
	h = append(h, crlf...)
	for _, t := range [2]*pipeline.Table{&r.ErrHeadersOut, &r.HeadersOut} {
		for _, fd := range t.Fields() {
			if strings.EqualFold(fd.Name, "Date") || strings.EqualFold(fd.Name, "Server") {
				continue
			}
			h = append(h, fd.Name...)
			h = append(h, ": "...)
			h = append(h, fd.Value...)
			h = append(h, crlf...)
		}
	}
	if r.ContentType != "" {
		h = append(h, "Content-Type: "...)
		h = append(h, r.ContentType...)
		h = append(h, crlf...)
	}
	h = append(h, crlf...)
	st.hc.head = h
}

// dropContentHeaders takes from a 1xx, 204 or 304 response the headers
// that describe a body, whichever handler answered: its length and
// framing, and the type, encoding and language the request record gives
// it (Apache's header filter clears those for header-only statuses, and
// so never adds them).
func dropContentHeaders(r *pipeline.Request) {
	r.HeadersOut.Del("Transfer-Encoding")
	r.HeadersOut.Del("Content-Length")
	r.HeadersOut.Del("Content-Language")
	if r.ContentEncoding != "" && r.HeadersOut.Get("Content-Encoding") == r.ContentEncoding {
		r.HeadersOut.Del("Content-Encoding")
	}
	r.ContentType, r.ContentEncoding = "", ""
}

// setKeepalive decides whether the connection stays open after this
// response (Apache's ap_set_keepalive), adds Connection and Keep-Alive,
// and reports whether the body must be chunked.
func setKeepalive(r *pipeline.Request, hc *hconn) (chunked bool) {
	c := r.Conn
	s := r.Server
	q := &hc.hreq
	_, hasLength := r.HeadersOut.Lookup("Content-Length")
	left := s.MaxKeepAliveRequests - c.Keepalives
	framed := r.HeaderOnly || pipeline.IsHeaderOnlyStatus(r.Status) || hasLength ||
		strings.Contains(strings.ToLower(r.HeadersOut.Get("Transfer-Encoding")), "chunked") ||
		r.ProtoNum >= 1001
	if !c.MustClose && !r.Expect100 && framed &&
		s.KeepAlive && s.KeepAliveTimeout > 0 &&
		(s.MaxKeepAliveRequests == 0 || left > 0) &&
		!pipeline.StatusDropsConnection(r.Status) &&
		!q.ConnClose && !q.MustClose &&
		(r.SubprocessEnv.Get("nokeepalive") == "" || r.HeadersIn.Get("Via") != "") &&
		(q.ConnKeepAlive || r.ProtoNum >= 1001) &&
		!c.IsDraining() {
		chunked = !(r.HeaderOnly || pipeline.IsHeaderOnlyStatus(r.Status) || hasLength) && r.ProtoNum >= 1001
		c.Keepalive = true
		c.Keepalives++
		if q.ConnKeepAlive {
			ka := "timeout=" + strconv.Itoa(int(s.KeepAliveTimeout/time.Second))
			if s.MaxKeepAliveRequests > 0 {
				ka += ", max=" + strconv.Itoa(left)
			}
			r.HeadersOut.Set("Keep-Alive", ka)
			r.HeadersOut.Merge("Connection", "Keep-Alive")
		}
		return chunked
	}
	c.Keepalive = false
	c.MustClose = true
	r.HeadersOut.Merge("Connection", "close")
	return false
}

// invalidHeader finds a response header whose name is not a token or
// whose value holds a control character (Apache's check_headers under
// HttpProtocolOptions Strict).
func invalidHeader(r *pipeline.Request) (string, bool) {
	for _, t := range [2]*pipeline.Table{&r.HeadersOut, &r.ErrHeadersOut} {
		for _, f := range t.Fields() {
			if !h1.IsToken(f.Name) || !h1.IsFieldValue(f.Value) {
				return f.Name, true
			}
		}
	}
	if !h1.IsFieldValue(r.ContentType) {
		return "Content-Type", true
	}
	return "", false
}

func logBadHeader(r *pipeline.Request, name string) {
	if r.Server != nil && r.Server.Log != nil {
		r.Server.Log.Error("Response header contains invalid characters, aborting request",
			"header", strconv.Quote(name), "client", r.Conn.RemoteAddr)
	}
}
