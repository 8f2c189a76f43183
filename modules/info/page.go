package info

import (
	"fmt"
	"html"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// page is what one server-info request shows.
type page struct {
	b     *strings.Builder
	r     *pipeline.Request
	g     *pipeline.Generation
	args  string
	hooks []pipeline.HookInfo
}

// writePage writes the page the query string asks for, following the
// layout of Apache's display_info.
func writePage(b *strings.Builder, r *pipeline.Request) {
	p := &page{b: b, r: r, g: r.Server.Gen, args: r.Args, hooks: r.Server.Gen.Hooks.Describe()}
	b.WriteString("<!DOCTYPE html>\n<html>\n<head>\n  <title>Server Information</title>\n</head>\n")
	b.WriteString("<body><h1 style=\"text-align: center\">gohttpd Server Information</h1>\n")
	switch q := strings.ToLower(p.args); q {
	case "":
		p.subpages()
		p.moduleIndex()
		p.serverSettings()
		p.activeHooks()
		for _, m := range p.sortedModules() {
			p.modulePage(m)
		}
	case "list":
		b.WriteString("<dl><dt>Server Module List</dt>")
		for _, m := range p.sortedModules() {
			fmt.Fprintf(b, "<dd>%s</dd>", moduleFile(m.Name))
		}
		b.WriteString("</dl><hr />")
	case "server":
		p.serverSettings()
	case "hooks":
		p.activeHooks()
	case "config":
		b.WriteString("<dl><dt><strong>Configuration:</strong>\n")
		w := &configWriter{b: b}
		w.write(configTree(p.g.Config.Root, p.g.Modules), 0)
		b.WriteString("</dl><hr />")
	default:
		if m := findModule(p.g.Modules, p.args); m != nil {
			p.modulePage(m)
		} else {
			b.WriteString("<p><b>No such module</b></p>\n")
		}
	}
	fmt.Fprintf(b, "<address>%s Server at %s</address>\n</body></html>\n", html.EscapeString(pipeline.Banner()), html.EscapeString(serverName(r)))
}

func (p *page) subpages() {
	p.b.WriteString("<dl><dt><tt>Subpages:<br />" +
		"<a href=\"?config\">Configuration Files</a>, " +
		"<a href=\"?server\">Server Settings</a>, " +
		"<a href=\"?list\">Module List</a>, " +
		"<a href=\"?hooks\">Active Hooks</a>" +
		"</tt></dt></dl><hr />")
	p.b.WriteString("<dl><dt><tt>Sections:<br />" +
		"<a href=\"#modules\">Loaded Modules</a>, " +
		"<a href=\"#server\">Server Settings</a>, " +
		"<a href=\"#request_hooks\">Request Hooks</a>, " +
		"<a href=\"#startup_hooks\">Server Hooks</a>, " +
		"<a href=\"#other_hooks\">Module Hooks</a>" +
		"</tt></dt></dl><hr />")
}

// sortedModules returns the loaded modules sorted by listing name, as
// Apache sorts them.
func (p *page) sortedModules() []*pipeline.Module {
	ms := append([]*pipeline.Module(nil), p.g.Modules.Modules()...)
	sort.Slice(ms, func(i, j int) bool { return moduleFile(ms[i].Name) < moduleFile(ms[j].Name) })
	return ms
}

func (p *page) moduleIndex() {
	p.b.WriteString("<h2><a name=\"modules\">Loaded Modules</a></h2><dl><dt><tt>")
	for _, m := range p.sortedModules() {
		f := moduleFile(m.Name)
		fmt.Fprintf(p.b, "<a href=\"#%s\">%s</a>, ", f, f)
	}
	p.b.WriteString("</tt></dt></dl><hr />")
}

// serverName is the host the request addressed, else the server's name.
func serverName(r *pipeline.Request) string {
	switch {
	case r.Hostname != "":
		return r.Hostname
	case r.Server.ServerName != "":
		return r.Server.ServerName
	}
	return r.Conn.LocalAddr
}

func (p *page) serverSettings() {
	b, esc := p.b, html.EscapeString
	proc := p.g.Process
	dt := func(label, value string) {
		fmt.Fprintf(b, "<dt><strong>%s:</strong> <tt>%s</tt></dt>\n", label, value)
	}
	b.WriteString("<h2><a name=\"server\">Server Settings</a></h2>")
	fmt.Fprintf(b, "<dl><dt><strong>Server Version:</strong> <font size=\"+1\"><tt>%s</tt></font></dt>\n", esc(pipeline.Banner()))
	fmt.Fprintf(b, "<dt><strong>Server Built:</strong> <font size=\"+1\"><tt>%s</tt></font></dt>\n", pipeline.Built().UTC().Format("2006-01-02T15:04:05"))
	dt("Go Version", esc(runtime.Version()))
	dt("Hostname/port", esc(serverName(p.r))+":"+strconv.Itoa(p.r.Conn.LocalPort))
	fmt.Fprintf(b, "<dt><strong>Timeouts:</strong> <tt>connection: %d &nbsp;&nbsp; keep-alive: %d</tt></dt>",
		int(p.r.Server.Timeout.Seconds()), int(p.r.Server.KeepAliveTimeout.Seconds()))
	mpm, threaded := "prefork", "no"
	if proc.ThreadsPerChild > 1 {
		mpm, threaded = "worker", "yes"
	}
	dt("MPM Name", mpm)
	maxDaemons := proc.ServerLimit
	if proc.ThreadsPerChild > 0 {
		maxDaemons = min(maxDaemons, proc.MaxRequestWorkers/proc.ThreadsPerChild)
	}
	dt("MPM Information", fmt.Sprintf("Max Daemons: %d Threaded: %s Forked: yes", maxDaemons, threaded))
	dt("Server Architecture", strconv.Itoa(strconv.IntSize)+"-bit")
	dt("Server Root", esc(p.g.Config.ServerRoot))
	dt("Config File", esc(p.g.Config.Main))
	b.WriteString("<dt><strong>Server Built With:</strong>\n<tt style=\"white-space: pre;\">\n")
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(b, " -D GO_VERSION=%s\n", esc(bi.GoVersion))
		for _, s := range bi.Settings {
			fmt.Fprintf(b, " -D %s=%s\n", esc(s.Key), esc(s.Value))
		}
	}
	b.WriteString("</tt></dt>\n</dl><hr />")
}

