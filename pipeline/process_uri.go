package pipeline

import "strings"

// TargetPath returns the path of r's request-target (RawURI) as Apache's
// ap_parse_uri makes r->uri of it, before any decoding or normalisation:
// the path of an origin-form or absolute-form target, without its query;
// for a target with no path — a query alone ("?x"), an absolute URI
// without a path, CONNECT's authority-form ("host:port") — "*" for OPTIONS
// (the whole server, as "OPTIONS *") and "/" for any other method.
func (r *Request) TargetPath() string {
	p := r.RawURI
	switch {
	case strings.HasPrefix(p, "/"):
	case r.MethodNumber == MethodConnect:
		p = "" // authority-form
	default:
		if i := strings.Index(p, "://"); i >= 0 { // absolute-form
			p = p[i+3:]
			if j := strings.IndexAny(p, "/?#"); j >= 0 {
				p = p[j:]
			} else {
				p = ""
			}
		}
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if p != "" {
		return p
	}
	if r.MethodNumber == MethodOptions {
		return "*"
	}
	return "/"
}

// NormalizePath turns the path of a request-target into the URI the phases
// map (Apache 2.4's ap_normalize_path followed by ap_unescape_url with
// AllowEncodedSlashes Off and MergeSlashes On):
//
//   - escapes of unreserved characters are decoded first, so "%2e%2e" is a
//     ".." segment; a '%' not followed by two hex digits is 400;
//   - "." segments are dropped, ".." removes the segment before it, a ".."
//     above the root is 400, and runs of '/' become one;
//   - the remaining escapes are decoded; an encoded '/' or NUL is 404.
//
// An empty path (a target without one, such as "?x") is "/", as in
// Apache's ap_parse_uri; any other path must start with '/', or it is
// 400.
func NormalizePath(raw string) (string, Result) {
	if raw == "" {
		return "/", OK
	}
	if raw[0] != '/' {
		return "", 400
	}
	// Fast path: nothing to do for the common clean path.
	if !strings.ContainsAny(raw, "%") && !strings.Contains(raw, "//") && !strings.Contains(raw, "/.") {
		return raw, OK
	}
	p, st := decodeUnreserved(raw)
	if st != OK {
		return "", st
	}
	p, st = removeDotSegments(p)
	if st != OK {
		return "", st
	}
	return unescape(p)
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// decodeUnreserved decodes %XX escapes of unreserved characters and checks
// every escape is well formed.
func decodeUnreserved(s string) (string, Result) {
	if strings.IndexByte(s, '%') < 0 {
		return s, OK
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		if i+2 >= len(s) {
			return "", 400
		}
		hi, ok1 := unhex(s[i+1])
		lo, ok2 := unhex(s[i+2])
		if !ok1 || !ok2 {
			return "", 400
		}
		if d := hi<<4 | lo; isUnreserved(d) {
			b = append(b, d)
		} else {
			b = append(b, s[i:i+3]...)
		}
		i += 2
	}
	return string(b), OK
}

// removeDotSegments resolves "." and ".." segments and merges slashes; a
// trailing "." or ".." leaves a trailing '/' as RFC 3986 does.
func removeDotSegments(s string) (string, Result) {
	segs := make([]string, 0, 8)
	parts := strings.Split(s[1:], "/")
	trailing := false
	for i, seg := range parts {
		last := i == len(parts)-1
		switch seg {
		case "", ".":
			trailing = last
		case "..":
			if len(segs) == 0 {
				return "", 400
			}
			segs = segs[:len(segs)-1]
			trailing = last
		default:
			segs = append(segs, seg)
			trailing = false
		}
	}
	out := "/" + strings.Join(segs, "/")
	if trailing && len(segs) > 0 {
		out += "/"
	}
	return out, OK
}

// unescape decodes every %XX escape; an encoded '/' or NUL is 404.
func unescape(s string) (string, Result) {
	if strings.IndexByte(s, '%') < 0 {
		return s, OK
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			b = append(b, c)
			continue
		}
		hi, _ := unhex(s[i+1])
		lo, _ := unhex(s[i+2])
		d := hi<<4 | lo
		if d == '/' || d == 0 {
			return "", 404
		}
		b = append(b, d)
		i += 2
	}
	return string(b), OK
}
