package info

import (
	"fmt"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Handler is the handler name that SetHandler gives an info Location.
const Handler = "server-info"

// Module is mod_info.
var Module = &pipeline.Module{
	Name:               "info",
	Description:        "server-info: modules, directives in force, server settings and hooks in run order",
	CreateServerConfig: func(*pipeline.Server) any { return &serverConfig{} },
	MergeServerConfig: func(base, add any) any {
		b, a := base.(*serverConfig), add.(*serverConfig)
		return &serverConfig{more: append(append([]moreInfo{}, a.more...), b.more...)}
	},
	Directives: []*configs.Directive{{
		Name:   "AddModuleInfo",
		Scope:  configs.ScopeServerConfig,
		Type:   configs.List,
		Syntax: "module-name string",
		Help:   "Adds additional information to the module information displayed by the server-info handler",
		Set: func(c *configs.Cmd, v configs.Value) error {
			cfg := c.Server.(*serverConfig)
			for _, it := range v.List {
				if len(it.Args) != 2 {
					return fmt.Errorf("%q: want a module name and one string (quote it), got %d words", it.Raw, len(it.Args))
				}
				cfg.more = append(cfg.more, moreInfo{module: pipeline.CanonicalModuleName(it.Args[0]), html: it.Args[1]})
			}
			return nil
		},
	}},
}

func init() {
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// serverConfig is the per-server record: the AddModuleInfo lines.
type serverConfig struct{ more []moreInfo }

type moreInfo struct {
	module string // canonical module name
	html   string
}

func registerHooks(h *pipeline.Hooks) {
	h.Handler.Register("info", handle, pipeline.Middle)
}
