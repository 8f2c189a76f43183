package autoindex_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/modules/autoindex"
	"gohttpd/modules/internal/apacherec"
)

// The recorded listings: Apache's (record_apache.sh) and gohttpd's for
// the same tree and directives (AUTOINDEX_UPDATE=1 go test rewrites it).
const (
	recordedApache  = "testdata/apache.json"
	recordedGohttpd = "testdata/gohttpd.json"
)

// fixtureCases are the listings compared with Apache's.
var fixtureCases = []struct{ name, target string }{
	{"table", "/dir/"},                       // Debian's autoindex.conf: table, icons, HTML header and readme
	{"table-query", "/dir/?C=S;O=D;P=*.txt"}, // sort by size, pattern
	{"fancy", "/dir/?F=1"},                   // the same as <pre>
	{"fancy-name-desc", "/dir/?F=1&V=0&C=N&O=D"},
	{"plain", "/dir/?F=0"},
	{"sub", "/dir/sub/"},       // text header and readme, FoldersFirst, IconsAreLinks, icon sizes
	{"styled", "/dir/styled/"}, // IndexStyleSheet, SuppressHTMLPreamble, AddAltClass, IndexOrderDefault
	{"opts", "/dir/opts/"},     // XHTML, Suppress*, IgnoreCase, NameWidth=12, ScanHTMLTitles, Charset=, IndexIgnoreReset
	{"opts-date", "/dir/opts/?C=M;O=D"},
	{"opts2", "/dir/opts2/"}, // table without rules and sorting, DescriptionWidth, AddAlt*, DefaultIcon
	{"opts2-desc", "/dir/opts2/?C=D;O=D"},
}

// knownDifferences names listings that differ from Apache's, with the
// reason. Every other listing must be byte for byte Apache's once dates
// are masked.
var knownDifferences = map[string]string{}

// fixtureTime is the modification time of the i-th fixture file.
func fixtureTime(i int) time.Time {
	return time.Date(2023, 4, 5, 6, 7, 0, 0, time.UTC).Add(time.Duration(i) * 37 * time.Minute)
}

// fixtureTree builds the listed directories under root/htdocs: names
// ending in '/' are directories; times are fixed so both servers show the
// same dates.
func fixtureTree(t testing.TB, root string) {
	files := map[string]string{
		"dir/HEADER.html":         "<p>Header &amp; welcome</p>\n",
		"dir/README.html":         "<p>The <em>readme</em>.</p>\n",
		"dir/README":              "read me\n",
		"dir/a.txt":               "hello\n",
		"dir/b.png":               strings.Repeat("p", 1500),
		"dir/c.tar.gz":            strings.Repeat("z", 3000),
		"dir/d.c":                 "int main;\n",
		"dir/e.sh":                "#!/bin/sh\n",
		"dir/f.odt":               strings.Repeat("o", 12000),
		"dir/song.ogg":            strings.Repeat("s", 200000),
		"dir/unknown.zzz":         "?",
		"dir/v10.txt":             "10",
		"dir/v2.txt":              "2",
		"dir/v9.txt":              "9",
		"dir/Zeta.txt":            "Z",
		"dir/x:colon.txt":         "x",
		"dir/sp ace & <amp>.html": "<html></html>",
		"dir/a very long file name that is wider than the column.txt": "long",
		"dir/.hidden":                     "h",
		"dir/backup.txt~":                 "b",
		"dir/sub/HEADER.txt":              "<b>bold</b> & text\n",
		"dir/sub/README.txt":              "the end\n",
		"dir/sub/inner/":                  "",
		"dir/sub/z.txt":                   "zz",
		"dir/sub/b.bin":                   strings.Repeat("b", 973),
		"dir/styled/HEADER.html":          "<html><head><title>Styled</title></head><body>\n",
		"dir/styled/README.html":          "</body></html>\n",
		"dir/styled/Big.txt":              strings.Repeat("B", 5000),
		"dir/styled/small.txt":            "s",
		"dir/styled/mid.gz":               strings.Repeat("m", 2000),
		"dir/styled/folder/":              "",
		"dir/opts/.hidden2":               "shown: IndexIgnoreReset",
		"dir/opts/Apple.txt":              "apple",
		"dir/opts/banana.txt":             "banana",
		"dir/opts/cherry.html":            "<html><head><TITLE>\nCherry\npie &amp; more</title></head></html>",
		"dir/opts/desc.txt":               "described",
		"dir/opts/x.log":                  "ignored",
		"dir/opts/a-really-long-name.txt": "long",
		"dir/opts/Zdir/":                  "",
		"dir/opts2/a.txt":                 "a",
		"dir/opts2/k.gz":                  "kk",
		"dir/opts2/m.html":                "<title>M</title>",
		"dir/opts2/n.txt":                 "n",
		"dir/opts2/q.zzz":                 "q",
		"dir/opts2/dir1/":                 "",
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	docs := filepath.Join(root, "htdocs")
	for _, name := range names {
		p := filepath.Join(docs, name)
		if strings.HasSuffix(name, "/") {
			require.NoError(t, os.MkdirAll(p, 0o755))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(files[name]), 0o644))
	}
	// Directories last: creating files changed their times.
	sort.SliceStable(names, func(i, j int) bool { return strings.HasSuffix(names[j], "/") && !strings.HasSuffix(names[i], "/") })
	for i, name := range names {
		ts := fixtureTime(i)
		require.NoError(t, os.Chtimes(filepath.Join(docs, name), ts, ts))
	}
	for _, d := range []string{"dir/sub", "dir/styled", "dir/opts", "dir/opts2", "dir"} {
		ts := fixtureTime(len(names) + len(d))
		require.NoError(t, os.Chtimes(filepath.Join(docs, d), ts, ts))
	}
}

