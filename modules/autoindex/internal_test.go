package autoindex

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWildMatch(t *testing.T) {
	for _, c := range []struct {
		s, p string
		fold bool
		want bool
	}{
		{"/srv/a.txt", "*.txt", false, true},
		{"/srv/a.txt", "*", false, true},
		{"", "*", false, true},
		{"a/b/c", "a*c", false, true},
		{"abc", "a?c", false, true},
		{"ac", "a?c", false, false},
		{"a.TXT", "*.txt", false, false},
		{"Text/Plain", "text/*", true, true},
		{"^^DIRECTORY^^", "*^^DIRECTORY^^", false, true},
		{"x[1]", "x[1]", false, true}, // brackets are literal
		{"aXbXc", "*X*X*", false, true},
		{"abc", "abcd", false, false},
	} {
		assert.Equal(t, c.want, wildMatch(c.s, c.p, c.fold), "%q ~ %q", c.s, c.p)
	}
}

func TestFnmatch(t *testing.T) {
	for _, c := range []struct {
		p, s  string
		query bool
		want  bool
	}{
		{"*.txt", "a.txt", true, true},
		{"*.txt", ".a.txt", true, false},
		{".*", ".a", true, true},
		{"*.txt", ".a.txt", false, true},
		{"*/sub/x*", "/srv/sub/x.txt", false, true},
		{"[a-c]?", "b1", false, true},
		{"[!a-c]?", "b1", false, false},
		{"[^a-c]?", "d1", false, true},
		{"[]]", "]", false, true},
		{"[", "[", false, true},
		{`\*`, "*", false, true},
		{`\*`, "a", false, false},
		{`\*`, `\a`, true, true}, // no escapes in queries
		{"a*b*c", "aXXbYYc", false, true},
		{"a*b*c", "aXXbYY", false, false},
	} {
		assert.Equal(t, c.want, fnmatch(c.p, c.s, c.query), "%q ~ %q", c.s, c.p)
	}
	assert.True(t, hasFnmatchMeta("a*"))
	assert.True(t, hasFnmatchMeta("[ab]"))
	assert.False(t, hasFnmatchMeta("[ab"))
	assert.False(t, hasFnmatchMeta(`a\*`))
	assert.False(t, hasFnmatchMeta("a.txt"))
}

func TestNatCompare(t *testing.T) {
	order := []string{"a02", "a1", "a2", "a10", "a10b", "b"}
	for i := range order {
		for j := range order {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			assert.Equal(t, want, natCompare(order[i], order[j], false), "%s vs %s", order[i], order[j])
		}
	}
	assert.Equal(t, 0, natCompare("A10", "a10", true))
	assert.Equal(t, -1, natCompare("A10", "a10", false))
	assert.Equal(t, 0, natCompare(" x1", "x1", false), "white space is skipped")
}

func TestFindItemAndDescription(t *testing.T) {
	icons := []item{
		newItem(byEncoding, "X-GZIP", "", "gz"),
		newItem(byType, "text/*", "", "text"),
		newItem(byPath, ".txt", "/srv/other/", "other-txt"),
		newItem(byPath, ".txt", "", "txt"),
		newItem(byPath, "**DIRECTORY**", "", "dir"),
	}
	get := func(typ, enc, path string, pathOnly bool) string {
		v, _ := findItem(icons, typ, enc, path, pathOnly)
		return v
	}
	assert.Equal(t, "gz", get("text/plain", "x-gzip", "/srv/a.txt.gz", false))
	assert.Equal(t, "text", get("text/plain", "", "/srv/a.c", false))
	assert.Equal(t, "txt", get("text/plain", "", "/srv/a.txt", true))
	assert.Equal(t, "other-txt", get("", "", "/srv/other/a.txt", false))
	assert.Equal(t, "dir", get("", "", pathDirectory, true))
	_, ok := findItem(icons, "", "", "/srv/a.bin", false)
	assert.False(t, ok)

	c := &Config{Descriptions: []description{
		newDescription("sub", "sub/x.txt"),
		newDescription("substring", "a.txt"),
		newDescription("wild", "*.c"),
	}}
	for full, want := range map[string]string{
		"/srv/sub/x.txt": "sub", "/srv/nosub/x.txt": "", "/srv/banana.txt": "substring",
		"/srv/b.c": "wild", "/srv/b.cc": "wild", "/srv/b.h": "",
	} {
		got, _ := c.findDescription(full)
		assert.Equal(t, want, got, full)
	}
}

