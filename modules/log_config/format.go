package logconfig

import (
	"fmt"
	"strings"

	"gohttpd/pipeline"
)

// Format is a parsed LogFormat string: literal text and % items, ending
// with the newline every log line ends with. A Format is immutable and
// safe for concurrent use.
type Format struct {
	src   string
	items []item
	// logio is set when the format uses %I, %O or %S, which need the
	// connection's byte counters.
	logio bool
	// needEnd is set when an item needs the time logging began (%D, %T,
	// %{end...}t).
	needEnd bool
}

// item is one piece of a format: literal text, or a % directive with its
// modifiers.
type item struct {
	lit    string // literal text (render == nil)
	render renderFunc
	arg    string // the {argument}
	orig   bool   // describe the original request, not the last one
	negate bool   // conds list the statuses for which the item is "-"
	conds  []int  // statuses for which the item is rendered
}

// renderFunc appends one item's value; it writes "-" itself when the value
// is absent.
type renderFunc func(dst []byte, lc logCtx, r *pipeline.Request, arg string) []byte

// directive describes one % letter: how to render it and whether it
// describes the original request by default (Apache's want_orig_default).
type directive struct {
	render renderFunc
	orig   bool
	logio  bool // needs the connection's byte counters
	end    bool // needs the time logging began
	endArg bool // needs it when the argument starts with "end"
}

// ParseFormat parses a format in Apache's LogFormat language. Literal
// text may use the escapes \n, \r, \t and \\ (any other backslash is kept
// as written); "%%" is a percent sign; a directive is
// "%[!][status,...][<|>][{arg}]letter". The errors are Apache's:
// an unknown letter, or a format that ends inside a directive.
func ParseFormat(s string) (*Format, error) {
	f := &Format{src: s}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			f.items = append(f.items, item{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' {
			i++
			if i < len(s) {
				switch s[i] {
				case '\\':
					lit.WriteByte('\\')
					i++
					continue
				case 'n':
					lit.WriteByte('\n')
					i++
					continue
				case 'r':
					lit.WriteByte('\r')
					i++
					continue
				case 't':
					lit.WriteByte('\t')
					i++
					continue
				}
			}
			lit.WriteByte('\\') // kept; the next byte is read as usual
			continue
		}
		if c != '%' {
			lit.WriteByte(c)
			i++
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			lit.WriteByte('%')
			i++
			continue
		}
		it, d, next, err := parseDirective(s, i)
		if err != nil {
			return nil, err
		}
		flush()
		f.items = append(f.items, it)
		f.logio = f.logio || d.logio
		f.needEnd = f.needEnd || d.end || (d.endArg && strings.HasPrefix(it.arg, "end"))
		i = next
	}
	lit.WriteByte('\n')
	flush()
	return f, nil
}

// parseDirective reads the directive after a '%' at s[i:]; it returns the
// item, the directive it names, and the index after its letter.
func parseDirective(s string, i int) (it item, d directive, next int, err error) {
	want := -1 // -1: the letter's default
	for i < len(s) {
		c := s[i]
		switch {
		case c == '!':
			it.negate = !it.negate
			i++
		case c == '<':
			want = 1
			i++
		case c == '>':
			want = 0
			i++
		case c == ',':
			i++
		case c == '{':
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				it.arg = s[i+1:]
				i = len(s)
				continue
			}
			it.arg = s[i+1 : i+1+end]
			i += end + 2
		case c >= '0' && c <= '9':
			n := 0
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				n = n*10 + int(s[i]-'0')
				i++
			}
			it.conds = append(it.conds, n)
		default:
			ok := false
			if c == '^' && i+2 < len(s) {
				if d, ok = caretDirectives[s[i+1:i+3]]; ok {
					i += 3
				}
			}
			if !ok {
				if d, ok = directives[c]; !ok {
					return it, d, 0, fmt.Errorf("Unrecognized LogFormat directive %%%c", c)
				}
				i++
			}
			it.render = d.render
			it.orig = d.orig
			if want >= 0 {
				it.orig = want == 1
			}
			return it, d, i, nil
		}
	}
	return it, d, 0, fmt.Errorf("Ran off end of LogFormat parsing args to some directive")
}

// String returns the format as it was written.
func (f *Format) String() string { return f.src }

// UsesByteCounters reports whether the format has %I, %O or %S, which
// count the bytes a request took on the wire.
func (f *Format) UsesByteCounters() bool { return f.logio }
