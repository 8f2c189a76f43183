package autoindex

// hasFnmatchMeta reports whether pattern holds fnmatch wildcards: '*',
// '?', or a '[' closed by a ']' (a backslash escapes the next byte), as
// APR's apr_fnmatch_test.
func hasFnmatchMeta(pattern string) bool {
	open := false
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '?', '*':
			return true
		case '\\':
			i++
		case '[':
			open = true
		case ']':
			if open {
				return true
			}
		}
	}
	return false
}

// fnmatch matches name against a shell pattern as APR's apr_fnmatch
// without APR_FNM_PATHNAME: '*' matches any run of bytes ('/' included),
// '?' one byte, "[...]" one byte of a set ("[!...]" or "[^...]" negated,
// with ranges), and a backslash escapes the next byte. With query, the
// flags of the P= listing query apply: no escapes (APR_FNM_NOESCAPE) and a
// leading '.' must be matched literally (APR_FNM_PERIOD).
func fnmatch(pattern, name string, query bool) bool {
	if query && name != "" && name[0] == '.' && (pattern == "" || pattern[0] != '.') {
		return false
	}
	return fnmatchFrom(pattern, name, !query)
}

func fnmatchFrom(p, s string, escapes bool) bool {
	for len(p) > 0 {
		switch c := p[0]; {
		case c == '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if fnmatchFrom(p, s[i:], escapes) {
					return true
				}
			}
			return false
		case s == "":
			return false
		case c == '?':
			p, s = p[1:], s[1:]
		case c == '[':
			ok, rest, valid := matchClass(p[1:], s[0], escapes)
			if !valid {
				// An unclosed '[' is an ordinary byte.
				if s[0] != '[' {
					return false
				}
				p, s = p[1:], s[1:]
				continue
			}
			if !ok {
				return false
			}
			p, s = rest, s[1:]
		case c == '\\' && escapes && len(p) > 1:
			if p[1] != s[0] {
				return false
			}
			p, s = p[2:], s[1:]
		default:
			if c != s[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// matchClass matches b against the set that p (just after '[') opens; it
// returns whether b is in it, the pattern after the closing ']', and
// whether the set was closed at all.
func matchClass(p string, b byte, escapes bool) (in bool, rest string, valid bool) {
	negate := false
	if p != "" && (p[0] == '!' || p[0] == '^') {
		negate, p = true, p[1:]
	}
	first := true
	for len(p) > 0 {
		c := p[0]
		if c == ']' && !first {
			return in != negate, p[1:], true
		}
		first = false
		if c == '\\' && escapes && len(p) > 1 {
			c, p = p[1], p[1:]
		}
		p = p[1:]
		if len(p) > 1 && p[0] == '-' && p[1] != ']' {
			hi := p[1]
			if hi == '\\' && escapes && len(p) > 2 {
				hi, p = p[2], p[1:]
			}
			p = p[2:]
			if c <= b && b <= hi {
				in = true
			}
			continue
		}
		if c == b {
			in = true
		}
	}
	return false, "", false
}
