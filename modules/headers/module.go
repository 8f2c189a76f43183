package headers

import (
	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Module is mod_headers.
var Module = &pipeline.Module{
	Name:            "headers",
	Description:     "changes request and response headers (Header, RequestHeader)",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

// Output filter names.
const (
	// OutFilterName applies the onsuccess and always lists.
	OutFilterName = "FIXUP_HEADERS_OUT"
	// ErrFilterName applies the always list on the error path.
	ErrFilterName = "FIXUP_HEADERS_ERR"
)

func init() {
	const anywhere = configs.ScopeAnywhere // Apache's OR_FILEINFO
	Module.Directives = []*configs.Directive{
		{Name: "Header", Scope: anywhere, Type: configs.List,
			Syntax: "[always|onsuccess] add|append|echo|edit|edit*|merge|note|set|setifempty|unset header [value] [replacement] [early|env=[!]varname]",
			Help:   "Sets, appends, merges, edits or removes response headers (\"always\" applies to error responses too)",
			Set:    func(c *configs.Cmd, v configs.Value) error { return addLines(c, v, false) }},
		{Name: "RequestHeader", Scope: anywhere, Type: configs.List,
			Syntax: "add|append|edit|edit*|merge|set|setifempty|unset header [value] [replacement] [early|env=[!]varname]",
			Help:   "Sets, appends, merges, edits or removes request headers before the handler sees them",
			Set:    func(c *configs.Cmd, v configs.Value) error { return addLines(c, v, true) }},
	}
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// DirConfig is mod_headers' per-directory record: the three lists in
// configuration order, server-level lines first.
type DirConfig struct {
	In       []*Line // RequestHeader
	Out      []*Line // Header [onsuccess]
	Err      []*Line // Header always
	anyEarly bool
}

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	return &DirConfig{
		In:       concat(b.In, a.In),
		Out:      concat(b.Out, a.Out),
		Err:      concat(b.Err, a.Err),
		anyEarly: b.anyEarly || a.anyEarly,
	}
}

func concat(first, second []*Line) []*Line {
	if len(second) == 0 {
		return first
	}
	if len(first) == 0 {
		return second
	}
	out := make([]*Line, 0, len(first)+len(second))
	return append(append(out, first...), second...)
}

func registerHooks(h *pipeline.Hooks) {
	fs := h.Filters()
	out := fs.RegisterOutput("headers", OutFilterName, pipeline.FilterContent, outFilter)
	errf := fs.RegisterOutput("headers", ErrFilterName, pipeline.FilterContent, errFilter)
	h.PostReadRequest.Register("headers", early, pipeline.First)
	h.Fixups.Register("headers", func(r *pipeline.Request) pipeline.Result {
		if d := dirConfig(r); d != nil && len(d.In) > 0 {
			apply(r, &r.HeadersIn, d.In, false)
		}
		return pipeline.Declined
	}, pipeline.Last)
	h.InsertFilter.Register("headers", func(r *pipeline.Request) pipeline.Result {
		if d := dirConfig(r); d != nil && (len(d.Out) > 0 || len(d.Err) > 0) {
			r.AddOutputFilterReg(out, nil)
		}
		return pipeline.OK
	}, pipeline.Last)
	h.InsertErrorFilter.Register("headers", func(r *pipeline.Request) pipeline.Result {
		if d := dirConfig(r); d != nil && len(d.Err) > 0 {
			r.AddOutputFilterReg(errf, nil)
		}
		return pipeline.OK
	}, pipeline.Last)
}

func dirConfig(r *pipeline.Request) *DirConfig {
	return pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
}

// early applies the lines marked "early" of the virtual host's top level
// (post_read_request runs before any section is merged).
func early(r *pipeline.Request) pipeline.Result {
	if r.Server == nil {
		return pipeline.Declined
	}
	d := pipeline.ModuleConfig[*DirConfig](r.Server.DirDefaults, Module)
	if d == nil || !d.anyEarly {
		return pipeline.Declined
	}
	apply(r, &r.HeadersIn, d.In, true)
	apply(r, &r.ErrHeadersOut, d.Err, true)
	apply(r, &r.HeadersOut, d.Out, true)
	return pipeline.Declined
}

// outFilter applies the always list to ErrHeadersOut and the onsuccess
// list to HeadersOut on the first brigade of a response, then leaves the
// chain.
func outFilter(f *pipeline.Filter, bb *pipeline.Brigade) error {
	r := f.Req
	if d := dirConfig(r); d != nil {
		apply(r, &r.ErrHeadersOut, d.Err, false)
		apply(r, &r.HeadersOut, d.Out, false)
	}
	r.RemoveOutputFilter(f)
	return f.Next.Pass(bb)
}

// errFilter applies the always list on the error path.
func errFilter(f *pipeline.Filter, bb *pipeline.Brigade) error {
	r := f.Req
	if d := dirConfig(r); d != nil {
		apply(r, &r.ErrHeadersOut, d.Err, false)
	}
	r.RemoveOutputFilter(f)
	return f.Next.Pass(bb)
}
