package info_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/all"
	"gohttpd/pipeline"
)

const conf = `Listen = ["127.0.0.1:1", "127.0.0.1:2"]
DocumentRoot = "htdocs"
ExtendedStatus = true
AddModuleInfo = ["mod_status.c 'See <a href=\"/server-status\">the status</a>'"]

[[Location]]
Path = "/server-info"
SetHandler = "server-info"

[IfModule.status]
[[IfModule.status.Location]]
Path = "/server-status"
SetHandler = "server-status"

[IfModule.nosuchmodule]
Timeout = 5
`

type site struct {
	g    *pipeline.Generation
	base string
}

// serve builds the generation and serves it on loopback until the test
// ends.
func serve(t *testing.T, conf string) *site {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "htdocs"), 0o755))
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var conns sync.Map
	wg.Add(1)
	go func() {
		defer wg.Done()
		for id := int64(1); ; id++ {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(nc, true)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conns.Delete(nc)
				pipeline.ServeConnection(g, nc, g.Main, id, nil, nil)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		conns.Range(func(k, _ any) bool { k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	return &site{g: g, base: "http://" + ln.Addr().String()}
}

func (s *site) get(t *testing.T, method, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, nil)
	require.NoError(t, err)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func moduleFile(name string) string {
	if name == "core" {
		return "core.c"
	}
	return "mod_" + name + ".c"
}

// listedHooks parses the hooks listing: each hook's name with its
// functions as "order module func".
func listedHooks(t *testing.T, page string) ([]string, map[string][]string) {
	t.Helper()
	var names []string
	fns := map[string][]string{}
	hook := regexp.MustCompile(`(?s)<dt id="hook-([^"]+)">(.*?)</dt>`)
	item := regexp.MustCompile(`&nbsp;&nbsp; (-?\d+) <a class="hookfn" href="[?#]([^"]+)">[^<]*</a> <small>([^< ]*)`)
	for _, m := range hook.FindAllStringSubmatch(page, -1) {
		names = append(names, m[1])
		for _, it := range item.FindAllStringSubmatch(m[2], -1) {
			order, err := strconv.Atoi(it[1]) // printed as %02d
			require.NoError(t, err)
			fns[m[1]] = append(fns[m[1]], strconv.Itoa(order)+" "+it[2]+" "+it[3])
		}
	}
	return names, fns
}

// engineHooks is the same from the engine's introspection.
func engineHooks(g *pipeline.Generation) ([]string, map[string][]string) {
	var names []string
	fns := map[string][]string{}
	for _, h := range g.Hooks.Describe() {
		names = append(names, h.Name)
		for _, f := range h.Functions {
			fns[h.Name] = append(fns[h.Name], strconv.Itoa(int(f.Order))+" "+moduleFile(f.Module)+" "+f.Func)
		}
	}
	return names, fns
}

func TestHooksListedInEngineOrder(t *testing.T) {
	s := serve(t, conf)
	status, page := s.get(t, "GET", "/server-info?hooks")
	require.Equal(t, 200, status)
	gotNames, gotFns := listedHooks(t, page)
	wantNames, wantFns := engineHooks(s.g)
	assert.Equal(t, wantNames, gotNames, "every hook, in Describe order")
	assert.Equal(t, wantFns, gotFns, "every function, in run order, with order, module and Go function")
	assert.Contains(t, wantNames, "proxy_scheme_handler", "private hooks are listed too")
	assert.Contains(t, page, `<h2><a name="request_hooks">Request Hooks</a></h2>`)
	assert.Contains(t, page, `<dt id="hook-handler"><strong>Content Handlers:</strong> <small>(handler, RUN_FIRST)</small>`)
	assert.Contains(t, page, `href="?mod_status.c">mod_status.c</a> <small>gohttpd/modules/status.handle</small>`)
	for _, h := range []string{"pre_config", "monitor"} {
		assert.Equal(t, 1, strings.Count(page, `id="hook-`+h+`"`))
	}
	assert.Equal(t, 3, strings.Count(page, "<h2>"), "the groups are contiguous")
}

func TestConfigView(t *testing.T) {
	s := serve(t, conf)
	_, page := s.get(t, "GET", "/server-info?config")
	file := filepath.Join(s.g.Config.ServerRoot, "httpd.toml")
	want := "<dl><dt><strong>Configuration:</strong>\n" +
		"<dd><tt><strong>In file: " + file + "</strong></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;1:&nbsp;Listen <i>127.0.0.1:1</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;1:&nbsp;Listen <i>127.0.0.1:2</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;2:&nbsp;DocumentRoot <i>htdocs</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;3:&nbsp;ExtendedStatus <i>On</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;4:&nbsp;AddModuleInfo <i>mod_status.c &#39;See &lt;a href=&#34;/server-status&#34;&gt;the status&lt;/a&gt;&#39;</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;6:&nbsp;&lt;Location /server-info&gt;</tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;8:&nbsp;&nbsp;&nbsp;SetHandler <i>server-info</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;&nbsp;:&nbsp;&lt;/Location&gt;</tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;11:&nbsp;&lt;Location /server-status&gt;</tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;13:&nbsp;&nbsp;&nbsp;SetHandler <i>server-status</i></tt></dd>\n" +
		"<dd><tt>&nbsp;&nbsp;&nbsp;&nbsp;:&nbsp;&lt;/Location&gt;</tt></dd>\n" +
		"</dl><hr />"
	assert.Contains(t, page, want)
	assert.NotContains(t, page, "Timeout", "IfModule bodies of modules not loaded are not in force")
}

func TestModulePages(t *testing.T) {
	s := serve(t, conf)
	for _, q := range []string{"mod_status.c", "status", "status_module"} {
		_, page := s.get(t, "GET", "/server-info?"+q)
		assert.Contains(t, page, `<a name="mod_status.c"><strong>Module Name:</strong></a>`, q)
		assert.Contains(t, page, "<dt><strong>Content handlers:</strong> <tt> <em>yes</em></tt></dt>")
		assert.Contains(t, page, "<tt>Create Server Config</tt>")
		assert.Contains(t, page, "<dd><tt>ExtendedStatus - <i>")
		assert.Contains(t, page, "<dt><strong>Current Configuration:</strong></dt>\n<dd><tt><strong>In file: ")
		assert.Contains(t, page, "&nbsp;&nbsp;&nbsp;3:&nbsp;ExtendedStatus <i>On</i>")
		assert.NotContains(t, page, "DocumentRoot", "only the module's directives")
		assert.Contains(t, page, `<dt><strong>Additional Information:</strong>`+"\n"+`</dt><dd>See <a href="/server-status">the status</a></dd>`)
	}
	_, page := s.get(t, "GET", "/server-info?core.c")
	assert.Contains(t, page, "&lt;Location /server-info&gt;", "core's page shows the sections around its directives")
	assert.Contains(t, page, "<tt>Translate Name</tt>")
	_, page = s.get(t, "GET", "/server-info?nosuch")
	assert.Contains(t, page, "<p><b>No such module</b></p>")
}

func TestListServerAndDefault(t *testing.T) {
	s := serve(t, conf)
	_, page := s.get(t, "GET", "/server-info?list")
	items := regexp.MustCompile(`<dd>([^<]+)</dd>`).FindAllStringSubmatch(page, -1)
	var names []string
	for _, m := range items {
		names = append(names, m[1])
	}
	var want []string
	for _, m := range s.g.Modules.Modules() {
		want = append(want, moduleFile(m.Name))
	}
	sort.Strings(want)
	assert.Equal(t, want, names)

	_, page = s.get(t, "GET", "/server-info?server")
	assert.Contains(t, page, "<dt><strong>Server Version:</strong> <font size=\"+1\"><tt>"+pipeline.Banner()+"</tt></font></dt>")
	assert.Contains(t, page, "<dt><strong>MPM Name:</strong> <tt>prefork</tt></dt>")
	assert.Contains(t, page, "<dt><strong>Timeouts:</strong> <tt>connection: 60 &nbsp;&nbsp; keep-alive: 5</tt></dt>")

	status, page := s.get(t, "GET", "/server-info")
	assert.Equal(t, 200, status)
	for _, want := range []string{"Subpages:", `<a name="modules">Loaded Modules</a>`, `<a name="server">Server Settings</a>`,
		`id="hook-translate_name"`, `<a name="core.c">`, `<a name="mod_info.c">`} {
		assert.Contains(t, page, want)
	}

	status, _ = s.get(t, "POST", "/server-info")
	assert.Equal(t, 405, status)
}

func TestAddModuleInfoNeedsTwoWords(t *testing.T) {
	root := t.TempDir()
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(`AddModuleInfo = ["mod_status.c one two"]`), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	_, err = pipeline.Build(cfg, 1, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want a module name and one string")
}
