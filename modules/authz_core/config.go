package authz_core

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gohttpd/configs"
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// merging is AuthMerging.
type merging int

const (
	mergeUnset merging = iota
	mergeOff
	mergeAnd
	mergeOr
)

// DirConfig is authz_core's per-directory record.
type DirConfig struct {
	// top is the section's implicit RequireAny holding its Require lines
	// and containers; after merging, the rules in force. nil: none.
	top     *rule
	merging merging
	// forbiddenOnFail is AuthzSendForbiddenOnFailure: 0 unset, 1 on, -1 off.
	forbiddenOnFail int
}

// Rules renders the Require rules in force, "" when there are none.
func (d *DirConfig) Rules() string {
	if d == nil || d.top == nil {
		return ""
	}
	return d.top.String()
}

// mergeDirConfig follows Apache's AuthMerging: a section without
// authorization directives inherits its parent's rules; with them, its
// rules replace the parent's (Off, the default) or are combined with
// them in an AND or OR container (And, Or).
func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	var out DirConfig
	switch {
	case a.merging == mergeUnset && a.top == nil && b.top != nil:
		out = *b
	case a.merging == mergeOff || a.merging == mergeUnset || b.top == nil && a.top == nil:
		out = *a
	default:
		top := a.top
		if b.top != nil {
			top = b.top
			if a.top != nil {
				op, name := logicAnd, "<RequireAll>"
				if a.merging == mergeOr {
					op, name = logicOr, "<RequireAny>"
				}
				top = &rule{name: name + " (AuthMerging)", op: op, children: []*rule{b.top, a.top}}
			}
		}
		out = DirConfig{top: top, merging: a.merging}
	}
	out.forbiddenOnFail = a.forbiddenOnFail
	if a.forbiddenOnFail == 0 {
		out.forbiddenOnFail = b.forbiddenOnFail
	}
	return &out
}

func directives() []*configs.Directive {
	return []*configs.Directive{
		{Name: "Require", Scope: configs.ScopeDirConfig, Type: configs.List,
			Syntax: "[not] entity-name [entity-name] ...",
			Help:   "Authorization rules; several lines in one section combine as RequireAny",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				for _, it := range v.List {
					ru, err := parseRequire(c, it.Args)
					if err != nil {
						return fmt.Errorf("%q: %w", it.Raw, err)
					}
					if err := d.add(ru); err != nil {
						return err
					}
				}
				return nil
			}},
		containerDirective("RequireAll", logicAnd, false,
			"All of the enclosed rules must grant and none deny"),
		containerDirective("RequireAny", logicOr, false,
			"One of the enclosed rules must grant"),
		containerDirective("RequireNone", logicOr, true,
			"None of the enclosed rules may grant; never grants by itself"),
		{Name: "AuthMerging", Scope: configs.ScopeDirConfig, Type: configs.String,
			Syntax: "Off|And|Or",
			Help:   "How this section's rules combine with the enclosing section's (default Off: replace)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				switch strings.ToLower(v.Str) {
				case "off":
					d.merging = mergeOff
				case "and":
					d.merging = mergeAnd
				case "or":
					d.merging = mergeOr
				default:
					return fmt.Errorf("AuthMerging wants Off, And or Or, not %q", v.Str)
				}
				return nil
			}},
		{Name: "AuthzSendForbiddenOnFailure", Scope: configs.ScopeDirConfig, Type: configs.Flag,
			Syntax: "On|Off",
			Help:   "Answer 403 instead of 401 when an authenticated user is not authorized",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.forbiddenOnFail = -1
				if v.Bool {
					d.forbiddenOnFail = 1
				}
				return nil
			}},
	}
}

// add puts a rule in the section's implicit RequireAny.
func (d *DirConfig) add(ru *rule) error {
	if d.top == nil {
		d.top = &rule{name: "<RequireAny>", op: logicOr}
	}
	return addChild(d.top, ru)
}

// addChild adds ru to container p, refusing a negated rule (Require not,
// RequireNone) in an OR container (RequireAny, RequireNone, a section's
// implicit RequireAny), where it could never have an effect.
func addChild(p, ru *rule) error {
	if ru.negate && p.op == logicOr {
		what := "negative Require"
		if ru.check == nil {
			what = ru.name
		}
		return fmt.Errorf("%s directive has no effect in %s directive", what, p.name)
	}
	p.children = append(p.children, ru)
	return nil
}

// parseRequire builds the rule of one Require line.
func parseRequire(c *configs.Cmd, args []string) (*rule, error) {
	if len(args) == 0 {
		return nil, errors.New("Require wants a provider name, e.g. \"all granted\" or \"valid-user\"")
	}
	ru := &rule{}
	if args[0] == "not" {
		ru.negate = true
		args = args[1:]
		if len(args) == 0 {
			return nil, errors.New("\"Require not\" wants a provider name")
		}
	}
	name := args[0]
	p, module, ok := auth.LookupAuthzProvider(name)
	if !ok {
		return nil, fmt.Errorf("unknown Authz provider: %s (known: %s)", name, strings.Join(auth.AuthzProviderNames(), ", "))
	}
	if s, _ := c.Record.(*pipeline.Server); s != nil && s.Gen != nil && s.Gen.Modules != nil && !s.Gen.Modules.Loaded(module) {
		return nil, fmt.Errorf("Authz provider %s is provided by module %s, which is not loaded", name, module)
	}
	check, err := p.ParseRequire(args[1:])
	if err != nil {
		return nil, err
	}
	ru.check = check
	ru.name = "Require " + strings.Join(args, " ")
	if ru.negate {
		ru.name = "Require not " + strings.Join(args, " ")
	}
	return ru, nil
}

