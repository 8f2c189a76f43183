package autoindex

import (
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"gohttpd/modules/core"
	"gohttpd/pipeline"
)

// dirMagicType is the handler name of directories.
const dirMagicType = "httpd/unix-directory"

// entry is one line of a listing.
type entry struct {
	name   string // with a trailing '/' for directories; the parent's is its URI
	parent bool
	isDir  bool // for FoldersFirst
	size   int64
	mtime  time.Time
	hasLM  bool
	desc   string
}

// listing is the state of one listing: options in force after the query,
// sort key and direction, and the column links' extra arguments.
type listing struct {
	opts    Opt
	key     byte // N, M, S, D
	dir     byte // A, D
	colargs string
	pattern string
	cfg     *Config
}

// handler is mod_autoindex's handler (Apache's handle_autoindex).
func handler(r *pipeline.Request) pipeline.Result {
	if r.Handler != dirMagicType {
		return pipeline.Declined
	}
	r.Allow(pipeline.MethodGet)
	if r.MethodNumber != pipeline.MethodGet {
		return pipeline.Declined
	}
	cd := core.DirConfigOf(r.PerDir)
	if cd == nil || cd.EffectiveOptions()&core.OptIndexes == 0 {
		names := r.Notes.Get("dir-index-names")
		if names == "" {
			names = "index.html"
		}
		logError(r, "Cannot serve directory "+r.Filename+": No matching DirectoryIndex ("+names+") found, and server-generated directory index forbidden by Options directive")
		return 403
	}
	cfg := pipeline.ModuleConfig[*Config](r.PerDir, Module)
	if cfg == nil {
		cfg = &Config{}
	}
	return indexDirectory(r, cfg)
}

func indexDirectory(r *pipeline.Request, cfg *Config) pipeline.Result {
	dirname := r.Filename
	if !strings.HasSuffix(dirname, "/") {
		dirname += "/"
	}
	f, err := os.Open(dirname)
	if err != nil {
		logError(r, "Can't open directory for index: "+r.Filename)
		return 403
	}
	defer f.Close()
	if cfg.Charset != "" {
		r.ContentType = "text/html;charset=" + cfg.Charset
	} else {
		r.ContentType = "text/html;charset=ISO-8859-1"
	}
	if r.HeaderOnly {
		return pipeline.OK
	}
	l := &listing{opts: cfg.Opts, key: 'N', dir: 'A', cfg: cfg}
	if cfg.DefaultKey != 0 {
		l.key, l.dir = cfg.DefaultKey, cfg.DefaultDir
	}
	l.parseQuery(r.Args)

	names, err := f.Readdirnames(-1)
	if err != nil {
		logError(r, "Can't read directory for index: "+r.Filename)
		return 403
	}
	var ents []*entry
	if p := l.parentEntry(r); p != nil {
		ents = append(ents, p)
	}
	for _, name := range names {
		if e := l.makeEntry(r, dirname, name); e != nil {
			ents = append(ents, e)
		}
	}
	sort.SliceStable(ents, func(i, j int) bool { return l.less(ents[i], ents[j]) })

	var b strings.Builder
	b.Grow(512 + 160*len(ents))
	title := html(r.URI)
	for len(title) > 1 && strings.HasSuffix(title, "/") {
		title = title[:len(title)-1]
	}
	if l.opts&OptSuppressPreamble == 0 {
		b.WriteString("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html>\n <head>\n  <title>Index of ")
		b.WriteString(title)
		b.WriteString("</title>\n </head>\n <body>\n")
	}
	b.WriteString("<h1>Index of ")
	b.WriteString(title)
	b.WriteString("</h1>\n")
	l.render(&b, ents)
	b.WriteString(pipeline.Signature(r, ""))
	if l.opts&OptSuppressPreamble == 0 {
		b.WriteString("</body></html>\n")
	}
	_, _ = r.WriteString(b.String())
	return pipeline.OK
}

