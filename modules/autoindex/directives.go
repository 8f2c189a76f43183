package autoindex

import (
	"fmt"
	"strconv"
	"strings"

	"gohttpd/configs"
)

func directives() []*configs.Directive {
	const anywhere = configs.ScopeAnywhere
	str := func(name, syntax, help string, field func(*Config) *string) *configs.Directive {
		return &configs.Directive{Name: name, Scope: anywhere, Type: configs.String, Syntax: syntax, Help: help,
			Set: func(c *configs.Cmd, v configs.Value) error {
				*field(c.Dir.(*Config)) = v.Str
				return nil
			}}
	}
	return []*configs.Directive{
		{Name: "IndexOptions", Scope: anywhere, Type: configs.Args, Syntax: "[+|-]option [[+|-]option] ...",
			Help: "Options of directory listings: FancyIndexing, HTMLTable, FoldersFirst, IgnoreCase, VersionSort, IconsAreLinks, NameWidth=n|*, DescriptionWidth=n|*, IconWidth[=n], IconHeight[=n], Charset=, Type=, Suppress* and more",
			Set:  setIndexOptions},
		{Name: "IndexIgnore", Scope: anywhere, Type: configs.List, Syntax: "file [file] ...",
			Help: "Wildcard patterns of files left out of directory listings (added to inherited ones)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				d := c.Dir.(*Config)
				for _, it := range v.List {
					for _, a := range it.Args {
						d.Ignore = append(d.Ignore, item{to: a, within: sectionPath(c) + "*"})
					}
				}
				return nil
			}},
		{Name: "IndexIgnoreReset", Scope: anywhere, Type: configs.Flag, Syntax: "On|Off",
			Help: "Drops the IndexIgnore patterns inherited from enclosing sections",
			Set: func(c *configs.Cmd, v configs.Value) error {
				c.Dir.(*Config).IgnoreReset = v.Bool
				return nil
			}},
		{Name: "IndexOrderDefault", Scope: anywhere, Type: configs.Args, Syntax: "Ascending|Descending Name|Date|Size|Description",
			Help: "Default order of directory listings",
			Set:  setOrderDefault},
		{Name: "AddDescription", Scope: anywhere, Type: configs.List, Syntax: "\"string\" file [file] ...",
			Help: "Description shown in listings for files matching the patterns (repeatable)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				return eachPair(v, func(text, to string) {
					d := c.Dir.(*Config)
					d.Descriptions = append(d.Descriptions, newDescription(text, to))
				})
			}},
		iconDirective("AddIcon", "icon|(alt,icon) name [name] ...", "Icon shown for files whose names match (a suffix, a wildcard, ^^DIRECTORY^^, ^^BLANKICON^^)", byPath),
		iconDirective("AddIconByType", "icon|(alt,icon) media-type [media-type] ...", "Icon shown for files of the media types (wildcards allowed)", byType),
		iconDirective("AddIconByEncoding", "icon|(alt,icon) encoding [encoding] ...", "Icon shown for files of the content encodings", byEncoding),
		altDirective("AddAlt", "\"text\" name [name] ...", "Alternate text of the icon of files whose names match", byPath),
		altDirective("AddAltByType", "\"text\" media-type [media-type] ...", "Alternate text of the icon of files of the media types", byType),
		altDirective("AddAltByEncoding", "\"text\" encoding [encoding] ...", "Alternate text of the icon of files of the content encodings", byEncoding),
		str("DefaultIcon", "url-path", "Icon of files no AddIcon rule matches",
			func(d *Config) *string { return &d.DefaultIcon }),
		str("HeaderName", "filename", "File (a URI relative to the directory) inserted at the top of listings",
			func(d *Config) *string { return &d.Header }),
		str("ReadmeName", "filename", "File (a URI relative to the directory) inserted at the end of listings",
			func(d *Config) *string { return &d.Readme }),
		str("IndexStyleSheet", "url-path", "Style sheet linked from listings (adds id and class attributes)",
			func(d *Config) *string { return &d.StyleSheet }),
		str("IndexHeadInsert", "\"markup ...\"", "Markup inserted in the <head> of listings",
			func(d *Config) *string { return &d.HeadInsert }),
	}
}

// sectionPath is the Directory section a rule is written in, with a
// trailing '/', as Apache's cmd->path; "" at server level and in other
// sections, where rules apply to every path.
func sectionPath(c *configs.Cmd) string {
	s := c.Section
	if s == nil || s.Kind != configs.KindDirectory || strings.HasPrefix(s.Arg, "~") {
		return ""
	}
	if strings.HasSuffix(s.Arg, "/") {
		return s.Arg
	}
	return s.Arg + "/"
}

// eachPair calls f for the first argument of each line with each of the
// others (Apache's ITERATE2).
func eachPair(v configs.Value, f func(first, arg string)) error {
	for _, it := range v.List {
		if len(it.Args) < 2 {
			return fmt.Errorf("%q: want a value and at least one pattern", it.Raw)
		}
		for _, a := range it.Args[1:] {
			f(it.Args[0], a)
		}
	}
	return nil
}

func iconDirective(name, syntax, help string, kind ruleKind) *configs.Directive {
	return &configs.Directive{Name: name, Scope: configs.ScopeAnywhere, Type: configs.List, Syntax: syntax, Help: help + " (repeatable)",
		Set: func(c *configs.Cmd, v configs.Value) error {
			d := c.Dir.(*Config)
			var err error
			perr := eachPair(v, func(icon, to string) {
				if strings.HasPrefix(icon, "(") {
					// (alt,url): an AddAlt rule too.
					closing := strings.IndexByte(icon, ')')
					if closing < 0 {
						err = fmt.Errorf("%s %s: missing closing paren", name, icon)
						return
					}
					alt, url, _ := strings.Cut(icon[1:closing], ",")
					d.Alts = append(d.Alts, newItem(kind, to, sectionPath(c), alt))
					icon = url
				}
				d.Icons = append(d.Icons, newItem(kind, to, sectionPath(c), icon))
			})
			if perr != nil {
				return perr
			}
			return err
		}}
}

