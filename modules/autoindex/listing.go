package autoindex

import (
	"errors"
	"net/http"
	"os"
	"path"
	"slices"
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
	icon   string
	alt    string
	desc   string
	// hasIcon, hasAlt and hasDesc tell an empty value from none.
	hasIcon, hasAlt, hasDesc bool
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
	if r.Finfo == nil || !r.Finfo.IsDir() {
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
			names = "none"
		}
		logError(r, "Cannot serve directory "+r.Filename+": No matching DirectoryIndex ("+names+") found, and server-generated directory index forbidden by Options directive")
		return 403
	}
	if err := pipeline.DiscardRequestBody(r); err != nil {
		var se *pipeline.StatusError
		if errors.As(err, &se) {
			return pipeline.Result(se.Status)
		}
		return 400
	}
	cfg := pipeline.ModuleConfig[*Config](r.PerDir, Module)
	if cfg == nil {
		cfg = newConfig("").(*Config)
	}
	return indexDirectory(r, cfg, cd)
}

func indexDirectory(r *pipeline.Request, cfg *Config, cd *core.DirConfig) pipeline.Result {
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
	r.ContentType = contentType(cfg)
	if cfg.Opts&OptTrackModified != 0 {
		setValidators(r, cd)
	}
	if r.HeaderOnly {
		return pipeline.OK
	}
	l := &listing{opts: cfg.Opts, key: 'N', dir: 'A', cfg: cfg}
	if cfg.DefaultKey != 0 {
		l.key, l.dir = cfg.DefaultKey, cfg.DefaultDir
	}
	l.parseQuery(r.Args)

	title := html(r.URI)
	for len(title) > 1 && strings.HasSuffix(title, "/") {
		title = title[:len(title)-1]
	}
	w := &writer{r: r}
	l.emitHead(w, title)

	names, err := f.Readdirnames(-1)
	if err != nil {
		logError(r, "Can't read directory for index: "+r.Filename)
	}
	ents := make([]*entry, 0, len(names)+1)
	if p := l.parentEntry(r, dirname); p != nil {
		ents = append(ents, p)
	}
	for _, name := range names {
		if e := l.makeEntry(r, dirname, name); e != nil {
			ents = append(ents, e)
		}
	}
	sortEntries(l, ents)
	l.render(w, ents)
	l.emitTail(w)
	return pipeline.OK
}

// sortEntries sorts a listing's entries in its order.
func sortEntries(l *listing, ents []*entry) {
	slices.SortStableFunc(ents, l.compare)
}

// contentType is the listing's Content-Type: IndexOptions Type= (else
// text/html) with IndexOptions Charset= (else ISO-8859-1) unless that is
// empty.
func contentType(cfg *Config) string {
	ct := "text/html"
	if cfg.Type != "" {
		ct = cfg.Type
	}
	charset := "ISO-8859-1"
	if cfg.CharsetSet {
		charset = cfg.Charset
	}
	if charset == "" {
		return ct
	}
	return ct + ";charset=" + charset
}

// setValidators sets Last-Modified and the ETag from the directory itself
// (IndexOptions TrackModified).
func setValidators(r *pipeline.Request, cd *core.DirConfig) {
	mtime := r.Finfo.ModTime()
	if mtime.After(r.Time) {
		mtime = r.Time
	}
	r.HeadersOut.Set("Last-Modified", mtime.UTC().Format(http.TimeFormat))
	if tag := core.AppendETag(nil, r.Finfo, cd.FileETag(), r.Time); len(tag) > 0 {
		r.HeadersOut.Set("ETag", string(tag))
	}
}

// parentEntry is the "Parent Directory" line, absent at the root or when
// IndexIgnore hides "..".
func (l *listing) parentEntry(r *pipeline.Request, dirname string) *entry {
	uri := r.URI
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	if uri == "/" || !strings.HasPrefix(uri, "/") {
		return nil
	}
	parent := path.Dir(strings.TrimSuffix(uri, "/"))
	if !strings.HasSuffix(parent, "/") {
		parent += "/"
	}
	// IndexIgnore, AddIcon, AddAlt and AddDescription see "dir/..".
	testpath := dirname + ".."
	if l.cfg.ignored(testpath) {
		return nil
	}
	e := &entry{name: parent, parent: true, size: -1}
	if l.opts&OptFancy != 0 {
		c := l.cfg
		if e.icon, e.hasIcon = findItem(c.Icons, "", "", testpath, true); !e.hasIcon {
			e.icon, e.hasIcon = findItem(c.Icons, "", "", pathDirectory, true)
		}
		if e.alt, e.hasAlt = findItem(c.Alts, "", "", testpath, true); !e.hasAlt {
			if e.alt, e.hasAlt = findItem(c.Alts, "", "", pathDirectory, true); !e.hasAlt {
				e.alt, e.hasAlt = "PARENTDIR", true
			}
		}
		e.desc, e.hasDesc = c.findDescription(testpath)
	}
	return e
}

// makeEntry looks name up by sub-request and returns its entry, or nil
// when the P= pattern or IndexIgnore leaves it out, the configuration
// forbids it, or it is not a file or directory.
func (l *listing) makeEntry(r *pipeline.Request, dirname, name string) *entry {
	if name == "." || name == ".." {
		return nil
	}
	if l.pattern != "" && !fnmatch(l.pattern, name, true) {
		return nil
	}
	if l.cfg.ignored(dirname + name) {
		return nil
	}
	rr := pipeline.SubRequestLookupFile(r, name)
	if rr.Finfo == nil || !(rr.Finfo.IsDir() || rr.Finfo.Mode().IsRegular()) {
		return nil
	}
	forbiddenShown := l.opts&OptShowForbidden != 0 && (rr.Status == 401 || rr.Status == 403)
	if (rr.Status < 200 || rr.Status >= 400) && !forbiddenShown {
		return nil
	}
	e := &entry{name: name, size: -1}
	dir := rr.Finfo.IsDir()
	if dir {
		e.name += "/"
	}
	if l.opts&(OptFancy|OptTable) == 0 {
		return e
	}
	c := l.cfg
	e.mtime, e.hasLM = rr.Finfo.ModTime(), true
	full := rr.Filename
	if dir {
		e.isDir = l.opts&OptFoldersFirst != 0
		full = strings.TrimSuffix(full, "/")
		if e.icon, e.hasIcon = findItem(c.Icons, "", "", full, true); !e.hasIcon {
			e.icon, e.hasIcon = findItem(c.Icons, "", "", pathDirectory, true)
		}
		if e.alt, e.hasAlt = findItem(c.Alts, "", "", full, true); !e.hasAlt {
			if e.alt, e.hasAlt = findItem(c.Alts, "", "", pathDirectory, true); !e.hasAlt {
				e.alt, e.hasAlt = "DIR", true
			}
		}
	} else {
		typ := mediaType(rr.ContentType)
		e.icon, e.hasIcon = findItem(c.Icons, typ, rr.ContentEncoding, full, false)
		e.alt, e.hasAlt = findItem(c.Alts, typ, rr.ContentEncoding, full, false)
		e.size = rr.Finfo.Size()
	}
	e.desc, e.hasDesc = c.findDescription(full)
	if !e.hasDesc && l.opts&OptScanHTMLTitles != 0 {
		e.desc, e.hasDesc = findTitle(rr)
	}
	return e
}

// mediaType is a Content-Type without its parameters (ap_field_noparam).
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimRight(ct, " \t")
}

func logError(r *pipeline.Request, msg string) {
	if r.Server != nil && r.Server.Log != nil {
		r.Server.Log.Error(msg, "client", r.Conn.RemoteAddr)
	}
}
