package core

import (
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Limits of the small-file cache: files up to maxCachedFile bytes are
// kept in memory, maxCacheBytes in all per process and generation.
const (
	maxCachedFile = 64 << 10
	maxCacheBytes = 32 << 20
)

// fileCache keeps the bytes of small files the default handler served, so
// that a hit answers from memory with one write instead of open, sendfile
// and close. An entry is used only while the file's identity and version —
// device, inode, size, modification and change times, as the request's
// own stat saw them — are those it was read at, so a changed, replaced or
// truncated file is read again.
type fileCache struct {
	m     sync.Map // filename → *cachedFile
	bytes atomic.Int64
}

// cachedFile is one file's contents and its preformatted validators.
type cachedFile struct {
	id      fileID
	data    []byte
	lastMod string // Last-Modified value
	length  string // Content-Length value
	etag    string // strong ETag for etagBits; "" when not cached
	bits    ETagBits
}

// fileID identifies one version of one file.
type fileID struct {
	dev, ino     uint64
	size         int64
	mtime, ctime int64 // nanoseconds
}

func idOf(fi fs.FileInfo) (fileID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{dev: uint64(st.Dev), ino: st.Ino, size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano()}, true
}

// lookup returns the entry for name if it holds the version fi describes.
func (c *fileCache) lookup(name string, fi fs.FileInfo) *cachedFile {
	v, ok := c.m.Load(name)
	if !ok {
		return nil
	}
	e := v.(*cachedFile)
	if id, ok := idOf(fi); !ok || id != e.id {
		return nil
	}
	return e
}

// fill reads f (opened from name, described by fi at the request's stat)
// and caches it when it is small and did not change while being read.
// It returns the entry, or nil when the file is not cacheable.
func (c *fileCache) fill(name string, f *os.File, fi fs.FileInfo, bits ETagBits, now time.Time) *cachedFile {
	id, ok := idOf(fi)
	if !ok || id.size > maxCachedFile || !fi.Mode().IsRegular() {
		return nil
	}
	data := make([]byte, id.size)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, id.size), data); err != nil {
		return nil
	}
	after, err := f.Stat()
	if err != nil {
		return nil
	}
	if id2, ok := idOf(after); !ok || id2 != id {
		return nil // changed under us: serve it from the file this time
	}
	e := &cachedFile{id: id, data: data, length: strconv.FormatInt(id.size, 10), bits: bits}
	mtime := fi.ModTime()
	if mtime.Before(now) {
		e.lastMod = mtime.UTC().Format(httpTime)
		// A tag made within a second of the change is weak and
		// becomes strong later: only strong tags are kept.
		if now.Sub(mtime) > time.Second {
			e.etag = string(AppendETag(nil, fi, bits, now))
		}
	}
	if c.bytes.Add(id.size) > maxCacheBytes {
		c.evict()
	}
	if old, loaded := c.m.Swap(name, e); loaded {
		c.bytes.Add(-int64(len(old.(*cachedFile).data)))
	}
	return e
}

// evict drops entries until the cache is back under half its limit.
func (c *fileCache) evict() {
	c.m.Range(func(k, v any) bool {
		if c.m.CompareAndDelete(k, v) {
			c.bytes.Add(-int64(len(v.(*cachedFile).data)))
		}
		return c.bytes.Load() > maxCacheBytes/2
	})
}

// revalidate returns e with a strong ETag for bits once the file is more
// than a second old, replacing the cached entry; e itself otherwise.
func (c *fileCache) revalidate(name string, e *cachedFile, fi fs.FileInfo, bits ETagBits, now time.Time) *cachedFile {
	mtime := fi.ModTime()
	if now.Sub(mtime) <= time.Second || bits&ETagNone != 0 {
		return e
	}
	up := *e
	up.bits = bits
	up.etag = string(AppendETag(nil, fi, bits, now))
	if up.lastMod == "" {
		up.lastMod = mtime.UTC().Format(httpTime)
	}
	c.m.CompareAndSwap(name, e, &up)
	return &up
}
