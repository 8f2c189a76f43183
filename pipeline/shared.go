package pipeline

import (
	"os"
	"sort"
	"sync"
)

// sharedFiles are the files the master opens for a generation (as root,
// in open_logs or post_config) and hands to every child of it: access
// logs, pipes to log processes, shared-memory segments.
type sharedFiles struct {
	mu    sync.Mutex
	files map[string]*os.File
}

// ShareFile makes f, opened by the master, available under name to every
// child of this generation (they inherit it through the child fd
// protocol). Call it from open_logs or post_config; a later call with the
// same name replaces the file. The master closes shared files when the
// generation is replaced.
func (g *Generation) ShareFile(name string, f *os.File) {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	if g.shared.files == nil {
		g.shared.files = map[string]*os.File{}
	}
	g.shared.files[name] = f
}

// SharedFile returns the file shared under name: in the master, the file
// it opened; in a child, the inherited copy; nil when there is none (for
// example under -t).
func (g *Generation) SharedFile(name string) *os.File {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	return g.shared.files[name]
}

// SharedFiles lists the shared files in name order.
func (g *Generation) SharedFiles() (names []string, files []*os.File) {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	for n := range g.shared.files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		files = append(files, g.shared.files[n])
	}
	return names, files
}

// CloseSharedFiles closes every shared file (the master, when the
// generation is replaced).
func (g *Generation) CloseSharedFiles() {
	g.shared.mu.Lock()
	defer g.shared.mu.Unlock()
	for n, f := range g.shared.files {
		f.Close()
		delete(g.shared.files, n)
	}
}
