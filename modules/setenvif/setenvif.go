package setenvif

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Module is mod_setenvif.
var Module = &pipeline.Module{
	Name:               "setenvif",
	Description:        "sets environment variables from request attributes (SetEnvIf, BrowserMatch)",
	CreateServerConfig: func(*pipeline.Server) any { return &Config{} },
	MergeServerConfig:  merge,
	CreateDirConfig:    func(string) any { return &Config{} },
	MergeDirConfig:     merge,
}

func init() {
	const anywhere = configs.ScopeAnywhere // Apache's OR_FILEINFO
	Module.Directives = []*configs.Directive{
		{Name: "SetEnvIf", Scope: anywhere, Type: configs.List,
			Syntax: "attribute regex [!]env-variable[=value] [[!]env-variable[=value]] ...",
			Help:   "Sets environment variables when a request attribute (header, Remote_Addr, Request_URI, …) matches a pattern",
			Set:    setter(false, false)},
		{Name: "SetEnvIfNoCase", Scope: anywhere, Type: configs.List,
			Syntax: "attribute regex [!]env-variable[=value] [[!]env-variable[=value]] ...",
			Help:   "SetEnvIf with case-insensitive matching",
			Set:    setter(true, false)},
		{Name: "BrowserMatch", Scope: anywhere, Type: configs.List,
			Syntax: "regex [!]env-variable[=value] [[!]env-variable[=value]] ...",
			Help:   "Sets environment variables when the User-Agent matches a pattern",
			Set:    setter(false, true)},
		{Name: "BrowserMatchNoCase", Scope: anywhere, Type: configs.List,
			Syntax: "regex [!]env-variable[=value] [[!]env-variable[=value]] ...",
			Help:   "BrowserMatch with case-insensitive matching",
			Set:    setter(true, true)},
	}
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		h.PostReadRequest.Register("setenvif", postReadRequest, pipeline.Middle)
		h.HeaderParser.Register("setenvif", headerParser, pipeline.Middle)
	}
	pipeline.RegisterModule(Module)
}

// Config is mod_setenvif's per-server and per-directory record: the rules
// in configuration order.
type Config struct {
	Rules []*Rule
}

func merge(base, add any) any {
	b, a := base.(*Config), add.(*Config)
	if len(a.Rules) == 0 {
		return b
	}
	if len(b.Rules) == 0 {
		return a
	}
	rules := make([]*Rule, 0, len(b.Rules)+len(a.Rules))
	return &Config{Rules: append(append(rules, b.Rules...), a.Rules...)}
}

// attribute says where a rule takes the value it tests.
type attribute int

const (
	attrHeader attribute = iota // a request header, else an env variable
	attrHeaderRegexp
	attrRemoteAddr
	attrRemoteHost
	attrServerAddr
	attrRequestMethod
	attrRequestProtocol
	attrRequestURI
)

var specials = map[string]attribute{
	"remote_addr":      attrRemoteAddr,
	"remote_host":      attrRemoteHost,
	"server_addr":      attrServerAddr,
	"request_method":   attrRequestMethod,
	"request_protocol": attrRequestProtocol,
	"request_uri":      attrRequestURI,
}

// Rule is one SetEnvIf line.
type Rule struct {
	Name     string // the attribute as written
	attr     attribute
	nameRe   *regexp.Regexp // header names, for attrHeaderRegexp
	literal  string         // substring pattern, when the pattern has no regexp syntax
	re       *regexp.Regexp // otherwise
	icase    bool
	Features []Feature
}

// Feature is one variable a rule sets or unsets.
type Feature struct {
	Name  string
	Value string // may hold $0…$9 when the pattern is a regular expression
	Unset bool
}

var headerName = regexp.MustCompile(`^[-A-Za-z0-9_]*$`)

func setter(icase, browser bool) func(*configs.Cmd, configs.Value) error {
	return func(c *configs.Cmd, v configs.Value) error {
		cfg := c.Dir.(*Config)
		if c.Section == nil {
			cfg = c.Server.(*Config)
		}
		for _, it := range v.List {
			args := it.Args
			if browser {
				args = append([]string{"User-Agent"}, args...)
			}
			rule, err := ParseRule(args, icase)
			if err != nil {
				return fmt.Errorf("%q: %w", it.Raw, err)
			}
			cfg.Rules = append(cfg.Rules, rule)
		}
		return nil
	}
}

