package h1

// checkTarget checks the request-target r.arena[r.uriOff:r.uriEnd] as
// Apache's ap_parse_uri and strict checks do: origin-form ("/path?query"),
// absolute-form ("scheme://authority/path"), "*" for OPTIONS, and
// authority-form ("host:port") for CONNECT; no fragment, no userinfo. For
// an absolute http URI (or CONNECT) it records the authority, which then
// stands for the Host field, and the host name, which checkHead checks.
func (r *Request) checkTarget() error {
	u := r.arena[r.uriOff:r.uriEnd]
	base := r.uriOff
	for len(u) > 1 && u[0] == '/' && u[1] == '/' {
		u, base = u[1:], base+1
	}
	if r.Method == "CONNECT" {
		return r.checkConnectTarget(u, base)
	}
	var path []byte
	switch {
	case u[0] == '/':
		path = u
	default:
		s := schemeLen(u)
		if s == 0 {
			if relativeHasColon(u) {
				return badRequest("HTTP Request Line; Unable to parse URI: %s", logName(u))
			}
			path = u
			break
		}
		scheme, rest := u[:s], u[s+1:]
		if len(rest) < 2 || rest[0] != '/' || rest[1] != '/' {
			path = rest
			break
		}
		authOff := s + 3
		authEnd := authOff
		for authEnd < len(u) && u[authEnd] != '/' && u[authEnd] != '?' && u[authEnd] != '#' {
			authEnd++
		}
		hostOff, hostEnd, err := splitAuthority(u[authOff:authEnd])
		if err != nil {
			return err
		}
		if equalFold(scheme, "http") {
			r.hostOff, r.hostEnd, r.uriHost = base+authOff, base+authEnd, true
			r.nameOff, r.nameEnd = base+authOff+hostOff, base+authOff+hostEnd
		}
		path = u[authEnd:]
	}
	// What follows the path: "?query", "#fragment" or nothing.
	p := 0
	for p < len(path) && path[p] != '?' && path[p] != '#' {
		p++
	}
	if p > 0 && path[0] != '/' && !(r.Method == "OPTIONS" && p == 1 && path[0] == '*') {
		return badRequest("HTTP Request Line; Unable to parse URI: %s", logName(u))
	}
	for ; p < len(path); p++ {
		if path[p] == '#' {
			return badRequest("HTTP Request Line; URI must not contain a fragment")
		}
	}
	return nil
}

// schemeLen returns the length of the scheme of u if u starts with
// ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":", and 0 otherwise.
func schemeLen(u []byte) int {
	if !isAlpha(u[0]) {
		return 0
	}
	for i := 1; i < len(u); i++ {
		c := u[i]
		switch {
		case c == ':':
			return i
		case isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.':
		default:
			return 0
		}
	}
	return 0
}

// relativeHasColon reports a colon in the first segment of a relative
// reference without a scheme, which RFC 3986 section 4.2 forbids.
func relativeHasColon(u []byte) bool {
	for _, c := range u {
		if c == '/' {
			return false
		}
		if c == ':' {
			return true
		}
	}
	return false
}

// splitAuthority locates the host in an authority "[userinfo@]host[:port]",
// without brackets for an IPv6 literal. Userinfo is refused (Apache's
// strict mode), and so is a port that is not a number.
func splitAuthority(a []byte) (hostOff, hostEnd int, err error) {
	if indexByte(a, '@') >= 0 {
		return 0, 0, badRequest("HTTP Request Line; URI must not contain a username/password")
	}
	var port []byte
	if len(a) > 0 && a[0] == '[' {
		end := indexByte(a, ']')
		if end < 0 {
			return 0, 0, badRequest("HTTP Request Line; Unable to parse URI: %s", logName(a))
		}
		hostOff, hostEnd = 1, end
		if end+1 < len(a) && a[end+1] == ':' {
			port = a[end+2:]
		}
	} else if c := indexByte(a, ':'); c >= 0 {
		hostEnd, port = c, a[c+1:]
	} else {
		hostEnd = len(a)
	}
	if len(port) > 0 && !isNumber(port) {
		return 0, 0, badRequest("HTTP Request Line; Unable to parse URI: %s", logName(a))
	}
	return hostOff, hostEnd, nil
}

// checkConnectTarget checks CONNECT's authority-form: host ":" port.
func (r *Request) checkConnectTarget(u []byte, base int) error {
	var hostOff, hostEnd int
	var port []byte
	if u[0] == '[' {
		end := indexByte(u, ']')
		if end < 0 || end+1 >= len(u) || u[end+1] != ':' {
			return badRequest("HTTP Request Line; Unable to parse URI: %s", logName(u))
		}
		hostOff, hostEnd, port = 1, end, u[end+2:]
	} else if c := indexByte(u, ':'); c >= 0 {
		hostEnd, port = c, u[c+1:]
	} else {
		return badRequest("HTTP Request Line; Unable to parse URI: %s", logName(u))
	}
	if !isNumber(port) {
		return badRequest("HTTP Request Line; Unable to parse URI: %s", logName(u))
	}
	r.hostOff, r.hostEnd, r.uriHost = base, base+len(u), true
	r.nameOff, r.nameEnd = base+hostOff, base+hostEnd
	return nil
}

// isNumber reports an optionally signed decimal number, as strtol reads one
// whole.
func isNumber(b []byte) bool {
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		b = b[1:]
	}
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return true
}

func indexByte(b []byte, c byte) int {
	for i := range b {
		if b[i] == c {
			return i
		}
	}
	return -1
}
