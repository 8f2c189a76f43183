package auth

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// WatchedFile holds the parsed contents of a file (a password or group
// file) and reads it again only when it changed: Get compares the file's
// inode, size, modification and change times with those of the last read
// (one stat per call), so an operator's edit — or a chmod, which changes
// the change time — is seen by the next request and an unchanged file is
// never re-read. It is safe for concurrent use.
type WatchedFile[T any] struct {
	path  string
	parse func(data []byte) (T, error)
	mu    sync.Mutex // serialises reloads
	cur   atomic.Pointer[fileSnapshot[T]]
}

type fileSnapshot[T any] struct {
	id  fileID
	val T
}

type fileID struct {
	dev, ino uint64
	size     int64
	mtime    time.Time
	ctime    int64
}

// NewWatchedFile returns a WatchedFile for path, parsed by parse. Nothing
// is read until the first Get.
func NewWatchedFile[T any](path string, parse func(data []byte) (T, error)) *WatchedFile[T] {
	return &WatchedFile[T]{path: path, parse: parse}
}

// Path returns the file's path.
func (w *WatchedFile[T]) Path() string { return w.path }

// Get returns the parsed contents, reading the file when it is new or
// changed. An error (missing, unreadable, unparsable file) is returned
// every time until the file is fixed; the previous contents are not used.
func (w *WatchedFile[T]) Get() (T, error) {
	var zero T
	fi, err := os.Stat(w.path)
	if err != nil {
		return zero, err
	}
	id := idOf(fi)
	if s := w.cur.Load(); s != nil && s.id == id {
		return s.val, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if s := w.cur.Load(); s != nil && s.id == id {
		return s.val, nil
	}
	f, err := os.Open(w.path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	fi, err = f.Stat()
	if err != nil {
		return zero, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return zero, fmt.Errorf("reading %s: %w", w.path, err)
	}
	val, err := w.parse(data)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", w.path, err)
	}
	w.cur.Store(&fileSnapshot[T]{id: idOf(fi), val: val})
	return val, nil
}

func idOf(fi os.FileInfo) fileID {
	id := fileID{size: fi.Size(), mtime: fi.ModTime()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		id.dev, id.ino = uint64(st.Dev), st.Ino
		id.ctime = st.Ctim.Nano()
	}
	return id
}
