package autoindex_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// getResp is get returning the whole response.
func getResp(t *testing.T, addr, target string) (*nethttp.Response, string) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	fmt.Fprintf(nc, "GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", target)
	resp, err := nethttp.ReadResponse(bufio.NewReader(nc), &nethttp.Request{Method: "GET"})
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// buildConf reads and applies conf without serving it.
func buildConf(t *testing.T, conf string) (*pipeline.Generation, error) {
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte("DocumentRoot = \"htdocs\"\n"+conf), configs.ReadOptions{ServerRoot: root})
	if err != nil {
		return nil, err
	}
	return pipeline.Build(cfg, 1, nil)
}

const preamble = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n<html>\n <head>\n"

func TestHeaderAndReadme(t *testing.T) {
	conf := indexes + `HeaderName = "HEADER.html"
ReadmeName = "README.txt"
ServerSignature = "On"

[[Directory]]
Path = "htdocs/txt"
HeaderName = "HEADER.txt"
ReadmeName = "README.html"

[[Directory]]
Path = "htdocs/bare"
IndexOptions = "SuppressHTMLPreamble"

[[Directory]]
Path = "htdocs/own"
IndexOptions = "SuppressHTMLPreamble"
ReadmeName = "FOOT.html"

[[Directory]]
Path = "htdocs/abs"
HeaderName = "/shared/top.html"
`
	addr := serve(t, conf, map[string]string{
		"html/HEADER.html":  "<p>Top &amp; more</p>\n",
		"html/README.txt":   "a <plain> & readme\n",
		"txt/HEADER.txt":    "x < y & z\n",
		"txt/README.html":   "<p>bottom</p>\n",
		"bare/f.txt":        "f",
		"own/HEADER.html":   "<html><body><h2>mine</h2>\n",
		"own/FOOT.html":     "</body></html><!-- mine -->\n",
		"abs/f.txt":         "f",
		"shared/top.html":   "<p>shared</p>\n",
		"shared/index.html": "not listed",
	})

	// An HTML header: preamble, then the file in place of the <h1>; a text
	// readme in <pre> replaces the signature.
	_, body := get(t, addr, "GET", "/html/")
	assert.True(t, strings.HasPrefix(body, preamble+"  <title>Index of /html</title>\n </head>\n <body>\n<p>Top &amp; more</p>\n<ul>"), body)
	assert.NotContains(t, body, "<h1>")
	assert.True(t, strings.HasSuffix(body, "</ul>\n<pre>\na &lt;plain&gt; &amp; readme\n</pre>\n</body></html>\n"), body)
	assert.NotContains(t, body, "<address>")

	// A text header in <pre> after the preamble; an HTML readme, then no
	// signature.
	_, body = get(t, addr, "GET", "/txt/")
	assert.Contains(t, body, " <body>\n<pre>\nx &lt; y &amp; z\n</pre>\n<ul>")
	assert.True(t, strings.HasSuffix(body, "</ul>\n<p>bottom</p>\n</body></html>\n"), body)

	// SuppressHTMLPreamble without a header file: the preamble as usual,
	// and the signature without a readme.
	_, body = get(t, addr, "GET", "/bare/")
	assert.True(t, strings.HasPrefix(body, preamble), body)
	assert.Contains(t, body, "<h1>Index of /bare</h1>")
	assert.Contains(t, body, "<address>")

	// SuppressHTMLPreamble with HTML header and readme: the files make the
	// whole document.
	_, body = get(t, addr, "GET", "/own/")
	assert.True(t, strings.HasPrefix(body, "<html><body><h2>mine</h2>\n<ul>"), body)
	assert.True(t, strings.HasSuffix(body, "</ul>\n</body></html><!-- mine -->\n"), body)

	// HeaderName is a URI: an absolute one is found anywhere.
	_, body = get(t, addr, "GET", "/abs/")
	assert.Contains(t, body, " <body>\n<p>shared</p>\n<ul>")
}

func TestColumnsAndWidths(t *testing.T) {
	conf := indexes + `IndexOptions = "FancyIndexing SuppressIcon SuppressLastModified SuppressSize NameWidth=8 UseOldDateFormat"
AddDescription = ["\"one two three four five six seven eight nine\" *.txt"]
`
	addr := serve(t, conf, map[string]string{"w/longname.txt": "x", "w/ab.txt": "y"})
	_, body := get(t, addr, "GET", "/w/")
	// Without DescriptionWidth the description has 23 + 6 + 19 + 7 columns.
	assert.Contains(t, body, "<pre><a href=\"?C=N;O=D\">Name</a>     <a href=\"?C=D;O=A\">Description</a><hr>")
	assert.Contains(t, body, "<a href=\"ab.txt\">ab.txt</a>   one two three four five six seven eight nine\n")
	assert.Contains(t, body, "<a href=\"longname.txt\">longn..&gt;</a> one two")

	conf = indexes + `IndexOptions = "FancyIndexing SuppressIcon DescriptionWidth=12 UseOldDateFormat"
AddDescription = ["\"<b>bold</b> &amp; description here\" *.txt"]
`
	addr = serve(t, conf, map[string]string{"w/ab.txt": "y"})
	_, body = get(t, addr, "GET", "/w/")
	assert.Contains(t, body, "<b>bold</b> &amp; desc>\n", "markup is free, an entity counts one")
	assert.Regexp(t, `\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d`, body, "UseOldDateFormat")
}

