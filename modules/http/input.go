package http

import (
	"errors"
	"io"

	"gohttpd/modules/http/h1"
	"gohttpd/pipeline"
)

// inState is the HTTP_IN filter's state for the request in flight.
type inState struct {
	hasBody bool
	body    io.Reader // nil until the first read
	done    bool
	// complete is set when the body was read to its end.
	complete bool
	// bailed is set when the filter refused the body itself (over
	// LimitRequestBody, or malformed chunked framing): Apache's HTTP_IN
	// then answers through the output filters at once, and that error
	// response goes out without a Content-Length, close-delimited.
	bailed bool
	cont   pipeline.Brigade
}

func (s *inState) reset(hasBody bool) {
	s.hasBody, s.body, s.done, s.complete, s.bailed = hasBody, nil, false, false, false
}

var continueLine = []byte("HTTP/1.1 100 Continue\r\n\r\n")

// inputFilter is the HTTP_IN input filter: it delivers the request body,
// de-chunked or counted by Content-Length, under the LimitRequestBody in
// force for the request, and with the LimitRequestFieldSize and
// LimitRequestFields of the request's virtual host for chunk-size lines
// and trailers. Before the first read of a body from a client
// that sent "Expect: 100-continue" it sends "100 Continue" — unless a final
// response has already begun, or the request already failed, in which
// case the body reads as empty and the connection closes after the
// response (Apache's ap_http_filter). Errors are *pipeline.StatusError
// values (400 malformed, 413 too large).
func inputFilter(f *pipeline.Filter, p []byte) (int, error) {
	hc := f.Ctx.(*hconn)
	s := &hc.in
	r := f.Req
	if s.done || !s.hasBody {
		return 0, io.EOF
	}
	if s.body == nil {
		if r.Expect100 {
			if r.HeadersSent || r.EOSSent() || r.Status < 200 || r.Status >= 300 {
				s.done = true
				r.Conn.MustClose = true
				return 0, io.EOF
			}
			s.cont.Reset()
			s.cont.AppendBytes(continueLine)
			s.cont.AppendFlush()
			err := r.Conn.OutputFilters().Pass(&s.cont)
			s.cont.Reset()
			if err != nil {
				return 0, err
			}
			r.Expect100 = false
		}
		lim := hc.rd.Limits()
		lim.Body = limitRequestBody(r)
		if s := r.Server; s != nil {
			lim.FieldSize, lim.Fields = s.LimitRequestFieldSize, s.LimitRequestFields
		}
		hc.rd.SetLimits(lim)
		s.body = hc.rd.Body(&hc.hreq)
		if r.Conn.Base != nil {
			hc.setReadDeadline(r.Conn.Base.Timeout)
		}
	}
	n, err := s.body.Read(p)
	if err != nil && err != io.EOF {
		s.done = true
		r.Conn.MustClose = true
		if st := h1.StatusOf(err); st > 0 {
			// A body cut short is answered the usual way; a refused one
			// is answered like Apache's bail-out.
			s.bailed = !errors.Is(err, io.ErrUnexpectedEOF)
			return n, &pipeline.StatusError{Status: st, Err: err}
		}
		if isTimeout(err) {
			return n, &pipeline.StatusError{Status: 408, Err: err}
		}
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return n, &pipeline.StatusError{Status: 400, Err: err}
		}
		return n, err
	}
	if err == io.EOF {
		s.done, s.complete = true, true
	}
	return n, err
}