// fixtureConf is gohttpd's configuration for the fixture: the autoindex
// directives of testdata/apache.conf.in (from Debian's autoindex.conf on),
// turned into TOML, so that both servers run the same ones.
func fixtureConf(t testing.TB, root string) string {
	data, err := os.ReadFile("testdata/apache.conf.in")
	require.NoError(t, err)
	text := strings.ReplaceAll(string(data), "@DIR@", root)
	_, text, ok := strings.Cut(text, "# Debian's")
	require.True(t, ok)
	types := map[string]configs.ValueType{}
	for _, d := range autoindex.Module.Directives {
		types[d.Name] = d.Type
	}
	type section struct {
		path  string
		order []string
		vals  map[string][]string
	}
	top := &section{vals: map[string][]string{}}
	var sections []*section
	cur := top
	for _, line := range strings.Split(text, "\n")[1:] {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "<Directory "):
			cur = &section{path: strings.Trim(strings.TrimSuffix(strings.TrimPrefix(line, "<Directory "), ">"), `"`), vals: map[string][]string{}}
			sections = append(sections, cur)
			continue
		case line == "</Directory>":
			cur = top
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		typ, known := types[name]
		require.True(t, known, "not an autoindex directive: %s", line)
		if typ == configs.String {
			args, err := configs.SplitArgs(rest)
			require.NoError(t, err)
			require.Len(t, args, 1, line)
			rest = args[0]
		}
		if _, seen := cur.vals[name]; !seen {
			cur.order = append(cur.order, name)
		}
		cur.vals[name] = append(cur.vals[name], rest)
	}
	var b strings.Builder
	write := func(s *section) {
		for _, name := range s.order {
			vs := s.vals[name]
			if types[name] == configs.List {
				b.WriteString(name + " = [\n")
				for _, v := range vs {
					fmt.Fprintf(&b, "  %s,\n", tomlString(v))
				}
				b.WriteString("]\n")
				continue
			}
			fmt.Fprintf(&b, "%s = %s\n", name, tomlString(vs[len(vs)-1]))
		}
	}
	b.WriteString("AddEncoding = [\"x-gzip .gz\"]\n")
	write(top)
	fmt.Fprintf(&b, "\n[[Directory]]\nPath = %s\nOptions = \"Indexes\"\n", tomlString(filepath.Join(root, "htdocs")))
	for _, s := range sections {
		fmt.Fprintf(&b, "\n[[Directory]]\nPath = %s\n", tomlString(s.path))
		write(s)
	}
	return b.String()
}

