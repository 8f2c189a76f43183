package proxy

import (
	"strings"

	"gohttpd/pipeline"
)

// Canonicalize is the canon_handler work every scheme shares (Apache's
// ap_proxy_canon_netloc and ap_proxy_canonenc): for a URL of the given
// scheme it keeps scheme and authority, percent-encodes the path (unless
// the rule has nocanon), appends the request's query string for reverse
// proxying, and stores "proxy:"+result in r.Filename. It declines other
// schemes and answers 400 for a URL without an authority.
func Canonicalize(r *pipeline.Request, url string, schemes ...string) pipeline.Result {
	i := strings.Index(url, "://")
	if i <= 0 {
		return pipeline.Declined
	}
	scheme := strings.ToLower(url[:i])
	ok := false
	for _, s := range schemes {
		if s == scheme {
			ok = true
			break
		}
	}
	if !ok {
		return pipeline.Declined
	}
	rest := url[i+3:]
	path := "/"
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest, path = rest[:j], rest[j:]
	} else if j := strings.IndexByte(rest, '?'); j >= 0 {
		rest, path = rest[:j], "/"+rest[j:]
	}
	if rest == "" {
		return 400
	}
	query := ""
	kind := RequestKind(r)
	if kind == Forward {
		if j := strings.IndexByte(path, '?'); j >= 0 {
			path, query = path[:j], path[j+1:]
		}
	} else {
		query = r.Args
	}
	if !NoCanon(r) && kind != Forward {
		path = escapePath(path)
	}
	var b strings.Builder
	b.Grow(len(FilenamePrefix) + len(scheme) + 3 + len(rest) + len(path) + 1 + len(query))
	b.WriteString(FilenamePrefix)
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(rest)
	b.WriteString(path)
	if query != "" {
		b.WriteByte('?')
		b.WriteString(query)
	}
	r.Filename = b.String()
	return pipeline.OK
}

// escapePath percent-encodes the bytes a URL path may not carry as they
// are: everything but unreserved characters, sub-delimiters, ':', '@' and
// '/' (Apache's ap_proxy_canonenc for PROXYREQ_REVERSE paths).
func escapePath(p string) string {
	n := 0
	for i := 0; i < len(p); i++ {
		if !pathByteOK(p[i]) {
			n++
		}
	}
	if n == 0 {
		return p
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(p)+2*n)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if pathByteOK(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func pathByteOK(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/", c) >= 0
}

// URLParts splits a proxied URL into scheme, authority and the
// request-target (path and query) to send to the backend.
func URLParts(url string) (scheme, authority, target string) {
	i := strings.Index(url, "://")
	if i < 0 {
		return "", "", url
	}
	scheme, rest := strings.ToLower(url[:i]), url[i+3:]
	j := strings.IndexAny(rest, "/?")
	if j < 0 {
		return scheme, rest, "/"
	}
	target = rest[j:]
	if target[0] == '?' {
		target = "/" + target
	}
	return scheme, rest[:j], target
}
