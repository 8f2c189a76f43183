package http

import (
	"fmt"
	"io"
	"sync"

	"gohttpd/configs"
	"gohttpd/modules/http/h1"
	"gohttpd/pipeline"
)

// Module is the http module.
var Module = &pipeline.Module{
	Name:            "http",
	Description:     "HTTP/1.x protocol: keep-alive connection loop, response head and body framing, request bodies",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

func init() {
	Module.RegisterHooks = registerHooks
	Module.Directives = []*configs.Directive{{
		Name:   "LimitRequestBody",
		Scope:  configs.ScopeAnywhere,
		Type:   configs.Int,
		Syntax: "bytes",
		Help:   "Limits the total size of the HTTP request body sent from the client; 0 is unlimited (default 1073741824)",
		Set: func(c *configs.Cmd, v configs.Value) error {
			if v.Int < 0 {
				return fmt.Errorf("%d: must be 0 (unlimited) or a positive number of bytes", v.Int)
			}
			d := c.Dir.(*DirConfig)
			d.LimitRequestBody, d.limitSet = v.Int, true
			return nil
		},
	}}
	pipeline.RegisterModule(Module)
}

// DirConfig is the http module's per-directory record.
type DirConfig struct {
	// LimitRequestBody is the largest request body accepted, in bytes;
	// 0 means unlimited.
	LimitRequestBody int64
	limitSet         bool
}

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := *b
	if a.limitSet {
		out.LimitRequestBody, out.limitSet = a.LimitRequestBody, true
	}
	return &out
}

// limitRequestBody returns the LimitRequestBody in force for r.
func limitRequestBody(r *pipeline.Request) int64 {
	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	if d == nil || !d.limitSet {
		return h1.DefaultBody
	}
	return d.LimitRequestBody
}

// Filter names.
const (
	HeaderFilterName = "HTTP_HEADER"
	InputFilterName  = "HTTP_IN"
)

type regs struct {
	header, in *pipeline.FilterReg
	// conns keeps the state of finished connections (its read buffer
	// above all) for new ones; one pool per generation.
	conns sync.Pool
}

func registerHooks(h *pipeline.Hooks) {
	fs := h.Filters()
	rg := &regs{
		header: fs.RegisterOutput("http", HeaderFilterName, pipeline.FilterProtocol, headerFilter),
		in:     fs.RegisterInput("http", InputFilterName, pipeline.FilterProtocol, inputFilter),
	}
	h.ProcessConnection.Register("http", func(c *pipeline.Conn) pipeline.Result {
		return serve(c, rg)
	}, pipeline.ReallyLast)
	h.CreateRequest.Register("http", func(r *pipeline.Request) pipeline.Result {
		return createRequest(r, rg)
	}, pipeline.Middle)
	h.MapToStorage.Register("http", sendOptions, pipeline.Middle)
	h.LogTransaction.Register("http", countBytesRead, pipeline.ReallyFirst)
	pipeline.PublishOptional(h.Optional, pipeline.OptConnReader, connReader)
}

// sendOptions is map_to_storage for "OPTIONS *" (and OPTIONS of a target
// without a path): the whole server is asked about, nothing in storage, so
// the request ends here with an empty 200 and no Allow header, as Apache's
// http module answers it.
func sendOptions(r *pipeline.Request) pipeline.Result {
	if r.MethodNumber == pipeline.MethodOptions && r.URI == "*" {
		return pipeline.Done
	}
	return pipeline.Declined
}

// connReader returns the buffered reader of c's keep-alive loop, so a
// module taking the connection over sees bytes already read ahead.
func connReader(c *pipeline.Conn) io.Reader {
	if hc, ok := c.Notes[connKey].(*hconn); ok {
		return hc.br
	}
	return c.InputFilters()
}