func altDirective(name, syntax, help string, kind ruleKind) *configs.Directive {
	return &configs.Directive{Name: name, Scope: configs.ScopeAnywhere, Type: configs.List, Syntax: syntax, Help: help + " (repeatable)",
		Set: func(c *configs.Cmd, v configs.Value) error {
			d := c.Dir.(*Config)
			return eachPair(v, func(alt, to string) {
				d.Alts = append(d.Alts, newItem(kind, to, sectionPath(c), alt))
			})
		}}
}

func setOrderDefault(c *configs.Cmd, v configs.Value) error {
	if len(v.Args) != 2 {
		return fmt.Errorf("want Ascending|Descending Name|Date|Size|Description")
	}
	dir := map[string]byte{"ascending": 'A', "descending": 'D'}[strings.ToLower(v.Args[0])]
	if dir == 0 {
		return fmt.Errorf("%q: first keyword must be 'Ascending' or 'Descending'", v.Args[0])
	}
	key := map[string]byte{"name": 'N', "date": 'M', "size": 'S', "description": 'D'}[strings.ToLower(v.Args[1])]
	if key == 0 {
		return fmt.Errorf("%q: second keyword must be 'Name', 'Date', 'Size', or 'Description'", v.Args[1])
	}
	d := c.Dir.(*Config)
	d.DefaultKey, d.DefaultDir = key, dir
	return nil
}

// setIndexOptions applies IndexOptions keywords as Apache's add_opts: a
// plain flag sets the section's options afresh (inherited ones are then
// dropped), a '+' or '-' flag adjusts the inherited ones; widths, icon
// dimensions, Charset= and Type= are values of their own. As in Apache,
// every keyword without '+' or '-' (values included) forgets the
// adjustments written before it.
func setIndexOptions(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*Config)
	for _, w := range v.Args {
		action := byte(0)
		if w != "" && (w[0] == '+' || w[0] == '-') {
			action, w = w[0], w[1:]
		}
		key, val, hasVal := strings.Cut(w, "=")
		lk := strings.ToLower(key)
		var opt Opt
		switch {
		case hasVal:
			if action == '-' && lk != "type" && lk != "charset" {
				return fmt.Errorf("cannot combine '-' with %s", w)
			}
			if err := d.setValueOption(lk, val, w); err != nil {
				return err
			}
		case lk == "none":
			if action != 0 {
				return fmt.Errorf("cannot combine '+' or '-' with 'None' keyword")
			}
			d.Opts, d.optsSet, d.none, d.optAdd, d.optRemove = 0, true, true, 0, 0
		case lk == "iconwidth" || lk == "iconheight":
			n := 0
			if action != '-' {
				n = map[string]int{"iconwidth": defaultIconWidth, "iconheight": defaultIconHeight}[lk]
			}
			if lk == "iconwidth" {
				d.IconWidth = n
			} else {
				d.IconHeight = n
			}
		case lk == "namewidth" || lk == "descriptionwidth":
			if action != '-' {
				return fmt.Errorf("%s with no value may only appear as '-%s'", key, key)
			}
			if lk == "namewidth" {
				d.NameWidth, d.nameMode = defaultNameWidth, widthFixed
			} else {
				d.DescWidth, d.descMode = defaultDescWidth, widthFixed
			}
		case lk == "useolddateformat":
			d.OldDateFormat = true
		default:
			var ok bool
			if opt, ok = optNames[lk]; !ok {
				return fmt.Errorf("invalid directory indexing option %q", w)
			}
		}
		switch action {
		case '+':
			d.optAdd |= opt
			d.optRemove &^= opt
		case '-':
			d.optRemove |= opt
			d.optAdd &^= opt
		default:
			if opt != 0 {
				d.Opts, d.optsSet = d.Opts|opt, true
			}
			d.optAdd, d.optRemove = 0, 0
		}
	}
	if d.none && d.Opts != 0 {
		return fmt.Errorf("cannot combine other IndexOptions keywords with 'None'")
	}
	return nil
}

func (d *Config) setValueOption(lk, val, w string) error {
	switch lk {
	case "namewidth", "descriptionwidth":
		width, mode, minimum := 0, widthAdjust, 5
		if lk == "descriptionwidth" {
			minimum = 12
		}
		if !strings.HasPrefix(val, "*") {
			mode = widthFixed
			width = atoi(val)
			if width != 0 && width < minimum {
				return fmt.Errorf("%s: %s value must be greater than %d", w, strings.SplitN(w, "=", 2)[0], minimum)
			}
		}
		if lk == "namewidth" {
			d.nameMode = mode
			if mode == widthFixed {
				d.NameWidth = width
			}
		} else {
			d.descMode = mode
			if mode == widthFixed {
				d.DescWidth = width
			}
		}
	case "iconwidth":
		d.IconWidth = atoi(val)
	case "iconheight":
		d.IconHeight = atoi(val)
	case "charset":
		d.Charset, d.CharsetSet = val, true
	case "type":
		d.Type = val
	default:
		return fmt.Errorf("invalid directory indexing option %q", w)
	}
	return nil
}

// atoi is C's atoi: leading digits, 0 when there are none.
func atoi(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}
