package dir

import (
	"fmt"
	"strings"

	"gohttpd/configs"
	"gohttpd/modules/core"
	"gohttpd/pipeline"
)

// Module is mod_dir.
var Module = &pipeline.Module{
	Name:            "dir",
	Description:     "directory index files, trailing-slash redirects and FallbackResource",
	CreateDirConfig: func(string) any { return &Config{} },
	MergeDirConfig:  merge,
}

func init() {
	const any = configs.ScopeAnywhere
	Module.Directives = []*configs.Directive{
		{Name: "DirectoryIndex", Scope: any, Type: configs.Args, Syntax: "disabled | local-url [local-url] ...",
			Help: "Files looked for, in order, when a directory is requested (default index.html); disabled turns the lookup off",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*Config)
				for _, a := range v.Args {
					if strings.EqualFold(a, "disabled") {
						if len(v.Args) > 1 {
							return fmt.Errorf("disabled must be the only argument")
						}
						d.Index, d.indexSet = []string{}, true
						return nil
					}
				}
				d.Index, d.indexSet = append([]string{}, v.Args...), true
				return nil
			}},
		{Name: "DirectorySlash", Scope: any, Type: configs.Flag, Syntax: "On|Off",
			Help: "Redirect requests for a directory without the trailing slash to the slash form (default On)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*Config)
				d.Slash, d.slashSet = v.Bool, true
				return nil
			}},
		{Name: "FallbackResource", Scope: any, Type: configs.String, Syntax: "disabled | local-url",
			Help: "Local URL served when a request maps to nothing on disk (a front controller)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*Config)
				d.Fallback, d.fallbackSet = v.Str, true
				if strings.EqualFold(v.Str, "disabled") {
					d.Fallback = ""
				}
				return nil
			}},
	}
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		h.Fixups.Register("dir", fixups, pipeline.Last)
	}
	pipeline.RegisterModule(Module)
}

// Config is mod_dir's per-directory record.
type Config struct {
	// Index lists the DirectoryIndex names; nil means the default
	// (index.html), empty means disabled.
	Index    []string
	indexSet bool
	// Slash is DirectorySlash; the zero Config means On.
	Slash    bool
	slashSet bool
	// Fallback is the FallbackResource URL, "" for none.
	Fallback    string
	fallbackSet bool
}

func merge(base, add any) any {
	b, a := base.(*Config), add.(*Config)
	out := *b
	if a.indexSet {
		out.Index, out.indexSet = a.Index, true
	}
	if a.slashSet {
		out.Slash, out.slashSet = a.Slash, true
	}
	if a.fallbackSet {
		out.Fallback, out.fallbackSet = a.Fallback, true
	}
	return &out
}

// indexNames returns the names to try.
func (c *Config) indexNames() []string {
	if c == nil || !c.indexSet {
		return defaultIndex
	}
	return c.Index
}

func (c *Config) slash() bool { return c == nil || !c.slashSet || c.Slash }

var defaultIndex = []string{"index.html"}

// fixups is mod_dir's fixup (Apache's dir_fixups): a directory is
// redirected to its slash form or served by its index; a request that
// maps to nothing, with no handler, goes to the FallbackResource.
func fixups(r *pipeline.Request) pipeline.Result {
	d := pipeline.ModuleConfig[*Config](r.PerDir, Module)
	switch {
	case r.Finfo != nil && r.Finfo.IsDir():
		if st := fixupDir(r, d); st != pipeline.Declined {
			return st
		}
		if strings.HasSuffix(r.URI, "/") {
			return fallback(r, d)
		}
	case r.Finfo == nil && r.Handler == "":
		return fallback(r, d)
	}
	return pipeline.Declined
}

// fixupDir redirects "/dir" to "/dir/" and looks for the index files by
// sub-request, taking over the first one that is a servable regular file.
// An index lookup that fails with a redirect, or with an error other than
// 404, answers the request (rather than a listing).
func fixupDir(r *pipeline.Request, d *Config) pipeline.Result {
	if r.PathInfo != "" {
		return pipeline.Declined
	}
	if !strings.HasSuffix(r.URI, "/") {
		if !d.slash() {
			return pipeline.Declined
		}
		if r.MethodNumber != pipeline.MethodGet && r.SubprocessEnv.Get("redirect-carefully") != "" {
			return pipeline.Declined
		}
		loc := escapePath(r.URI) + "/"
		if r.Args != "" {
			loc += "?" + r.Args
		}
		r.HeadersOut.Set("Location", core.SelfURL(r, loc))
		return 301
	}
	names := d.indexNames()
	errStatus := 0
	for i, name := range names {
		if r.Args != "" {
			name += "?" + r.Args
		}
		rr := pipeline.SubRequestLookupURI(r, name)
		status, done := takeIndex(rr, r, i == len(names)-1 && len(names) == 1)
		pipeline.ReleaseSubRequest(rr)
		if done {
			return status
		}
		if status != 0 {
			errStatus = int(status)
		}
	}
	if errStatus != 0 {
		return pipeline.Result(errStatus)
	}
	r.Notes.Set("dir-index-names", strings.Join(names, ","))
	return pipeline.Declined
}

