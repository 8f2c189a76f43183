package autoindex

import (
	"strconv"
	"strings"
)

// render writes the entries in the format the options select.
func (l *listing) render(b *strings.Builder, ents []*entry) {
	switch {
	case l.opts&OptTable != 0:
		l.renderTable(b, ents)
	case l.opts&OptFancy != 0:
		l.renderFancy(b, ents)
	default:
		b.WriteString("<ul>")
		for i, e := range ents {
			b.WriteString("<li><a href=\"")
			b.WriteString(anchor(e))
			b.WriteString("\"> ")
			b.WriteString(html(label(e, i)))
			b.WriteString("</a></li>\n")
		}
		b.WriteString("</ul>\n")
	}
}

func label(e *entry, i int) string {
	if e.parent {
		return "Parent Directory"
	}
	return e.name
}

func anchor(e *entry) string { return html(escapePath(e.name, !e.parent)) }

// nameWidth is the Name column's width; NameWidth=* fits the longest
// name (fancy, non-table listings only, as Apache).
func (l *listing) nameWidth(ents []*entry) int {
	w := l.cfg.NameWidth
	if w == 0 || w == widthAdjust {
		if w == widthAdjust && l.opts&OptTable == 0 {
			w = defaultNameWidth
			for _, e := range ents {
				w = max(w, len(e.name))
			}
			return w
		}
		return defaultNameWidth
	}
	return w
}

// link writes a column heading: a sort link unless sorting is suppressed.
// The active column links to the reverse order.
func (l *listing) link(b *strings.Builder, text string, col byte) {
	if l.opts&OptSuppressColSort != 0 {
		b.WriteString(text)
		return
	}
	order := byte('A')
	if l.key == col && l.dir == 'A' {
		order = 'D'
	}
	b.WriteString("<a href=\"?C=")
	b.WriteByte(col)
	b.WriteString(";O=")
	b.WriteByte(order)
	b.WriteString(l.colargs)
	b.WriteString("\">")
	b.WriteString(text)
	b.WriteString("</a>")
}

// truncName shortens a name to the column width as Apache does ("..>").
func truncName(t string, width int) (string, int) {
	if len(t) > width {
		return t[:width-3] + "..>", width
	}
	return t, len(t)
}

func (l *listing) renderFancy(b *strings.Builder, ents []*entry) {
	width := l.nameWidth(ents)
	pad := strings.Repeat(" ", width)
	b.WriteString("<pre>")
	if l.opts&OptSuppressIcon == 0 {
		b.WriteString("      ")
	}
	l.link(b, "Name", 'N')
	b.WriteString(pad[min(4, width):])
	b.WriteString(" ")
	if l.opts&OptSuppressLastMod == 0 {
		l.link(b, "Last modified", 'M')
		b.WriteString("      ")
	}
	if l.opts&OptSuppressSize == 0 {
		l.link(b, "Size", 'S')
		b.WriteString("  ")
	}
	if l.opts&OptSuppressDesc == 0 {
		l.link(b, "Description", 'D')
	}
	if l.opts&OptSuppressRules == 0 {
		b.WriteString("<hr>")
	} else {
		b.WriteString("\n")
	}
	for i, e := range ents {
		if l.opts&OptSuppressIcon == 0 {
			b.WriteString("      ")
		}
		t, n := truncName(label(e, i), width)
		b.WriteString("<a href=\"")
		b.WriteString(anchor(e))
		b.WriteString("\">")
		b.WriteString(html(t))
		b.WriteString("</a>")
		b.WriteString(pad[n:])
		b.WriteString(" ")
		if l.opts&OptSuppressLastMod == 0 {
			if e.hasLM {
				b.WriteString(e.mtime.Local().Format("2006-01-02 15:04"))
				b.WriteString("  ")
			} else {
				b.WriteString("                   ") // 19, as Apache
			}
		}
		if l.opts&OptSuppressSize == 0 {
			b.WriteString(strfsize(e.size))
			b.WriteString("  ")
		}
		if l.opts&OptSuppressDesc == 0 && e.desc != "" {
			b.WriteString(e.desc)
		}
		b.WriteString("\n")
	}
	if l.opts&OptSuppressRules == 0 {
		b.WriteString("<hr></pre>\n")
	} else {
		b.WriteString("</pre>\n")
	}
}

