package alias

import (
	"path/filepath"
	"strings"

	"gohttpd/pipeline"
)

// translate is mod_alias's translate_name: the Location section's
// one-URL Redirect, then the server's redirects, then the Location's
// one-argument Alias, then the server's aliases (Apache's
// translate_alias_redir).
func translate(r *pipeline.Request) pipeline.Result {
	if r.URI != "" && r.URI[0] != '/' {
		return pipeline.Declined
	}
	sc := pipeline.ModuleConfig[*ServerConfig](r.Server.Config, Module)
	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	var redirects []*Entry
	if sc != nil {
		redirects = sc.Redirects
	}
	if st, ok := tryRedirects(r, d, redirects); ok {
		return st
	}
	if d != nil && d.aliasSet {
		r.Filename = serverRootRelative(r, d.Alias)
		return pipeline.OK
	}
	if sc == nil {
		return pipeline.Declined
	}
	for _, e := range sc.Aliases {
		if found, ok := e.match(r.URI, false); ok {
			r.Filename = serverRootRelative(r, found)
			return pipeline.OK
		}
	}
	return pipeline.Declined
}

// fixupRedirect is mod_alias's fixups: the redirects of the sections that
// apply to the request (Apache's fixup_redir).
func fixupRedirect(r *pipeline.Request) pipeline.Result {
	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	if d == nil {
		return pipeline.Declined
	}
	if st, ok := tryRedirects(r, d, d.Redirects); ok {
		return st
	}
	return pipeline.Declined
}

// tryRedirects answers r with the first redirect that applies: the
// Location's one-URL Redirect in d, then list. It sets Location for a 3xx
// and reports the status, or 500 when the target is not a URL.
func tryRedirects(r *pipeline.Request, d *DirConfig, list []*Entry) (pipeline.Result, bool) {
	target, status, found := "", 0, false
	if d != nil && d.redirectSet {
		target, status, found = escapeURL(d.Redirect), d.RedirectStatus, true
	}
	for i := 0; !found && i < len(list); i++ {
		e := list[i]
		if t, ok := e.match(r.URI, true); ok {
			target, status, found = t, e.Status, true
		}
	}
	if !found {
		return pipeline.Declined, false
	}
	if !isRedirectStatus(status) {
		return pipeline.Result(status), true
	}
	if strings.HasPrefix(target, "/") {
		target = constructURL(r, target)
	}
	if !isURL(target) {
		logError(r, "cannot redirect '"+r.URI+"' to '"+target+"'; target is not a valid absoluteURI or abs_path")
		return 500, true
	}
	if r.Args != "" && strings.IndexByte(target, '?') < 0 {
		target += "?" + r.Args
	}
	r.HeadersOut.Set("Location", target)
	return pipeline.Result(status), true
}

// match applies e to uri. For a redirect the result is the target URL
// with the unmatched rest of the path escaped; for an alias the file
// name.
func (e *Entry) match(uri string, redirect bool) (string, bool) {
	if e.Regexp != nil {
		m := e.Regexp.FindStringSubmatchIndex(uri)
		if m == nil {
			return "", false
		}
		if e.Real == "" {
			return "", true
		}
		found := pipeline.RegSub(e.Real, uri, m)
		if redirect {
			found = escapeURL(found)
		}
		return found, true
	}
	n := prefixMatch(uri, e.Fake)
	if n == 0 {
		return "", false
	}
	if redirect {
		return e.Real + escapePath(uri[n:]), true
	}
	return e.Real + uri[n:], true
}

// prefixMatch reports how many bytes of uri the alias prefix fake
// matches, or 0 (Apache's alias_matches): a run of slashes in fake
// matches a run of at least one slash in uri, other bytes compare
// exactly, and the match must end at a path-segment boundary unless fake
// ends with a slash. "/icons/" therefore matches "/icons/x" but not
// "/icons", and "/icons" does not match "/iconsx".
func prefixMatch(uri, fake string) int {
	a, u := 0, 0
	for a < len(fake) {
		if fake[a] == '/' {
			if u >= len(uri) || uri[u] != '/' {
				return 0
			}
			for a < len(fake) && fake[a] == '/' {
				a++
			}
			for u < len(uri) && uri[u] == '/' {
				u++
			}
			continue
		}
		if u >= len(uri) || uri[u] != fake[a] {
			return 0
		}
		a++
		u++
	}
	if a > 0 && fake[a-1] != '/' && u < len(uri) && uri[u] != '/' {
		return 0
	}
	return u
}

// serverRootRelative makes p absolute against the ServerRoot (Apache's
// ap_server_root_relative), keeping a trailing slash.
func serverRootRelative(r *pipeline.Request, p string) string {
	if filepath.IsAbs(p) || r.Server == nil || r.Server.Gen == nil {
		return p
	}
	root := strings.TrimSuffix(r.Server.Gen.Process.ServerRoot, "/")
	return root + "/" + p
}

func logError(r *pipeline.Request, msg string) {
	if r.Server != nil && r.Server.Log != nil {
		client := ""
		if r.Conn != nil {
			client = r.Conn.RemoteAddr
		}
		r.Server.Log.Error(msg, "client", client)
	}
}
