// Package hello is the example module of README.md's module-writing guide:
// HelloHeader adds an X-Hello response header. It is not linked into the
// server (modules/all does not import it); its test keeps the README's
// example compiling and working.
package hello

import (
	"gohttpd/configs"
	"gohttpd/pipeline"
)

type dirConfig struct{ value string }

var Module = &pipeline.Module{
	Name:            "hello",
	Description:     "adds X-Hello to responses",
	CreateDirConfig: func(string) any { return &dirConfig{} },
	MergeDirConfig: func(base, add any) any {
		if a := add.(*dirConfig); a.value != "" {
			return a
		}
		return base
	},
	Directives: []*configs.Directive{{
		Name:   "HelloHeader",
		Scope:  configs.ScopeAnywhere,
		Type:   configs.String,
		Syntax: "text",
		Help:   "Value of the X-Hello response header",
		Set: func(c *configs.Cmd, v configs.Value) error {
			c.Dir.(*dirConfig).value = v.Str
			return nil
		},
	}},
}

func init() {
	Module.RegisterHooks = registerHooks // set here: fixup refers to Module
	pipeline.RegisterModule(Module)
}

func registerHooks(h *pipeline.Hooks) {
	// Run after mod_headers' fixups, whatever its order.
	h.Fixups.Register("hello", fixup, pipeline.Middle, pipeline.After("headers"))
}

func fixup(r *pipeline.Request) pipeline.Result {
	cfg := pipeline.ModuleConfig[*dirConfig](r.PerDir, Module)
	if cfg == nil || cfg.value == "" {
		return pipeline.Declined
	}
	r.HeadersOut.Set("X-Hello", cfg.value)
	return pipeline.OK
}
