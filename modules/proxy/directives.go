package proxy

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

const (
	scopePass = configs.ScopeServerConfig | configs.ScopeLocation
	scopeDir  = configs.ScopeServerConfig | configs.ScopeDirectory | configs.ScopeLocation
)

func directives() []*configs.Directive {
	return []*configs.Directive{
		{Name: "ProxyPass", Scope: scopePass, Type: configs.List,
			Syntax: "[path] !|url [key=value ...] [nocanon]",
			Help:   "Maps a local URL-path to a backend URL (\"!\" excludes it); key=value sets worker parameters",
			Set:    func(c *configs.Cmd, v configs.Value) error { return setProxyPass(c, v, false) }},
		{Name: "ProxyPassMatch", Scope: scopePass, Type: configs.List,
			Syntax: "[regex] !|url [key=value ...]",
			Help:   "Maps URL-paths matching a regular expression to a backend URL with $1… substitutions",
			Set:    func(c *configs.Cmd, v configs.Value) error { return setProxyPass(c, v, true) }},
		{Name: "ProxyPassReverse", Scope: scopePass, Type: configs.List,
			Syntax: "[path] url",
			Help:   "Rewrites backend URLs in the Location, Content-Location and URI response headers to the local path",
			Set:    setProxyPassReverse},
		{Name: "ProxyPassReverseCookieDomain", Scope: scopeDir, Type: configs.List,
			Syntax: "internal-domain public-domain",
			Help:   "Rewrites the domain attribute of Set-Cookie headers from the backend",
			Set:    func(c *configs.Cmd, v configs.Value) error { return setCookieMap(c, v, true) }},
		{Name: "ProxyPassReverseCookiePath", Scope: scopeDir, Type: configs.List,
			Syntax: "internal-path public-path",
			Help:   "Rewrites the path attribute of Set-Cookie headers from the backend",
			Set:    func(c *configs.Cmd, v configs.Value) error { return setCookieMap(c, v, false) }},
		{Name: "ProxyPreserveHost", Scope: scopeDir, Type: configs.Flag,
			Syntax: "On|Off",
			Help:   "Sends the client's Host header to the backend instead of the backend's host name (default Off)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				c.Dir.(*DirConfig).preserveHost = flagOf(v.Bool)
				return nil
			}},
		{Name: "ProxyAddHeaders", Scope: scopeDir, Type: configs.Flag,
			Syntax: "On|Off",
			Help:   "Adds X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Server to proxied requests (default On)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				c.Dir.(*DirConfig).addHeaders = flagOf(v.Bool)
				return nil
			}},
		{Name: "ProxyErrorOverride", Scope: scopeDir, Type: configs.Args,
			Syntax: "On|Off [code ...]",
			Help:   "Answers backend error responses (4xx/5xx, or the listed codes) with the local error documents",
			Set:    setErrorOverride},
		{Name: "ProxyTimeout", Scope: configs.ScopeServerConfig, Type: configs.Int,
			Syntax: "seconds",
			Help:   "Timeout of proxied requests' backend I/O (default: Timeout)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				if v.Int < 1 {
					return fmt.Errorf("%d: want a positive number of seconds", v.Int)
				}
				sc := c.Server.(*ServerConfig)
				sc.Timeout, sc.timeoutSet = time.Duration(v.Int)*time.Second, true
				return nil
			}},
		{Name: "ProxyVia", Scope: configs.ScopeServerConfig, Type: configs.String,
			Syntax: "Off|On|Full|Block",
			Help:   "Via headers on proxied requests and responses: none (Off, default), added (On, Full with the server version), or removed from requests (Block)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				via, ok := map[string]Via{"off": ViaOff, "on": ViaOn, "full": ViaFull, "block": ViaBlock}[strings.ToLower(v.Str)]
				if !ok {
					return fmt.Errorf("%q is not one of Off, On, Full, Block", v.Str)
				}
				sc := c.Server.(*ServerConfig)
				sc.Via, sc.viaSet = via, true
				return nil
			}},
		{Name: "ProxyRequests", Scope: configs.ScopeServerConfig, Type: configs.Flag,
			Syntax: "On|Off",
			Help:   "Enables forward (standard) proxy requests (default Off; an open forward proxy is dangerous)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				sc := c.Server.(*ServerConfig)
				sc.Requests, sc.requestsSet = v.Bool, true
				return nil
			}},
		{Name: "ProxySet", Scope: configs.ScopeServerConfig | configs.ScopeDirectory, Type: configs.List,
			Syntax: "url key=value [key=value ...] (in a [[Proxy]] section: key=value ...)",
			Help:   "Sets parameters of a worker or balancer",
			Set:    setProxySet},
		{Name: "BalancerMember", Scope: configs.ScopeServerConfig | configs.ScopeDirectory, Type: configs.List,
			Syntax: "balancer://name url [key=value ...] (in a [[Proxy]] section: url [key=value ...])",
			Help:   "Adds a member to a load-balancing group",
			Set:    setBalancerMember},
	}
}

