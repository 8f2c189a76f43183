package configs

import (
	"os"
	"path/filepath"
)

// Source is where Read finds configuration files: the OS file system by
// default, or a Snapshot. Paths are absolute or relative to the process's
// working directory, with the OS separator.
type Source interface {
	// ReadFile returns the contents of the named file. A missing file
	// is reported with an error satisfying errors.Is(err, fs.ErrNotExist).
	ReadFile(path string) ([]byte, error)
	// Glob returns the names of all files matching pattern, with the
	// syntax of filepath.Match, or nil if there is none.
	Glob(pattern string) ([]string, error)
}

// osSource is the OS file system.
type osSource struct{}

func (osSource) ReadFile(path string) ([]byte, error)  { return os.ReadFile(path) }
func (osSource) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// recorder passes calls to a Source and records their results in a
// Snapshot, so that the same reads can be replayed later.
type recorder struct {
	src  Source
	snap *Snapshot
}

func (r *recorder) ReadFile(path string) ([]byte, error) {
	data, err := r.src.ReadFile(path)
	if err == nil {
		if r.snap.Files == nil {
			r.snap.Files = map[string][]byte{}
		}
		r.snap.Files[path] = data
	}
	return data, err
}

func (r *recorder) Glob(pattern string) ([]string, error) {
	matches, err := r.src.Glob(pattern)
	if err == nil {
		if r.snap.Globs == nil {
			r.snap.Globs = map[string][]string{}
		}
		r.snap.Globs[pattern] = matches
	}
	return matches, err
}