// activeHooks lists every hook with its functions in run order, in the
// order of pipeline.Hooks.Describe.
func (p *page) activeHooks() {
	b := p.b
	qs := "#"
	if strings.EqualFold(p.args, "hooks") {
		qs = "?"
	}
	var group hookGroup
	for _, h := range p.hooks {
		title, gr := hookTitle(h.Name)
		if gr != group {
			if group.anchor != "" {
				b.WriteString("</dl>\n<hr />\n")
			}
			fmt.Fprintf(b, "<h2><a name=\"%s\">%s</a></h2>\n<dl>", gr.anchor, gr.title)
			group = gr
		}
		fmt.Fprintf(b, "<dt id=\"hook-%s\"><strong>%s:</strong> <small>(%s, %s)</small>\n <br /><tt>\n",
			html.EscapeString(h.Name), html.EscapeString(title), html.EscapeString(h.Name), h.Kind)
		for _, f := range h.Functions {
			mf := moduleFile(f.Module)
			fmt.Fprintf(b, "&nbsp;&nbsp; %02d <a class=\"hookfn\" href=\"%s%s\">%s</a> <small>%s%s</small> <br/>",
				int(f.Order), qs, mf, mf, html.EscapeString(f.Func), constraintText(f))
		}
		b.WriteString("\n  </tt>\n</dt>\n")
	}
	if group.anchor != "" {
		b.WriteString("</dl>\n<hr />\n")
	}
}

// constraintText shows a function's ordering constraints.
func constraintText(f pipeline.FunctionInfo) string {
	var parts []string
	if len(f.Predecessors) > 0 {
		parts = append(parts, "after "+strings.Join(f.Predecessors, ", "))
	}
	if len(f.Successors) > 0 {
		parts = append(parts, "before "+strings.Join(f.Successors, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return html.EscapeString(" (" + strings.Join(parts, "; ") + ")")
}

// modulePage writes one module's section: handlers, configuration and
// request phases, directives and the configuration lines that use them.
func (p *page) modulePage(m *pipeline.Module) {
	b, esc := p.b, html.EscapeString
	f := moduleFile(m.Name)
	fmt.Fprintf(b, "<dl><dt><a name=\"%s\"><strong>Module Name:</strong></a> <font size=\"+1\"><tt><a href=\"?%s\">%s</a></tt></font></dt>\n", f, f, f)
	if m.Description != "" {
		fmt.Fprintf(b, "<dt><strong>Description:</strong> <tt>%s</tt></dt>\n", esc(m.Description))
	}
	var phases []string
	handler := "none"
	for _, h := range p.hooks {
		for _, fn := range h.Functions {
			if fn.Module == m.Name {
				title, _ := hookTitle(h.Name)
				phases = append(phases, "<tt>"+esc(title)+"</tt>")
				if h.Name == "handler" {
					handler = "yes"
				}
				break
			}
		}
	}
	fmt.Fprintf(b, "<dt><strong>Content handlers:</strong> <tt> <em>%s</em></tt></dt>", handler)
	var conf []string
	for _, c := range []struct {
		set  bool
		name string
	}{
		{m.CreateDirConfig != nil, "Create Directory Config"},
		{m.MergeDirConfig != nil, "Merge Directory Configs"},
		{m.CreateServerConfig != nil, "Create Server Config"},
		{m.MergeServerConfig != nil, "Merge Server Configs"},
	} {
		if c.set {
			conf = append(conf, "<tt>"+c.name+"</tt>")
		}
	}
	b.WriteString("<dt><strong>Configuration Phase Participation:</strong>\n")
	b.WriteString(orNone(conf))
	b.WriteString("</dt><dt><strong>Request Phase Participation:</strong>\n")
	b.WriteString(orNone(phases))
	b.WriteString("</dt>\n")
	if len(m.Directives) == 0 {
		b.WriteString("<dt><strong>Module Directives:</strong> <tt>none</tt></dt>")
	} else {
		b.WriteString("<dt><strong>Module Directives:</strong></dt>")
		names := map[string]bool{}
		for _, d := range m.Directives {
			names[strings.ToLower(d.Name)] = true
			fmt.Fprintf(b, "<dd><tt>%s - <i>%s</i></tt></dd>\n", esc(d.Name), esc(d.Help))
		}
		b.WriteString("<dt><strong>Current Configuration:</strong></dt>\n")
		w := &configWriter{b: b}
		w.write(prune(configTree(p.g.Config.Root, p.g.Modules), func(key string) bool { return names[strings.ToLower(key)] }), 0)
	}
	if cfg := pipeline.ModuleConfig[*serverConfig](p.r.Server.Config, Module); cfg != nil {
		for _, mi := range cfg.more {
			if mi.module == m.Name {
				// Raw HTML, as Apache prints it: the administrator wrote it.
				fmt.Fprintf(b, "<dt><strong>Additional Information:</strong>\n</dt><dd>%s</dd>", mi.html)
			}
		}
	}
	b.WriteString("</dl><hr />\n")
}

func orNone(items []string) string {
	if len(items) == 0 {
		return "<tt> <em>none</em></tt>"
	}
	return strings.Join(items, ", ")
}
