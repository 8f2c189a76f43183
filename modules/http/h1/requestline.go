package h1

// parseRequestLine parses the request line held in r.arena (CRLF removed)
// with Apache's strict rules: method SP request-target SP HTTP-version,
// single SP separators, no other whitespace; "GET target" alone is an
// HTTP/0.9 simple request.
func (r *Request) parseRequestLine() error {
	line := r.arena
	if len(line) > 0 && isSpace(line[0]) {
		return badRequest("HTTP Request Line; Invalid whitespace")
	}
	i := 0
	for i < len(line) && isToken(line[i]) {
		i++
	}
	if i == 0 || i < len(line) && !isSpace(line[i]) {
		return badRequest("HTTP Request Line; Invalid method token: %s", logName(line[:wordEnd(line, i)]))
	}
	method := line[:i]
	if i == len(line) {
		return badRequest("HTTP Request Line; Missing URI")
	}
	if err := singleSpace(line, i); err != nil {
		return err
	}
	i++
	uriOff := i
	for i < len(line) && isVchar(line[i]) {
		i++
	}
	if i == uriOff {
		return badRequest("HTTP Request Line; Missing URI")
	}
	if i < len(line) && !isSpace(line[i]) {
		return badRequest("HTTP Request Line; URI incorrectly encoded: %s", logName(line[uriOff:wordEnd(line, i)]))
	}
	r.uriOff, r.uriEnd = uriOff, i
	var proto []byte
	if i < len(line) {
		if err := singleSpace(line, i); err != nil {
			return err
		}
		i++
		protoOff := i
		for i < len(line) && isVchar(line[i]) {
			i++
		}
		proto = line[protoOff:i]
		if i < len(line) {
			if !isSpace(line[i]) {
				return badRequest("HTTP Request Line; Unrecognized protocol %s (perhaps whitespace was injected?)", logName(line[protoOff:]))
			}
			return badRequest("HTTP Request Line; Excess whitespace (disallowed by HttpProtocolOptions Strict)")
		}
	}
	r.Method = internMethod(method)
	if err := r.setProto(proto); err != nil {
		return err
	}
	if err := r.checkTarget(); err != nil {
		return err
	}
	if r.ProtoMajor == 0 && r.Method != "GET" {
		return badRequest("HTTP Request Line; Invalid method token: %s (only GET is allowed for HTTP/0.9 requests)", logName(method))
	}
	return nil
}

// singleSpace checks that line[i], a whitespace byte, is one SP.
func singleSpace(line []byte, i int) error {
	if i+1 < len(line) && isSpace(line[i+1]) {
		return badRequest("HTTP Request Line; Excess whitespace (disallowed by HttpProtocolOptions Strict)")
	}
	if line[i] != ' ' {
		return badRequest("HTTP Request Line; Invalid whitespace")
	}
	return nil
}

// wordEnd returns the index of the first whitespace byte at or after i.
func wordEnd(line []byte, i int) int {
	for i < len(line) && !isSpace(line[i]) {
		i++
	}
	return i
}

// setProto accepts "HTTP/x.y" with x a digit from 1 to 9, as Apache's
// strict mode does (upper case only), and an empty protocol for HTTP/0.9.
func (r *Request) setProto(p []byte) error {
	switch {
	case len(p) == 0:
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/0.9", 0, 9
		return nil
	case len(p) == 8 && string(p[:5]) == "HTTP/" && '1' <= p[5] && p[5] <= '9' && p[6] == '.' && isDigit(p[7]):
		r.ProtoMajor, r.ProtoMinor = int(p[5]-'0'), int(p[7]-'0')
		r.Proto = internProto(p)
		return nil
	}
	return badRequest("HTTP Request Line; Unrecognized protocol %s (perhaps whitespace was injected?)", logName(p))
}

func internProto(p []byte) string {
	switch string(p) {
	case "HTTP/1.1":
		return "HTTP/1.1"
	case "HTTP/1.0":
		return "HTTP/1.0"
	}
	return string(p)
}

// internMethod returns method as a string without allocating for the
// methods Apache registers.
func internMethod(m []byte) string {
	switch string(m) {
	case "GET":
		return "GET"
	case "HEAD":
		return "HEAD"
	case "POST":
		return "POST"
	case "PUT":
		return "PUT"
	case "DELETE":
		return "DELETE"
	case "CONNECT":
		return "CONNECT"
	case "OPTIONS":
		return "OPTIONS"
	case "TRACE":
		return "TRACE"
	case "PATCH":
		return "PATCH"
	case "PROPFIND":
		return "PROPFIND"
	case "PROPPATCH":
		return "PROPPATCH"
	case "MKCOL":
		return "MKCOL"
	case "COPY":
		return "COPY"
	case "MOVE":
		return "MOVE"
	case "LOCK":
		return "LOCK"
	case "UNLOCK":
		return "UNLOCK"
	case "VERSION-CONTROL":
		return "VERSION-CONTROL"
	case "CHECKOUT":
		return "CHECKOUT"
	case "UNCHECKOUT":
		return "UNCHECKOUT"
	case "CHECKIN":
		return "CHECKIN"
	case "UPDATE":
		return "UPDATE"
	case "LABEL":
		return "LABEL"
	case "REPORT":
		return "REPORT"
	case "MKWORKSPACE":
		return "MKWORKSPACE"
	case "MKACTIVITY":
		return "MKACTIVITY"
	case "BASELINE-CONTROL":
		return "BASELINE-CONTROL"
	case "MERGE":
		return "MERGE"
	}
	return string(m)
}
