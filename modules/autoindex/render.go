package autoindex

import (
	"strconv"
	"strings"
	"time"
)

// render writes the entries in the format the options select (Apache's
// output_directories).
func (l *listing) render(w *writer, ents []*entry) {
	nameWidth, descWidth := l.widths(ents)
	switch {
	case l.opts&OptTable != 0:
		l.renderTable(w, ents, nameWidth, descWidth)
	case l.opts&OptFancy != 0:
		l.renderFancy(w, ents, nameWidth, descWidth)
	default:
		w.s("<ul>")
		for _, e := range ents {
			w.s("<li><a href=\"")
			w.s(anchor(e))
			w.s("\"> ")
			w.s(html(label(e)))
			w.s("</a></li>\n")
			if w.pending() > 32<<10 {
				w.write()
			}
		}
		w.s("</ul>\n")
	}
}

// widths returns the Name and Description column widths: as configured,
// or, for NameWidth=* and DescriptionWidth=* in fancy (not table)
// listings, as wide as the longest.
func (l *listing) widths(ents []*entry) (int, int) {
	nw, dw := max(l.cfg.NameWidth, 3), l.cfg.DescWidth
	if l.opts&(OptFancy|OptTable) == OptFancy {
		for _, e := range ents {
			if l.cfg.nameMode == widthAdjust {
				nw = max(nw, len(e.name))
			}
			if l.cfg.descMode == widthAdjust && e.hasDesc {
				dw = max(dw, len(e.desc))
			}
		}
	}
	return nw, dw
}

func label(e *entry) string {
	if e.parent {
		return "Parent Directory"
	}
	return e.name
}

func anchor(e *entry) string { return html(escapePath(e.name, true)) }

// link writes a column heading: a sort link unless sorting is suppressed.
// The active column links to the reverse order.
func (l *listing) link(w *writer, text string, col byte) {
	if l.opts&OptSuppressColSort != 0 {
		w.s(text)
		return
	}
	order := byte('A')
	if l.key == col && l.dir == 'A' {
		order = 'D'
	}
	w.s("<a href=\"?C=")
	w.b(col)
	w.s(";O=")
	w.b(order)
	w.s(l.colargs)
	w.s("\">")
	w.s(text)
	w.s("</a>")
}

// truncName shortens a name to the column width as Apache does ("..>").
func truncName(t string, width int) (string, int) {
	if len(t) > width {
		return t[:width-3] + "..>", width
	}
	return t, len(t)
}

// img writes an icon: <img src="..." alt="[alt]" width height>.
func (l *listing) img(w *writer, src, alt string) {
	w.s("<img src=\"")
	w.s(html(src))
	w.s("\" alt=\"")
	w.s(alt)
	w.s("\"")
	if l.cfg.IconWidth != 0 {
		w.s(" width=\"")
		w.s(strconv.Itoa(l.cfg.IconWidth))
		w.s("\"")
	}
	if l.cfg.IconHeight != 0 {
		w.s(" height=\"")
		w.s(strconv.Itoa(l.cfg.IconHeight))
		w.s("\"")
	}
	w.s(l.xhtmlEnd())
	w.s(">")
}

// entryIcon writes an entry's icon, or the DefaultIcon; it reports false
// when there is neither.
func (l *listing) entryIcon(w *writer, e *entry) bool {
	src := e.icon
	if !e.hasIcon {
		if l.cfg.DefaultIcon == "" {
			return false
		}
		src = l.cfg.DefaultIcon
	}
	alt := "   "
	if e.hasAlt {
		alt = e.alt
	}
	l.img(w, src, "["+alt+"]")
	return true
}

// date writes a modification time in local time.
func (l *listing) date(w *writer, t time.Time) {
	layout := "2006-01-02 15:04"
	if l.cfg.OldDateFormat {
		layout = "02-Jan-2006 15:04"
	}
	w.buf = t.Local().AppendFormat(w.buf, layout)
}

