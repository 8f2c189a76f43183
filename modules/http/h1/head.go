package h1

import "fmt"

// checkHead applies the checks Apache makes once the header section is in
// (ap_read_request and ap_check_request_header): repeated fields merged
// within LimitRequestFieldSize, Content-Length, Transfer-Encoding, the Host
// (absent, malformed, repeated), and Expect.
func (p *Reader) checkHead(r *Request) error {
	if err := p.checkMergedSizes(r); err != nil {
		return err
	}
	var cl, te, host, expect, conn int // occurrences
	var clv, tev, hostv, expectv []byte
	for i := range r.Fields {
		f := &r.Fields[i]
		switch len(f.Name) {
		case 4:
			if equalFold(f.Name, "host") {
				host++
				hostv = f.Value
			}
		case 6:
			if equalFold(f.Name, "expect") {
				expect++
				expectv = f.Value
			}
		case 10:
			if equalFold(f.Name, "connection") {
				conn++
				r.connectionTokens(f.Value)
			}
		case 14:
			if equalFold(f.Name, "content-length") {
				cl++
				clv = f.Value
			}
		case 17:
			if equalFold(f.Name, "transfer-encoding") {
				te++
				tev = f.Value
			}
		}
	}
	if cl > 1 {
		clv = p.merged(r, "Content-Length")
	}
	if te > 1 {
		tev = p.merged(r, "Transfer-Encoding")
	}
	if host > 1 {
		hostv = p.merged(r, "Host")
	}
	if expect > 1 {
		expectv = p.merged(r, "Expect")
	}

	if cl > 0 {
		n, ok := parseLength(clv)
		if !ok {
			return badRequest("client sent invalid Content-Length (%s): %s", logName(clv), logName(r.URI))
		}
		r.ContentLength = n
	}
	if te > 0 {
		if !isChunked(tev) {
			return badRequest("client sent unknown Transfer-Encoding (%s): %s", logName(tev), logName(r.URI))
		}
		r.Chunked = true
		if cl > 0 {
			// RFC 9112 section 6.3: Transfer-Encoding overrides
			// Content-Length, and the connection is not reused.
			r.ContentLength = -1
			r.MustClose = true
		}
	}

	hasHostname := r.uriHost
	if r.uriHost {
		if err := checkURIHost(r.arena[r.nameOff:r.nameEnd]); err != nil {
			return err
		}
		r.Host = r.arena[r.hostOff:r.hostEnd:r.hostEnd]
	} else if host > 0 && len(hostv) > 0 {
		if err := checkHostField(hostv); err != nil {
			return err
		}
		r.Host = hostv
		hasHostname = true
	}
	if !hasHostname && r.atLeast11() ||
		r.ProtoMajor == 1 && r.ProtoMinor == 1 && host == 0 {
		return badRequest("client sent HTTP/1.1 request without hostname (see RFC2616 section 14.23): %s", logName(r.URI))
	}

	if expect > 0 && len(expectv) > 0 {
		if !equalFold(expectv, "100-continue") {
			return &Error{Status: statusExpectationFailed, Reason: fmt.Sprintf(
				"client sent an unrecognized expectation value of Expect: %s", logName(expectv))}
		}
		r.Expect100 = true
	}
	return nil
}

// merged returns the values of the fields named name joined by ", ", in
// scratch storage valid until the next call.
func (p *Reader) merged(r *Request, name string) []byte {
	start := len(p.scratch)
	p.scratch = appendMerged(p.scratch, r.Fields, name)
	return p.scratch[start:len(p.scratch):len(p.scratch)]
}

// checkMergedSizes refuses a repeated field whose values, merged, exceed
// LimitRequestFieldSize (Apache merges repeated fields, then checks).
func (p *Reader) checkMergedSizes(r *Request) error {
	p.scratch = p.scratch[:0]
	total := 0
	for i := range r.Fields {
		total += len(r.Fields[i].Value) + 2
	}
	if total <= p.limits.FieldSize {
		return nil // no merge can exceed it
	}
	for i := range r.Fields {
		name := r.Fields[i].Name
		n, first := 0, true
		for j := range r.Fields {
			if !equalFold(r.Fields[j].Name, string(name)) {
				continue
			}
			if j < i {
				first = false
				break
			}
			if n > 0 {
				n += 2
			}
			n += len(r.Fields[j].Value)
		}
		if first && n > p.limits.FieldSize {
			return badRequest("Request header exceeds LimitRequestFieldSize after merging: %s", logName(name))
		}
	}
	return nil
}

// connectionTokens records the close and keep-alive tokens of a
// Connection field value.
func (r *Request) connectionTokens(v []byte) {
	for len(v) > 0 {
		i := 0
		for i < len(v) && !isToken(v[i]) {
			i++
		}
		j := i
		for j < len(v) && isToken(v[j]) {
			j++
		}
		switch tok := v[i:j]; {
		case equalFold(tok, "close"):
			r.ConnClose = true
		case equalFold(tok, "keep-alive"):
			r.ConnKeepAlive = true
		}
		v = v[j:]
	}
}

// parseLength parses a Content-Length value: one or more decimal digits, no
// sign, no other byte, at most the largest int64.
func parseLength(v []byte) (int64, bool) {
	if len(v) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if !isDigit(c) {
			return 0, false
		}
		d := int64(c - '0')
		if n > (1<<63-1-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// isChunked reports a Transfer-Encoding value whose last coding is
// "chunked", as Apache's ap_is_chunked decides: the value is "chunked", or
// ends in "chunked" preceded by a comma (spaces allowed between them).
func isChunked(v []byte) bool {
	const tok = "chunked"
	if len(v) < len(tok) || !equalFold(v[len(v)-len(tok):], tok) {
		return false
	}
	i := len(v) - len(tok) - 1
	if i < 0 {
		return true
	}
	if v[i] != ',' && !isSpace(v[i]) {
		return false
	}
	for i > 0 && v[i] == ' ' {
		i--
	}
	return v[i] == ',' || v[i] == ' '
}