// parseQuery applies the listing query: C= (column), O= (order), F=
// (format 0, 1, 2), V= (version sort), P= (pattern), separated by ';' or
// '&'. Anything else ends the parse, as in Apache.
func (l *listing) parseQuery(q string) {
	if l.opts&OptIgnoreClient != 0 {
		l.opts |= OptSuppressColSort
		return
	}
	var fval, vval, ppre string
	end := func(s string) bool { return len(s) == 3 || s[3] == '&' || s[3] == ';' }
	for q != "" {
		switch {
		case len(q) >= 3 && q[:2] == "C=" && strings.IndexByte("NMSD", q[2]) >= 0 && end(q):
			l.key = q[2]
		case len(q) >= 3 && q[:2] == "O=" && (q[2] == 'A' || q[2] == 'D') && end(q):
			l.dir = q[2]
		case len(q) >= 3 && q[:2] == "F=" && strings.IndexByte("012", q[2]) >= 0 && end(q):
			switch q[2] {
			case '0':
				l.opts &^= OptFancy | OptTable
			case '1':
				l.opts = (l.opts | OptFancy) &^ OptTable
			case '2':
				l.opts |= OptFancy | OptTable
			}
			fval = ";F=" + q[2:3]
		case len(q) >= 3 && q[:2] == "V=" && (q[2] == '0' || q[2] == '1') && end(q):
			if q[2] == '0' {
				l.opts &^= OptVersionSort
			} else {
				l.opts |= OptVersionSort
			}
			vval = ";V=" + q[2:3]
		case strings.HasPrefix(q, "P="):
			p := q[2:]
			rest := ""
			if i := strings.IndexAny(p, "&;"); i >= 0 {
				p, rest = p[:i], p[i+1:]
			}
			if p != "" {
				l.pattern, ppre = p, ";P="
			}
			q = rest
			continue
		default:
			q = ""
			continue
		}
		if len(q) > 3 {
			q = q[4:]
		} else {
			q = ""
		}
	}
	l.colargs = fval + vval + ppre + l.pattern
}

// parentEntry is the "Parent Directory" line, absent at the root.
func (l *listing) parentEntry(r *pipeline.Request) *entry {
	uri := r.URI
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	if uri == "/" {
		return nil
	}
	parent := path.Dir(strings.TrimSuffix(uri, "/"))
	if !strings.HasSuffix(parent, "/") {
		parent += "/"
	}
	if l.ignored(path.Join(r.Filename, "..")) {
		return nil
	}
	return &entry{name: parent, parent: true, size: -1}
}

// makeEntry looks name up by sub-request and returns its entry, or nil
// when it is ignored, hidden or not a file or directory.
func (l *listing) makeEntry(r *pipeline.Request, dirname, name string) *entry {
	if name == "." || name == ".." {
		return nil
	}
	if l.pattern != "" {
		if ok, _ := path.Match(l.pattern, name); !ok {
			return nil
		}
	}
	if l.ignored(dirname + name) {
		return nil
	}
	rr := pipeline.SubRequestLookupFile(r, name)
	if rr.Finfo == nil || !(rr.Finfo.IsDir() || rr.Finfo.Mode().IsRegular()) {
		return nil
	}
	if rr.Status < 200 || rr.Status >= 400 {
		return nil
	}
	e := &entry{name: name, size: -1}
	if rr.Finfo.IsDir() {
		e.name += "/"
	}
	if l.opts&(OptFancy|OptTable) != 0 {
		e.mtime, e.hasLM = rr.Finfo.ModTime(), true
		if rr.Finfo.IsDir() {
			e.isDir = l.opts&OptFoldersFirst != 0
		} else {
			e.size = rr.Finfo.Size()
		}
		e.desc = l.description(name)
	}
	return e
}

// ignored reports whether IndexIgnore hides full (a path on disk): a
// pattern with '/' matches the whole path, any other the last component.
func (l *listing) ignored(full string) bool {
	base := path.Base(full)
	for _, p := range l.cfg.Ignore {
		target := base
		if strings.Contains(p, "/") {
			target = full
		}
		if ok, _ := path.Match(p, target); ok {
			return true
		}
	}
	return false
}

// description returns the AddDescription text for name, first match.
func (l *listing) description(name string) string {
	for _, d := range l.cfg.Descriptions {
		if ok, _ := path.Match(d[0], name); ok {
			return d[1]
		}
	}
	return ""
}

// less orders entries as Apache's dsortf: the parent first, folders first
// under FoldersFirst, then by the key, then by name, all in the requested
// direction.
func (l *listing) less(a, b *entry) bool {
	if a.parent != b.parent {
		return a.parent
	}
	if a.isDir != b.isDir {
		return a.isDir
	}
	if l.dir == 'D' {
		a, b = b, a
	}
	switch l.key {
	case 'M':
		if !a.mtime.Equal(b.mtime) {
			return a.mtime.Before(b.mtime)
		}
	case 'S':
		if a.size != b.size {
			return a.size < b.size
		}
	case 'D':
		if c := l.compareNames(a.desc, b.desc); c != 0 {
			return c < 0
		}
	}
	return l.compareNames(a.name, b.name) < 0
}

func (l *listing) compareNames(a, b string) int {
	if l.opts&OptIgnoreCase != 0 {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
	}
	return strings.Compare(a, b)
}

func logError(r *pipeline.Request, msg string) {
	if r.Server != nil && r.Server.Log != nil {
		r.Server.Log.Error(msg, "client", r.Conn.RemoteAddr)
	}
}
