package proxy

import (
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// RewriteResponseHeaders applies ProxyPassReverse to the Location,
// Content-Location and URI headers of t, and the cookie rules to its
// Set-Cookie headers, in place.
func RewriteResponseHeaders(r *pipeline.Request, ph *Hooks, t *pipeline.Table) {
	d := DirConfigOf(r.PerDir)
	if d == nil || len(d.Reverse) == 0 && len(d.CookiePaths) == 0 && len(d.CookieDomains) == 0 {
		return
	}
	fields := t.Fields()
	out := pipeline.Table{}
	for _, f := range fields {
		v := f.Value
		switch {
		case strings.EqualFold(f.Name, "Location"), strings.EqualFold(f.Name, "Content-Location"), strings.EqualFold(f.Name, "URI"):
			v = MapLocation(r, ph, v)
		case strings.EqualFold(f.Name, "Set-Cookie"):
			v = MapCookie(r, v)
		}
		out.Add(f.Name, v)
	}
	*t = out
}

// MapLocation rewrites a backend URL from a Location-like response header
// by the ProxyPassReverse rules in force (Apache's
// ap_proxy_location_reverse_map): the first rule whose backend URL starts
// the value replaces that part with the rule's local path, and the result
// is made absolute for the client's Host. For a balancer:// rule every
// member's URL is tried. Values no rule matches are returned unchanged.
func MapLocation(r *pipeline.Request, ph *Hooks, value string) string {
	d := DirConfigOf(r.PerDir)
	if d == nil {
		return value
	}
	for _, m := range d.Reverse {
		if IsBalancerURL(m.Real) && ph != nil {
			b, ok := ph.Balancer(m.Real)
			if !ok {
				continue
			}
			suffix := m.Real[len(balancerName(m.Real)):]
			for _, w := range b.Members {
				real := strings.TrimSuffix(w.Name, "/") + suffix
				if hasPrefixFold(value, real) {
					return constructURL(r, m.Fake+value[len(real):])
				}
			}
			continue
		}
		if hasPrefixFold(value, m.Real) {
			return constructURL(r, m.Fake+value[len(m.Real):])
		}
	}
	return value
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// constructURL makes a local path absolute for the client (Apache's
// ap_construct_url with UseCanonicalName Off): scheme, the host and port
// the client asked for, then the path. A value that already is a URL is
// returned as it is.
func constructURL(r *pipeline.Request, path string) string {
	if strings.Contains(path, "://") {
		return path
	}
	host := r.HeadersIn.Get("Host")
	if host == "" {
		host = r.Server.ServerName
		if host == "" {
			host = r.Conn.LocalAddr
			if strings.Contains(host, ":") {
				host = "[" + host + "]"
			}
		}
		if p := r.Conn.LocalPort; p != 0 && p != 80 {
			host += ":" + strconv.Itoa(p)
		}
	}
	return "http://" + host + path
}

// MapCookie rewrites the path and domain attributes of a Set-Cookie value
// by the ProxyPassReverseCookiePath and ProxyPassReverseCookieDomain rules
// (Apache's ap_proxy_cookie_reverse_map): a path starting with a rule's
// internal path gets the public prefix instead; a domain ending with a
// rule's internal domain becomes the public domain.
func MapCookie(r *pipeline.Request, value string) string {
	d := DirConfigOf(r.PerDir)
	if d == nil || len(d.CookiePaths) == 0 && len(d.CookieDomains) == 0 {
		return value
	}
	parts := strings.Split(value, ";")
	changed := false
	for i, p := range parts {
		if i == 0 {
			continue // name=value
		}
		trimmed := strings.TrimLeft(p, " \t")
		lead := p[:len(p)-len(trimmed)]
		name, val, ok := strings.Cut(trimmed, "=")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "path":
			for _, m := range d.CookiePaths {
				if strings.HasPrefix(val, m.Real) {
					parts[i] = lead + name + "=" + m.Fake + val[len(m.Real):]
					changed = true
					break
				}
			}
		case "domain":
			for _, m := range d.CookieDomains {
				if len(val) >= len(m.Real) && strings.EqualFold(val[len(val)-len(m.Real):], m.Real) {
					parts[i] = lead + name + "=" + m.Fake
					changed = true
					break
				}
			}
		}
	}
	if !changed {
		return value
	}
	return strings.Join(parts, ";")
}