// cmdHooks returns the hook set of the generation being configured.
func cmdHooks(c *configs.Cmd) (*Hooks, error) {
	s, _ := c.Record.(*pipeline.Server)
	ph := hooksOfServer(s)
	if ph == nil {
		return nil, errors.New("mod_proxy's hooks are not registered for this configuration")
	}
	return ph, nil
}

// sectionPath returns the enclosing Location's path and whether it is a
// regular expression.
func sectionPath(c *configs.Cmd) (path string, regex bool) {
	if c.Section == nil {
		return "", false
	}
	arg := c.Section.Arg
	if c.Section.Kind == configs.KindLocationMatch {
		return arg, true
	}
	if strings.HasPrefix(arg, "~") {
		return strings.TrimSpace(arg[1:]), true
	}
	return arg, false
}

func setProxyPass(c *configs.Cmd, v configs.Value, match bool) error {
	ph, err := cmdHooks(c)
	if err != nil {
		return err
	}
	for _, it := range v.List {
		args := it.Args
		inSection := c.Section != nil
		var fake string
		regex := match
		if inSection {
			p, re := sectionPath(c)
			fake, regex = p, match || re
		} else {
			if len(args) < 2 {
				return fmt.Errorf("%q: want a path and a URL (or !)", it.Raw)
			}
			fake, args = args[0], args[1:]
		}
		if len(args) == 0 {
			return fmt.Errorf("%q: want a URL (or !)", it.Raw)
		}
		a, err := ph.newAlias(fake, regex, args[0], args[1:])
		if err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
		if inSection {
			c.Dir.(*DirConfig).Alias = a
		} else {
			sc := c.Server.(*ServerConfig)
			sc.Aliases = append(sc.Aliases, a)
		}
	}
	return nil
}

// newAlias builds a rule and defines its worker or balancer.
func (ph *Hooks) newAlias(fake string, regex bool, real string, params []string) (*Alias, error) {
	a := &Alias{Fake: fake, Real: real}
	if regex {
		re, err := regexp.Compile(fake)
		if err != nil {
			return nil, fmt.Errorf("bad regular expression %q: %w", fake, err)
		}
		a.Regex = re
		a.template = dollarRef.ReplaceAllString(real, "$${$1}")
	} else if !strings.HasPrefix(fake, "/") {
		return nil, fmt.Errorf("path %q must start with /", fake)
	}
	if real == "!" {
		if len(params) > 0 {
			return nil, errors.New("an exclusion (!) takes no parameters")
		}
		return a, nil
	}
	if !strings.Contains(real, "://") {
		return nil, fmt.Errorf("URL %q must be absolute (scheme://host/…)", real)
	}
	var kv []string
	for _, p := range params {
		switch strings.ToLower(p) {
		case "nocanon":
			a.NoCanon = true
		case "interpolate", "noquery":
			return nil, fmt.Errorf("flag %q is not supported", p)
		default:
			kv = append(kv, p)
		}
	}
	if IsBalancerURL(real) {
		b := ph.reg.defineBalancer(real)
		if err := ph.applyBalancerParams(b, kv); err != nil {
			return nil, err
		}
		a.Balancer = b
		return a, nil
	}
	wp := defaultWorkerParams()
	if err := applyWorkerParams(&wp, kv); err != nil {
		return nil, err
	}
	if regex {
		// A pattern's URL holds $N references until substitution; the
		// worker is the part before any of them.
		if i := strings.IndexByte(real, '$'); i >= 0 {
			real = real[:i]
		}
	}
	w, _, err := ph.reg.defineWorker("", real, wp)
	if err != nil {
		return nil, err
	}
	a.Worker = w
	return a, nil
}

// dollarRef finds Apache's $N references, which Go's expansion would
// read as longer names ("$1x").
var dollarRef = regexp.MustCompile(`\$([0-9])`)

func applyWorkerParams(p *WorkerParams, kv []string) error {
	for _, s := range kv {
		k, v, err := splitParam(s)
		if err != nil {
			return err
		}
		known, err := setWorkerParam(p, k, v)
		if err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("unknown worker parameter %q", k)
		}
	}
	return nil
}

// applyBalancerParams sets balancer parameters; an lbmethod must be
// registered already (the lbmethod modules register in RegisterHooks,
// before any directive is applied).
func (ph *Hooks) applyBalancerParams(b *Balancer, kv []string) error {
	for _, s := range kv {
		k, v, err := splitParam(s)
		if err != nil {
			return err
		}
		known, err := setBalancerParam(&b.Params, k, v)
		if err != nil {
			return err
		}
		if !known {
			return fmt.Errorf("unknown balancer parameter %q", k)
		}
		if _, ok := ph.LBMethod(b.Params.LBMethod); k == "lbmethod" && !ok {
			return fmt.Errorf("lbmethod %q is not available (loaded methods: %s; load the lbmethod_%s module)",
				b.Params.LBMethod, strings.Join(ph.LBMethodNames(), ", "), b.Params.LBMethod)
		}
	}
	return nil
}

