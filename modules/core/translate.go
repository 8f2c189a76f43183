package core

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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

// mapToStorage finds what r.Filename names on disk — splitting off path
// info after a regular file — and merges the Directory and Files sections
// that apply (Apache's core_map_to_storage: directory and file walk).
func mapToStorage(r *pipeline.Request) pipeline.Result {
	if r.Filename == "" {
		r.PerDir = r.Server.DirDefaults
		return pipeline.OK
	}
	fi, err := os.Stat(r.Filename)
	switch {
	case err == nil:
		r.Finfo = fi
	case errors.Is(err, fs.ErrPermission):
		logRequest(r, "Permission denied: search permissions are missing on a component of the path", r.Filename)
		return 403
	default:
		splitPathInfo(r)
	}
	d := DirConfigOf(r.PerDir)
	if r.Finfo != nil && d != nil {
		opts := DirConfigOf(r.Server.DirectoryWalk(r.Server.DirDefaults, r.Filename, r.Finfo.IsDir())).EffectiveOptions()
		if opts&(OptSymLinks|OptSymOwner) == 0 {
			if li, err := os.Lstat(strings.TrimSuffix(r.Filename, "/")); err == nil && li.Mode()&fs.ModeSymlink != 0 {
				logRequest(r, "Symbolic link not allowed or link target not accessible", r.Filename)
				return 403
			}
		}
	}
	isDir := r.Finfo != nil && r.Finfo.IsDir()
	r.PerDir = r.Server.DirectoryWalk(r.Server.DirDefaults, r.Filename, isDir)
	return pipeline.OK
}

// splitPathInfo looks for the longest existing prefix of r.Filename: a
// regular file there becomes the file name with the rest as path info.
func splitPathInfo(r *pipeline.Request) {
	name := r.Filename
	for i := len(name) - 1; i > 0; i-- {
		if name[i] != '/' {
			continue
		}
		fi, err := os.Stat(name[:i])
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
