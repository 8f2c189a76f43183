package configs

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// BurntSushi/toml reports no positions for keys, so locate scans the
// TOML text itself and records the line where every key path first
// appears. It only has to find lines, not to validate: it runs on text
// the TOML decoder has accepted, and on anything else it must merely
// terminate without panicking.

// keyPath names a value in one TOML document: key segments (quoted with
// strconv.Quote) and array-of-tables indexes ("#n"), each preceded by a
// NUL byte, which a quoted segment never contains. The root is "".
type keyPath string

// key returns the path of the key k inside p.
func (p keyPath) key(k string) keyPath { return p + "\x00" + keyPath(strconv.Quote(k)) }

// index returns the path of the i-th element of the array p.
func (p keyPath) index(i int) keyPath { return p + "\x00#" + keyPath(strconv.Itoa(i)) }

// parent returns p without its last segment, and false for the root.
func (p keyPath) parent() (keyPath, bool) {
	i := strings.LastIndexByte(string(p), 0)
	if i < 0 {
		return "", false
	}
	return p[:i], true
}

// keyLines maps the key paths of one document to 1-based lines.
type keyLines map[keyPath]int

// line returns the line of p, or of its nearest recorded ancestor (keys
// inside inline tables and elements of inline arrays are not all
// recorded); 1 when nothing is known.
func (l keyLines) line(p keyPath) int {
	for {
		if n, ok := l[p]; ok {
			return n
		}
		var ok bool
		if p, ok = p.parent(); !ok {
			return 1
		}
	}
}

// locate returns the line of every key path of the TOML document src.
func locate(src []byte) keyLines {
	l := &locator{src: src, line: 1, lines: keyLines{}, arrays: map[keyPath]int{}}
	l.document()
	return l.lines
}

// locator is the state of one scan.
type locator struct {
	src    []byte
	i      int
	line   int
	lines  keyLines
	arrays map[keyPath]int // elements seen so far of each [[array]]
	cur    keyPath         // the table the following keys belong to
}

func (l *locator) peek(off int) byte {
	if l.i+off < len(l.src) {
		return l.src[l.i+off]
	}
	return 0
}

func (l *locator) eof() bool { return l.i >= len(l.src) }

// advance moves past one byte, counting lines.
func (l *locator) advance() {
	if l.src[l.i] == '\n' {
		l.line++
	}
	l.i++
}

// record notes the current line for p unless p is already known.
func (l *locator) record(p keyPath) {
	if _, ok := l.lines[p]; !ok {
		l.lines[p] = l.line
	}
}

// skipSpace skips blanks, and newlines and comments when multiline.
func (l *locator) skipSpace(multiline bool) {
	for !l.eof() {
		switch c := l.src[l.i]; {
		case c == ' ' || c == '\t' || c == '\r':
			l.i++
		case c == '\n' && multiline:
			l.advance()
		case c == '#' && multiline:
			l.skipLine()
		default:
			return
		}
	}
}

// skipLine skips to the next newline (not past it).
func (l *locator) skipLine() {
	for !l.eof() && l.src[l.i] != '\n' {
		l.i++
	}
}

// document scans top-level items: table headers and key/value pairs.
func (l *locator) document() {
	for {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		start := l.i
		if l.src[l.i] == '[' {
			l.header()
		} else {
			l.keyValue(l.cur)
		}
		// Whatever follows on this line (a comment, or garbage in text
		// the decoder would reject) is of no interest.
		l.skipSpace(false)
		if !l.eof() && l.src[l.i] != '\n' {
			l.skipLine()
		}
		if l.i == start && !l.eof() {
			l.advance()
		}
	}
}

// header scans [table] or [[array]] and makes it the current table.
func (l *locator) header() {
	array := l.peek(1) == '['
	if array {
		l.i += 2
	} else {
		l.i++
	}
	keys := l.keys()
	if len(keys) == 0 {
		return
	}
	p := keyPath("")
	for _, k := range keys[:len(keys)-1] {
		p = p.key(k)
		l.record(p)
		if n, ok := l.arrays[p]; ok && n > 0 {
			p = p.index(n - 1)
			l.record(p)
		}
	}
	p = p.key(keys[len(keys)-1])
	if array {
		l.record(p)
		n := l.arrays[p]
		l.arrays[p] = n + 1
		p = p.index(n)
	}
	// An explicit header defines the table here even when a deeper
	// header created it implicitly before.
	l.lines[p] = l.line
	l.cur = p
}

// keyValue scans "dotted.key = value" relative to the table base.
func (l *locator) keyValue(base keyPath) {
	keys := l.keys()
	if len(keys) == 0 {
		return
	}
	p := base
	for _, k := range keys {
		p = p.key(k)
		l.record(p)
	}
	l.skipSpace(false)
	if l.peek(0) != '=' {
		return
	}
	l.i++
	l.skipSpace(false)
	l.value(p)
}

