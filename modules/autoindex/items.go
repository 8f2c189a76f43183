package autoindex

import "strings"

// ruleKind says what an icon or alt rule matches.
type ruleKind uint8

const (
	byPath     ruleKind = iota // AddIcon, AddAlt, IndexIgnore: the file's path
	byType                     // AddIconByType, AddAltByType: the media type
	byEncoding                 // AddIconByEncoding, AddAltByEncoding
)

// Special paths matched by AddIcon and AddAlt: directories and the blank
// icon of the heading row.
const (
	pathDirectory = "^^DIRECTORY^^"
	pathBlankIcon = "^^BLANKICON^^"
)

// item is one AddIcon, AddAlt or IndexIgnore rule (Apache's struct item).
type item struct {
	kind ruleKind
	// to is the pattern: a path wildcard ("*" prepended to a name without
	// one, so ".txt" matches as a suffix), a media type or an encoding.
	to string
	// within is the Directory section the rule was written in plus "*",
	// matched against the file's full path; "*" at server level.
	within string
	data   string // the icon URL or alt text
}

func newItem(kind ruleKind, to, section, data string) item {
	if kind == byPath && to == "**DIRECTORY**" {
		to = pathDirectory
	}
	if kind == byEncoding {
		to = strings.ToLower(to)
	}
	if kind == byPath && !strings.ContainsAny(to, "*?") {
		to = "*" + to
	}
	return item{kind: kind, to: to, within: section + "*", data: data}
}

// findItem returns the data of the first rule matching a file (Apache's
// find_item), and whether one matched: path is its full path, or one of the special paths;
// typ (without parameters) and enc are its media type and encoding, ""
// when it has none. With an encoding only encoding rules match by media,
// without one only type rules. pathOnly leaves type and encoding rules
// out.
func findItem(list []item, typ, enc, path string, pathOnly bool) (string, bool) {
	special := strings.HasPrefix(path, "^")
	for i := range list {
		it := &list[i]
		if !special && !wildMatch(path, it.within, false) {
			continue
		}
		switch {
		case it.to == "":
			return it.data, true
		case it.kind == byPath || special:
			if wildMatch(path, it.to, false) {
				return it.data, true
			}
		case pathOnly:
		case enc == "":
			if it.kind == byType && typ != "" && wildMatch(typ, it.to, true) {
				return it.data, true
			}
		case it.kind == byEncoding:
			if wildMatch(enc, it.to, true) {
				return it.data, true
			}
		}
	}
	return "", false
}

// wildMatch reports whether s matches pattern, where '*' matches any run
// of bytes ('/' included) and '?' any one byte (Apache's ap_strcmp_match
// and, with fold, ap_strcasecmp_match).
func wildMatch(s, pattern string, fold bool) bool {
	// Iterative matching with one backtrack point: the last '*'.
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pattern) && pattern[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pattern) && (pattern[pi] == '?' || eqByte(pattern[pi], s[si], fold)):
			si++
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(pattern) && pattern[pi] == '*' {
		pi++
	}
	return pi == len(pattern)
}

func eqByte(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	return fold && lower(a) == lower(b)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// ignored reports whether IndexIgnore hides full, a path on disk: a rule
// applies under the section it was written in and matches the last
// component of full against the last component of its pattern (Apache's
// ignore_entry).
func (c *Config) ignored(full string) bool {
	base := full[strings.LastIndexByte(full, '/')+1:]
	for i := range c.Ignore {
		it := &c.Ignore[i]
		pat := it.to[strings.LastIndexByte(it.to, '/')+1:]
		if wildMatch(full, it.within, false) && wildMatch(base, pat, false) {
			return true
		}
	}
	return false
}

// description is one AddDescription rule (Apache's ai_desc_t).
type description struct {
	pattern string
	text    string
	// fullPath: the pattern holds '/' and matches the whole path.
	fullPath bool
	// wild: the pattern is an fnmatch pattern; otherwise a substring.
	wild bool
}

func newDescription(text, to string) description {
	d := description{text: text, pattern: to, fullPath: strings.Contains(to, "/")}
	d.wild = d.fullPath || hasFnmatchMeta(to)
	if d.wild {
		prefix := "*"
		if d.fullPath {
			prefix = "*/"
		}
		d.pattern = prefix + to + "*"
	}
	return d
}

// findDescription returns the text of the first AddDescription rule
// matching full, a path on disk (Apache's find_desc): a pattern without
// '/' and without wildcards is a substring of the last component, with
// wildcards it matches anywhere in it, and with '/' it matches the end of
// the path.
func (c *Config) findDescription(full string) (string, bool) {
	base := full[strings.LastIndexByte(full, '/')+1:]
	for i := range c.Descriptions {
		d := &c.Descriptions[i]
		name := base
		if d.fullPath {
			name = full
		}
		var found bool
		if d.wild {
			found = fnmatch(d.pattern, name, false)
		} else {
			found = strings.Contains(name, d.pattern)
		}
		if found {
			return d.text, true
		}
	}
	return "", false
}
