package main

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime"
	"sort"
	"strings"

	"gohttpd/configs"
	"gohttpd/modules/core"
	"gohttpd/pipeline"
)

func printVersion(w io.Writer) {
	fmt.Fprintf(w, "Server version: %s (Unix)\n", pipeline.Banner())
	fmt.Fprintf(w, "Server built:   %s\n", pipeline.Built().UTC().Format("2006-01-02T15:04:05"))
}

func printSettings(w io.Writer, o *options) {
	printVersion(w)
	fmt.Fprintf(w, "Server's Module Magic Number: gohttpd-modules-1\n")
	fmt.Fprintf(w, "Go version:     %s\n", runtime.Version())
	fmt.Fprintf(w, "Architecture:   %d-bit\n", 32<<(^uint(0)>>63))
	fmt.Fprintf(w, "Server MPM:     gohttpd (prefork with ThreadsPerChild 1, threaded above)\n")
	fmt.Fprintf(w, "  threaded:     yes (ThreadsPerChild > 1)\n")
	fmt.Fprintf(w, "    forked:     yes (re-executed children)\n")
	fmt.Fprintf(w, "Server compiled with....\n")
	fmt.Fprintf(w, " -D GOOS=%q\n -D GOARCH=%q\n", runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, " -D SERVER_CONFIG_FILE=%q\n", defaultConfigFile)
	fmt.Fprintf(w, " -D DEFAULT_CONFIG=%q\n", configs.DefaultConfigName)
	fmt.Fprintf(w, " -D DEFAULT_PIDLOG=%q\n", pipeline.DefaultProcessConfig("").PidFile)
	fmt.Fprintf(w, " -D DEFAULT_ERRORLOG=%q\n", pipeline.DefaultProcessConfig("").ErrorLog)
}

func printCompiled(w io.Writer) {
	fmt.Fprintln(w, "Compiled in modules:")
	for _, m := range pipeline.CompiledModules() {
		fmt.Fprintf(w, "  mod_%s\n", m.Name)
	}
}

func printLoaded(w io.Writer, g *pipeline.Generation) {
	fmt.Fprintln(w, "Loaded Modules:")
	for _, m := range g.Modules.Modules() {
		fmt.Fprintf(w, " %s_module (static)\n", m.Name)
	}
}

// printDirectives lists every directive of every loaded module, as
// Apache's -L: name and module, help line, where allowed, value syntax.
func printDirectives(w io.Writer, cfg *configs.Config) {
	loaded := map[string]bool{}
	var names []string
	for _, e := range cfg.Root.Entries {
		if strings.EqualFold(e.Key, "LoadModule") {
			switch v := e.Value.(type) {
			case string:
				names = append(names, strings.Fields(v)[0])
			case []any:
				for _, x := range v {
					if s, ok := x.(string); ok && s != "" {
						names = append(names, strings.Fields(s)[0])
					}
				}
			}
		}
	}
	set, err := pipeline.SelectModules(names)
	if err != nil {
		set, _ = pipeline.SelectModules(nil)
	}
	for _, m := range set.Modules() {
		loaded[m.Name] = true
		dirs := append([]*configs.Directive(nil), m.Directives...)
		sort.SliceStable(dirs, func(i, j int) bool { return dirs[i].Name < dirs[j].Name })
		for _, d := range dirs {
			fmt.Fprintf(w, "%s (mod_%s)\n", d.Name, m.Name)
			fmt.Fprintf(w, "\t%s\n", d.Help)
			fmt.Fprintf(w, "\tAllowed in: %s\n", d.Scope)
			syntax := d.Syntax
			if syntax == "" {
				syntax = d.Type.String()
			}
			fmt.Fprintf(w, "\tValue: %s (TOML %s)\n", syntax, d.Type)
		}
	}
}

// printVhosts prints the -S view: virtual hosts, then run settings.
func printVhosts(w io.Writer, g *pipeline.Generation) {
	main := g.Main
	fmt.Fprintln(w, "VirtualHost configuration:")
	byAddr := map[string][]*pipeline.Server{}
	var addrs []string
	for _, v := range main.VirtualHosts() {
		for _, a := range v.Addrs {
			if _, ok := byAddr[a]; !ok {
				addrs = append(addrs, a)
			}
			byAddr[a] = append(byAddr[a], v)
		}
	}
	for _, a := range addrs {
		vs := byAddr[a]
		if len(vs) == 1 {
			fmt.Fprintf(w, "%-22s %s (%s)\n", a, name(vs[0]), vs[0].Pos)
			continue
		}
		fmt.Fprintf(w, "%s is a NameVirtualHost\n", a)
		fmt.Fprintf(w, "         default server %s (%s)\n", name(vs[0]), vs[0].Pos)
		for _, v := range vs {
			fmt.Fprintf(w, "         port %s namevhost %s (%s)\n", portOf(a), name(v), v.Pos)
			for _, al := range v.ServerAlias {
				fmt.Fprintf(w, "                 alias %s\n", al)
			}
		}
	}
	p := g.Process
	fmt.Fprintf(w, "ServerRoot: %q\n", p.ServerRoot)
	fmt.Fprintf(w, "Main DocumentRoot: %q\n", documentRoot(main))
	fmt.Fprintf(w, "Main ErrorLog: %q\n", p.ErrorLog)
	fmt.Fprintf(w, "PidFile: %q\n", p.PidFile)
	for _, d := range g.Config.Defines {
		fmt.Fprintf(w, "Define: %s\n", d)
	}
	if u, err := user.Lookup(p.User); err == nil {
		fmt.Fprintf(w, "User: name=%q id=%s\n", u.Username, u.Uid)
	} else {
		fmt.Fprintf(w, "User: name=%q (unknown: %v)\n", p.User, err)
	}
	if p.Group != "" {
		if gr, err := user.LookupGroup(p.Group); err == nil {
			fmt.Fprintf(w, "Group: name=%q id=%s\n", gr.Name, gr.Gid)
		} else {
			fmt.Fprintf(w, "Group: name=%q (unknown: %v)\n", p.Group, err)
		}
	}
}

func name(s *pipeline.Server) string {
	if s.ServerName != "" {
		return s.ServerName
	}
	h, _ := os.Hostname()
	return h
}

func portOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i >= 0 {
		return addr[i+1:]
	}
	return "*"
}

func documentRoot(s *pipeline.Server) string {
	if c := core.ServerConfigOf(s); c != nil && c.DocumentRoot != "" {
		return c.DocumentRoot
	}
	return configs.ResolvePath(s.Gen.Process.ServerRoot, "htdocs")
}
