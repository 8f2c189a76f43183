package autoindex

import (
	"io"
	"os"
	"strings"

	"gohttpd/pipeline"
)

// The document types of the preamble.
const (
	doctypeHTML  = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n"
	doctypeXHTML = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
)

// writer collects a listing's output and passes it to the response in
// pieces, so that a header or readme sub-request's output lands in order.
type writer struct {
	r   *pipeline.Request
	buf []byte
	// out passes bytes on; nil means r.Write.
	out func([]byte)
}

func (w *writer) s(s string)   { w.buf = append(w.buf, s...) }
func (w *writer) b(c byte)     { w.buf = append(w.buf, c) }
func (w *writer) flush()       { w.write(); _ = w.r.Flush() }
func (w *writer) pending() int { return len(w.buf) }

// write passes what is collected to the response.
func (w *writer) write() {
	if len(w.buf) == 0 {
		return
	}
	if w.out != nil {
		w.out(w.buf)
	} else {
		_, _ = w.r.Write(w.buf)
	}
	w.buf = w.buf[:0]
}

// sp writes n spaces (none when n <= 0).
func (w *writer) sp(n int) {
	for ; n > 0; n -= len(spaces) {
		w.buf = append(w.buf, spaces[:min(n, len(spaces))]...)
	}
}

const spaces = "                                                                "

// emitPreamble writes the document type, <head> (with IndexStyleSheet and
// IndexHeadInsert) and <body>.
func (l *listing) emitPreamble(w *writer, title string) {
	if l.opts&OptXHTML != 0 {
		w.s(doctypeXHTML)
		w.s("<html xmlns=\"http://www.w3.org/1999/xhtml\">\n <head>\n  <title>Index of ")
	} else {
		w.s(doctypeHTML)
		w.s("<html>\n <head>\n  <title>Index of ")
	}
	w.s(title)
	w.s("</title>\n")
	if l.cfg.StyleSheet != "" {
		w.s("  <link rel=\"stylesheet\" href=\"")
		w.s(l.cfg.StyleSheet)
		w.s("\" type=\"text/css\"")
		w.s(l.xhtmlEnd())
		w.s(">\n")
	}
	w.s(l.cfg.HeadInsert)
	w.s(" </head>\n <body>\n")
}

func (l *listing) xhtmlEnd() string {
	if l.opts&OptXHTML != 0 {
		return " /"
	}
	return ""
}

// includedFile is a HeaderName or ReadmeName file found by sub-request.
type includedFile struct {
	rr   *pipeline.Request
	html bool // text/html or application/xhtml+xml: run the sub-request
}

// lookupIncluded looks name up as a URI relative to the directory and
// returns it when it is a regular file the configuration serves, of an
// HTML or other text/* type. While looking up, the request asks for
// "text/html, text/plain" without Accept-Encoding, so that negotiation
// picks something includable.
func lookupIncluded(r *pipeline.Request, name string) *includedFile {
	accept, hadAccept := r.HeadersIn.Lookup("Accept")
	enc, hadEnc := r.HeadersIn.Lookup("Accept-Encoding")
	r.HeadersIn.Set("Accept", "text/html, text/plain")
	r.HeadersIn.Del("Accept-Encoding")
	rr := pipeline.SubRequestLookupURI(r, name)
	if hadAccept {
		r.HeadersIn.Set("Accept", accept)
	} else {
		r.HeadersIn.Del("Accept")
	}
	if hadEnc {
		r.HeadersIn.Set("Accept-Encoding", enc)
	}
	if rr.Status != 200 || rr.Filename == "" || rr.Finfo == nil || !rr.Finfo.Mode().IsRegular() || rr.ContentType == "" {
		return nil
	}
	if isHTML(rr.ContentType) {
		return &includedFile{rr: rr, html: true}
	}
	if len(rr.ContentType) >= 5 && strings.EqualFold(rr.ContentType[:5], "text/") {
		return &includedFile{rr: rr}
	}
	return nil
}

func isHTML(ct string) bool {
	t := mediaType(ct)
	return strings.EqualFold(t, "text/html") || strings.EqualFold(t, "application/xhtml+xml")
}

// run serves an HTML file's sub-request into the listing and reports
// whether it succeeded.
func (f *includedFile) run(w *writer) bool {
	w.flush()
	return pipeline.RunSubRequest(f.rr) == pipeline.OK
}

