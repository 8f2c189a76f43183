package core

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"gohttpd/pipeline"
)

// httpTime is the HTTP date format.
const httpTime = "Mon, 02 Jan 2006 15:04:05 GMT"

// defaultHandler serves files (Apache's default_handler): GET, HEAD and
// POST of a regular file with Last-Modified, ETag (FileETag),
// Accept-Ranges and Content-Length, answering conditional requests with
// 304 or 412, the body sent as a file bucket (sendfile; the BYTERANGE
// filter cuts ranges from it); OPTIONS with Allow; TRACE as
// ap_send_http_trace; 404 for what does not exist, for a directory, or
// for path info unless AcceptPathInfo On; 403 for what cannot be opened;
// 405 for other known methods and 501 for unknown ones.
//
// Small files are answered from the generation's file cache (see
// fileCache) when the request's stat shows the version that was cached.
func (st *staticState) defaultHandler(r *pipeline.Request) pipeline.Result {
	r.Allow(pipeline.MethodGet, pipeline.MethodPost, pipeline.MethodOptions)
	if ServerConfigOf(r.Server).TraceEnable != TraceOff {
		r.Allow(pipeline.MethodTrace)
	}
	if r.MethodNumber == pipeline.MethodTrace {
		return trace(r)
	}
	if err := pipeline.DiscardRequestBody(r); err != nil {
		return pipeline.ErrorStatus(err)
	}
	switch r.MethodNumber {
	case pipeline.MethodGet, pipeline.MethodPost:
	case pipeline.MethodInvalid:
		logRequest(r, "Invalid method in request", r.RequestLine)
		return 501
	case pipeline.MethodOptions:
		r.HeadersOut.Set("Allow", r.AllowHeader())
		return pipeline.OK
	default:
		return 405
	}
	if r.Finfo == nil {
		logRequest(r, "File does not exist", r.Filename)
		return 404
	}
	if r.Finfo.IsDir() {
		logRequest(r, "Attempt to serve directory", r.Filename)
		return 404
	}
	d := DirConfigOf(r.PerDir)
	if r.PathInfo != "" && (d == nil || d.pathInfo != PathInfoOn) {
		logRequest(r, "File does not exist", r.Filename+r.PathInfo)
		return 404
	}
	// POST to a static file is answered like GET once its body is
	// discarded, as Apache's default handler does.
	bits := ETagDefault
	if d != nil {
		bits = d.FileETag()
	}
	if e := st.files.lookup(r.Filename, r.Finfo); e != nil {
		if e.etag == "" || e.bits != bits {
			e = st.files.revalidate(r.Filename, e, r.Finfo, bits, r.Time)
		}
		return sendCached(r, e, d, bits)
	}
	f, err := os.Open(r.Filename)
	if err != nil {
		logRequest(r, "file permissions deny server access", r.Filename)
		return 403
	}
	defer f.Close()
	if e := st.files.fill(r.Filename, f, r.Finfo, bits, r.Time); e != nil {
		return sendCached(r, e, d, bits)
	}
	fi := r.Finfo
	setValidators(r, fi, bits)
	setAcceptRanges(r, d)
	bb := brigades.Get().(*pipeline.Brigade)
	defer brigades.Put(bb)
	if conditional(r) {
		r.SetContentLength(fi.Size())
		// Even for HEAD: the BYTERANGE filter needs the body's length,
		// and HTTP_HEADER drops it.
		bb.AppendFile(f, 0, fi.Size())
	}
	return pass(r, bb)
}

// brigades recycles the handler's response brigades: the filters are done
// with a brigade when PassBrigade returns.
var brigades = sync.Pool{New: func() any { return &pipeline.Brigade{Buckets: make([]pipeline.Bucket, 0, 2)} }}

// sendCached answers from a cached copy of the file.
func sendCached(r *pipeline.Request, e *cachedFile, d *DirConfig, bits ETagBits) pipeline.Result {
	if e.lastMod != "" && (e.etag != "" && e.bits == bits || bits&ETagNone != 0) {
		r.HeadersOut.Set("Last-Modified", e.lastMod)
		if e.etag != "" && bits&ETagNone == 0 {
			r.HeadersOut.Set("ETag", e.etag)
		}
	} else {
		setValidators(r, r.Finfo, bits)
	}
	setAcceptRanges(r, d)
	bb := brigades.Get().(*pipeline.Brigade)
	defer brigades.Put(bb)
	if conditional(r) {
		r.HeadersOut.Set("Content-Length", e.length)
		bb.AppendBytes(e.data)
	}
	return pass(r, bb)
}