// fallback serves FallbackResource, if any, in place of r.
func fallback(r *pipeline.Request, d *Config) pipeline.Result {
	if d == nil || d.Fallback == "" {
		return pipeline.Declined
	}
	name := d.Fallback
	if r.Args != "" {
		name += "?" + r.Args
	}
	rr := pipeline.SubRequestLookupURI(r, name)
	defer pipeline.ReleaseSubRequest(rr)
	if servable(rr) {
		fastRedirect(rr, r)
		return pipeline.OK
	}
	if rr.Status >= 300 && rr.Status < 400 {
		overlay(&r.HeadersOut, &rr.HeadersOut)
		return pipeline.Result(rr.Status)
	}
	return pipeline.Declined
}

// takeIndex decides what the index lookup rr means for r: served (r
// becomes rr, OK), a redirect, or with last (the only index name) a 401 or
// 406 that answers r (done); otherwise an error status other than 404 to
// answer with if no later name serves (or 0).
func takeIndex(rr, r *pipeline.Request, last bool) (status pipeline.Result, done bool) {
	if servable(rr) {
		fastRedirect(rr, r)
		return pipeline.OK, true
	}
	if rr.Status >= 300 && rr.Status < 400 || (rr.Status == 406 || rr.Status == 401) && last {
		overlay(&r.HeadersOut, &rr.HeadersOut)
		overlay(&r.ErrHeadersOut, &rr.ErrHeadersOut)
		overlay(&r.Notes, &rr.Notes)
		return pipeline.Result(rr.Status), true
	}
	if rr.Status != 0 && rr.Status != 404 && rr.Status != 200 {
		return pipeline.Result(rr.Status), false
	}
	return 0, false
}

// servable reports whether the sub-request rr found something r can
// serve in its place: a regular file, or a proxied resource.
func servable(rr *pipeline.Request) bool {
	return rr.Status == 200 && (rr.Handler == "proxy-server" || rr.Finfo != nil && rr.Finfo.Mode().IsRegular())
}

// fastRedirect makes r the request rr looked up (Apache's
// ap_internal_fast_redirect): r takes rr's URI, file, mapping, type,
// handler and per-directory configuration, and rr's headers, notes and
// environment are laid over r's. r keeps its own filters, so the handler
// serves the new resource as r's response.
func fastRedirect(rr, r *pipeline.Request) {
	r.URI, r.Args = rr.URI, rr.Args
	r.Filename, r.PathInfo, r.Finfo = rr.Filename, rr.PathInfo, rr.Finfo
	r.Handler, r.ContentType, r.ContentEncoding = rr.Handler, rr.ContentType, rr.ContentEncoding
	r.PerDir = rr.PerDir
	overlay(&r.Notes, &rr.Notes)
	overlay(&r.HeadersOut, &rr.HeadersOut)
	overlay(&r.ErrHeadersOut, &rr.ErrHeadersOut)
	overlay(&r.SubprocessEnv, &rr.SubprocessEnv)
}

// overlay sets in dst every field of src.
func overlay(dst, src *pipeline.Table) {
	for _, f := range src.Fields() {
		dst.Set(f.Name, f.Value)
	}
}

// escapePath escapes a URI path for a Location header (Apache's
// ap_escape_uri): everything but unreserved characters and
// "$-_.+!*'(),:@&=/~" becomes %xx.
func escapePath(p string) string {
	const hex = "0123456789abcdef"
	n := 0
	for i := 0; i < len(p); i++ {
		if !pathSafe(p[i]) {
			n++
		}
	}
	if n == 0 {
		return p
	}
	b := make([]byte, 0, len(p)+2*n)
	for i := 0; i < len(p); i++ {
		c := p[i]
		if pathSafe(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func pathSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte("$-_.+!*'(),:@&=/~", c) >= 0
}