func TestContentTypeAndTrackModified(t *testing.T) {
	addr := serve(t, indexes+"IndexOptions = \"Type=text/x-listing Charset=UTF-8 TrackModified\"\n", map[string]string{"d/f.txt": "x"})
	resp, _ := getResp(t, addr, "/d/")
	assert.Equal(t, "text/x-listing;charset=UTF-8", resp.Header.Get("Content-Type"))
	lm, err := nethttp.ParseTime(resp.Header.Get("Last-Modified"))
	require.NoError(t, err)
	assert.Equal(t, time.Date(2022, 5, 6, 7, 8, 0, 0, time.Local).Add(4096*time.Minute).UTC(), lm, "the directory's time")
	assert.NotEmpty(t, resp.Header.Get("ETag"))

	addr = serve(t, indexes, map[string]string{"d/f.txt": "x"})
	resp, _ = getResp(t, addr, "/d/")
	assert.Equal(t, "text/html;charset=ISO-8859-1", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("Last-Modified"))
}

func TestShowForbiddenAndIgnoreClient(t *testing.T) {
	conf := indexes + `IndexOptions = "FancyIndexing IgnoreClient"

[[Directory]]
Path = "htdocs/d"
[[Directory.Files]]
Path = "secret.txt"
Require = ["all denied"]

[[Directory]]
Path = "htdocs/show"
IndexOptions = "+ShowForbidden"
[[Directory.Files]]
Path = "secret.txt"
Require = ["all denied"]
`
	addr := serve(t, conf, map[string]string{"d/secret.txt": "s", "d/open.txt": "o", "show/secret.txt": "s"})
	_, body := get(t, addr, "GET", "/d/?C=N;O=D")
	assert.Equal(t, []string{"/", "open.txt"}, names(body))
	assert.NotContains(t, body, "?C=", "IgnoreClient suppresses sort links")
	_, body = get(t, addr, "GET", "/show/")
	assert.Equal(t, []string{"/", "secret.txt"}, names(body))
}

func TestIconsAndAlts(t *testing.T) {
	conf := indexes + `IndexOptions = "FancyIndexing IconWidth=16 IconHeight"
AddEncoding = ["x-gzip .gz"]
AddIconByEncoding = ["(Z,/i/z.gif) x-gzip"]
AddIconByType = ["(T,/i/t.gif) text/*"]
AddIcon = ["/i/dir.gif **DIRECTORY**", "/i/up.gif ..", "/i/blank.gif ^^BLANKICON^^", "/i/x.gif *.x?z", "/i/q&.gif .q"]
AddAlt = ["\"Up\" ..", "\"Q\" .q"]
DefaultIcon = "/i/default.gif"
`
	addr := serve(t, conf, map[string]string{
		"i/a.txt": "a", "i/a.txt.gz": "gz", "i/b.xyz": "x", "i/c.q": "q", "i/d.bin": "d", "i/sub/": "",
	})
	_, body := get(t, addr, "GET", "/i/")
	for _, want := range []string{
		`<pre><img src="/i/blank.gif" alt="Icon " width="16" height="22"> <a href="?C=N;O=D">Name</a>`,
		`<img src="/i/up.gif" alt="[Up]" width="16" height="22"> <a href="/">Parent Directory</a>`,
		`<img src="/i/t.gif" alt="[T]" width="16" height="22"> <a href="a.txt">`,
		`<img src="/i/z.gif" alt="[Z]" width="16" height="22"> <a href="a.txt.gz">`,
		`<img src="/i/x.gif" alt="[   ]" width="16" height="22"> <a href="b.xyz">`,
		`<img src="/i/q&amp;.gif" alt="[Q]" width="16" height="22"> <a href="c.q">`,
		`<img src="/i/default.gif" alt="[   ]" width="16" height="22"> <a href="d.bin">`,
		`<img src="/i/dir.gif" alt="[DIR]" width="16" height="22"> <a href="sub/">`,
	} {
		assert.Contains(t, body, want)
	}
}

