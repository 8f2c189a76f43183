package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// Reader reads requests from one connection. It keeps no state between
// requests beyond its limits and reusable buffers, so any bytes left in the
// bufio.Reader after a head (its body, or the next pipelined request) are
// simply read next. A Reader is not safe for concurrent use.
type Reader struct {
	br      *bufio.Reader
	limits  Limits
	scratch []byte // merged values of repeated fields

	length  LengthReader
	chunked ChunkedReader
}

// NewReader returns a Reader that reads from br under the given limits.
// Any bufio.Reader size works; lines longer than its buffer are assembled
// in the Request.
func NewReader(br *bufio.Reader, limits Limits) *Reader {
	return &Reader{br: br, limits: limits}
}

// Limits returns the limits the Reader enforces.
func (p *Reader) Limits() Limits { return p.limits }

// SetLimits changes the limits for the requests read from now on (a
// virtual host may raise or lower them; LimitRequestBody may be changed per
// directory before the body is read).
func (p *Reader) SetLimits(l Limits) { p.limits = l }

// ReadRequest reads the next request head into req, which it resets first.
//
// When it returns an *Error, req holds what was understood of the request,
// so the refusal can be logged and answered as Apache does: Line is the
// request line Apache logs; for a refused request line, Method and URI are
// its first two words (either may be empty, and Method need not be a
// token). Apache answers a faulty request line as HTTP/1.0, but a faulty
// HTTP/0.9 request whose line parsed (a malformed host in its URI) with a
// bare HTTP/0.9 body, and req.IsHTTP09 then reports true.
//
// It returns io.EOF if the connection ended cleanly before a request began
// (and after at most ten empty lines), a wrapped error from the underlying
// reader (a timeout, or the connection closing in the request line: Apache
// answers neither), or an *Error for a request the server must refuse with
// its Status. On success the body, if any, is read with Body before the
// next ReadRequest.
func (p *Reader) ReadRequest(req *Request) error {
	req.Reset()
	if err := p.readRequestLine(req); err != nil {
		req.Proto, req.ProtoMajor, req.ProtoMinor = "HTTP/1.0", 1, 0
		return err
	}
	if req.IsHTTP09() {
		req.MustClose = true
		req.finish()
		return p.checkHead(req)
	}
	var err error
	req.arena, req.spans, err = readFields(p.br, p.limits, req.arena, req.spans, "header")
	req.finish()
	if err != nil {
		return err
	}
	return p.checkHead(req)
}

// readRequestLine skips up to ten empty lines, then reads and parses the
// request line.
func (p *Reader) readRequestLine(req *Request) error {
	for blank := 0; ; blank++ {
		req.arena = req.arena[:0]
		var err error
		req.arena, err = appendLine(req.arena, p.br, p.limits.RequestLine)
		if err != nil {
			req.recordBadLine(err, p.limits.RequestLine)
			return requestLineError(err, len(req.arena) == 0)
		}
		if len(req.arena) > 0 || blank >= maxBlankLines {
			break
		}
	}
	n := len(req.arena)
	req.line, req.lineOff, req.lineEnd = lineParsed, 0, n
	if err := req.parseRequestLine(); err != nil {
		req.refuseLine(n)
		return err
	}
	return nil
}

func requestLineError(err error, empty bool) error {
	switch {
	case errors.Is(err, errLineTooLong):
		return &Error{Status: statusURITooLong, Reason: "request failed: client's request-line exceeds LimitRequestLine"}
	case errors.Is(err, errBareLF), errors.Is(err, errNULByte):
		return &Error{Status: statusBadRequest, Reason: "request failed: malformed request line", Err: err}
	case errors.Is(err, io.EOF) && empty:
		return io.EOF
	case errors.Is(err, io.EOF):
		return fmt.Errorf("reading request line: %w", io.ErrUnexpectedEOF)
	default:
		return fmt.Errorf("reading request line: %w", err)
	}
}

// finish points the exported slices into the arena, which no longer grows.
func (r *Request) finish() {
	r.URI = r.arena[r.uriOff:r.uriEnd:r.uriEnd]
	r.Fields = fieldsFromSpans(r.Fields, r.spans, r.arena)
}

// Body returns a reader for the body of req, which must be the request last
// read by ReadRequest: a *ChunkedReader, a *LengthReader, or for a request
// without a body a reader at EOF. The reader is owned by p and reused for
// the next request; it enforces the Body limit current when Body is called.
// Its errors are *Error values (400 for malformed or truncated bodies, 413
// over LimitRequestBody).
func (p *Reader) Body(req *Request) io.Reader {
	if req.Chunked {
		p.chunked.Reset(p.br, p.limits)
		return &p.chunked
	}
	n := req.ContentLength
	if n < 0 {
		n = 0
	}
	p.length.Reset(p.br, n, p.limits.Body)
	return &p.length
}
