package core

import (
	"sync"
	"sync/atomic"

	"gohttpd/pipeline"
)

// maxCachedWalks bounds a server's walk cache; past it walks are computed
// each time.
const maxCachedWalks = 8192

// walkCache remembers, per server record, the per-directory configuration
// the Directory and Files sections give a path (Apache merges them on
// every request; the result depends only on the path and the generation,
// which never changes under a server record).
type walkCache struct {
	files, dirs sync.Map // path → pipeline.ConfigVector
	n           atomic.Int64
	// symlinkChecks is set when some section turns FollowSymLinks off, so
	// that paths must be checked component by component.
	symlinkChecks bool
}

// dirWalk returns s's Directory/Files merge for filename, from the cache
// when it can.
func dirWalk(s *pipeline.Server, filename string, isDir bool) pipeline.ConfigVector {
	sc := ServerConfigOf(s)
	if sc == nil || sc.walks == nil {
		return s.DirectoryWalk(s.DirDefaults, filename, isDir)
	}
	m := &sc.walks.files
	if isDir {
		m = &sc.walks.dirs
	}
	if v, ok := m.Load(filename); ok {
		return v.(pipeline.ConfigVector)
	}
	v := s.DirectoryWalk(s.DirDefaults, filename, isDir)
	if sc.walks.n.Load() < maxCachedWalks {
		if _, loaded := m.LoadOrStore(filename, v); !loaded {
			sc.walks.n.Add(1)
		}
	}
	return v
}

// optionsAt returns the Options in force for directory dir of s.
func optionsAt(s *pipeline.Server, dir string) Option {
	if dir == "" {
		dir = "/"
	}
	d := DirConfigOf(dirWalk(s, dir, true))
	if d == nil {
		return OptSymLinks
	}
	return d.EffectiveOptions()
}

// prepareWalks gives every server record its walk cache and decides
// whether its sections need symbolic-link checks (a check_config hook).
func prepareWalks(main *pipeline.Server) pipeline.Result {
	for s := main; s != nil; s = s.Next {
		sc := ServerConfigOf(s)
		if sc == nil {
			continue
		}
		w := &walkCache{}
		if d := DirConfigOf(s.DirDefaults); d != nil && d.EffectiveOptions()&OptSymLinks == 0 {
			w.symlinkChecks = true
		}
		for _, sec := range s.DirSections {
			if d := DirConfigOf(sec.Config); d != nil && (d.optionsSet && d.Options&OptSymLinks == 0 || d.optRemove&OptSymLinks != 0) {
				w.symlinkChecks = true
			}
		}
		sc.walks = w
	}
	return pipeline.OK
}