func TestVersionSortAndIgnoreCase(t *testing.T) {
	addr := serve(t, indexes+"IndexOptions = \"FancyIndexing VersionSort IgnoreCase\"\n", map[string]string{
		"v/a10.txt": "", "v/A2.txt": "", "v/a1.txt": "", "v/B.txt": "", "v/a02.txt": "",
	})
	_, body := get(t, addr, "GET", "/v/")
	assert.Equal(t, []string{"/", "a02.txt", "a1.txt", "A2.txt", "a10.txt", "B.txt"}, names(body))
	_, body = get(t, addr, "GET", "/v/?V=0")
	assert.Equal(t, []string{"/", "a02.txt", "a1.txt", "a10.txt", "A2.txt", "B.txt"}, names(body))
}

func TestQueryPattern(t *testing.T) {
	addr := serve(t, indexes+"IndexOptions = \"FancyIndexing\"\n", map[string]string{
		"p/a b.txt": "", "p/c.html": "", "p/.dot.txt": "",
	})
	_, body := get(t, addr, "GET", "/p/?P=*%20b.*")
	assert.Equal(t, []string{"/", "a%20b.txt"}, names(body))
	assert.Contains(t, body, `<a href="?C=N;O=D;P=*%20b.*">Name</a>`)
	_, body = get(t, addr, "GET", "/p/?P=*.txt")
	assert.Equal(t, []string{"/", "a%20b.txt"}, names(body), "a leading dot must be matched literally")
	_, body = get(t, addr, "GET", "/p/?P=%zz")
	assert.Len(t, names(body), 4, "a bad pattern is ignored")
}

func TestIndexOptionsMerge(t *testing.T) {
	conf := indexes + `IndexOptions = "FancyIndexing SuppressSize"

[[Directory]]
Path = "htdocs/inc"
IndexOptions = "+SuppressLastModified -SuppressSize"

[[Directory]]
Path = "htdocs/plain"
IndexOptions = "HTMLTable"

[[Directory]]
Path = "htdocs/none"
IndexOptions = "None"
`
	addr := serve(t, conf, map[string]string{"inc/f": "", "plain/f": "", "none/f": ""})
	_, body := get(t, addr, "GET", "/inc/")
	assert.Contains(t, body, `<a href="?C=S;O=A">Size</a>`)
	assert.NotContains(t, body, "Last modified")
	_, body = get(t, addr, "GET", "/plain/")
	assert.Contains(t, body, "<table>", "a plain keyword replaces the inherited options")
	assert.Contains(t, body, "Size")
	_, body = get(t, addr, "GET", "/none/")
	assert.Contains(t, body, "<ul>")

	for _, bad := range []string{"+None", "NameWidth=3", "-NameWidth=9", "NameWidth", "Bogus", "None FancyIndexing"} {
		_, err := buildConf(t, indexes+"IndexOptions = \""+bad+"\"\n")
		assert.Error(t, err, bad)
	}
}

func TestStyleSheetAndHeadInsert(t *testing.T) {
	conf := indexes + `IndexOptions = "XHTML"
IndexStyleSheet = "/s.css"
IndexHeadInsert = "<meta name=\"x\" content=\"y\" />"
`
	addr := serve(t, conf, map[string]string{"s/f.txt": "f"})
	_, body := get(t, addr, "GET", "/s/")
	assert.Contains(t, body, "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n <head>\n  <title>Index of /s</title>\n"+
		"  <link rel=\"stylesheet\" href=\"/s.css\" type=\"text/css\" />\n<meta name=\"x\" content=\"y\" /> </head>\n <body>\n"+
		"  <h1 id=\"indextitle\">Index of /s</h1>\n<ul>")
}

// TestDebianDefaults loads configs/extra/autoindex.toml, the defaults
// suggested for configs/httpd.toml, and lists a directory with them.
func TestDebianDefaults(t *testing.T) {
	defaults, err := os.ReadFile("../../configs/extra/autoindex.toml")
	require.NoError(t, err)
	addr := serve(t, string(defaults)+"\n"+indexes, map[string]string{"d/a.txt": "a", "d/b.tar": "b", "d/.xy": "hidden", "d/sub/": ""})
	resp, body := getResp(t, addr, "/d/")
	assert.Equal(t, "text/html;charset=UTF-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, `<th valign="top"><img src="/icons/blank.gif" alt="[ICO]"></th>`)
	assert.Contains(t, body, `<img src="/icons/back.gif" alt="[PARENTDIR]">`)
	assert.Contains(t, body, `<img src="/icons/text.gif" alt="[TXT]"></td><td><a href="a.txt">a.txt</a>`)
	assert.Contains(t, body, `<img src="/icons/tar.gif" alt="[   ]"></td><td><a href="b.tar">b.tar</a>`)
	assert.Contains(t, body, `<img src="/icons/folder.gif" alt="[DIR]"></td><td><a href="sub/">sub/</a>`)
	assert.NotContains(t, body, ".xy", "IndexIgnore .??*")
}