// tomlString quotes s as a TOML basic string.
func tomlString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// listingAnswer is one recorded listing.
type listingAnswer struct {
	Status      int    `json:"status"`
	ContentType string `json:"content_type"`
	Body        string `json:"body"`
}

type listingRecording struct {
	Server   string                   `json:"server"`
	Recorded string                   `json:"recorded"`
	Answers  map[string]listingAnswer `json:"answers"`
}

func fetchListing(t testing.TB, addr, target string) listingAnswer {
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	fmt.Fprintf(nc, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target)
	resp, err := nethttp.ReadResponse(bufio.NewReader(nc), &nethttp.Request{Method: "GET"})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return listingAnswer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: string(body)}
}

func readRecording(t testing.TB, file string) listingRecording {
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var rec listingRecording
	require.NoError(t, json.Unmarshal(data, &rec))
	return rec
}

func writeRecording(t testing.TB, file string, rec listingRecording) {
	data, err := json.MarshalIndent(rec, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, append(data, '\n'), 0o644))
}

var dateRe = regexp.MustCompile(`\d{4}-\d{2}-\d{2} \d{2}:\d{2}`)

// maskDates replaces listing dates, which depend on the time zone.
func maskDates(s string) string { return dateRe.ReplaceAllString(s, "YYYY-MM-DD hh:mm") }

// TestListingsAsApache serves the fixture with Debian's autoindex
// directives and compares every listing with the one Apache 2.4 made of
// the same tree (testdata/apache.json), dates masked; gohttpd's own are
// kept beside it in testdata/gohttpd.json.
func TestListingsAsApache(t *testing.T) {
	root := t.TempDir()
	fixtureTree(t, root)
	addr := serveRoot(t, root, fixtureConf(t, root))
	apache := readRecording(t, recordedApache)
	ours := listingRecording{Server: "gohttpd", Recorded: apache.Recorded, Answers: map[string]listingAnswer{}}
	for _, c := range fixtureCases {
		got := fetchListing(t, addr, c.target)
		got.Body = maskDates(got.Body)
		ours.Answers[c.name] = got
		want, ok := apache.Answers[c.name]
		require.True(t, ok, "%s: not recorded; run testdata/record_apache.sh", c.name)
		want.Body = maskDates(want.Body)
		if why, known := knownDifferences[c.name]; known {
			t.Logf("%s differs from Apache: %s", c.name, why)
			continue
		}
		assert.Equal(t, want, got, "%s (%s)", c.name, c.target)
	}
	if os.Getenv("AUTOINDEX_UPDATE") != "" {
		writeRecording(t, recordedGohttpd, ours)
		return
	}
	recorded := readRecording(t, recordedGohttpd)
	for name, got := range ours.Answers {
		assert.Equal(t, recorded.Answers[name], got, "%s: differs from testdata/gohttpd.json (AUTOINDEX_UPDATE=1 rewrites it)", name)
	}
}

// TestRecordApache records Apache's listings of the fixture into
// testdata/apache.json; record_apache.sh runs it.
func TestRecordApache(t *testing.T) {
	if os.Getenv("AUTOINDEX_RECORD_APACHE") == "" {
		t.Skip("run testdata/record_apache.sh to re-record Apache's listings")
	}
	dir, err := os.MkdirTemp("", "autoindex-apache-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) }) // after apacherec.Start's stop (cleanups run last first)
	require.NoError(t, os.Chmod(dir, 0o755))
	fixtureTree(t, dir)
	addr, version := apacherec.Start(t, dir, "testdata/apache.conf.in", "AUTOINDEX_APACHE_PORT", "8174")
	rec := listingRecording{
		Server:   version,
		Recorded: time.Now().UTC().Format("2006-01-02"),
		Answers:  map[string]listingAnswer{},
	}
	for _, c := range fixtureCases {
		rec.Answers[c.name] = fetchListing(t, addr, c.target)
	}
	writeRecording(t, recordedApache, rec)
	t.Logf("recorded %d listings of %s", len(rec.Answers), rec.Server)
}
