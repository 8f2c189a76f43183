package headers

import (
	"strconv"
	"strings"
	"time"

	"gohttpd/pipeline"
)

// apply runs lines on table t of r (Apache's do_headers_fixup): in an
// early call only the lines marked early, otherwise only the others. For
// response tables a Content-Type line acts on r.ContentType, which the
// protocol writes as the Content-Type header.
func apply(r *pipeline.Request, t *pipeline.Table, lines []*Line, early bool) {
	response := t != &r.HeadersIn
	for _, l := range lines {
		if (l.cond == condEarly) != early {
			continue
		}
		switch l.cond {
		case condEnv:
			if _, ok := r.SubprocessEnv.Lookup(l.envVar); !ok {
				continue
			}
		case condNotEnv:
			if _, ok := r.SubprocessEnv.Lookup(l.envVar); ok {
				continue
			}
		}
		contentType := response && strings.EqualFold(l.Header, "Content-Type")
		switch l.Action {
		case ActionAdd:
			t.Add(l.Header, l.value(r))
		case ActionAppend:
			t.Merge(l.Header, l.value(r))
		case ActionMerge:
			v := l.value(r)
			if cur, ok := t.Lookup(l.Header); !ok {
				t.Add(l.Header, v)
			} else if !hasToken(cur, v) {
				t.Merge(l.Header, v)
			}
		case ActionSet:
			if contentType {
				r.ContentType = l.value(r)
				t.Del(l.Header)
				continue
			}
			t.Set(l.Header, l.value(r))
		case ActionSetIfEmpty:
			if _, ok := t.Lookup(l.Header); ok {
				continue
			}
			if contentType {
				r.ContentType = l.value(r)
				continue
			}
			t.Set(l.Header, l.value(r))
		case ActionUnset:
			if contentType {
				r.ContentType = ""
			}
			t.Del(l.Header)
		case ActionEcho:
			for _, f := range r.HeadersIn.Fields() {
				if l.re.MatchString(f.Name) {
					r.HeadersOut.Add(f.Name, f.Value)
				}
			}
		case ActionEdit, ActionEditAll:
			if contentType && r.ContentType != "" {
				r.ContentType = l.edit(r.ContentType)
			}
			l.editTable(t)
		case ActionNote:
			if v, ok := t.Lookup(l.Header); ok {
				r.Notes.Set(l.value(r), v)
			}
		}
	}
}

// value expands the line's value for r.
func (l *Line) value(r *pipeline.Request) string {
	if len(l.format) == 1 && l.format[0].kind == 0 {
		return l.format[0].arg
	}
	var b strings.Builder
	for _, tg := range l.format {
		switch tg.kind {
		case 0:
			b.WriteString(tg.arg)
		case 'e':
			if v, ok := r.SubprocessEnv.Lookup(tg.arg); ok {
				b.WriteString(unwrap(v))
			} else {
				b.WriteString("(null)")
			}
		case 's':
			// No TLS module publishes SSL variables.
			b.WriteString("(null)")
		case 't':
			b.WriteString("t=")
			b.WriteString(strconv.FormatInt(r.Time.UnixMicro(), 10))
		case 'D':
			b.WriteString("D=")
			b.WriteString(strconv.FormatInt(time.Since(r.Time).Microseconds(), 10))
		}
	}
	return b.String()
}

// unwrap turns line breaks in an environment value into spaces.
func unwrap(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		return strings.Map(func(c rune) rune {
			if c == '\r' || c == '\n' {
				return ' '
			}
			return c
		}, s)
	}
	return s
}

// editTable applies edit or edit* to every field of t named l.Header,
// keeping their values in order (the edited fields move to the end, as in
// Apache).
func (l *Line) editTable(t *pipeline.Table) {
	vals := t.Values(l.Header)
	if len(vals) == 0 {
		return
	}
	name := l.Header
	for _, f := range t.Fields() {
		if strings.EqualFold(f.Name, l.Header) {
			name = f.Name
			break
		}
	}
	t.Del(l.Header)
	for _, v := range vals {
		t.Add(name, l.edit(v))
	}
}

// edit replaces the first match of the line's expression in v (edit), or
// every match (edit*), with the replacement and its $0…$9.
func (l *Line) edit(v string) string {
	var b strings.Builder
	rest := v
	for {
		m := l.re.FindStringSubmatchIndex(rest)
		if m == nil {
			break
		}
		b.WriteString(rest[:m[0]])
		b.WriteString(pipeline.RegSub(l.subs, rest, m))
		if l.Action == ActionEdit {
			rest = rest[m[1]:]
			break
		}
		if m[1] == m[0] {
			// An empty match: keep one byte and go on after it.
			if m[1] >= len(rest) {
				rest = ""
				break
			}
			b.WriteByte(rest[m[1]])
			rest = rest[m[1]+1:]
			continue
		}
		rest = rest[m[1]:]
		if rest == "" {
			break
		}
	}
	b.WriteString(rest)
	return b.String()
}

// hasToken reports whether the comma-separated list cur already holds tok
// exactly (quoted strings kept whole), as mod_headers' merge checks.
func hasToken(cur, tok string) bool {
	for i := 0; i < len(cur); {
		for i < len(cur) && (cur[i] == ' ' || cur[i] == '\t') {
			i++
		}
		start := i
		for i < len(cur) && cur[i] != ',' {
			if cur[i] == '"' {
				i++
				for i < len(cur) && cur[i] != '"' {
					i++
				}
			}
			if i < len(cur) {
				i++
			}
		}
		if cur[start:i] == tok {
			return true
		}
		if i < len(cur) {
			i++
		}
	}
	return false
}
