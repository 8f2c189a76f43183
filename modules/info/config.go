package info

import (
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// node is one line of the configuration listing: a directive, or a section
// with its contents.
type node struct {
	pos      configs.Position
	key      string // directive name; "" for a section
	text     string // the directive's value, or the section's opening tag
	closing  string // the section's closing tag
	children []*node
}

// configTree turns a configuration block into listing nodes in document
// order. IfModule bodies that apply are inlined and those that do not are
// left out, as Apache's configuration tree holds them.
func configTree(b *configs.Block, mods *pipeline.ModuleSet) []*node {
	lists := [][]*node{entryNodes(b.Entries)}
	for _, c := range b.IfModule {
		if mods.Loaded(c.Name) != c.Negate {
			lists = append(lists, configTree(c.Body, mods))
		}
	}
	var sections []*node
	for _, s := range b.Blocks {
		arg := s.Arg
		if s.Kind.IsRegex() {
			arg = strconv.Quote(arg)
		}
		sections = append(sections, &node{
			pos:      s.Pos,
			text:     fmt.Sprintf("<%s %s>", s.Kind, arg),
			closing:  fmt.Sprintf("</%s>", s.Kind),
			children: configTree(s, mods),
		})
	}
	lists = append(lists, sections)
	return mergeByPosition(lists)
}

// mergeByPosition merges lists that are each in document order: of the
// heads, the one with the lowest line among those of the same file goes
// first (ties and different files: the earlier list).
func mergeByPosition(lists [][]*node) []*node {
	var out []*node
	for {
		best := -1
		for i, l := range lists {
			if len(l) == 0 {
				continue
			}
			if best < 0 {
				best = i
				continue
			}
			h, b := l[0].pos, lists[best][0].pos
			if h.File == b.File && h.Line < b.Line {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		out = append(out, lists[best][0])
		lists[best] = lists[best][1:]
	}
}

// entryNodes makes one node per directive value; a list gives one node
// per element, as Apache lists a repeated directive.
func entryNodes(es []configs.Entry) []*node {
	var out []*node
	for _, e := range es {
		if list, ok := e.Value.([]any); ok && len(list) > 0 {
			for _, v := range list {
				out = append(out, &node{pos: e.Pos, key: e.Key, text: valueText(v)})
			}
			continue
		}
		out = append(out, &node{pos: e.Pos, key: e.Key, text: valueText(e.Value)})
	}
	return out
}

// valueText writes a TOML value as directive arguments: strings as
// written, booleans On/Off, tables inline.
func valueText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return "On"
		}
		return "Off"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = valueText(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + valueText(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// prune keeps the directives keep accepts and the sections that still hold
// something; nil keep keeps everything.
func prune(ns []*node, keep func(key string) bool) []*node {
	if keep == nil {
		return ns
	}
	var out []*node
	for _, n := range ns {
		if n.key != "" {
			if keep(n.key) {
				out = append(out, n)
			}
			continue
		}
		if kids := prune(n.children, keep); len(kids) > 0 {
			c := *n
			c.children = kids
			out = append(out, &c)
		}
	}
	return out
}

// configWriter writes listing lines as mod_info does, announcing each
// change of file.
type configWriter struct {
	b    *strings.Builder
	file string
}

func (w *configWriter) write(ns []*node, nest int) {
	esc := html.EscapeString
	for _, n := range ns {
		w.indent(n.pos.File, n.pos.Line, nest)
		if n.key != "" {
			fmt.Fprintf(w.b, "%s <i>%s</i></tt></dd>\n", esc(n.key), esc(n.text))
			continue
		}
		fmt.Fprintf(w.b, "%s</tt></dd>\n", esc(n.text))
		w.write(n.children, nest+1)
		w.indent(n.pos.File, 0, nest)
		fmt.Fprintf(w.b, "%s</tt></dd>\n", esc(n.closing))
	}
}

// indent starts a line: the file header when the file changes, the line
// number right-aligned in four places (blank for 0), and two spaces per
// level of nesting.
func (w *configWriter) indent(file string, line, nest int) {
	if file != w.file {
		fmt.Fprintf(w.b, "<dd><tt><strong>In file: %s</strong></tt></dd>\n", html.EscapeString(file))
		w.file = file
	}
	w.b.WriteString("<dd><tt>")
	num := "    "
	if line > 0 {
		num = fmt.Sprintf("%4d", line)
	}
	w.b.WriteString(strings.ReplaceAll(num, " ", "&nbsp;"))
	w.b.WriteString(":&nbsp;")
	w.b.WriteString(strings.Repeat("&nbsp;&nbsp;", nest))
}
