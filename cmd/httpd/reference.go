package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// writeReference writes the Markdown directive reference of README.md:
// one table per compiled-in module, generated from the registry so the
// documentation cannot drift from the code.
func writeReference(w io.Writer) {
	for _, m := range pipeline.CompiledModules() {
		if len(m.Directives) == 0 {
			continue
		}
		fmt.Fprintf(w, "#### %s_module\n\n%s\n\n", m.Name, m.Description)
		fmt.Fprintln(w, "| directive | value | allowed in | description |")
		fmt.Fprintln(w, "|---|---|---|---|")
		dirs := append([]*configs.Directive(nil), m.Directives...)
		sort.SliceStable(dirs, func(i, j int) bool { return dirs[i].Name < dirs[j].Name })
		for _, d := range dirs {
			syntax := d.Syntax
			if syntax == "" {
				syntax = d.Type.String()
			}
			fmt.Fprintf(w, "| `%s` | %s: `%s` | %s | %s |\n", d.Name, d.Type, escapeCell(syntax), d.Scope, escapeCell(d.Help))
		}
		fmt.Fprintln(w)
	}
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