func TestTerminateDescription(t *testing.T) {
	l := &listing{cfg: &Config{descMode: widthFixed}}
	for _, c := range []struct {
		desc  string
		width int
		want  string
	}{
		{"short", 12, "short"},
		{"exactly12chr", 12, "exactly12chr"},
		{"thirteen char", 12, "thirteen ch>"},
		{"<a href=x>link</a> text that is long", 12, "<a href=x>link</a> text t>"},
		{"&auml;&ouml; and more text", 4, "&auml;&ouml; >"},
		{"<unclosed", 3, "<unclosed"},
	} {
		assert.Equal(t, c.want, l.terminateDescription(c.desc, c.width), c.desc)
	}
	// Without DescriptionWidth the suppressed columns give room.
	l = &listing{cfg: &Config{}, opts: OptSuppressSize}
	assert.Equal(t, "0123456789", l.terminateDescription("0123456789", 3))
}

func TestUnescapeURL(t *testing.T) {
	for in, want := range map[string]string{"a%20b": "a b", "plain": "plain", "%41%42": "AB"} {
		got, ok := unescapeURL(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got)
	}
	for _, bad := range []string{"%2f", "%00", "%zz", "%4"} {
		_, ok := unescapeURL(bad)
		assert.False(t, ok, bad)
	}
}

func TestStrfsize(t *testing.T) {
	for n, want := range map[int64]string{-1: "  - ", 0: "  0 ", 972: "972 ", 973: "1.0K", 5000: "4.9K", 10 << 10: " 10K", 1 << 20: "1.0M", 500 << 20: "500M", 3 << 30: "3.0G"} {
		assert.Equal(t, want, strfsize(n), "%d", n)
	}
}

// benchListing is a fancy table listing of n entries, with Debian's kind
// of icon rules.
func benchListing(n int) (*listing, []*entry) {
	cfg := newConfig("").(*Config)
	cfg.nameMode = widthAdjust
	for _, ext := range []string{".bin", ".tar", ".gz", ".html", ".txt", ".c", ".sh"} {
		cfg.Icons = append(cfg.Icons, newItem(byPath, ext, "", "/icons/x.gif"))
	}
	cfg.Icons = append(cfg.Icons, newItem(byPath, pathBlankIcon, "", "/icons/blank.gif"))
	l := &listing{opts: OptFancy | OptTable | OptVersionSort, key: 'N', dir: 'A', cfg: cfg}
	ents := make([]*entry, n)
	mt := time.Date(2023, 1, 2, 3, 4, 0, 0, time.UTC)
	for i := range ents {
		ents[i] = &entry{name: "file-" + strconv.Itoa(i) + ".txt", size: int64(i * 100), mtime: mt, hasLM: true, icon: "/icons/text.gif", hasIcon: true, alt: "TXT", hasAlt: true}
	}
	return l, ents
}

func BenchmarkRenderTable(b *testing.B) {
	l, ents := benchListing(1000)
	w := &writer{out: func([]byte) {}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		l.render(w, ents)
		w.write()
	}
}

func BenchmarkFindIcon(b *testing.B) {
	l, _ := benchListing(0)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		findItem(l.cfg.Icons, "text/plain", "", "/srv/www/htdocs/dir/some-file.sh", false)
	}
}

func BenchmarkSortVersion(b *testing.B) {
	l, ents := benchListing(1000)
	work := make([]*entry, len(ents))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		copy(work, ents)
		for j := range work {
			k := (j * 7919) % len(work)
			work[j], work[k] = work[k], work[j]
		}
		sortEntries(l, work)
	}
}
