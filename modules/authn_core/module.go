package authn_core

import (
	"strings"

	"gohttpd/configs"
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_authn_core.
var Module = &pipeline.Module{
	Name:            "authn_core",
	Description:     "AuthType and AuthName for every authentication module",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// DirConfig is authn_core's per-directory record.
type DirConfig struct {
	// AuthType is the scheme ("Basic"); "" when unset or None.
	AuthType    string
	authTypeSet bool
	// AuthName is the realm.
	AuthName    string
	authNameSet bool
}

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := *a
	if !a.authTypeSet {
		out.AuthType, out.authTypeSet = b.AuthType, b.authTypeSet
	}
	if !a.authNameSet {
		out.AuthName, out.authNameSet = b.AuthName, b.authNameSet
	}
	return &out
}

func directives() []*configs.Directive {
	return []*configs.Directive{
		{Name: "AuthType", Scope: configs.ScopeDirConfig, Type: configs.String,
			Syntax: "None|Basic|Digest|Form",
			Help:   "Type of user authentication (None switches it off)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				t := strings.TrimSpace(v.Str)
				if t == "" {
					return c.Errorf("AuthType wants a scheme such as Basic, or None")
				}
				if strings.EqualFold(t, "None") {
					t = ""
				}
				d.AuthType, d.authTypeSet = t, true
				return nil
			}},
		{Name: "AuthName", Scope: configs.ScopeDirConfig, Type: configs.String,
			Syntax: "auth-domain",
			Help:   "Authorization realm shown by the browser's password dialog",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.AuthName, d.authNameSet = v.Str, true
				return nil
			}},
	}
}

// ConfigOf returns authn_core's record in v (nil when not loaded).
func ConfigOf(v pipeline.ConfigVector) *DirConfig {
	return pipeline.ModuleConfig[*DirConfig](v, Module)
}

func registerHooks(h *pipeline.Hooks) {
	pipeline.PublishOptional(h.Optional, auth.OptAuthType, func(r *pipeline.Request) string {
		if d := ConfigOf(r.PerDir); d != nil {
			return d.AuthType
		}
		return ""
	})
	pipeline.PublishOptional(h.Optional, auth.OptAuthName, func(r *pipeline.Request) string {
		if d := ConfigOf(r.PerDir); d != nil {
			return d.AuthName
		}
		return ""
	})
	h.CheckUserID.Register(Module.Name, authenticateNoUser, pipeline.ReallyLast)
}

// authenticateNoUser runs when no authentication module took the request:
// without an AuthType there is nothing to do; with one, the module that
// implements it is missing.
func authenticateNoUser(r *pipeline.Request) pipeline.Result {
	d := ConfigOf(r.PerDir)
	if d == nil || d.AuthType == "" {
		return pipeline.OK
	}
	auth.LogError(r, Module.Name, "AH01796: AuthType %s configured without corresponding module", d.AuthType)
	return 500
}
