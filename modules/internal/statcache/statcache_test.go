package statcache

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCache(t *testing.T) *Cache {
	t.Helper()
	c, err := New()
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// tree makes root/docs/index.html (5 bytes) and returns root's clean,
// link-free path.
func tree(t *testing.T) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "docs"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "docs", "index.html"), []byte("hello"), 0o644))
	return root
}

// later is the start of a request that comes SyncEvery after the one
// that last read c's change queue (or now, if that is later): its Sync
// reads the queue.
func later(c *Cache) time.Time {
	next := time.Unix(0, c.synced.Load()).Add(SyncEvery)
	if now := time.Now(); now.After(next) {
		return now
	}
	return next
}

func size(t *testing.T, c *Cache, name string) int64 {
	t.Helper()
	fi, err := c.Stat(name)
	require.NoError(t, err)
	return fi.Size()
}

// assertAsStat checks that the cache answers for name as os.Stat does.
func assertAsStat(t *testing.T, c *Cache, name string) {
	t.Helper()
	want, werr := os.Stat(name)
	got, err := c.Stat(name)
	if werr != nil {
		assert.ErrorIs(t, err, fs.ErrNotExist, name)
		return
	}
	require.NoError(t, err, name)
	assert.Equal(t, want.Size(), got.Size(), name)
	assert.Equal(t, want.Mode(), got.Mode(), name)
	assert.Equal(t, want.ModTime(), got.ModTime(), name)
}

func TestAnswersAsStat(t *testing.T) {
	root := tree(t)
	c := newCache(t)
	c.Sync(time.Now())
	for _, name := range []string{root + "/docs/index.html", root + "/docs/", root + "/docs", root + "/docs/missing"} {
		for range 2 { // filled, then from memory
			assertAsStat(t, c, name)
		}
	}
	_, err := c.Stat(root + "/docs/index.html/x")
	assert.Error(t, err, "a path through a file")
}

func TestServesFromMemoryUntilSomethingChanges(t *testing.T) {
	root := tree(t)
	name := root + "/docs/index.html"
	c := newCache(t)
	c.Sync(time.Now())
	fi, err := c.Stat(name)
	require.NoError(t, err)
	again, err := c.Stat(name)
	require.NoError(t, err)
	assert.Same(t, fi.(any), again.(any), "the second answer comes from memory")

	require.NoError(t, os.WriteFile(name, []byte("hello, world"), 0o644))
	c.Sync(later(c))
	assert.EqualValues(t, 12, size(t, c, name), "a write is seen by the next request")
}

func TestReadsTheQueueAtMostEverySyncEvery(t *testing.T) {
	root := tree(t)
	name := root + "/docs/index.html"
	c := newCache(t)
	start := time.Now()
	c.Sync(start)
	assert.EqualValues(t, 5, size(t, c, name))

	require.NoError(t, os.WriteFile(name, []byte("hello, world"), 0o644))
	c.Sync(start.Add(SyncEvery - 1))
	assert.EqualValues(t, 5, size(t, c, name), "a request within SyncEvery of the last read uses what it saw")
	c.Sync(start.Add(SyncEvery))
	assert.EqualValues(t, 12, size(t, c, name), "SyncEvery later the queue is read again")

	require.NoError(t, os.WriteFile(name, []byte("x"), 0o644))
	c.Sync(start.Add(-time.Second))
	assert.EqualValues(t, 1, size(t, c, name), "a clock set back reads the queue")
}

func TestNoticesEveryKindOfChange(t *testing.T) {
	cases := map[string]func(t *testing.T, root string){
		"append": func(t *testing.T, root string) {
			f, err := os.OpenFile(root+"/docs/index.html", os.O_APPEND|os.O_WRONLY, 0)
			require.NoError(t, err)
			_, err = f.WriteString("!!")
			require.NoError(t, err)
			require.NoError(t, f.Close())
		},
		"truncate": func(t *testing.T, root string) { require.NoError(t, os.Truncate(root+"/docs/index.html", 1)) },
		"replace by rename": func(t *testing.T, root string) {
			require.NoError(t, os.WriteFile(root+"/docs/new", []byte("hi"), 0o644))
			require.NoError(t, os.Rename(root+"/docs/new", root+"/docs/index.html"))
		},
		"remove": func(t *testing.T, root string) { require.NoError(t, os.Remove(root+"/docs/index.html")) },
		"chmod":  func(t *testing.T, root string) { require.NoError(t, os.Chmod(root+"/docs/index.html", 0o600)) },
		"touch": func(t *testing.T, root string) {
			old := time.Now().Add(-time.Hour)
			require.NoError(t, os.Chtimes(root+"/docs/index.html", old, old))
		},
		"rename a directory above": func(t *testing.T, root string) {
			require.NoError(t, os.Rename(root+"/docs", root+"/moved"))
		},
		"chmod a directory above": func(t *testing.T, root string) { require.NoError(t, os.Chmod(root+"/docs", 0o700)) },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			root := tree(t)
			file := root + "/docs/index.html"
			c := newCache(t)
			c.Sync(time.Now())
			_, err := c.Stat(file)
			require.NoError(t, err)
			_, err = c.Stat(root + "/docs/")
			require.NoError(t, err)

			change(t, root)
			c.Sync(later(c))
			assertAsStat(t, c, file)
			assertAsStat(t, c, root+"/docs/")
		})
	}
}

