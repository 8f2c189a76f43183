package autoindex

import (
	"fmt"
	"strconv"
	"strings"

	"gohttpd/configs"
)

// Opt is a set of IndexOptions flags.
type Opt uint32

const (
	OptFancy Opt = 1 << iota
	OptTable
	OptFoldersFirst
	OptIgnoreCase
	OptSuppressColSort
	OptSuppressLastMod
	OptSuppressSize
	OptSuppressDesc
	OptSuppressRules
	OptSuppressIcon
	OptSuppressPreamble
	OptIgnoreClient
	OptVersionSort
)

var optNames = map[string]Opt{
	"fancyindexing": OptFancy, "htmltable": OptTable, "foldersfirst": OptFoldersFirst,
	"ignorecase": OptIgnoreCase, "suppresscolumnsorting": OptSuppressColSort,
	"suppresslastmodified": OptSuppressLastMod, "suppresssize": OptSuppressSize,
	"suppressdescription": OptSuppressDesc, "suppressrules": OptSuppressRules,
	"suppressicon": OptSuppressIcon, "suppresshtmlpreamble": OptSuppressPreamble,
	"ignoreclient": OptIgnoreClient, "versionsort": OptVersionSort,
	// Accepted and without effect here: there are no icons or XHTML output.
	"iconsarelinks": 0, "scanhtmltitles": 0, "trackmodified": 0, "xhtml": 0, "showforbidden": 0,
}

const (
	defaultNameWidth = 23
	defaultDescWidth = 23
	widthAdjust      = -1 // NameWidth=*
)

// Config is mod_autoindex's per-directory record.
type Config struct {
	Opts                 Opt
	optsSet              bool
	optAdd, optRemove    Opt
	NameWidth, DescWidth int // 0: default; widthAdjust: as wide as needed
	Charset              string
	// Ignore holds IndexIgnore patterns, inherited and added to.
	Ignore []string
	// Descriptions are AddDescription's (pattern, text) pairs.
	Descriptions [][2]string
	// DefaultKey and DefaultDir are IndexOrderDefault ('N', 'A' when
	// unset).
	DefaultKey, DefaultDir byte
}

func merge(base, add any) any {
	b, a := base.(*Config), add.(*Config)
	out := *b
	switch {
	case a.optsSet:
		out.Opts, out.optsSet = a.Opts, true
		out.Opts = (out.Opts | a.optAdd) &^ a.optRemove
	case a.optAdd != 0 || a.optRemove != 0:
		out.Opts = (b.Opts | a.optAdd) &^ a.optRemove
	}
	if a.NameWidth != 0 {
		out.NameWidth = a.NameWidth
	}
	if a.DescWidth != 0 {
		out.DescWidth = a.DescWidth
	}
	if a.Charset != "" {
		out.Charset = a.Charset
	}
	out.Ignore = append(append([]string(nil), b.Ignore...), a.Ignore...)
	out.Descriptions = append(append([][2]string(nil), a.Descriptions...), b.Descriptions...)
	if a.DefaultKey != 0 {
		out.DefaultKey, out.DefaultDir = a.DefaultKey, a.DefaultDir
	}
	return &out
}

func directives() []*configs.Directive {
	const any = configs.ScopeAnywhere
	return []*configs.Directive{
		{Name: "IndexOptions", Scope: any, Type: configs.Args, Syntax: "[+|-]option [[+|-]option] ...",
			Help: "Options of directory listings: FancyIndexing, HTMLTable, FoldersFirst, IgnoreCase, NameWidth=n|*, DescriptionWidth=n|*, Charset=name, Suppress* and more",
			Set:  setIndexOptions},
		{Name: "IndexIgnore", Scope: any, Type: configs.List, Syntax: "file [file] ...",
			Help: "Wildcard patterns of files left out of directory listings (added to inherited ones)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*Config)
				for _, it := range v.List {
					d.Ignore = append(d.Ignore, it.Args...)
				}
				return nil
			}},
		{Name: "IndexOrderDefault", Scope: any, Type: configs.Args, Syntax: "Ascending|Descending Name|Date|Size|Description",
			Help: "Default order of directory listings",
			Set: func(c *configs.Cmd, v configs.Value) error {
				if len(v.Args) != 2 {
					return fmt.Errorf("want Ascending|Descending Name|Date|Size|Description")
				}
				dir := map[string]byte{"ascending": 'A', "descending": 'D'}[strings.ToLower(v.Args[0])]
				key := map[string]byte{"name": 'N', "date": 'M', "size": 'S', "description": 'D'}[strings.ToLower(v.Args[1])]
				if dir == 0 || key == 0 {
					return fmt.Errorf("%q: want Ascending|Descending Name|Date|Size|Description", v.Str)
				}
				d := c.Dir.(*Config)
				d.DefaultKey, d.DefaultDir = key, dir
				return nil
			}},
		{Name: "AddDescription", Scope: any, Type: configs.List, Syntax: "\"string\" file [file] ...",
			Help: "Description shown in listings for files matching the patterns (repeatable)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*Config)
				for _, it := range v.List {
					if len(it.Args) < 2 {
						return fmt.Errorf("%q: want a description and at least one file pattern", it.Raw)
					}
					for _, p := range it.Args[1:] {
						d.Descriptions = append(d.Descriptions, [2]string{p, it.Args[0]})
					}
				}
				return nil
			}},
	}
}

func setIndexOptions(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*Config)
	for _, w := range v.Args {
		sign := byte(0)
		if w[0] == '+' || w[0] == '-' {
			sign, w = w[0], w[1:]
		}
		key, val, hasVal := strings.Cut(w, "=")
		lk := strings.ToLower(key)
		if hasVal {
			switch lk {
			case "namewidth", "descriptionwidth":
				n := widthAdjust
				if val != "*" {
					var err error
					if n, err = strconv.Atoi(val); err != nil || n < 5 {
						return fmt.Errorf("%s: want a width of at least 5 or *", w)
					}
				}
				if lk == "namewidth" {
					d.NameWidth = n
				} else {
					d.DescWidth = n
				}
			case "charset":
				d.Charset = val
			case "type", "iconwidth", "iconheight":
			default:
				return fmt.Errorf("unknown IndexOptions keyword %q", w)
			}
			continue
		}
		opt, ok := optNames[lk]
		if !ok {
			return fmt.Errorf("unknown IndexOptions keyword %q", w)
		}
		switch sign {
		case '+':
			d.optAdd |= opt
			d.optRemove &^= opt
		case '-':
			d.optRemove |= opt
			d.optAdd &^= opt
		default:
			// A plain keyword starts the section's options afresh, as in
			// Apache (the incremental ones seen so far still apply).
			if !d.optsSet {
				d.Opts, d.optsSet = 0, true
			}
			d.Opts |= opt
		}
	}
	return nil
}
