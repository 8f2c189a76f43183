package autoindex

import "strings"

// parseQuery applies the listing query as Apache does: C= (column N, M,
// S, D), O= (order A, D), F= (format 0 plain, 1 fancy, 2 table), V=
// (version sort 0, 1) and P= (a wildcard pattern of names), separated by
// ';' or '&'. Anything else ends the parse. Under IgnoreClient the query
// is ignored and the headings do not sort.
func (l *listing) parseQuery(q string) {
	if l.opts&OptIgnoreClient != 0 {
		l.opts |= OptSuppressColSort
		return
	}
	var fval, vval, ppre, epattern string
	// arg reports whether q starts with "K=v" for one of the values, ending
	// the query or followed by a separator.
	arg := func(k byte, values string) bool {
		return len(q) >= 3 && q[0] == k && q[1] == '=' && q[2] != 0 && strings.IndexByte(values, q[2]) >= 0 &&
			(len(q) == 3 || q[3] == '&' || q[3] == ';')
	}
	for q != "" {
		switch {
		case arg('C', "NMSD"):
			l.key = q[2]
		case arg('O', "AD"):
			l.dir = q[2]
		case arg('F', "012"):
			switch q[2] {
			case '0':
				l.opts &^= OptFancy | OptTable
			case '1':
				l.opts = (l.opts | OptFancy) &^ OptTable
			case '2':
				l.opts |= OptFancy | OptTable
			}
			fval = ";F=" + q[2:3]
		case arg('V', "01"):
			if q[2] == '0' {
				l.opts &^= OptVersionSort
			} else {
				l.opts |= OptVersionSort
			}
			vval = ";V=" + q[2:3]
		case strings.HasPrefix(q, "P="):
			p, rest := q[2:], ""
			if i := strings.IndexAny(p, "&;"); i >= 0 {
				p, rest = p[:i], p[i+1:]
			}
			l.pattern = ""
			if p != "" {
				if u, ok := unescapeURL(p); ok {
					l.pattern, ppre, epattern = u, ";P=", escapePath(u, false)
				}
			}
			q = rest
			continue
		default:
			q = ""
			continue
		}
		if len(q) > 3 {
			q = q[4:]
		} else {
			q = ""
		}
	}
	l.colargs = fval + vval + ppre + epattern
}

// unescapeURL decodes %xx escapes as Apache's ap_unescape_url; a bad
// escape, an encoded '/' or an encoded NUL fails.
func unescapeURL(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b = append(b, s[i])
			continue
		}
		if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
			return "", false
		}
		c := byte(unhex(s[i+1])<<4 | unhex(s[i+2]))
		if c == '/' || c == 0 {
			return "", false
		}
		b = append(b, c)
		i += 2
	}
	return string(b), true
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
