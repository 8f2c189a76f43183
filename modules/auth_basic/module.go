package auth_basic

import (
	"fmt"
	"strings"

	"gohttpd/configs"
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_auth_basic.
var Module = &pipeline.Module{
	Name:            "auth_basic",
	Description:     "HTTP Basic authentication (AuthType Basic)",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// DirConfig is auth_basic's per-directory record.
type DirConfig struct {
	// Providers are the AuthBasicProvider names, in order; nil means
	// "file".
	Providers    []string
	providersSet bool
	// Authoritative is AuthBasicAuthoritative (default true): when false,
	// a user no provider knows is passed on to later modules.
	Authoritative    bool
	authoritativeSet bool
}

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	if !a.providersSet && !a.authoritativeSet {
		return b
	}
	out := *a
	if !a.providersSet {
		out.Providers, out.providersSet = b.Providers, b.providersSet
	}
	if !a.authoritativeSet {
		out.Authoritative, out.authoritativeSet = b.Authoritative, b.authoritativeSet
	}
	return &out
}

func (d *DirConfig) authoritative() bool { return d == nil || !d.authoritativeSet || d.Authoritative }

func directives() []*configs.Directive {
	return []*configs.Directive{
		{Name: "AuthBasicProvider", Scope: configs.ScopeDirConfig, Type: configs.Args,
			Syntax: "provider-name [provider-name] ...",
			Help:   "Authentication providers asked in turn (default: file)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				if len(v.Args) == 0 {
					return c.Errorf("AuthBasicProvider wants at least one provider name")
				}
				d := c.Dir.(*DirConfig)
				if len(v.Args) == 1 && strings.EqualFold(v.Args[0], "on") {
					// Apache treats "On" as the default provider.
					d.Providers, d.providersSet = []string{"file"}, true
					return nil
				}
				for _, name := range v.Args {
					if err := checkProvider(c, name); err != nil {
						return err
					}
				}
				d.Providers, d.providersSet = append([]string(nil), v.Args...), true
				return nil
			}},
		{Name: "AuthBasicAuthoritative", Scope: configs.ScopeDirConfig, Type: configs.Flag,
			Syntax: "On|Off",
			Help:   "Off passes users no provider knows on to other authentication modules",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.Authoritative, d.authoritativeSet = v.Bool, true
				return nil
			}},
	}
}

// checkProvider rejects a provider name nobody registered, or one whose
// module is not loaded.
func checkProvider(c *configs.Cmd, name string) error {
	_, module, ok := auth.LookupAuthnProvider(name)
	if !ok {
		return fmt.Errorf("unknown Authn provider: %s (known: %s)", name, strings.Join(auth.AuthnProviderNames(), ", "))
	}
	if s, _ := c.Record.(*pipeline.Server); s != nil && s.Gen != nil && s.Gen.Modules != nil && !s.Gen.Modules.Loaded(module) {
		return fmt.Errorf("Authn provider %s is provided by module %s, which is not loaded", name, module)
	}
	return nil
}

func registerHooks(h *pipeline.Hooks) {
	h.CheckUserID.Register(Module.Name, authenticate, pipeline.Middle)
	pipeline.PublishOptional(h.Optional, auth.OptNoteAuthFailure("Basic"), noteFailure)
}

// noteFailure adds the Basic challenge for r's realm.
func noteFailure(r *pipeline.Request) {
	r.ErrHeadersOut.Set("WWW-Authenticate", `Basic realm="`+auth.AuthName(r)+`"`)
}
