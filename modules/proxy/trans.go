package proxy

import (
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// HandlerName is the handler that serves proxied requests.
const HandlerName = "proxy-server"

// FilenamePrefix starts r.Filename of a proxied request: "proxy:URL".
const FilenamePrefix = "proxy:"

// Kind says how a request is proxied (Apache's r->proxyreq).
type Kind int

const (
	// NotProxied: the request is served locally.
	NotProxied Kind = iota
	// Reverse: a ProxyPass rule maps it to a backend.
	Reverse
	// Forward: a client asked this server, as its proxy, for another
	// server's URL (ProxyRequests On).
	Forward
)

// reqState is mod_proxy's per-request record, in r.Values.
type reqState struct {
	kind    Kind
	alias   *Alias
	nocanon bool
	url     string // forward proxy target
}

type reqKey struct{}

func stateOf(r *pipeline.Request) *reqState {
	s, _ := r.Values[reqKey{}].(*reqState)
	return s
}

func setState(r *pipeline.Request, s *reqState) {
	if r.Values == nil {
		r.Values = map[any]any{}
	}
	r.Values[reqKey{}] = s
}

// RequestKind returns how r is proxied.
func RequestKind(r *pipeline.Request) Kind {
	if s := stateOf(r); s != nil {
		return s.kind
	}
	return NotProxied
}

// NoCanon reports whether r's rule has the nocanon flag: the path goes to
// the backend as the client sent it.
func NoCanon(r *pipeline.Request) bool {
	s := stateOf(r)
	return s != nil && s.nocanon
}

// detectForward is post_read_request: with ProxyRequests On, a request
// whose target is an absolute URL for another host is a forward proxy
// request (Apache's proxy_detect).
func detectForward(r *pipeline.Request) pipeline.Result {
	sc := ServerConfigOf(r.Server)
	if sc == nil || !sc.Requests {
		return pipeline.Declined
	}
	raw := r.RawURI
	i := strings.Index(raw, "://")
	if i <= 0 || strings.HasPrefix(raw, "/") {
		return pipeline.Declined
	}
	scheme := strings.ToLower(raw[:i])
	if scheme != "http" && scheme != "ws" {
		return pipeline.Declined
	}
	host := raw[i+3:]
	if j := strings.IndexAny(host, "/?"); j >= 0 {
		host = host[:j]
	}
	if isOwnHost(r, host) {
		return pipeline.Declined
	}
	setState(r, &reqState{kind: Forward, url: raw})
	return pipeline.OK
}

func isOwnHost(r *pipeline.Request, hostport string) bool {
	host, port := strings.ToLower(hostport), ""
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		host, port = host[:i], host[i+1:]
	}
	host = strings.Trim(host, "[]")
	if port == "" {
		port = "80"
	}
	if port != strconv.Itoa(r.Conn.LocalPort) {
		return false
	}
	s := r.Server
	if host == strings.ToLower(s.ServerName) || host == r.Conn.LocalAddr {
		return true
	}
	for _, a := range s.ServerAlias {
		if strings.EqualFold(a, host) {
			return true
		}
	}
	return false
}

// translate is translate_name: the first ProxyPass or ProxyPassMatch
// rule that matches r (a Location's own rule first, then the server's in
// order) maps it to "proxy:URL"; a matching "!" rule stops the search and
// leaves the request local (Apache's proxy_trans).
func translate(r *pipeline.Request) pipeline.Result {
	if s := stateOf(r); s != nil && s.kind == Forward {
		r.Filename = FilenamePrefix + s.url
		r.Handler = HandlerName
		r.ProxyReq = true
		return pipeline.OK
	}
	if !strings.HasPrefix(r.URI, "/") {
		return pipeline.Declined
	}
	if d := DirConfigOf(r.PerDir); d != nil && d.Alias != nil {
		if st, done := transMatch(r, d.Alias); done {
			return st
		}
	}
	if sc := ServerConfigOf(r.Server); sc != nil {
		for _, a := range sc.Aliases {
			if st, done := transMatch(r, a); done {
				return st
			}
		}
	}
	return pipeline.Declined
}

// transMatch applies rule a to r; done reports whether the search ends
// (a match, or an exclusion).
func transMatch(r *pipeline.Request, a *Alias) (pipeline.Result, bool) {
	uri := r.URI
	if a.NoCanon {
		uri = r.RawPath()
	}
	var found string
	if a.Regex != nil {
		m := a.Regex.FindStringSubmatchIndex(uri)
		if m == nil {
			return pipeline.Declined, false
		}
		if a.Excludes() {
			return pipeline.Declined, true
		}
		found = string(a.Regex.ExpandString(nil, a.template, uri, m))
		if found == a.Real {
			// No substitution: the whole path is appended, as Apache does
			// for "ProxyPassMatch \.gif balancer://foo".
			found = strings.TrimSuffix(a.Real, "/") + uri
		}
	} else {
		n := aliasMatch(uri, a.Fake)
		if n < 0 {
			return pipeline.Declined, false
		}
		if a.Excludes() {
			return pipeline.Declined, true
		}
		found = a.Real + uri[n:]
	}
	r.Filename = FilenamePrefix + found
	r.Handler = HandlerName
	r.ProxyReq = true
	setState(r, &reqState{kind: Reverse, alias: a, nocanon: a.NoCanon})
	return pipeline.OK, true
}

// aliasMatch returns how many bytes of uri the path prefix fake matches,
// or -1: runs of slashes match runs of slashes, other bytes literally, and
// the match must end at a path-component boundary (Apache's alias_match).
func aliasMatch(uri, fake string) int {
	u, f := 0, 0
	for f < len(fake) && u < len(uri) {
		if fake[f] == '/' {
			if uri[u] != '/' {
				return -1
			}
			for f < len(fake) && fake[f] == '/' {
				f++
			}
			for u < len(uri) && uri[u] == '/' {
				u++
			}
			continue
		}
		if uri[u] != fake[f] {
			return -1
		}
		u++
		f++
	}
	if f < len(fake) {
		return -1
	}
	if fake[len(fake)-1] != '/' && u < len(uri) && uri[u] != '/' {
		return -1
	}
	return u
}

// mapToStorage is map_to_storage for proxied requests: there is no file
// to find, so the Directory walk is skipped and the Proxy sections that
// match the target URL merge instead (Apache's proxy_map_location).
func mapToStorage(r *pipeline.Request) pipeline.Result {
	if RequestKind(r) == NotProxied || !strings.HasPrefix(r.Filename, FilenamePrefix) {
		return pipeline.Declined
	}
	r.PerDir = r.Server.ProxyWalk(r.PerDir, r.Filename[len(FilenamePrefix):])
	return pipeline.OK
}

// fixup canonicalises the target URL through canon_handler (Apache's
// proxy_fixup).
func fixup(r *pipeline.Request, ph *Hooks) pipeline.Result {
	if RequestKind(r) == NotProxied || !strings.HasPrefix(r.Filename, FilenamePrefix) {
		return pipeline.Declined
	}
	url := r.Filename[len(FilenamePrefix):]
	st := ph.CanonHandler.Run(func(f CanonHandlerFunc) pipeline.Result { return f(r, url) })
	if st != pipeline.OK && st != pipeline.Declined {
		return st
	}
	if i := strings.IndexByte(url, ':'); i <= 0 {
		return 400
	}
	return pipeline.OK
}