// emitHead writes everything up to the listing (Apache's emit_head): with
// an HTML HeaderName file, the preamble (unless SuppressHTMLPreamble) and
// the file's output in place of the <h1>; with another text file, the
// preamble and the file in <pre>; otherwise the preamble and the <h1>.
func (l *listing) emitHead(w *writer, title string) {
	amble, h1 := true, true
	if name := l.cfg.Header; name != "" {
		if w.r.Args != "" {
			name += "?" + w.r.Args
		}
		if f := lookupIncluded(w.r, name); f != nil && f.html {
			amble, h1 = false, false
			suppress := l.opts&OptSuppressPreamble != 0
			if !suppress {
				l.emitPreamble(w, title)
			}
			if !f.run(w) {
				amble, h1 = suppress, true
			}
		} else if f != nil {
			if fd, err := os.Open(f.rr.Filename); err == nil {
				l.emitPreamble(w, title)
				amble, h1 = false, false
				emitPlain(w, fd)
				fd.Close()
			}
		}
	}
	if amble {
		l.emitPreamble(w, title)
	}
	if h1 {
		if l.cfg.StyleSheet != "" {
			w.s("  <h1 id=\"indextitle\">Index of ")
		} else {
			w.s("<h1>Index of ")
		}
		w.s(title)
		w.s("</h1>\n")
	}
}

// emitTail writes everything after the listing (Apache's emit_tail): the
// ReadmeName file (HTML served by sub-request, other text in <pre>), else
// the server signature, then </body></html> unless an HTML readme was
// included under SuppressHTMLPreamble.
func (l *listing) emitTail(w *writer) {
	sig, post := true, true
	if name := l.cfg.Readme; name != "" {
		if f := lookupIncluded(w.r, name); f != nil && f.html {
			if f.run(w) {
				sig = false
				post = l.opts&OptSuppressPreamble == 0
			}
		} else if f != nil {
			if fd, err := os.Open(f.rr.Filename); err == nil {
				emitPlain(w, fd)
				fd.Close()
				sig = false
			}
		}
	}
	if sig {
		w.s(pipeline.Signature(w.r, ""))
	}
	if post {
		w.s("</body></html>\n")
	}
	w.write()
}

// emitPlain writes a text file in <pre>, escaping '<', '>' and '&'. As in
// Apache, which writes each piece as a C string, a NUL byte ends the piece
// it is in (the file is read 8 KiB at a time).
func emitPlain(w *writer, f io.Reader) {
	w.s("<pre>\n")
	buf := make([]byte, 8192)
	for {
		n, err := f.Read(buf)
		if n == 0 || err != nil && err != io.EOF {
			break
		}
		chunk := buf[:n]
		for len(chunk) > 0 {
			i := 0
			for i < len(chunk) && chunk[i] != '<' && chunk[i] != '>' && chunk[i] != '&' {
				i++
			}
			piece := chunk[:i]
			if z := indexZero(piece); z >= 0 {
				piece = piece[:z]
			}
			w.buf = append(w.buf, piece...)
			if i < len(chunk) {
				switch chunk[i] {
				case '<':
					w.s("&lt;")
				case '>':
					w.s("&gt;")
				case '&':
					w.s("&amp;")
				}
				i++
			}
			chunk = chunk[i:]
		}
		if w.pending() > 32<<10 {
			w.write()
		}
	}
	w.s("</pre>\n")
}

func indexZero(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return -1
}

// findTitle returns the <title> of an HTML file for ScanHTMLTitles: the
// text after the first "<title>" (any case) in its first 8 KiB, up to the
// next '<', with line breaks made spaces (a leading one dropped).
func findTitle(rr *pipeline.Request) (string, bool) {
	if rr.Status != 200 || rr.ContentType == "" || rr.ContentEncoding != "" {
		return "", false
	}
	if !isHTML(rr.ContentType) && rr.ContentType != "text/x-server-parsed-html" {
		return "", false
	}
	f, err := os.Open(rr.Filename)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 8191)
	n, _ := io.ReadFull(f, buf)
	if n == 0 {
		return "", false
	}
	text := buf[:n]
	if z := indexZero(text); z >= 0 {
		text = text[:z]
	}
	const find = "<title>"
	p := 0
	for x := 0; x < len(text); x++ {
		if lower(text[x]) != find[p] {
			p = 0
			continue
		}
		if p++; p < len(find) {
			continue
		}
		t := text[x+1:]
		if end := strings.IndexByte(string(t), '<'); end >= 0 {
			t = t[:end]
		}
		out := make([]byte, 0, len(t))
		for _, c := range t {
			if c == '\r' || c == '\n' {
				if len(out) == 0 {
					continue
				}
				c = ' '
			}
			out = append(out, c)
		}
		return string(out), true
	}
	return "", false
}