func (l *listing) renderTable(b *strings.Builder, ents []*entry) {
	width := l.nameWidth(ents)
	pad := strings.Repeat(" ", width)
	cols := 1
	b.WriteString("  <table>\n   <tr>")
	if l.opts&OptSuppressIcon == 0 {
		b.WriteString("<th valign=\"top\">&nbsp;</th>")
		cols++
	}
	b.WriteString("<th>")
	l.link(b, "Name", 'N')
	b.WriteString("</th>")
	if l.opts&OptSuppressLastMod == 0 {
		b.WriteString("<th>")
		l.link(b, "Last modified", 'M')
		b.WriteString("</th>")
		cols++
	}
	if l.opts&OptSuppressSize == 0 {
		b.WriteString("<th>")
		l.link(b, "Size", 'S')
		b.WriteString("</th>")
		cols++
	}
	if l.opts&OptSuppressDesc == 0 {
		b.WriteString("<th>")
		l.link(b, "Description", 'D')
		b.WriteString("</th>")
		cols++
	}
	b.WriteString("</tr>\n")
	breakrow := ""
	if l.opts&OptSuppressRules == 0 {
		breakrow = "   <tr><th colspan=\"" + strconv.Itoa(cols) + "\"><hr></th></tr>\n"
	}
	b.WriteString(breakrow)
	for i, e := range ents {
		b.WriteString("<tr>")
		if l.opts&OptSuppressIcon == 0 {
			b.WriteString("<td valign=\"top\">&nbsp;</td>")
		}
		t, n := truncName(label(e, i), width)
		b.WriteString("<td><a href=\"")
		b.WriteString(anchor(e))
		b.WriteString("\">")
		b.WriteString(html(t))
		b.WriteString("</a>")
		b.WriteString(pad[n:])
		b.WriteString("</td>")
		if l.opts&OptSuppressLastMod == 0 {
			if e.hasLM {
				b.WriteString("<td align=\"right\">")
				b.WriteString(e.mtime.Local().Format("2006-01-02 15:04"))
				b.WriteString("  </td>")
			} else {
				b.WriteString("<td>&nbsp;</td>")
			}
		}
		if l.opts&OptSuppressSize == 0 {
			b.WriteString("<td align=\"right\">")
			b.WriteString(strfsize(e.size))
			b.WriteString("</td>")
		}
		if l.opts&OptSuppressDesc == 0 {
			b.WriteString("<td>")
			if e.desc != "" {
				b.WriteString(e.desc)
			} else {
				b.WriteString("&nbsp;")
			}
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString(breakrow)
	b.WriteString("</table>\n")
}

// strfsize formats a size in four characters as APR's apr_strfsize:
// "  - " for none, "%3d " below 973 bytes, then "4.9K", " 12M" and so on.
func strfsize(size int64) string {
	if size < 0 {
		return "  - "
	}
	if size < 973 {
		s := strconv.FormatInt(size, 10)
		return strings.Repeat(" ", max(0, 3-len(s))) + s + " "
	}
	const ord = "KMGTPE"
	o := 0
	for {
		remain := size & 1023
		size >>= 10
		if size >= 973 {
			o++
			continue
		}
		if size < 9 || (size == 9 && remain < 973) {
			r := (remain*5 + 256) / 512
			if r >= 10 {
				size++
				r = 0
			}
			return strconv.FormatInt(size, 10) + "." + strconv.FormatInt(r, 10) + string(ord[o])
		}
		if remain >= 512 {
			size++
		}
		s := strconv.FormatInt(size, 10)
		return strings.Repeat(" ", max(0, 3-len(s))) + s + string(ord[o])
	}
}

// html escapes text for HTML (Apache's ap_escape_html).
func html(s string) string {
	if !strings.ContainsAny(s, "<>&\"") {
		return s
	}
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", "\"", "&quot;")
	return r.Replace(s)
}

// escapePath escapes a path for a URL (Apache's ap_os_escape_path): all
// but letters, digits and "$-_.+!*'(),:@&=/~" become %xx; a relative name
// whose first segment holds ':' is prefixed with "./" so that it does not
// read as a scheme.
func escapePath(p string, relative bool) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	if relative {
		if i := strings.IndexByte(p, ':'); i >= 0 && !strings.Contains(p[:i], "/") {
			b.WriteString("./")
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("$-_.+!*'(),:@&=/~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
