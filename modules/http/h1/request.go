package h1

// Field is one header or trailer field as the client sent it: Name is the
// field name (case preserved), Value the value with surrounding whitespace
// removed and obs-fold continuation lines joined with a single space. Both
// alias storage owned by the Request (or ChunkedReader) they came from.
type Field struct {
	Name, Value []byte
}

// Request is a parsed request head. It is reused from request to request:
// its byte slices (URI, Host, Fields) alias storage owned by the Request and
// are valid until the next ReadRequest or Reset with it. Copy what must
// live longer.
type Request struct {
	// Method is the request method, case preserved. Well-known methods are
	// shared constants; an unknown but well-formed method (which the server
	// answers 501) is allocated.
	Method string
	// URI is the request-target exactly as sent.
	URI []byte
	// Proto is the protocol named in the request line ("HTTP/1.1"), or
	// "HTTP/0.9" for a simple request.
	Proto string
	// ProtoMajor and ProtoMinor are the protocol version.
	ProtoMajor, ProtoMinor int
	// Fields are the header fields in the order received; repeated names
	// are kept as separate entries.
	Fields []Field
	// Host is the authority the request is for: the host[:port] of an
	// absolute http URI if there is one, else the Host field. It has been
	// checked as Apache does; it may be empty for HTTP/1.0 and HTTP/0.9.
	Host []byte
	// ContentLength is the Content-Length of the body, or -1 if the
	// request has none or is chunked.
	ContentLength int64
	// Chunked reports a body in the chunked transfer coding.
	Chunked bool
	// ConnClose reports a "close" token in the Connection field.
	ConnClose bool
	// ConnKeepAlive reports a "keep-alive" token in the Connection field
	// (the HTTP/1.0 way to ask for a persistent connection).
	ConnKeepAlive bool
	// MustClose reports that the connection must be closed after the
	// response whatever the client asked: set when both Transfer-Encoding
	// and Content-Length were sent (chunked wins, the Content-Length field
	// is ignored) and for HTTP/0.9.
	MustClose bool
	// Expect100 reports "Expect: 100-continue": the server sends
	// "100 Continue" before it first reads the body.
	Expect100 bool

	arena            []byte // request line and field lines, CRLF removed
	spans            []span // where each field's name and value lie in arena
	line             lineState
	lineOff, lineEnd int  // the request line as Line reports it, in arena
	hostOff, hostEnd int  // authority of an absolute http URI (uriHost)
	nameOff, nameEnd int  // host name within it (no brackets, no port)
	uriOff, uriEnd   int  // request-target
	uriHost          bool // the request-target names the host
}

// span locates one field in an arena.
type span struct {
	nameOff, nameEnd, valOff, valEnd int
}

// Reset clears r for reuse, keeping its storage.
func (r *Request) Reset() {
	*r = Request{
		arena:  r.arena[:0],
		spans:  r.spans[:0],
		Fields: r.Fields[:0],
	}
	r.ContentLength = -1
}

// Get returns the value of the first field named name (compared without
// regard to ASCII case), or nil if there is none.
func (r *Request) Get(name string) []byte {
	v, _ := r.Lookup(name)
	return v
}

// Lookup returns the value of the first field named name (compared without
// regard to ASCII case) and whether there is one.
func (r *Request) Lookup(name string) ([]byte, bool) {
	return lookup(r.Fields, name)
}

// Count returns how many fields are named name.
func (r *Request) Count(name string) int {
	n := 0
	for i := range r.Fields {
		if equalFold(r.Fields[i].Name, name) {
			n++
		}
	}
	return n
}

// AppendMerged appends to dst the values of all fields named name joined by
// ", " (the way Apache merges repeated fields) and returns the result.
func (r *Request) AppendMerged(dst []byte, name string) []byte {
	return appendMerged(dst, r.Fields, name)
}

// IsHTTP09 reports an HTTP/0.9 simple request: no header, and a response
// that is the bare body (error responses included).
func (r *Request) IsHTTP09() bool { return r.ProtoMajor == 0 }

// HasBody reports whether a body follows the head.
func (r *Request) HasBody() bool { return r.Chunked || r.ContentLength > 0 }

// KeepAlive reports whether the client is willing to send another request
// on this connection after this one, judged from the head alone: HTTP/1.1
// and later unless "Connection: close", HTTP/1.0 only with
// "Connection: keep-alive", never when MustClose. The server may still
// close for reasons of its own (KeepAlive Off, MaxKeepAliveRequests, a
// response without a length for HTTP/1.0).
func (r *Request) KeepAlive() bool {
	if r.MustClose || r.ConnClose || r.ProtoMajor == 0 {
		return false
	}
	return r.ConnKeepAlive || r.atLeast11()
}

// atLeast11 reports a protocol version of HTTP/1.1 or later.
func (r *Request) atLeast11() bool {
	return r.ProtoMajor > 1 || r.ProtoMajor == 1 && r.ProtoMinor >= 1
}

func lookup(fields []Field, name string) ([]byte, bool) {
	for i := range fields {
		if equalFold(fields[i].Name, name) {
			return fields[i].Value, true
		}
	}
	return nil, false
}

func appendMerged(dst []byte, fields []Field, name string) []byte {
	first := true
	for i := range fields {
		if !equalFold(fields[i].Name, name) {
			continue
		}
		if !first {
			dst = append(dst, ", "...)
		}
		first = false
		dst = append(dst, fields[i].Value...)
	}
	return dst
}

// fieldsFromSpans rebuilds fields (reusing its storage) from spans over
// arena; done once the arena has stopped growing.
func fieldsFromSpans(fields []Field, spans []span, arena []byte) []Field {
	fields = fields[:0]
	for _, s := range spans {
		fields = append(fields, Field{
			Name:  arena[s.nameOff:s.nameEnd:s.nameEnd],
			Value: arena[s.valOff:s.valEnd:s.valEnd],
		})
	}
	return fields
}
