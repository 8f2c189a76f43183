package expires

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Module is mod_expires.
var Module = &pipeline.Module{
	Name:            "expires",
	Description:     "Expires and Cache-Control max-age headers by content type (ExpiresActive, ExpiresByType, ExpiresDefault)",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig:  mergeDirConfig,
}

// FilterName is the output filter that sets the headers.
const FilterName = "MOD_EXPIRES"

func init() {
	const scope = configs.ScopeAnywhere // Apache's OR_INDEXES
	Module.Directives = []*configs.Directive{
		{Name: "ExpiresActive", Scope: scope, Type: configs.Flag,
			Syntax: "On|Off",
			Help:   "Enables generation of Expires and Cache-Control max-age headers",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*DirConfig)
				d.active = activeOff
				if v.Bool {
					d.active = activeOn
				}
				return nil
			}},
		{Name: "ExpiresByType", Scope: scope, Type: configs.List,
			Syntax: "MIME-type <code>",
			Help:   "Expiry for responses of a content type (\"text/html\" or \"image/*\"): A<seconds>, M<seconds> or \"access plus 1 month\"",
			Set:    setByType},
		{Name: "ExpiresDefault", Scope: scope, Type: configs.String,
			Syntax: "<code>",
			Help:   "Default expiry: A<seconds>, M<seconds> or \"access plus 1 month\", \"modification plus 2 hours\"",
			Set: func(c *configs.Cmd, v configs.Value) error {
				code, err := ParseCode(v.Str)
				if err != nil {
					return fmt.Errorf("%q: %w", v.Str, err)
				}
				d := c.Dir.(*DirConfig)
				d.def, d.defSet = code, true
				return nil
			}},
	}
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

const (
	activeUnset = iota
	activeOn
	activeOff
)

// DirConfig is mod_expires' per-directory record.
type DirConfig struct {
	active    int
	def       Code
	defSet    bool
	byType    map[string]Code // lower-case type, or "major/*"
	wildcards bool
}

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := *b
	if a.active != activeUnset {
		out.active = a.active
	}
	if a.defSet {
		out.def, out.defSet = a.def, true
	}
	if len(a.byType) > 0 {
		out.byType = make(map[string]Code, len(b.byType)+len(a.byType))
		for k, v := range b.byType {
			out.byType[k] = v
		}
		for k, v := range a.byType {
			out.byType[k] = v
		}
		out.wildcards = b.wildcards || a.wildcards
	}
	return &out
}

// Code is a parsed expiry: a base ('A' access, 'M' modification) and a
// number of seconds after it.
type Code struct {
	Base    byte
	Seconds int64
}

// String returns the code in its short form, e.g. "A3600".
func (c Code) String() string { return string(c.Base) + strconv.FormatInt(c.Seconds, 10) }

func setByType(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*DirConfig)
	for _, it := range v.List {
		if len(it.Args) != 2 {
			return fmt.Errorf("%q: ExpiresByType takes a MIME type and a code (quote a code with spaces); got %d arguments", it.Raw, len(it.Args))
		}
		typ := strings.ToLower(it.Args[0])
		if !strings.Contains(typ, "/") {
			return fmt.Errorf("%q: %q is not a MIME type (type/subtype or type/*)", it.Raw, it.Args[0])
		}
		code, err := ParseCode(it.Args[1])
		if err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
		if d.byType == nil {
			d.byType = map[string]Code{}
		}
		d.byType[typ] = code
		if strings.HasSuffix(typ, "/*") {
			d.wildcards = true
		}
	}
	return nil
}

// units are the <type> words of the long syntax with the shortest prefix
// Apache accepts for each.
var units = []struct {
	name    string
	minLen  int
	seconds int64
}{
	{"years", 1, 365 * 24 * 3600},
	{"months", 2, 30 * 24 * 3600},
	{"weeks", 1, 7 * 24 * 3600},
	{"days", 1, 24 * 3600},
	{"hours", 1, 3600},
	{"minutes", 2, 60},
	{"seconds", 1, 1},
}

// isWord reports whether w abbreviates keyword (at least minLen letters,
// case-insensitive).
func isWord(w, keyword string, minLen int) bool {
	return len(w) >= minLen && len(w) <= len(keyword) && strings.EqualFold(w, keyword[:len(w)])
}

