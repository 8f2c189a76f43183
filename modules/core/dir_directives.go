package core

import (
	"fmt"
	"strings"

	"gohttpd/configs"
)

// Option is one of the Options flags.
type Option uint

const (
	OptIndexes Option = 1 << iota
	OptIncludes
	OptSymLinks
	OptExecCGI
	OptMultiViews
	OptSymOwner
	OptIncNoExec

	// OptAll is Apache's "All": everything but MultiViews.
	OptAll = OptIndexes | OptIncludes | OptSymLinks | OptExecCGI
)

var optionNames = []struct {
	name string
	opt  Option
}{
	{"Indexes", OptIndexes},
	{"Includes", OptIncludes},
	{"IncludesNOEXEC", OptIncNoExec | OptIncludes},
	{"FollowSymLinks", OptSymLinks},
	{"SymLinksIfOwnerMatch", OptSymOwner},
	{"ExecCGI", OptExecCGI},
	{"MultiViews", OptMultiViews},
	{"All", OptAll},
	{"None", 0},
}

// DirConfig is core's per-directory record.
type DirConfig struct {
	// Options in force; optionsSet says an absolute Options was given,
	// optAdd/optRemove hold relative "+X"/"-X" changes.
	Options    Option
	optionsSet bool
	optAdd     Option
	optRemove  Option

	Handler        string // SetHandler; "none" clears an inherited one
	handlerSet     bool
	ForceType      string
	forceSet       bool
	DefaultCharset string // AddDefaultCharset; "" is Off
	charsetSet     bool
	// ErrorDocuments maps a status to its text, local URL or remote URL.
	ErrorDocuments map[int]string

	staticDir
}

// EffectiveOptions returns the Options in force, with Apache's default
// (FollowSymLinks) when no section set any.
func (d *DirConfig) EffectiveOptions() Option {
	if !d.optionsSet && d.optAdd == 0 && d.optRemove == 0 {
		return OptSymLinks
	}
	base := d.Options
	if !d.optionsSet {
		base = OptSymLinks
	}
	return (base | d.optAdd) &^ d.optRemove
}

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := *b
	if a.optionsSet {
		out.Options, out.optionsSet = a.Options, true
		out.optAdd, out.optRemove = a.optAdd, a.optRemove
	} else if a.optAdd != 0 || a.optRemove != 0 {
		cur := b.EffectiveOptions()
		out.Options = (cur | a.optAdd) &^ a.optRemove
		out.optionsSet = true
		out.optAdd, out.optRemove = 0, 0
	}
	if a.handlerSet {
		out.Handler, out.handlerSet = a.Handler, true
	}
	if a.forceSet {
		out.ForceType, out.forceSet = a.ForceType, true
	}
	if a.charsetSet {
		out.DefaultCharset, out.charsetSet = a.DefaultCharset, true
	}
	mergeStatic(&out.staticDir, &b.staticDir, &a.staticDir)
	if len(a.ErrorDocuments) > 0 {
		out.ErrorDocuments = map[int]string{}
		for k, v := range b.ErrorDocuments {
			out.ErrorDocuments[k] = v
		}
		for k, v := range a.ErrorDocuments {
			out.ErrorDocuments[k] = v
		}
	}
	return &out
}

func dirDirectives() []*configs.Directive {
	const any = configs.ScopeAnywhere
	return []*configs.Directive{
		directive("Options", any, configs.Args, "[+|-]option [[+|-]option] ...",
			"Configures what features are available in a particular directory: All, None, Indexes, FollowSymLinks, SymLinksIfOwnerMatch, ExecCGI, Includes, IncludesNOEXEC, MultiViews",
			setOptions),
		directive("AllowOverride", configs.ScopeDirectory|configs.ScopeServerConfig, configs.Args, "None",
			"Types of directives allowed in .htaccess files; gohttpd reads no .htaccess files, so only None is accepted",
			func(c *configs.Cmd, v configs.Value) error {
				if len(v.Args) != 1 || !strings.EqualFold(v.Args[0], "None") {
					return fmt.Errorf("%q: gohttpd does not read .htaccess files; only AllowOverride None is supported (move the .htaccess directives into a Directory section)", v.Str)
				}
				return nil
			}),
		directive("SetHandler", any, configs.String, "handler-name|none",
			"Forces all matching files to be processed by a handler",
			func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.Handler, d.handlerSet = v.Str, true
				if strings.EqualFold(v.Str, "none") {
					d.Handler = ""
				}
				return nil
			}),
		directive("ForceType", configs.ScopeDirConfig, configs.String, "media-type|None",
			"Forces all matching files to be served with the specified media type in the Content-Type header",
			func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.ForceType, d.forceSet = v.Str, true
				if strings.EqualFold(v.Str, "none") {
					d.ForceType = ""
				}
				return nil
			}),
		directive("AddDefaultCharset", any, configs.String, "On|Off|charset",
			"Default charset parameter added to text/plain and text/html responses without one",
			func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.charsetSet = true
				switch strings.ToLower(v.Str) {
				case "off":
					d.DefaultCharset = ""
				case "on":
					d.DefaultCharset = "iso-8859-1"
				default:
					d.DefaultCharset = v.Str
				}
				return nil
			}),
		directive("ErrorDocument", any, configs.List, "error-code document",
			"What the server returns to the client in case of an error: text, a local URL or a remote URL (repeatable)",
			func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				for _, it := range v.List {
					if len(it.Args) != 2 {
						return fmt.Errorf("%q: want error-code document", it.Raw)
					}
					var code int
					if _, err := fmt.Sscanf(it.Args[0], "%d", &code); err != nil || code < 400 || code > 599 {
						return fmt.Errorf("%q: error code must be 400-599", it.Args[0])
					}
					if d.ErrorDocuments == nil {
						d.ErrorDocuments = map[int]string{}
					}
					d.ErrorDocuments[code] = it.Args[1]
				}
				return nil
			}),
	}
}

func setOptions(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*DirConfig)
	var abs, add, remove Option
	relative, absolute := false, false
	for _, w := range v.Args {
		sign := byte(0)
		if w[0] == '+' || w[0] == '-' {
			sign, w = w[0], w[1:]
		}
		var opt Option
		found := false
		for _, o := range optionNames {
			if strings.EqualFold(o.name, w) {
				opt, found = o.opt, true
				break
			}
		}
		if !found {
			return fmt.Errorf("illegal option %s", w)
		}
		switch sign {
		case '+':
			relative = true
			add |= opt
			remove &^= opt
		case '-':
			relative = true
			remove |= opt
			add &^= opt
		default:
			absolute = true
			abs |= opt
		}
	}
	if relative && absolute {
		return fmt.Errorf("either all Options must start with + or -, or no Option may")
	}
	if absolute {
		d.Options, d.optionsSet, d.optAdd, d.optRemove = abs, true, 0, 0
	} else {
		d.optAdd, d.optRemove = (d.optAdd|add)&^remove, (d.optRemove|remove)&^add
	}
	return nil
}