// ParseRule reads the words of a SetEnvIf line: attribute, pattern and at
// least one variable ("var", "var=value" or "!var").
func ParseRule(args []string, icase bool) (*Rule, error) {
	if len(args) == 0 || args[0] == "" {
		return nil, errors.New("missing header-field name (attribute)")
	}
	if len(args) < 2 || args[1] == "" {
		return nil, errors.New("missing regular expression")
	}
	if len(args) < 3 {
		return nil, errors.New("missing environment variable to set (var, var=value or !var)")
	}
	r := &Rule{Name: args[0], icase: icase}
	flags := ""
	if icase {
		flags = "(?i)"
	}
	if a, ok := specials[strings.ToLower(args[0])]; ok {
		r.attr = a
	} else if !headerName.MatchString(args[0]) {
		re, err := regexp.Compile(flags + args[0])
		if err != nil {
			return nil, fmt.Errorf("header name regular expression %q could not be compiled: %w", args[0], err)
		}
		r.attr, r.nameRe = attrHeaderRegexp, re
	}
	if lit, ok := literalPattern(args[1]); ok {
		r.literal = lit
		if icase {
			r.literal = strings.ToLower(lit)
		}
	} else {
		re, err := regexp.Compile(flags + args[1])
		if err != nil {
			return nil, fmt.Errorf("regular expression %q could not be compiled: %w", args[1], err)
		}
		r.re = re
	}
	for _, f := range args[2:] {
		if f == "" {
			return nil, errors.New("empty environment variable name")
		}
		name, value, hasValue := strings.Cut(f, "=")
		switch {
		case hasValue:
			r.Features = append(r.Features, Feature{Name: name, Value: value})
		case name[0] == '!':
			if len(name) == 1 {
				return nil, errors.New("\"!\" must be followed by the variable to unset")
			}
			r.Features = append(r.Features, Feature{Name: name[1:], Unset: true})
		default:
			r.Features = append(r.Features, Feature{Name: name, Value: "1"})
		}
	}
	return r, nil
}

// literalPattern returns s without its backslash escapes when it uses no
// regular-expression syntax (Apache's non_regex_pattern): such patterns
// are substring tests.
func literalPattern(s string) (string, bool) {
	escaped, inEscape := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '^', '.', '$', '|', '(', ')', '[', ']', '*', '+', '?', '{', '}':
			if !inEscape {
				return "", false
			}
			inEscape = false
		case '\\':
			if !inEscape {
				inEscape, escaped = true, true
			} else {
				inEscape = false
			}
		default:
			if inEscape {
				return "", false
			}
		}
	}
	if !escaped {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			if i == len(s) {
				break
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

// postReadRequest applies the server's rules (Apache's match_headers the
// first time it runs for a request record).
func postReadRequest(r *pipeline.Request) pipeline.Result {
	return applyRules(r, pipeline.ModuleConfig[*Config](r.Server.Config, Module))
}

// headerParser applies the per-directory rules to the request read from
// the connection, whose server rules post_read_request applied. Internal
// redirects and sub-requests never ran post_read_request, so, as in
// Apache, their first match_headers applies the server's rules.
func headerParser(r *pipeline.Request) pipeline.Result {
	if !r.IsMain() {
		return postReadRequest(r)
	}
	return applyRules(r, pipeline.ModuleConfig[*Config](r.PerDir, Module))
}

// applyRules applies cfg's rules to r in order.
func applyRules(r *pipeline.Request, cfg *Config) pipeline.Result {
	if cfg == nil {
		return pipeline.Declined
	}
	for _, rule := range cfg.Rules {
		rule.Apply(r)
	}
	return pipeline.Declined
}

// Apply tests the rule against r and, when it matches, sets and unsets
// its variables in r.SubprocessEnv.
func (rule *Rule) Apply(r *pipeline.Request) {
	val := rule.value(r)
	var m []int
	if rule.re != nil {
		if m = rule.re.FindStringSubmatchIndex(val); m == nil {
			return
		}
	} else if !containsFold(val, rule.literal, rule.icase) {
		return
	}
	for _, f := range rule.Features {
		switch {
		case f.Unset:
			r.SubprocessEnv.Del(f.Name)
		case m != nil:
			r.SubprocessEnv.Set(f.Name, pipeline.RegSub(f.Value, val, m))
		default:
			r.SubprocessEnv.Set(f.Name, f.Value)
		}
	}
}

func containsFold(s, sub string, icase bool) bool {
	if !icase {
		return strings.Contains(s, sub)
	}
	return strings.Contains(strings.ToLower(s), sub)
}

// value returns the attribute's value; "" when it is absent.
func (rule *Rule) value(r *pipeline.Request) string {
	switch rule.attr {
	case attrRemoteAddr, attrRemoteHost:
		// No HostnameLookups: the remote host is its address.
		if r.Conn != nil {
			return r.Conn.RemoteAddr
		}
	case attrServerAddr:
		if r.Conn != nil {
			return r.Conn.LocalAddr
		}
	case attrRequestMethod:
		return r.Method
	case attrRequestProtocol:
		return r.Protocol
	case attrRequestURI:
		if r.URI != "" {
			return r.URI
		}
		// Before the URI is normalised (post_read_request) the path is
		// taken as received.
		return r.RawPath()
	case attrHeaderRegexp:
		val := ""
		for _, f := range r.HeadersIn.Fields() {
			if rule.nameRe.MatchString(f.Name) {
				val = f.Value
			}
		}
		return val
	default:
		if v, ok := r.HeadersIn.Lookup(rule.Name); ok {
			return v
		}
		return r.SubprocessEnv.Get(rule.Name)
	}
	return ""
}
