package mime

import (
	"fmt"
	"strings"

	"gohttpd/configs"
)

// extInfo is what the per-directory mappings say about one extension;
// empty fields say nothing.
type extInfo struct {
	Type, Charset, Encoding, Language, Handler string
}

// attr names one field of extInfo.
type attr int

const (
	attrType attr = iota
	attrCharset
	attrEncoding
	attrLanguage
	attrHandler
	numAttrs
)

func (e *extInfo) field(a attr) *string {
	switch a {
	case attrType:
		return &e.Type
	case attrCharset:
		return &e.Charset
	case attrEncoding:
		return &e.Encoding
	case attrLanguage:
		return &e.Language
	}
	return &e.Handler
}

// DirConfig is mod_mime's per-directory record.
type DirConfig struct {
	// Ext maps a lower-case extension (without the dot) to its mappings.
	Ext map[string]*extInfo
	// removed lists, per attribute, the extensions a Remove* directive of
	// this section cleared from inherited mappings.
	removed [numAttrs][]string
	// DefaultLanguage is the language of files no extension gives one.
	DefaultLanguage string
}

func mergeDir(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := &DirConfig{Ext: make(map[string]*extInfo, len(b.Ext)+len(a.Ext)), DefaultLanguage: b.DefaultLanguage}
	for k, v := range b.Ext {
		out.Ext[k] = v
	}
	for at := attr(0); at < numAttrs; at++ {
		for _, ext := range a.removed[at] {
			if old, ok := out.Ext[ext]; ok {
				cp := *old
				*cp.field(at) = ""
				out.Ext[ext] = &cp
			}
		}
	}
	for k, v := range a.Ext {
		old, ok := out.Ext[k]
		if !ok {
			out.Ext[k] = v
			continue
		}
		cp := *old
		for at := attr(0); at < numAttrs; at++ {
			if s := *v.field(at); s != "" {
				*cp.field(at) = s
			}
		}
		out.Ext[k] = &cp
	}
	if a.DefaultLanguage != "" {
		out.DefaultLanguage = a.DefaultLanguage
	}
	return out
}

// normExt turns ".HTML" into "html".
func normExt(s string) string { return strings.ToLower(strings.TrimPrefix(s, ".")) }

// addSetter returns the Set function of an Add* directive: "value ext
// [ext] ...", repeatable. Values are lower-cased, as Apache does.
func addSetter(at attr) func(*configs.Cmd, configs.Value) error {
	return func(c *configs.Cmd, v configs.Value) error {
		d := c.Dir.(*DirConfig)
		for _, it := range v.List {
			if len(it.Args) < 2 {
				return fmt.Errorf("%q: want a value and at least one extension", it.Raw)
			}
			val := strings.ToLower(it.Args[0])
			for _, e := range it.Args[1:] {
				ext := normExt(e)
				if d.Ext == nil {
					d.Ext = map[string]*extInfo{}
				}
				info := d.Ext[ext]
				if info == nil {
					info = &extInfo{}
					d.Ext[ext] = info
				}
				*info.field(at) = val
			}
		}
		return nil
	}
}

// removeSetter returns the Set function of a Remove* directive: "ext
// [ext] ...".
func removeSetter(at attr) func(*configs.Cmd, configs.Value) error {
	return func(c *configs.Cmd, v configs.Value) error {
		d := c.Dir.(*DirConfig)
		for _, it := range v.List {
			for _, e := range it.Args {
				ext := normExt(e)
				if info := d.Ext[ext]; info != nil {
					*info.field(at) = ""
				}
				d.removed[at] = append(d.removed[at], ext)
			}
		}
		return nil
	}
}

func directives() []*configs.Directive {
	const any = configs.ScopeAnywhere
	add := func(name, syntax, help string, at attr) *configs.Directive {
		return &configs.Directive{Name: name, Scope: any, Type: configs.List, Syntax: syntax, Help: help, Set: addSetter(at)}
	}
	remove := func(name, help string, at attr) *configs.Directive {
		return &configs.Directive{Name: name, Scope: any, Type: configs.List, Syntax: "extension [extension] ...", Help: help, Set: removeSetter(at)}
	}
	return []*configs.Directive{
		{Name: "TypesConfig", Scope: configs.ScopeServer, Type: configs.String, Syntax: "file-path",
			Help: "The location of the mime.types file (default /etc/mime.types, else a built-in table)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				path := c.ResolvePath(v.Str)
				types, err := loadTypes(path)
				if err != nil {
					return err
				}
				sc := c.Server.(*ServerConfig)
				sc.TypesConfig, sc.types = path, types
				return nil
			}},
		add("AddType", "media-type extension [extension] ...", "Maps the filename extensions onto the specified content type (repeatable)", attrType),
		add("AddCharset", "charset extension [extension] ...", "Maps the filename extensions to the specified content charset (repeatable)", attrCharset),
		add("AddEncoding", "encoding extension [extension] ...", "Maps the filename extensions to the specified encoding type (repeatable)", attrEncoding),
		add("AddLanguage", "language-tag extension [extension] ...", "Maps the filename extensions to the specified content language (repeatable)", attrLanguage),
		add("AddHandler", "handler-name extension [extension] ...", "Maps the filename extensions to the specified handler (repeatable)", attrHandler),
		remove("RemoveType", "Removes any content type associations for a set of file extensions", attrType),
		remove("RemoveCharset", "Removes any character set associations for a set of file extensions", attrCharset),
		remove("RemoveEncoding", "Removes any content encoding associations for a set of file extensions", attrEncoding),
		remove("RemoveLanguage", "Removes any language associations for a set of file extensions", attrLanguage),
		remove("RemoveHandler", "Removes any handler associations for a set of file extensions", attrHandler),
		{Name: "DefaultLanguage", Scope: any, Type: configs.String, Syntax: "language-tag",
			Help: "Language of every file no extension gives a language",
			Set: func(c *configs.Cmd, v configs.Value) error {
				c.Dir.(*DirConfig).DefaultLanguage = strings.ToLower(v.Str)
				return nil
			}},
	}
}
