package core

import (
	"io/fs"
	"os"
	"strings"
	"syscall"

	"gohttpd/pipeline"
)

// checkSymlinks refuses, with 403, a request whose path goes through a
// symbolic link in a directory whose Options do not allow it, as Apache's
// directory walk does: every component of the existing part of the path
// is checked against the Options of the directory holding it, so a linked
// directory half-way down is caught as well as a linked file.
// FollowSymLinks allows any link; SymLinksIfOwnerMatch allows a link
// owned by the owner of its target.
func checkSymlinks(r *pipeline.Request) pipeline.Result {
	name := strings.TrimRight(r.Filename, "/")
	for i := 1; i <= len(name); i++ {
		if i < len(name) && name[i] != '/' {
			continue
		}
		comp := name[:i]
		parent := comp[:strings.LastIndexByte(comp, '/')]
		opts := optionsAt(r.Server, parent)
		if opts&OptSymLinks != 0 {
			continue
		}
		li, err := os.Lstat(comp)
		if err != nil || li.Mode()&fs.ModeSymlink == 0 {
			continue
		}
		if opts&OptSymOwner != 0 && sameOwner(comp, li) {
			continue
		}
		logRequest(r, "Symbolic link not allowed or link target not accessible", comp)
		return 403
	}
	return pipeline.OK
}

// sameOwner reports whether link (described by li) and its target have
// the same owner.
func sameOwner(link string, li fs.FileInfo) bool {
	ti, err := os.Stat(link)
	if err != nil {
		return false
	}
	ls, ok1 := li.Sys().(*syscall.Stat_t)
	ts, ok2 := ti.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && ls.Uid == ts.Uid
}