func (l *listing) renderFancy(w *writer, ents []*entry, width, descWidth int) {
	w.s("<pre>")
	if l.opts&OptSuppressIcon == 0 {
		if src, ok := findItem(l.cfg.Icons, "", "", pathBlankIcon, true); ok {
			l.img(w, src, "Icon ")
			w.s(" ")
		} else {
			w.s("      ")
		}
	}
	l.link(w, "Name", 'N')
	w.sp(width - 4)
	w.s(" ")
	if l.opts&OptSuppressLastMod == 0 {
		l.link(w, "Last modified", 'M')
		w.s("      ")
	}
	if l.opts&OptSuppressSize == 0 {
		l.link(w, "Size", 'S')
		w.s("  ")
	}
	if l.opts&OptSuppressDesc == 0 {
		l.link(w, "Description", 'D')
	}
	if l.opts&OptSuppressRules == 0 {
		w.s("<hr")
		w.s(l.xhtmlEnd())
		w.s(">")
	} else {
		w.s("\n")
	}
	for _, e := range ents {
		a := anchor(e)
		if l.opts&OptSuppressIcon == 0 {
			if l.opts&OptIconsAreLinks != 0 {
				w.s("<a href=\"")
				w.s(a)
				w.s("\">")
			}
			if !l.entryIcon(w, e) {
				w.s("     ")
			}
			if l.opts&OptIconsAreLinks != 0 {
				w.s("</a>")
			}
			w.s(" ")
		}
		t, n := truncName(label(e), width)
		w.s("<a href=\"")
		w.s(a)
		w.s("\">")
		w.s(html(t))
		w.s("</a>")
		w.sp(width - n)
		w.s(" ")
		if l.opts&OptSuppressLastMod == 0 {
			if e.hasLM {
				l.date(w, e.mtime)
				w.s("  ")
			} else {
				w.sp(19)
			}
		}
		if l.opts&OptSuppressSize == 0 {
			w.s(strfsize(e.size))
			w.s("  ")
		}
		if l.opts&OptSuppressDesc == 0 && e.hasDesc {
			w.s(l.terminateDescription(e.desc, descWidth))
		}
		w.s("\n")
		if w.pending() > 32<<10 {
			w.write()
		}
	}
	if l.opts&OptSuppressRules == 0 {
		w.s("<hr")
		w.s(l.xhtmlEnd())
		w.s("></pre>\n")
	} else {
		w.s("</pre>\n")
	}
}

// cell opens a table cell: with IndexStyleSheet its class, else plain
// attributes.
func (l *listing) cell(w *writer, tag, class, plain string) {
	w.s("<")
	w.s(tag)
	if l.cfg.StyleSheet != "" {
		w.s(" class=\"")
		w.s(class)
		w.s("\">")
		return
	}
	w.s(plain)
	w.s(">")
}

