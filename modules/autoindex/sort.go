package autoindex

import "strings"

// compare orders entries as Apache's dsortf: the parent first, folders
// first under FoldersFirst, then by the key in the requested direction,
// ties broken by name (naturally under VersionSort, case-blind under
// IgnoreCase, finally byte by byte so that the order is total).
func (l *listing) compare(a, b *entry) int {
	if a.parent != b.parent {
		if a.parent {
			return -1
		}
		return 1
	}
	if a.isDir != b.isDir {
		if a.isDir {
			return -1
		}
		return 1
	}
	if l.dir == 'D' {
		a, b = b, a
	}
	version := l.opts&OptVersionSort != 0
	switch l.key {
	case 'M':
		if c := a.mtime.Compare(b.mtime); c != 0 {
			return c
		}
	case 'S':
		if a.size != b.size {
			if a.size < b.size {
				return -1
			}
			return 1
		}
	case 'D':
		var c int
		if version {
			c = natCompare(a.desc, b.desc, false)
		} else {
			c = strings.Compare(a.desc, b.desc)
		}
		if c != 0 {
			return c
		}
	}
	fold := l.opts&OptIgnoreCase != 0
	c := 0
	if version {
		if fold {
			c = natCompare(a.name, b.name, true)
		}
		if c == 0 {
			c = natCompare(a.name, b.name, false)
		}
	}
	if c == 0 && fold {
		c = caseCompare(a.name, b.name)
	}
	if c == 0 {
		c = strings.Compare(a.name, b.name)
	}
	return c
}

// caseCompare is strcasecmp: bytes compared lower-cased.
func caseCompare(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if x, y := lower(a[i]), lower(b[i]); x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// natCompare is APR's apr_strnatcmp (apr_strnatcasecmp with fold):
// "natural" order, where runs of digits compare as numbers ("a2" before
// "a10"), a run starting with '0' compares as a fraction, and white space
// is skipped. Bytes compare as C's signed char.
func natCompare(a, b string, fold bool) int {
	at := func(s string, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	ai, bi := 0, 0
	for {
		ca, cb := at(a, ai), at(b, bi)
		for isSpace(ca) {
			ai++
			ca = at(a, ai)
		}
		for isSpace(cb) {
			bi++
			cb = at(b, bi)
		}
		if isDigit(ca) && isDigit(cb) {
			var c int
			if ca == '0' || cb == '0' {
				c = compareLeft(a[ai:], b[bi:])
			} else {
				c = compareRight(a[ai:], b[bi:])
			}
			if c != 0 {
				return c
			}
		}
		if ca == 0 && cb == 0 {
			return 0
		}
		if fold {
			ca, cb = upper(ca), upper(cb)
		}
		if int8(ca) < int8(cb) {
			return -1
		}
		if int8(ca) > int8(cb) {
			return 1
		}
		ai++
		bi++
	}
}

// compareRight compares two runs of digits aligned right: the longer run
// wins, else the first differing digit.
func compareRight(a, b string) int {
	bias := 0
	for i := 0; ; i++ {
		da, db := i < len(a) && isDigit(a[i]), i < len(b) && isDigit(b[i])
		switch {
		case !da && !db:
			return bias
		case !da:
			return -1
		case !db:
			return 1
		case a[i] < b[i] && bias == 0:
			bias = -1
		case a[i] > b[i] && bias == 0:
			bias = 1
		}
	}
}

// compareLeft compares two runs of digits aligned left (fractions): the
// first differing digit wins.
func compareLeft(a, b string) int {
	for i := 0; ; i++ {
		da, db := i < len(a) && isDigit(a[i]), i < len(b) && isDigit(b[i])
		switch {
		case !da && !db:
			return 0
		case !da:
			return -1
		case !db:
			return 1
		case a[i] < b[i]:
			return -1
		case a[i] > b[i]:
			return 1
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool { return c == ' ' || c >= '\t' && c <= '\r' }

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}