// keys scans a possibly dotted key; nil when there is none.
func (l *locator) keys() []string {
	var keys []string
	for {
		l.skipSpace(false)
		if l.eof() {
			return keys
		}
		var k string
		switch c := l.src[l.i]; {
		case c == '"':
			k = l.basicString()
		case c == '\'':
			k = l.literalString()
		case isBareKeyByte(c):
			start := l.i
			for !l.eof() && isBareKeyByte(l.src[l.i]) {
				l.i++
			}
			k = string(l.src[start:l.i])
		default:
			return keys
		}
		keys = append(keys, k)
		l.skipSpace(false)
		if l.peek(0) != '.' {
			return keys
		}
		l.i++
	}
}

func isBareKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value skips one value, recording the keys of inline tables and the
// elements of inline arrays of tables under p.
func (l *locator) value(p keyPath) {
	if l.eof() {
		return
	}
	switch l.src[l.i] {
	case '"':
		if l.peek(1) == '"' && l.peek(2) == '"' {
			l.multiline('"')
		} else {
			l.basicString()
		}
	case '\'':
		if l.peek(1) == '\'' && l.peek(2) == '\'' {
			l.multiline('\'')
		} else {
			l.literalString()
		}
	case '[':
		l.array(p)
	case '{':
		l.inlineTable(p)
	default:
		// Numbers, booleans, dates: up to a delimiter. A date may hold
		// a space, so spaces do not end it.
		for !l.eof() {
			switch l.src[l.i] {
			case ',', ']', '}', '#', '\n':
				return
			}
			l.i++
		}
	}
}

// array skips an array value.
func (l *locator) array(p keyPath) {
	l.i++ // [
	for n := 0; ; n++ {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		if l.src[l.i] == ']' {
			l.i++
			return
		}
		elem := p.index(n)
		l.record(elem)
		start := l.i
		l.value(elem)
		l.skipSpace(true)
		if l.peek(0) == ',' {
			l.i++
		} else if l.i == start && !l.eof() && l.src[l.i] != ']' {
			l.advance() // not a value: step over it
		}
	}
}

// inlineTable skips {k = v, ...}, recording its keys under p. TOML 1.1
// allows newlines and comments inside.
func (l *locator) inlineTable(p keyPath) {
	l.i++ // {
	for {
		l.skipSpace(true)
		if l.eof() {
			return
		}
		if l.src[l.i] == '}' {
			l.i++
			return
		}
		start := l.i
		l.keyValue(p)
		l.skipSpace(true)
		if l.peek(0) == ',' {
			l.i++
		} else if l.i == start && !l.eof() && l.src[l.i] != '}' {
			l.advance() // not a key: step over it
		}
	}
}

// basicString scans "..." and returns its unescaped content.
func (l *locator) basicString() string {
	l.i++ // "
	var b strings.Builder
	for !l.eof() {
		c := l.src[l.i]
		switch {
		case c == '"':
			l.i++
			return b.String()
		case c == '\n':
			return b.String() // unterminated; the decoder rejects it
		case c == '\\' && l.i+1 < len(l.src):
			l.i++
			l.escape(&b)
		default:
			b.WriteByte(c)
			l.i++
		}
	}
	return b.String()
}

// escape decodes the escape sequence after a backslash into b.
func (l *locator) escape(b *strings.Builder) {
	c := l.src[l.i]
	l.i++
	var hex int
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		b.WriteByte(0x1b)
	case 'x':
		hex = 2
	case 'u':
		hex = 4
	case 'U':
		hex = 8
	default: // \" \\ and anything invalid
		b.WriteByte(c)
	}
	if hex == 0 {
		return
	}
	if l.i+hex > len(l.src) {
		return
	}
	n, err := strconv.ParseUint(string(l.src[l.i:l.i+hex]), 16, 32)
	if err != nil {
		return
	}
	l.i += hex
	if r := rune(n); utf8.ValidRune(r) {
		b.WriteRune(r)
	}
}

// literalString scans '...' and returns its content.
func (l *locator) literalString() string {
	l.i++ // '
	start := l.i
	for !l.eof() {
		switch l.src[l.i] {
		case '\'':
			s := string(l.src[start:l.i])
			l.i++
			return s
		case '\n':
			return string(l.src[start:l.i])
		}
		l.i++
	}
	return string(l.src[start:])
}

// multiline skips a multi-line string (delimited by three q's), which
// may end with up to two extra q's belonging to its content.
func (l *locator) multiline(q byte) {
	l.i += 3
	for !l.eof() {
		c := l.src[l.i]
		if c == '\\' && q == '"' && l.i+1 < len(l.src) {
			l.i++
			l.advance()
			continue
		}
		if c == q && l.peek(1) == q && l.peek(2) == q {
			l.i += 3
			for extra := 0; extra < 2 && l.peek(0) == q; extra++ {
				l.i++
			}
			return
		}
		l.advance()
	}
}
