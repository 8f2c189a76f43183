package core

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"gohttpd/pipeline"
)

// httpTime is the HTTP date format.
const httpTime = "Mon, 02 Jan 2006 15:04:05 GMT"

// defaultHandler serves files (Apache's default_handler, with mod_dir's
// trailing-slash redirect and a plain index.html): GET and HEAD of a
// regular file with Last-Modified, ETag, Accept-Ranges and Content-Length,
// the body sent with sendfile; OPTIONS with Allow; 404 for what does not
// exist or carries path info, 403 for what cannot be opened, 405 for other
// known methods and 501 for unknown ones.
func defaultHandler(r *pipeline.Request) pipeline.Result {
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
		return serveDirectory(r)
	}
	if r.PathInfo != "" {
		logRequest(r, "File does not exist", r.Filename+r.PathInfo)
		return 404
	}
	// POST to a static file is answered like GET once its body is
	// discarded, as Apache's default handler does.
	f, err := os.Open(r.Filename)
	if err != nil {
		logRequest(r, "file permissions deny server access", r.Filename)
		return 403
	}
	defer f.Close()
	fi := r.Finfo
	mtime := fi.ModTime()
	if mtime.After(r.Time) {
		mtime = r.Time
	}
	r.HeadersOut.Set("Last-Modified", mtime.UTC().Format(httpTime))
	r.HeadersOut.Set("ETag", etag(fi, r.Time))
	r.HeadersOut.Set("Accept-Ranges", "bytes")
	r.SetContentLength(fi.Size())
	if r.ContentType != "" {
		r.ContentType = withDefaultCharset(r, r.ContentType)
	}
	var bb pipeline.Brigade
	if !r.HeaderOnly {
		bb.AppendFile(f, 0, fi.Size())
	}
	bb.AppendEOS()
	if err := r.PassBrigade(&bb); err != nil {
		if errors.Is(err, pipeline.ErrFilterHandled) {
			return pipeline.Done
		}
		r.Conn.Aborted = true
		return pipeline.Done
	}
	return pipeline.OK
}

// etag returns Apache's default ETag (FileETag MTime Size):
// "<size hex>-<mtime µs hex>", weak when the file changed within the
// last second.
func etag(fi fs.FileInfo, now time.Time) string {
	b := make([]byte, 0, 32)
	if now.Sub(fi.ModTime()) < time.Second {
		b = append(b, "W/"...)
	}
	b = append(b, '"')
	b = strconv.AppendInt(b, fi.Size(), 16)
	b = append(b, '-')
	b = strconv.AppendInt(b, fi.ModTime().UnixMicro(), 16)
	b = append(b, '"')
	return string(b)
}

// serveDirectory redirects to the slash form of a directory URI, or serves
// its index.html, or refuses with 403 (mod_dir's defaults).
func serveDirectory(r *pipeline.Request) pipeline.Result {
	if !strings.HasSuffix(r.URI, "/") {
		loc := selfURL(r, r.URI+"/")
		if r.Args != "" {
			loc += "?" + r.Args
		}
		r.HeadersOut.Set("Location", loc)
		return 301
	}
	sub := pipeline.SubRequestLookupURI(r, r.URI+"index.html")
	if sub.Status == 200 && sub.Finfo != nil && sub.Finfo.Mode().IsRegular() {
		uri := r.URI + "index.html"
		if r.Args != "" {
			uri += "?" + r.Args
		}
		pipeline.InternalRedirect(r, uri)
		return pipeline.Done
	}
	logRequest(r, "Cannot serve directory: No matching DirectoryIndex (index.html) found, and server-generated directory index forbidden by Options directive", r.Filename)
	return 403
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
