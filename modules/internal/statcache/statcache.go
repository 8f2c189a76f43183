// Package statcache answers stat(2) for request paths from memory and
// keeps the answers exact with inotify.
//
// Serving a static file costs a request two stats (its directory and the
// index file, as Apache's directory walk and mod_dir do); each one walks
// the path in the kernel. A Cache remembers the answers, and watches every
// directory on the way to each remembered path. Sync, called once at the
// start of each request, reads the kernel's queue of changes without
// blocking and forgets what they touch, unless another request read it
// less than SyncEvery before: a change that completed SyncEvery or more
// before a request began is always seen, as with a fresh stat.
//
// What inotify cannot report is bounded in time instead: an answer is
// used for at most MaxAge, so changes made where no event is raised
// (another NFS client, writes through a shared mapping, mounts) are seen
// within that. Paths through symbolic links, files with several hard
// links and failures other than "does not exist" are never cached.
package statcache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// MaxAge is the longest an answer is used without a new stat.
const MaxAge = time.Second

// SyncEvery is how often, at most, Sync reads the change queue. Under load
// requests start microseconds apart; reading the queue for each of them
// cost a system call per request, most of them finding it empty.
const SyncEvery = time.Millisecond

// Bounds of one cache: past maxEntries it starts afresh; past maxWatches
// paths under new directories are not cached.
const (
	maxEntries = 8192
	maxWatches = 1024
)

// watchMask is every change to a directory's entries or to the directory
// itself that can alter a stat answer below it.
const watchMask = unix.IN_ATTRIB | unix.IN_CREATE | unix.IN_DELETE | unix.IN_DELETE_SELF |
	unix.IN_MODIFY | unix.IN_MOVE_SELF | unix.IN_MOVED_FROM | unix.IN_MOVED_TO | unix.IN_ONLYDIR

// Cache is a stat cache for one process. Its methods are safe for
// concurrent use; a nil *Cache stats every time.
type Cache struct {
	fd      int
	entries sync.Map     // name as asked → *entry
	now     atomic.Int64 // Sync's clock, UnixNano
	// synced is the start time (UnixNano) of the request whose Sync last
	// read the queue, stored once what it read is applied.
	synced atomic.Int64

	mu        sync.Mutex // serialises Sync and fills
	buf       []byte
	watches   map[string]int32    // watched directory → watch descriptor
	dirs      map[int32][]string  // watch descriptor → directories
	cached    map[string]struct{} // clean names of the entries
	ancestors map[string]struct{} // clean directories above the entries
	closed    bool
}

type entry struct {
	fi   fs.FileInfo // nil when the name does not exist
	born int64
}

// New returns a Cache with its own inotify instance, or an error when the
// kernel gives none (inotify limits reached).
func New() (*Cache, error) {
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("statcache: inotify_init1: %w", err)
	}
	c := &Cache{
		fd:        fd,
		buf:       make([]byte, 64<<10),
		watches:   map[string]int32{},
		dirs:      map[int32][]string{},
		cached:    map[string]struct{}{},
		ancestors: map[string]struct{}{},
	}
	c.now.Store(time.Now().UnixNano())
	return c, nil
}

// Close releases the inotify instance; the cache then stats every time.
func (c *Cache) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	c.entries.Clear()
	return unix.Close(c.fd)
}

// Sync applies every change the kernel has reported so far, unless a
// request that started less than SyncEvery before now already did. Call
// it once when a request starts (not for its sub-requests), with the time
// it started: the request then sees each change that completed SyncEvery
// or more before it (the last read started after that change).
func (c *Cache) Sync(now time.Time) {
	if c == nil {
		return
	}
	n := now.UnixNano()
	if c.recentlySynced(n) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > c.now.Load() {
		c.now.Store(n)
	}
	if c.closed || c.recentlySynced(n) {
		return
	}
	c.drain()
	c.synced.Store(n)
}

// recentlySynced reports whether the queue was read for a request that
// started less than SyncEvery before n (and not after it: a clock set
// back reads again).
func (c *Cache) recentlySynced(n int64) bool {
	last := c.synced.Load()
	return last != 0 && n >= last && n-last < int64(SyncEvery)
}

// drain reads the change queue until it is empty and applies what it
// holds; c.mu held.
func (c *Cache) drain() {
	for {
		n, err := unix.Read(c.fd, c.buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			if err != nil && err != unix.EAGAIN {
				c.reset() // cannot tell what changed
			}
			return
		}
		c.apply(c.buf[:n])
		if n < len(c.buf)-unix.SizeofInotifyEvent-unix.PathMax {
			return // the queue was drained by this read
		}
	}
}

