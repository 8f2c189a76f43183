package pipeline

import (
	"errors"
	"io"
	"strconv"
)

// writeBufferSize is how much Write gathers before passing it down
// (Apache's OLD_WRITE filter buffers similarly), so that a handler writing
// a small response in pieces still gets a Content-Length.
const writeBufferSize = 8192

// PassBrigade sends bb down the request's output filters (ap_pass_brigade
// on r->output_filters), after anything Write buffered. It records an EOS.
func (r *Request) PassBrigade(bb *Brigade) error {
	if err := r.flushWrites(false); err != nil {
		return err
	}
	if bb.HasEOS() {
		r.eosSent = true
	}
	return r.outputFilters.Pass(bb)
}

// Write writes body bytes (ap_rwrite). Small writes are gathered up to
// 8 KiB before they go down the filters; Flush sends them at once.
func (r *Request) Write(p []byte) (int, error) {
	if r.eosSent {
		return 0, errors.New("write after the end of the response")
	}
	if len(r.wbuf)+len(p) <= writeBufferSize {
		if r.wbuf == nil {
			r.wbuf = make([]byte, 0, writeBufferSize)
		}
		r.wbuf = append(r.wbuf, p...)
		return len(p), nil
	}
	if err := r.flushWrites(false); err != nil {
		return 0, err
	}
	bb := r.brigade()
	bb.AppendBytes(p)
	err := r.outputFilters.Pass(bb)
	bb.Reset()
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// WriteString is Write for a string.
func (r *Request) WriteString(s string) (int, error) {
	if len(r.wbuf)+len(s) <= writeBufferSize && !r.eosSent {
		if r.wbuf == nil {
			r.wbuf = make([]byte, 0, writeBufferSize)
		}
		r.wbuf = append(r.wbuf, s...)
		return len(s), nil
	}
	return r.Write([]byte(s))
}

// Flush sends what Write buffered and a flush bucket, so the client sees
// everything written so far (ap_rflush).
func (r *Request) Flush() error { return r.flushWrites(true) }

func (r *Request) brigade() *Brigade {
	if r.bb == nil {
		r.bb = &Brigade{Buckets: make([]Bucket, 0, 4)}
	}
	return r.bb
}

// flushWrites passes the write buffer, with a flush bucket if asked.
func (r *Request) flushWrites(flush bool) error {
	if len(r.wbuf) == 0 && !flush {
		return nil
	}
	bb := r.brigade()
	bb.AppendBytes(r.wbuf)
	if flush {
		bb.AppendFlush()
	}
	err := r.outputFilters.Pass(bb)
	bb.Reset()
	r.wbuf = r.wbuf[:0]
	return err
}

// SetContentLength sets the Content-Length response header
// (ap_set_content_length).
func (r *Request) SetContentLength(n int64) {
	r.HeadersOut.Set("Content-Length", strconv.FormatInt(n, 10))
}

// finalizeRequestProtocol ends the response if the handler did not
// (Apache's ap_finalize_request_protocol): the rest of the request body is
// read and dropped, so the next request on the connection can be read,
// then what Write buffered and an EOS go down the filters.
func finalizeRequestProtocol(r *Request) {
	_ = DiscardRequestBody(r)
	if r.eosSent {
		return
	}
	bb := r.brigade()
	bb.AppendBytes(r.wbuf)
	bb.AppendEOS()
	r.eosSent = true
	_ = r.outputFilters.Pass(bb)
	bb.Reset()
	r.wbuf = r.wbuf[:0]
}

// DiscardRequestBody reads and drops the request body
// (ap_discard_request_body), so that the connection can carry another
// request. It does nothing for sub-requests or when the connection will
// close anyway; a body it cannot read makes the connection close and is
// returned (a *StatusError for a malformed or oversized body).
func DiscardRequestBody(r *Request) error {
	if r.Main != nil || r.Conn.MustClose || r.inputFilters == nil {
		return nil
	}
	if _, err := io.Copy(io.Discard, r.inputFilters); err != nil {
		r.Conn.MustClose = true
		return err
	}
	return nil
}

// StatusError is an error that calls for an HTTP status, such as a request
// body over LimitRequestBody (413). Input filters return it; handlers
// answer with its Status.
type StatusError struct {
	Status int
	Err    error
}

// Error returns "<status line>: <cause>".
func (e *StatusError) Error() string {
	if e.Err == nil {
		return StatusLine(e.Status)
	}
	return StatusLine(e.Status) + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *StatusError) Unwrap() error { return e.Err }

// ErrorStatus returns the status an error calls for: the Status of a
// *StatusError in its chain, else 500 (0 for nil).
func ErrorStatus(err error) Result {
	if err == nil {
		return OK
	}
	var se *StatusError
	if errors.As(err, &se) {
		return Result(se.Status)
	}
	return 500
}
