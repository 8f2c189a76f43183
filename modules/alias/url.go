package alias

import (
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// keepInPath marks the bytes escapePath leaves as they are: letters,
// digits and $-_.+!*'(),:;@&=/~ (Apache's T_OS_ESCAPE_PATH complement).
var keepInPath = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "$-_.+!*'(),:;@&=/~" {
		t[c] = true
	}
	return t
}()

// escapePath %-escapes every byte of a decoded path that may not appear in
// a URL path, with lower-case hex digits as Apache's ap_os_escape_path.
func escapePath(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keepInPath[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789abcdef"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keepInPath[c] {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

// escapeURL escapes a redirect target built from configuration and
// captures: the part before the query is escaped with escapePath, the
// query and fragment are kept as they are, and an explicit default port
// is dropped (Apache's apr_uri_unparse and ap_escape_uri).
func escapeURL(s string) string {
	rest := ""
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s, rest = s[:i], s[i:]
	}
	if i := strings.Index(s, "://"); i > 0 {
		scheme := strings.ToLower(s[:i])
		hostEnd := len(s)
		if j := strings.IndexByte(s[i+3:], '/'); j >= 0 {
			hostEnd = i + 3 + j
		}
		host := s[i+3 : hostEnd]
		if scheme == "http" && strings.HasSuffix(host, ":80") || scheme == "https" && strings.HasSuffix(host, ":443") {
			host = host[:strings.LastIndexByte(host, ':')]
			s = s[:i+3] + host + s[hostEnd:]
		}
	}
	return escapePath(s) + rest
}

// constructURL makes path absolute on this server as Apache's
// ap_construct_url with UseCanonicalName Off: the host name the client
// asked for (else ServerName, else the local address) and the port of its
// Host header, which is left out when it is 80.
func constructURL(r *pipeline.Request, path string) string {
	host := r.Hostname
	if host == "" && r.Server != nil {
		host = r.Server.ServerName
	}
	if host == "" && r.Conn != nil {
		host = r.Conn.LocalAddr
	}
	port := 0
	if h := r.HeadersIn.Get("Host"); h != "" {
		if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
			port, _ = strconv.Atoi(h[i+1:])
		}
	} else if r.Server != nil {
		port = r.Server.Port
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(host, "[") {
		host = "[" + host + "]"
	}
	u := "http://" + host
	if port != 0 && port != 80 {
		u += ":" + strconv.Itoa(port)
	}
	return u + path
}
