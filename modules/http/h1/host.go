package h1

import "net/netip"

// checkHostField checks a non-empty Host field value as Apache's strict
// mode does: host[:port] with a port from 1 to 65535; the host a DNS-like
// name (letters, digits, '-', '_', '.'; no "..", a top-level label starting
// with a letter), a dotted-quad IPv4 address without leading zeros, or a
// bracketed IPv6 address without zone. A bare number is refused, and so is
// any comma, which is how repeated Host fields are caught once merged.
func checkHostField(v []byte) error {
	if isNumber(v) && isDigit(v[0]) {
		return badRequest("[strict] purely numeric host names not allowed: %s", logName(v))
	}
	host := v
	d := len(v)
	for d > 0 && isDigit(v[d-1]) {
		d--
	}
	if d < len(v) && v[d-1] == ':' {
		if d-1 == 0 || !validPort(v[d:]) {
			return badHost(v)
		}
		host = v[:d-1]
	}
	if host[0] == '[' {
		if host[len(host)-1] != ']' || len(host) < 2 {
			return badHost(v)
		}
		a, err := netip.ParseAddr(string(host[1 : len(host)-1]))
		if err != nil || !a.Is6() || a.Zone() != "" || !validV6Literal(host[1:len(host)-1]) {
			return badHost(v)
		}
		return nil
	}
	if !validHostName(host) {
		return badHost(v)
	}
	return nil
}

// checkURIHost checks the host of an absolute URI (brackets and port
// already removed).
func checkURIHost(h []byte) error {
	if len(h) == 0 {
		return nil
	}
	if isNumber(h) && isDigit(h[0]) {
		return badRequest("[strict] purely numeric host names not allowed: %s", logName(h))
	}
	if indexByte(h, ':') >= 0 {
		if !validV6Literal(h) {
			return badHost(h)
		}
		return nil
	}
	if !validHostName(h) {
		return badHost(h)
	}
	return nil
}

func badHost(v []byte) *Error {
	return badRequest("Client sent malformed Host header: %s", logName(v))
}

// validPort reports a decimal port from 1 to 65535.
func validPort(p []byte) bool {
	n := 0
	for _, c := range p {
		n = n*10 + int(c-'0')
		if n > 65535 {
			return false
		}
	}
	return n >= 1
}

// validV6Literal applies Apache's character checks to an IPv6 literal:
// hex digits, colons and dots, at most one "::", no ":." , ".:" or "..".
func validV6Literal(h []byte) bool {
	double := false
	for i, c := range h {
		next := byte(0)
		if i+1 < len(h) {
			next = h[i+1]
		}
		switch {
		case isHex(c):
		case c == ':':
			if next == ':' {
				if double {
					return false
				}
				double = true
			} else if next == '.' {
				return false
			}
		case c == '.':
			if next == ':' || next == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// validHostName applies Apache's non-IPv6 checks, strict mode included.
func validHostName(h []byte) bool {
	for i, c := range h {
		if c == '/' || c == '\\' || c == '.' && i+1 < len(h) && h[i+1] == '.' {
			return false
		}
	}
	if len(h) > 0 && h[len(h)-1] == '.' {
		h = h[:len(h)-1] // one trailing dot is dropped
	}
	dotted, leadingZero, dots := true, false, 0
	for i, c := range h {
		switch {
		case isAlpha(c) || c == '-' || c == '_':
			dotted = false
		case c == '.':
			dots++
			if i+2 < len(h) && h[i+1] == '0' && isDigit(h[i+2]) {
				leadingZero = true
			}
		case !isDigit(c):
			return false
		}
	}
	if dotted {
		if len(h) == 0 || h[0] == '.' || len(h) > 1 && h[0] == '0' && isDigit(h[1]) {
			leadingZero = true
		}
		return !leadingZero && dots == 3
	}
	last := 0
	for i := len(h) - 1; i >= 0; i-- {
		if h[i] == '.' {
			last = i
			break
		}
	}
	if h[last] == '.' && last+1 < len(h) && !isAlpha(h[last+1]) {
		return false
	}
	return true
}