// apply forgets what the events in buf touch.
func (c *Cache) apply(buf []byte) {
	for len(buf) >= unix.SizeofInotifyEvent {
		ev := (*unix.InotifyEvent)(unsafe.Pointer(&buf[0]))
		end := unix.SizeofInotifyEvent + int(ev.Len)
		if end > len(buf) {
			c.reset()
			return
		}
		name := strings.TrimRight(string(buf[unix.SizeofInotifyEvent:end]), "\x00")
		buf = buf[end:]
		switch {
		case ev.Mask&unix.IN_Q_OVERFLOW != 0:
			c.reset()
		case ev.Mask&unix.IN_IGNORED != 0:
			for _, d := range c.dirs[ev.Wd] {
				delete(c.watches, d)
			}
			delete(c.dirs, ev.Wd)
			c.reset()
		default:
			for _, dir := range c.dirs[ev.Wd] {
				c.changed(dir, name, ev.Mask)
			}
		}
	}
}

// changed handles one event of the watch on dir, about its entry name
// ("" for dir itself).
func (c *Cache) changed(dir, name string, mask uint32) {
	if name == "" {
		c.reset() // the directory itself moved, went or changed mode
		return
	}
	p := join(dir, name)
	if _, ok := c.cached[p]; ok {
		c.reset()
		return
	}
	if _, ok := c.ancestors[p]; ok {
		c.reset()
		return
	}
	// Adding or removing an entry changes the directory's own times.
	if mask&(unix.IN_CREATE|unix.IN_DELETE|unix.IN_MOVED_FROM|unix.IN_MOVED_TO) != 0 {
		if _, ok := c.cached[dir]; ok {
			c.reset()
		}
	}
}

// reset forgets every answer; watches stay.
func (c *Cache) reset() {
	c.entries.Clear()
	clear(c.cached)
	clear(c.ancestors)
}

// Stat is os.Stat(name), from memory when the answer is known and young.
func (c *Cache) Stat(name string) (fs.FileInfo, error) {
	if c == nil {
		return os.Stat(name)
	}
	if v, ok := c.entries.Load(name); ok {
		e := v.(*entry)
		if c.now.Load()-e.born < int64(MaxAge) {
			if e.fi == nil {
				return nil, &fs.PathError{Op: "stat", Path: name, Err: syscall.ENOENT}
			}
			return e.fi, nil
		}
	}
	return c.fill(name)
}

// fill stats name with its directories watched first, so that any change
// after the stat raises an event, and caches the answer when it can.
func (c *Cache) fill(name string) (fs.FileInfo, error) {
	clean := filepath.Clean(name)
	if !filepath.IsAbs(clean) {
		return os.Stat(name)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || !c.watchAbove(clean) {
		return os.Stat(name)
	}
	born := c.now.Load()
	fi, err := os.Stat(name)
	switch {
	case err == nil:
		if !cacheable(fi) || !noLinks(clean) {
			return fi, nil
		}
	case errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		if !noLinks(filepath.Dir(clean)) {
			return nil, err
		}
	default:
		return fi, err
	}
	if len(c.cached) >= maxEntries {
		c.reset()
	}
	c.cached[clean] = struct{}{}
	for d := filepath.Dir(clean); ; d = filepath.Dir(d) {
		c.ancestors[d] = struct{}{}
		if d == "/" {
			break
		}
	}
	c.entries.Store(name, &entry{fi: fi, born: born})
	return fi, err
}

// watchAbove makes sure every directory above clean (and clean itself,
// if it is one) is watched; it reports false when one cannot be.
func (c *Cache) watchAbove(clean string) bool {
	for d := filepath.Dir(clean); ; d = filepath.Dir(d) {
		if !c.watch(d) {
			return false
		}
		if d == "/" {
			break
		}
	}
	if _, ok := c.watches[clean]; ok {
		return true
	}
	if fi, err := os.Lstat(clean); err == nil && fi.IsDir() {
		return c.watch(clean)
	}
	return true
}

func (c *Cache) watch(dir string) bool {
	if _, ok := c.watches[dir]; ok {
		return true
	}
	if len(c.watches) >= maxWatches {
		return false
	}
	wd, err := unix.InotifyAddWatch(c.fd, dir, watchMask)
	if err != nil {
		return false
	}
	c.watches[dir] = int32(wd)
	c.dirs[int32(wd)] = append(c.dirs[int32(wd)], dir)
	return true
}

// cacheable reports whether an answer for fi can be kept: a file reached
// through another hard link can change without an event here.
func cacheable(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	return fi.IsDir() || st.Nlink <= 1
}

// noLinks reports whether clean is reached without symbolic links (whose
// targets live in directories nobody watches).
func noLinks(clean string) bool {
	real, err := filepath.EvalSymlinks(clean)
	return err == nil && real == clean
}

func join(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}
