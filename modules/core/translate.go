package core

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"sync/atomic"

	"gohttpd/modules/internal/statcache"
	"gohttpd/pipeline"
)

// DocumentRootOf returns the DocumentRoot in force for s: the configured
// one, or ServerRoot/htdocs.
func DocumentRootOf(s *pipeline.Server) string {
	if sc := ServerConfigOf(s); sc != nil && sc.DocumentRoot != "" {
		return sc.DocumentRoot
	}
	root := ""
	if s.Gen != nil {
		root = s.Gen.Process.ServerRoot
	}
	return filepath.Join(root, "htdocs")
}

// translateName maps the URI under the DocumentRoot (Apache's
// ap_core_translate).
func translateName(r *pipeline.Request) pipeline.Result {
	if r.URI == "*" {
		return pipeline.OK
	}
	if !strings.HasPrefix(r.URI, "/") {
		logRequest(r, "Invalid URI in request", r.RequestLine)
		return 400
	}
	r.Filename = strings.TrimSuffix(DocumentRootOf(r.Server), "/") + r.URI
	return pipeline.OK
}

// storage is the core's view of the file system: stat answers from the
// child's stat cache (statcache, opened at child_init), os.Stat before
// that and where inotify is unavailable.
type storage struct {
	stats atomic.Pointer[statcache.Cache]
}

// childInit opens the stat cache of this child.
func (st *storage) childInit(s *pipeline.Server) pipeline.Result {
	c, err := statcache.New()
	if err != nil {
		if s.Log != nil {
			s.Log.Warn("stat cache unavailable, stating every path", "error", err)
		}
		return pipeline.OK
	}
	st.stats.Store(c)
	return pipeline.OK
}

func (st *storage) childExit(*pipeline.Server) pipeline.Result {
	_ = st.stats.Swap(nil).Close()
	return pipeline.OK
}

// mapToStorage finds what r.Filename names on disk — splitting off path
// info after a regular file — checks the symbolic links on the way where
// Options forbid them, and merges the Directory and Files sections that
// apply (Apache's core_map_to_storage: directory and file walk).
func (st *storage) mapToStorage(r *pipeline.Request) pipeline.Result {
	if r.Filename == "" {
		r.PerDir = r.Server.DirDefaults
		return pipeline.OK
	}
	stats := st.stats.Load()
	if r.Main == nil {
		stats.Sync(r.Time) // sub-requests see the file system as their main request
	}
	fi, err := stats.Stat(r.Filename)
	switch {
	case err == nil:
		r.Finfo = fi
	case errors.Is(err, fs.ErrPermission):
		logRequest(r, "Permission denied: search permissions are missing on a component of the path", r.Filename)
		return 403
	default:
		splitPathInfo(r, stats)
	}
	if sc := ServerConfigOf(r.Server); sc != nil && (sc.walks == nil || sc.walks.symlinkChecks) {
		if st := checkSymlinks(r); st != pipeline.OK {
			return st
		}
	}
	isDir := r.Finfo != nil && r.Finfo.IsDir()
	r.PerDir = dirWalk(r.Server, r.Filename, isDir)
	return pipeline.OK
}

// splitPathInfo looks for the longest existing prefix of r.Filename: a
// regular file there becomes the file name with the rest as path info.
func splitPathInfo(r *pipeline.Request, stats *statcache.Cache) {
	name := r.Filename
	for i := len(name) - 1; i > 0; i-- {
		if name[i] != '/' {
			continue
		}
		fi, err := stats.Stat(name[:i])
		if err != nil {
			continue
		}
		if fi.Mode().IsRegular() {
			r.Filename, r.PathInfo, r.Finfo = name[:i], name[i:], fi
		}
		return
	}
}

func logRequest(r *pipeline.Request, msg, detail string) {
	if r.Server != nil && r.Server.Log != nil {
		r.Server.Log.Error(msg+": "+detail, "client", r.Conn.RemoteAddr)
	}
}
