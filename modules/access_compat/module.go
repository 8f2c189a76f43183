package access_compat

import (
	"fmt"
	"net/netip"
	"strings"

	"gohttpd/configs"
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_access_compat.
var Module = &pipeline.Module{
	Name:            "access_compat",
	Description:     "Order, Allow, Deny and Satisfy (Apache 2.2 host-based access)",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// order is the Order directive.
type order int

const (
	denyThenAllow order = iota // the default
	allowThenDeny
	mutualFailure
)

// DirConfig is access_compat's per-directory record.
type DirConfig struct {
	order    order
	orderSet bool
	allows   []matcher
	denys    []matcher
	// satisfy: 0 unset (All), 1 Any, -1 All.
	satisfy int
}

func (d *DirConfig) empty() bool {
	return !d.orderSet && d.allows == nil && d.denys == nil && d.satisfy == 0
}

// mergeDirConfig: a section that uses any of the module's directives
// replaces the enclosing section's Order, Allow, Deny and Satisfy as a
// whole; one that uses none inherits them. This is Apache 2.4's behaviour
// (mod_access_compat has no merge function), checked against it: an
// "Allow from" in a subdirectory drops the parent's "Deny from" lines.
func mergeDirConfig(base, add any) any {
	if a := add.(*DirConfig); !a.empty() {
		return a
	}
	return base
}

func directives() []*configs.Directive {
	return []*configs.Directive{
		{Name: "Order", Scope: configs.ScopeDirConfig, Type: configs.Args,
			Syntax: "Deny,Allow|Allow,Deny|Mutual-failure",
			Help:   "Order in which Allow and Deny are evaluated (default Deny,Allow)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				if len(v.Args) != 1 {
					return fmt.Errorf("Order takes one argument (write \"Deny,Allow\" without spaces)")
				}
				switch strings.ToLower(v.Args[0]) {
				case "deny,allow":
					d.order = denyThenAllow
				case "allow,deny":
					d.order = allowThenDeny
				case "mutual-failure":
					d.order = mutualFailure
				default:
					return fmt.Errorf("unknown order %q (want Deny,Allow, Allow,Deny or Mutual-failure)", v.Args[0])
				}
				d.orderSet = true
				return nil
			}},
		allowDeny("Allow", "Clients allowed to access the area", func(d *DirConfig) *[]matcher { return &d.allows }),
		allowDeny("Deny", "Clients denied access to the area", func(d *DirConfig) *[]matcher { return &d.denys }),
		{Name: "Satisfy", Scope: configs.ScopeDirConfig, Type: configs.String,
			Syntax: "Any|All",
			Help:   "Any: passing Allow/Deny or the Require rules suffices; All (default): both are needed",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				switch strings.ToLower(v.Str) {
				case "any":
					d.satisfy = 1
				case "all":
					d.satisfy = -1
				default:
					return fmt.Errorf("Satisfy either 'any' or 'all', not %q", v.Str)
				}
				return nil
			}},
	}
}

func allowDeny(name, help string, list func(*DirConfig) *[]matcher) *configs.Directive {
	return &configs.Directive{
		Name: name, Scope: configs.ScopeDirConfig, Type: configs.List,
		Syntax: "from all|host|env=[!]env-variable [host|env=[!]env-variable] ...",
		Help:   help,
		Set: func(c *configs.Cmd, v configs.Value) error {
			l := list(c.Dir.(*DirConfig))
			for _, it := range v.List {
				if len(it.Args) < 2 || !strings.EqualFold(it.Args[0], "from") {
					return fmt.Errorf("%q: allow and deny must be followed by 'from' and at least one host", it.Raw)
				}
				for _, a := range it.Args[1:] {
					m, err := parseMatcher(a)
					if err != nil {
						return fmt.Errorf("%q: %w", it.Raw, err)
					}
					*l = append(*l, m)
				}
			}
			return nil
		},
	}
}

// matcher is one Allow/Deny argument.
type matcher struct {
	all    bool
	env    string // env=VAR
	notEnv bool   // env=!VAR
	ip     netip.Prefix
	host   string // domain matched against the double-reverse name
}

func parseMatcher(a string) (matcher, error) {
	switch {
	case strings.EqualFold(a, "all"):
		return matcher{all: true}, nil
	case strings.HasPrefix(strings.ToLower(a), "env="):
		v := a[4:]
		m := matcher{env: v}
		if strings.HasPrefix(v, "!") {
			m.env, m.notEnv = v[1:], true
		}
		if m.env == "" {
			return m, fmt.Errorf("%q names no environment variable", a)
		}
		return m, nil
	}
	p, err := auth.ParseIPSpec(a)
	if err == nil {
		return matcher{ip: p}, nil
	}
	if looksLikeAddress(a) {
		return matcher{}, err
	}
	return matcher{host: a}, nil
}

// looksLikeAddress reports whether a is meant as an address rather than
// a host name: only digits, dots and slashes, or any colon.
func looksLikeAddress(a string) bool {
	return strings.Contains(a, ":") || strings.Trim(a, "0123456789./") == ""
}

func (m *matcher) match(r *pipeline.Request) bool {
	switch {
	case m.all:
		return true
	case m.env != "":
		_, set := r.SubprocessEnv.Lookup(m.env)
		return set != m.notEnv
	case m.host != "":
		h := auth.RemoteHost(r)
		return h != "" && auth.InDomain(h, m.host)
	}
	a, ok := auth.ClientAddr(r)
	return ok && m.ip.Contains(a)
}

func anyMatch(ms []matcher, r *pipeline.Request) bool {
	for i := range ms {
		if ms[i].match(r) {
			return true
		}
	}
	return false
}

func registerHooks(h *pipeline.Hooks) {
	h.AccessChecker.Register(Module.Name, checkAccess, pipeline.Middle)
	pipeline.PublishOptional(h.Optional, pipeline.OptSatisfyAny, func(r *pipeline.Request) bool {
		d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
		return d != nil && d.satisfy > 0
	})
}

// checkAccess is the access_checker: Allow and Deny in the configured
// order.
func checkAccess(r *pipeline.Request) pipeline.Result {
	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	if d == nil || d.allows == nil && d.denys == nil && d.order == denyThenAllow {
		return pipeline.OK
	}
	ok := true
	switch d.order {
	case denyThenAllow:
		if anyMatch(d.denys, r) {
			ok = false
		}
		if anyMatch(d.allows, r) {
			ok = true
		}
	case allowThenDeny:
		ok = anyMatch(d.allows, r) && !anyMatch(d.denys, r)
	case mutualFailure:
		ok = anyMatch(d.allows, r) && !anyMatch(d.denys, r)
	}
	if ok {
		return pipeline.OK
	}
	if r.Filename != "" {
		auth.LogError(r, Module.Name, "AH01797: client denied by server configuration: %s", r.Filename)
	} else {
		auth.LogError(r, Module.Name, "AH01797: client denied by server configuration: uri %s", r.URI)
	}
	return 403
}
