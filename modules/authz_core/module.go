package authz_core

import (
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_authz_core.
var Module = &pipeline.Module{
	Name:            "authz_core",
	Description:     "Require rules and their containers; the authorization phases",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
	registerProviders()
}

// ConfigOf returns authz_core's record in v (nil when not loaded).
func ConfigOf(v pipeline.ConfigVector) *DirConfig {
	return pipeline.ModuleConfig[*DirConfig](v, Module)
}

func registerHooks(h *pipeline.Hooks) {
	h.AccessCheckerEx.Register(Module.Name, checkAccessWithoutUser, pipeline.Last)
	h.AuthChecker.Register(Module.Name, checkAccessWithUser, pipeline.First)
	pipeline.PublishOptional(h.Optional, pipeline.OptSomeAuthRequired, someAuthRequired)
}

// someAuthRequired tells the pipeline whether check_user_id and
// auth_checker must run: when Require rules apply, when an AuthType is
// set (which without rules is a configuration error answered 500, as
// Apache does), and under Satisfy Any (where Apache's authz_core decides
// after Allow/Deny refused).
func someAuthRequired(r *pipeline.Request) bool {
	if d := ConfigOf(r.PerDir); d != nil && d.top != nil {
		return true
	}
	if auth.AuthType(r) != "" {
		return true
	}
	o := auth.Optionals(r)
	if o == nil {
		return false
	}
	fn, ok, _ := pipeline.RetrieveOptional[func(*pipeline.Request) bool](o, pipeline.OptSatisfyAny)
	return ok && fn(r)
}