// containerDirective declares RequireAll, RequireAny or RequireNone: a
// TOML table (or array of tables) with a Require list and nested
// containers; a list of strings is shorthand for one container of those
// Require lines.
func containerDirective(name string, op logic, negate bool, help string) *configs.Directive {
	return &configs.Directive{
		Name: name, Scope: configs.ScopeDirConfig, Type: configs.Table,
		Syntax: "[[…" + name + "]] Require = [\"…\"], nested RequireAll/RequireAny/RequireNone",
		Help:   help,
		Set: func(c *configs.Cmd, v configs.Value) error {
			d := c.Dir.(*DirConfig)
			rules, err := parseContainers(c, name, op, negate, v.Raw)
			if err != nil {
				return err
			}
			for _, ru := range rules {
				if err := d.add(ru); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// parseContainers reads the value of a container key: a table, an array
// of tables, or a list of Require strings (one container).
func parseContainers(c *configs.Cmd, name string, op logic, negate bool, raw any) ([]*rule, error) {
	var out []*rule
	one := func(t map[string]any, lines []string) error {
		ru, err := parseContainer(c, name, op, negate, t, lines)
		if err != nil {
			return err
		}
		out = append(out, ru)
		return nil
	}
	switch x := raw.(type) {
	case map[string]any:
		return out, one(x, nil)
	case []map[string]any:
		for _, t := range x {
			if err := one(t, nil); err != nil {
				return nil, err
			}
		}
		return out, nil
	case string:
		return out, one(nil, []string{x})
	case []any:
		var lines []string
		for _, el := range x {
			switch e := el.(type) {
			case map[string]any:
				if err := one(e, nil); err != nil {
					return nil, err
				}
			case string:
				lines = append(lines, e)
			default:
				return nil, fmt.Errorf("%s: want tables or Require strings, got %T", name, el)
			}
		}
		if lines != nil {
			return out, one(nil, lines)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s: want a table such as [[Directory.%s]] with Require = [...], got %T", name, name, raw)
}

// parseContainer builds one container from its table (and/or shorthand
// Require lines) and checks it as Apache does.
func parseContainer(c *configs.Cmd, name string, op logic, negate bool, t map[string]any, lines []string) (*rule, error) {
	ru := &rule{name: "<" + name + ">", op: op, negate: negate}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case strings.EqualFold(k, "Require"):
			ls, err := stringList(t[k])
			if err != nil {
				return nil, fmt.Errorf("<%s> Require: %w", name, err)
			}
			lines = append(lines, ls...)
		default:
			kind, ok := containerKinds[strings.ToLower(k)]
			if !ok {
				return nil, fmt.Errorf("<%s>: unknown key %q (want Require, RequireAll, RequireAny or RequireNone)", name, k)
			}
			kids, err := parseContainers(c, kind.name, kind.op, kind.negate, t[k])
			if err != nil {
				return nil, fmt.Errorf("<%s> %w", name, err)
			}
			for _, kid := range kids {
				if err := addChild(ru, kid); err != nil {
					return nil, fmt.Errorf("<%s>: %w", name, err)
				}
			}
		}
	}
	for _, l := range lines {
		args, err := configs.SplitArgs(l)
		if err != nil {
			return nil, fmt.Errorf("<%s> Require %q: %w", name, l, err)
		}
		kid, err := parseRequire(c, args)
		if err != nil {
			return nil, fmt.Errorf("<%s> Require %q: %w", name, l, err)
		}
		if err := addChild(ru, kid); err != nil {
			return nil, fmt.Errorf("<%s>: %w", name, err)
		}
	}
	if len(ru.children) == 0 {
		return nil, fmt.Errorf("<%s> directive contains no authorization directives", name)
	}
	allNegative := true
	for _, kid := range ru.children {
		allNegative = allNegative && kid.negate
	}
	if allNegative {
		return nil, fmt.Errorf("<%s> directive contains only negative authorization directives", name)
	}
	return ru, nil
}

var containerKinds = map[string]struct {
	name   string
	op     logic
	negate bool
}{
	"requireall":  {"RequireAll", logicAnd, false},
	"requireany":  {"RequireAny", logicOr, false},
	"requirenone": {"RequireNone", logicOr, true},
}

func stringList(v any) ([]string, error) {
	switch x := v.(type) {
	case string:
		return []string{x}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, el := range x {
			s, ok := el.(string)
			if !ok {
				return nil, fmt.Errorf("want strings, got %T", el)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a string or a list of strings, got %T", v)
}