// conditional evaluates the conditional headers once the validators are
// set: true to send the body; otherwise the status is 304 or 412 with the
// headers Apache sends with them.
func conditional(r *pipeline.Request) bool {
	st := MeetsConditions(r)
	if st == pipeline.OK {
		if r.ContentType != "" {
			r.ContentType = withDefaultCharset(r, r.ContentType)
		}
		return true
	}
	r.Status = int(st)
	if st != 304 { // a 304's content headers go in the HTTP header filter
		r.SetContentLength(0)
	}
	return false
}

// pass sends the response brigade with its EOS, and empties it.
func pass(r *pipeline.Request, bb *pipeline.Brigade) pipeline.Result {
	bb.AppendEOS()
	err := r.PassBrigade(bb)
	bb.Reset()
	if err != nil {
		if errors.Is(err, pipeline.ErrFilterHandled) {
			return pipeline.Done
		}
		r.Conn.Aborted = true
		return pipeline.Done
	}
	return pipeline.OK
}

// setValidators sets Last-Modified (never later than the request) and
// the ETag FileETag asks for.
func setValidators(r *pipeline.Request, fi fs.FileInfo, bits ETagBits) {
	mtime := fi.ModTime()
	if mtime.After(r.Time) {
		mtime = r.Time
	}
	var buf [64]byte
	r.HeadersOut.Set("Last-Modified", string(mtime.UTC().AppendFormat(buf[:0], httpTime)))
	if tag := AppendETag(buf[:0], fi, bits, r.Time); len(tag) > 0 {
		r.HeadersOut.Set("ETag", string(tag))
	}
}

// setAcceptRanges sets Accept-Ranges: none under MaxRanges none, bytes
// otherwise (Apache's ap_set_accept_ranges).
func setAcceptRanges(r *pipeline.Request, d *DirConfig) {
	if d != nil && d.maxRanges == 0 {
		r.HeadersOut.Set("Accept-Ranges", "none")
		return
	}
	r.HeadersOut.Set("Accept-Ranges", "bytes")
}

// SelfURL builds an absolute URL for path on this server as Apache's
// ap_construct_url with UseCanonicalName Off: the host and port the
// client asked for.
func SelfURL(r *pipeline.Request, path string) string {
	return selfURL(r, path)
}

// selfURL builds an absolute URL for path on this server as Apache's
// ap_construct_url with UseCanonicalName Off: the host and port the
// client asked for.
func selfURL(r *pipeline.Request, path string) string {
	host := r.Hostname
	if host == "" {
		host = r.Server.ServerName
	}
	if host == "" {
		host = r.Conn.LocalAddr
	}
	port := 0
	if h := r.HeadersIn.Get("Host"); h != "" {
		if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
			port, _ = strconv.Atoi(h[i+1:])
		}
	} else if r.Server.Port != 0 {
		port = r.Server.Port
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	u := "http://" + host
	if port != 0 && port != 80 {
		u += ":" + strconv.Itoa(port)
	}
	return u + path
}

// trace answers TRACE by echoing the request head as message/http
// (Apache's ap_send_http_trace), unless TraceEnable forbids it. A request
// body is refused (413) unless TraceEnable is "extended".
func trace(r *pipeline.Request) pipeline.Result {
	mode := ServerConfigOf(r.Server).TraceEnable
	if mode == TraceOff {
		logRequest(r, "TRACE denied by server configuration", r.URI)
		return 405
	}
	cl := r.HeadersIn.Get("Content-Length")
	hasBody := (cl != "" && cl != "0") || r.HeadersIn.Get("Transfer-Encoding") != ""
	if hasBody && mode != TraceExtended {
		logRequest(r, "TRACE with a request body is not allowed", r.URI)
		return 413
	}
	if err := pipeline.DiscardRequestBody(r); err != nil {
		return pipeline.ErrorStatus(err)
	}
	var b strings.Builder
	b.WriteString(r.RequestLine)
	b.WriteString("\r\n")
	for _, f := range r.HeadersIn.Fields() {
		b.WriteString(f.Name)
		b.WriteString(": ")
		b.WriteString(f.Value)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n")
	r.ContentType = "message/http"
	r.SetContentLength(int64(b.Len()))
	if !r.HeaderOnly {
		_, _ = r.WriteString(b.String())
	}
	return pipeline.OK
}