// ParseCode reads an expiry code: "A<seconds>" or "M<seconds>", or
// "<base> [plus] {<num> <type>}*" with base access, now or modification.
func ParseCode(s string) (Code, error) {
	if len(s) > 0 && (s[0] == 'A' || s[0] == 'M') && !strings.ContainsAny(s, " \t") {
		n, err := strconv.ParseInt(s[1:], 10, 64)
		if err != nil || n < 0 {
			return Code{}, fmt.Errorf("bad expires code: %q must be followed by a number of seconds", s[:1])
		}
		return Code{Base: s[0], Seconds: n}, nil
	}
	words := strings.Fields(s)
	if len(words) == 0 {
		return Code{}, errors.New("bad expires code: empty")
	}
	var c Code
	switch w := words[0]; {
	case isWord(w, "access", 1), isWord(w, "now", 1):
		c.Base = 'A'
	case isWord(w, "modification", 1):
		c.Base = 'M'
	default:
		return Code{}, fmt.Errorf("bad expires code, unrecognised <base> %q (want access, now or modification)", w)
	}
	words = words[1:]
	if len(words) > 0 && isWord(words[0], "plus", 1) {
		words = words[1:]
	}
	for len(words) > 0 {
		n, err := strconv.ParseInt(words[0], 10, 32)
		if err != nil || n < 0 {
			return Code{}, fmt.Errorf("bad expires code, numeric value expected <num> %q", words[0])
		}
		if len(words) < 2 {
			return Code{}, fmt.Errorf("bad expires code, missing <type> after %s", words[0])
		}
		factor := int64(0)
		for _, u := range units {
			if isWord(words[1], u.name, u.minLen) {
				factor = u.seconds
				break
			}
		}
		if factor == 0 {
			return Code{}, fmt.Errorf("bad expires code, unrecognised <type> %q (want years, months, weeks, days, hours, minutes or seconds)", words[1])
		}
		c.Seconds += n * factor
		words = words[2:]
	}
	return c, nil
}

func registerHooks(h *pipeline.Hooks) {
	reg := h.Filters().RegisterOutput("expires", FilterName, pipeline.FilterContent-2, filter)
	insert := func(r *pipeline.Request) pipeline.Result {
		if isError(r.Status) || r.Main != nil {
			return pipeline.OK
		}
		d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
		if d == nil || d.active != activeOn || (!d.defSet && len(d.byType) == 0) {
			return pipeline.OK
		}
		r.AddOutputFilterReg(reg, nil)
		return pipeline.OK
	}
	h.InsertFilter.Register("expires", insert, pipeline.Middle)
	h.InsertErrorFilter.Register("expires", insert, pipeline.Middle)
}

func isError(status int) bool { return status >= 400 && status <= 599 }

// filter sets Expires and Cache-Control on the first brigade of a
// response that has no Expires yet, then leaves the chain.
func filter(f *pipeline.Filter, bb *pipeline.Brigade) error {
	r := f.Req
	r.RemoveOutputFilter(f)
	if !isError(r.Status) {
		if d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module); d != nil {
			setHeaders(r, d)
		}
	}
	return f.Next.Pass(bb)
}

// setHeaders applies the code in force for r's content type.
func setHeaders(r *pipeline.Request, d *DirConfig) {
	t := &r.ErrHeadersOut
	if _, ok := t.Lookup("Expires"); ok {
		return
	}
	t = &r.HeadersOut
	if _, ok := t.Lookup("Expires"); ok {
		return
	}
	code, ok := d.lookup(r.ContentType)
	if !ok {
		return
	}
	var base time.Time
	switch code.Base {
	case 'M':
		if r.Finfo == nil {
			return // not a file: nothing to base the expiry on
		}
		base = r.Finfo.ModTime()
	default:
		base = r.Time
	}
	expires := base.Add(time.Duration(code.Seconds) * time.Second)
	if expires.Before(r.Time) {
		expires = r.Time
	}
	maxAge := int64(expires.Sub(r.Time) / time.Second)
	t.Merge("Cache-Control", "max-age="+strconv.FormatInt(maxAge, 10))
	t.Set("Expires", expires.UTC().Format(httpTime))
}

const httpTime = "Mon, 02 Jan 2006 15:04:05 GMT"

// lookup finds the code for a content type: its own ExpiresByType, the
// "major/*" one, or ExpiresDefault.
func (d *DirConfig) lookup(contentType string) (Code, bool) {
	ct := contentType
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.ToLower(strings.TrimSpace(ct))
	if ct != "" {
		if c, ok := d.byType[ct]; ok {
			return c, true
		}
		if d.wildcards {
			if i := strings.IndexByte(ct, '/'); i >= 0 {
				if c, ok := d.byType[ct[:i+1]+"*"]; ok {
					return c, true
				}
			}
		}
	}
	return d.def, d.defSet
}