func (l *listing) renderTable(w *writer, ents []*entry, width, descWidth int) {
	styled := l.cfg.StyleSheet != ""
	cols := 1
	if styled {
		w.s("  <table id=\"indexlist\">\n   <tr class=\"indexhead\">")
	} else {
		w.s("  <table>\n   <tr>")
	}
	if l.opts&OptSuppressIcon == 0 {
		l.cell(w, "th", "indexcolicon", " valign=\"top\"")
		if src, ok := findItem(l.cfg.Icons, "", "", pathBlankIcon, true); ok {
			l.img(w, src, "[ICO]")
			w.s("</th>")
		} else {
			w.s("&nbsp;</th>")
		}
		cols++
	}
	l.cell(w, "th", "indexcolname", "")
	l.link(w, "Name", 'N')
	if l.opts&OptSuppressLastMod == 0 {
		w.s("</th>")
		l.cell(w, "th", "indexcollastmod", "")
		l.link(w, "Last modified", 'M')
		cols++
	}
	if l.opts&OptSuppressSize == 0 {
		w.s("</th>")
		l.cell(w, "th", "indexcolsize", "")
		l.link(w, "Size", 'S')
		cols++
	}
	if l.opts&OptSuppressDesc == 0 {
		w.s("</th>")
		l.cell(w, "th", "indexcoldesc", "")
		l.link(w, "Description", 'D')
		cols++
	}
	breakrow := ""
	if l.opts&OptSuppressRules == 0 {
		class := ""
		if styled {
			class = " class=\"indexbreakrow\""
		}
		breakrow = "   <tr" + class + "><th colspan=\"" + strconv.Itoa(cols) + "\"><hr" + l.xhtmlEnd() + "></th></tr>\n"
	}
	w.s("</th></tr>\n")
	w.s(breakrow)
	for x, e := range ents {
		a := anchor(e)
		if styled {
			parity := "even"
			if x&1 != 0 {
				parity = "odd"
			}
			w.s("   <tr class=\"")
			w.s(parity)
			if e.hasAlt && l.opts&OptAddAltClass != 0 {
				w.s("-")
				w.s(strings.ToLower(e.alt))
			}
			w.s("\">")
		} else {
			w.s("<tr>")
		}
		if l.opts&OptSuppressIcon == 0 {
			l.cell(w, "td", "indexcolicon", " valign=\"top\"")
			if l.opts&OptIconsAreLinks != 0 {
				w.s("<a href=\"")
				w.s(a)
				w.s("\">")
			}
			if !l.entryIcon(w, e) {
				w.s("&nbsp;")
			}
			if l.opts&OptIconsAreLinks != 0 {
				w.s("</a>")
			}
			w.s("</td>")
		}
		l.cell(w, "td", "indexcolname", "")
		w.s("<a href=\"")
		w.s(a)
		w.s("\">")
		if l.cfg.nameMode == widthAdjust {
			w.s(html(label(e)))
			w.s("</a>")
		} else {
			t, n := truncName(label(e), width)
			w.s(html(t))
			w.s("</a>")
			w.sp(width - n)
		}
		if l.opts&OptSuppressLastMod == 0 {
			w.s("</td>")
			if e.hasLM {
				l.cell(w, "td", "indexcollastmod", " align=\"right\"")
				l.date(w, e.mtime)
				w.s("  ")
			} else {
				l.cell(w, "td", "indexcollastmod", "")
				w.s("&nbsp;")
			}
		}
		if l.opts&OptSuppressSize == 0 {
			w.s("</td>")
			l.cell(w, "td", "indexcolsize", " align=\"right\"")
			w.s(strfsize(e.size))
		}
		if l.opts&OptSuppressDesc == 0 {
			w.s("</td>")
			l.cell(w, "td", "indexcoldesc", "")
			switch {
			case !e.hasDesc:
				w.s("&nbsp;")
			case l.cfg.descMode == widthAdjust:
				w.s(e.desc)
			default:
				w.s(l.terminateDescription(e.desc, descWidth))
			}
		}
		w.s("</td></tr>\n")
		if w.pending() > 32<<10 {
			w.write()
		}
	}
	w.s(breakrow)
	w.s("</table>\n")
}

// terminateDescription cuts a description to the column width as
// Apache's terminate_description: markup takes no room and an entity
// counts as one character; a cut description ends in '>'. Without a
// DescriptionWidth the room grows with the suppressed columns.
func (l *listing) terminateDescription(desc string, width int) string {
	maxsize := width
	if l.cfg.descMode == widthUnset {
		if l.opts&OptSuppressIcon != 0 {
			maxsize += 6
		}
		if l.opts&OptSuppressLastMod != 0 {
			maxsize += 19
		}
		if l.opts&OptSuppressSize != 0 {
			maxsize += 7
		}
	}
	at := func(i int) byte {
		if i < len(desc) {
			return desc[i]
		}
		return 0
	}
	x := 0
	for ; at(x) != 0 && (maxsize > 0 || at(x) == '<'); x++ {
		switch at(x) {
		case '<':
			for at(x) != '>' {
				if at(x) == 0 {
					maxsize = 0
					break
				}
				x++
			}
		case '&':
			maxsize--
			for at(x) != ';' {
				if at(x) == 0 {
					maxsize = 0
					break
				}
				x++
			}
		default:
			maxsize--
		}
	}
	if maxsize == 0 && at(x) != 0 {
		return desc[:x-1] + ">"
	}
	return desc
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
	return htmlReplacer.Replace(s)
}

var htmlReplacer = strings.NewReplacer("<", "&lt;", ">", "&gt;", "&", "&amp;", "\"", "&quot;")

// escapePath escapes a path for a URL (Apache's ap_os_escape_path): all
// but letters, digits and "$-_.+!*'(),:@&=/~" become %xx; with relative,
// a name whose first segment holds ':' is prefixed with "./" so that it
// does not read as a scheme.
func escapePath(p string, relative bool) string {
	const hex = "0123456789abcdef"
	safe := func(c byte) bool {
		return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("$-_.+!*'(),:@&=/~", c) >= 0
	}
	clean := true
	for i := 0; i < len(p) && clean; i++ {
		clean = safe(p[i])
	}
	if clean && (!relative || !strings.Contains(p, ":")) {
		return p
	}
	var b strings.Builder
	if relative {
		if i := strings.IndexByte(p, ':'); i >= 0 && !strings.Contains(p[:i], "/") {
			b.WriteString("./")
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if safe(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
