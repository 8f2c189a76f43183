package status

import (
	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Handler is the handler name that SetHandler gives a status Location.
const Handler = "server-status"

// Module is mod_status.
var Module = &pipeline.Module{
	Name:               "status",
	Description:        "server-status: the scoreboard as HTML, Apache's ?auto text, JSON and Prometheus metrics",
	CreateServerConfig: func(*pipeline.Server) any { return &serverConfig{} },
	Directives: []*configs.Directive{{
		Name:   "ExtendedStatus",
		Scope:  configs.ScopeGlobalOnly,
		Type:   configs.Flag,
		Syntax: "On|Off",
		Help:   "Show totals and the per-worker table on the status page (default On)",
		Set: func(c *configs.Cmd, v configs.Value) error {
			on := v.Bool
			c.Server.(*serverConfig).extended = &on
			return nil
		},
	}},
}

func init() {
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// serverConfig is the main server's record; virtual hosts do not use it
// (ExtendedStatus is global, as in Apache).
type serverConfig struct {
	extended *bool // nil: not set, On
}

// extendedStatus reports whether ExtendedStatus is On in g.
func extendedStatus(g *pipeline.Generation) bool {
	cfg := pipeline.ModuleConfig[*serverConfig](g.Main.Config, Module)
	return cfg == nil || cfg.extended == nil || *cfg.extended
}

func registerHooks(h *pipeline.Hooks) {
	h.Handler.Register("status", handle, pipeline.Middle)
}