func TestNoticesCreation(t *testing.T) {
	root := tree(t)
	name := root + "/docs/later.html"
	c := newCache(t)
	c.Sync(time.Now())
	_, err := c.Stat(name)
	require.ErrorIs(t, err, fs.ErrNotExist)
	dir, err := c.Stat(root + "/docs")
	require.NoError(t, err)

	time.Sleep(10 * time.Millisecond) // a visible change of the directory's time
	require.NoError(t, os.WriteFile(name, []byte("x"), 0o644))
	c.Sync(later(c))
	_, err = c.Stat(name)
	assert.NoError(t, err, "a missing file that appears is seen")
	now, err := c.Stat(root + "/docs")
	require.NoError(t, err)
	assert.NotEqual(t, dir.ModTime(), now.ModTime(), "the directory's own times follow")
}

func TestLinkedPathsAreNotCached(t *testing.T) {
	root := tree(t)
	elsewhere := t.TempDir()
	target := filepath.Join(elsewhere, "real.html")
	require.NoError(t, os.WriteFile(target, []byte("one"), 0o644))
	require.NoError(t, os.Symlink(target, root+"/docs/link.html"))
	require.NoError(t, os.Link(root+"/docs/index.html", filepath.Join(elsewhere, "hard.html")))

	c := newCache(t)
	c.Sync(time.Now())
	assert.EqualValues(t, 3, size(t, c, root+"/docs/link.html"))
	assert.EqualValues(t, 5, size(t, c, root+"/docs/index.html"))
	// Changes through the other names raise no event in the watched
	// directories: they are seen because neither answer was kept.
	require.NoError(t, os.WriteFile(target, []byte("three"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(elsewhere, "hard.html"), []byte("hard link"), 0o644))
	assert.EqualValues(t, 5, size(t, c, root+"/docs/link.html"))
	assert.EqualValues(t, 9, size(t, c, root+"/docs/index.html"))
}

func TestAnswersExpire(t *testing.T) {
	root := tree(t)
	name := root + "/docs/index.html"
	c := newCache(t)
	c.Sync(time.Now())
	first, err := c.Stat(name)
	require.NoError(t, err)
	c.now.Add(int64(MaxAge)) // as if a second passed
	again, err := c.Stat(name)
	require.NoError(t, err)
	assert.NotSame(t, first.(any), again.(any), "an old answer is stated again")
}

func TestNilAndClosedCacheStatEveryTime(t *testing.T) {
	root := tree(t)
	var nilCache *Cache
	nilCache.Sync(time.Now())
	assert.EqualValues(t, 5, size(t, nilCache, root+"/docs/index.html"))
	assert.NoError(t, nilCache.Close())

	c, err := New()
	require.NoError(t, err)
	require.NoError(t, c.Close())
	c.Sync(time.Now())
	assert.EqualValues(t, 5, size(t, c, root+"/docs/index.html"))
	require.NoError(t, os.WriteFile(root+"/docs/index.html", []byte("changed"), 0o644))
	assert.EqualValues(t, 7, size(t, c, root+"/docs/index.html"))
}

func BenchmarkStatCached(b *testing.B) {
	dir := b.TempDir()
	name := filepath.Join(dir, "index.html")
	require.NoError(b, os.WriteFile(name, []byte("x"), 0o644))
	c, err := New()
	require.NoError(b, err)
	defer c.Close()
	b.ReportAllocs()
	for b.Loop() {
		c.Sync(time.Now())
		if _, err := c.Stat(name); err != nil {
			b.Fatal(err)
		}
	}
}