func setProxyPassReverse(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*DirConfig)
	for _, it := range v.List {
		args := it.Args
		if len(args) > 0 && strings.EqualFold(args[len(args)-1], "interpolate") {
			return fmt.Errorf("%q: interpolate is not supported", it.Raw)
		}
		var fake, real string
		switch {
		case c.Section != nil && len(args) == 1:
			fake, _ = sectionPath(c)
			real = args[0]
		case len(args) == 2:
			fake, real = args[0], args[1]
		default:
			return fmt.Errorf("%q: want a path and a URL (inside a Location: the URL alone)", it.Raw)
		}
		d.Reverse = append(d.Reverse, ReverseMap{Fake: fake, Real: real})
	}
	return nil
}

func setCookieMap(c *configs.Cmd, v configs.Value, domain bool) error {
	d := c.Dir.(*DirConfig)
	for _, it := range v.List {
		if len(it.Args) != 2 {
			return fmt.Errorf("%q: want the internal and the public value", it.Raw)
		}
		m := ReverseMap{Real: it.Args[0], Fake: it.Args[1]}
		if domain {
			d.CookieDomains = append(d.CookieDomains, m)
		} else {
			d.CookiePaths = append(d.CookiePaths, m)
		}
	}
	return nil
}

func setErrorOverride(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*DirConfig)
	if len(v.Args) == 0 {
		return errors.New("want On or Off, then optional status codes")
	}
	on, err := onOff("ProxyErrorOverride", v.Args[0])
	if err != nil {
		return err
	}
	d.errorOverride = flagOf(on)
	d.ErrorOverrideCodes = nil
	for _, a := range v.Args[1:] {
		n, err := strconv.Atoi(a)
		if err != nil || n < 400 || n > 599 {
			return fmt.Errorf("%q: status codes must be from 400 to 599", a)
		}
		d.ErrorOverrideCodes = append(d.ErrorOverrideCodes, n)
	}
	sort.Ints(d.ErrorOverrideCodes)
	return nil
}

func setProxySet(c *configs.Cmd, v configs.Value) error {
	ph, err := cmdHooks(c)
	if err != nil {
		return err
	}
	target, inSection, err := proxySectionURL(c, "ProxySet")
	if err != nil {
		return err
	}
	for _, it := range v.List {
		args := it.Args
		if inSection {
			args = append([]string{target}, args...)
		}
		if len(args) < 2 {
			return fmt.Errorf("%q: want a URL and key=value parameters", it.Raw)
		}
		if err := ph.proxySet(args[0], args[1:]); err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
	}
	return nil
}

// proxySectionURL returns the URL of the [[Proxy]] section a ProxySet or
// BalancerMember stands in (Apache's <Proxy url> gives them their
// target), whether there is one, and an error for any other section.
func proxySectionURL(c *configs.Cmd, directive string) (string, bool, error) {
	if c.Section == nil {
		return "", false, nil
	}
	if c.Section.Kind != configs.KindProxy {
		return "", false, fmt.Errorf("%s goes at top level, in a VirtualHost or in a [[Proxy]] section, not in %s", directive, c.Section.Kind)
	}
	return c.Section.Arg, true, nil
}

// proxySet applies parameters to the balancer or worker named target,
// defining it if needed.
func (ph *Hooks) proxySet(target string, kv []string) error {
	if IsBalancerURL(target) {
		return ph.applyBalancerParams(ph.reg.defineBalancer(target), kv)
	}
	w, _, err := ph.reg.defineWorker("", target, defaultWorkerParams())
	if err != nil {
		return err
	}
	return applyWorkerParams(&w.Params, kv)
}

func setBalancerMember(c *configs.Cmd, v configs.Value) error {
	ph, err := cmdHooks(c)
	if err != nil {
		return err
	}
	balancer, inSection, err := proxySectionURL(c, "BalancerMember")
	if err != nil {
		return err
	}
	if inSection && !IsBalancerURL(balancer) {
		return fmt.Errorf("BalancerMember needs a [[Proxy]] section for a balancer:// URL, not %q", balancer)
	}
	for _, it := range v.List {
		args := it.Args
		if inSection {
			args = append([]string{balancer}, args...)
		}
		if len(args) < 2 || !IsBalancerURL(args[0]) {
			return fmt.Errorf("%q: want balancer://name, the member's URL and key=value parameters", it.Raw)
		}
		if err := ph.addMember(args[0], args[1], args[2:]); err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
	}
	return nil
}

// addMember defines a member of balancer.
func (ph *Hooks) addMember(balancer, url string, kv []string) error {
	b := ph.reg.defineBalancer(balancer)
	if IsBalancerURL(url) {
		return errors.New("a balancer cannot be a member of a balancer")
	}
	wp := defaultWorkerParams()
	if err := applyWorkerParams(&wp, kv); err != nil {
		return err
	}
	w, dup, err := ph.reg.defineWorker(b.Name, url, wp)
	if err != nil {
		return err
	}
	if dup {
		return fmt.Errorf("%s is already a member of %s", url, b.Name)
	}
	w.Balancer = b
	b.Members = append(b.Members, w)
	return nil
}
