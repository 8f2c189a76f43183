package configs

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// item is one thing a table contributes to a block: a directive, one
// element of a section array, or an IfModule/Include key. IfDefine
// tables are already resolved into the items they contribute.
type item struct {
	key   string
	index int // element of a section array; -1 otherwise
	line  int
	path  keyPath // the item's own path in its document
	value any
}

// collect returns the items of the table tbl at path p of d in document
// order, leaving out the key skip (a section's Path or Address) and
// replacing each IfDefine table by the items of its branches that hold.
func (r *reader) collect(d *doc, tbl map[string]any, p keyPath, skip string) ([]item, error) {
	var items []item
	for k, v := range tbl {
		if k == skip {
			continue
		}
		kp := p.key(k)
		if k == "IfDefine" {
			sub, err := r.ifDefine(d, v, kp)
			if err != nil {
				return nil, err
			}
			items = append(items, sub...)
			continue
		}
		if kind, ok := SectionKindByName(k); ok {
			elems, err := sectionElements(d, kind, v, kp)
			if err != nil {
				return nil, err
			}
			for i, e := range elems {
				ep := kp.index(i)
				items = append(items, item{key: k, index: i, line: d.lines.line(ep), path: ep, value: e})
			}
			continue
		}
		items = append(items, item{key: k, index: -1, line: d.lines.line(kp), path: kp, value: v})
	}
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.line != b.line {
			return a.line < b.line
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.index < b.index
	})
	return items, nil
}

// ifDefine returns the items of the branches of an IfDefine table that
// hold for the -D names in force.
func (r *reader) ifDefine(d *doc, v any, p keyPath) ([]item, error) {
	tbl, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{Pos: d.pos(p), Directive: "IfDefine", Err: errors.New(`must be a table per name: [IfDefine.NAME] or [IfDefine."!NAME"]`)}
	}
	var items []item
	for name, body := range tbl {
		np := p.key(name)
		neg, n, err := condName(name)
		if err != nil {
			return nil, &Error{Pos: d.pos(np), Directive: "IfDefine", Err: err}
		}
		bt, ok := body.(map[string]any)
		if !ok {
			return nil, &Error{Pos: d.pos(np), Directive: "IfDefine." + name, Err: errors.New("must be a table")}
		}
		if r.defines[n] == neg {
			continue
		}
		sub, err := r.collect(d, bt, np, "")
		if err != nil {
			return nil, err
		}
		items = append(items, sub...)
	}
	return items, nil
}

// condName splits an IfDefine or IfModule name into its negation and
// the name proper.
func condName(name string) (negate bool, n string, err error) {
	n = strings.TrimSpace(name)
	if strings.HasPrefix(n, "!") {
		negate, n = true, strings.TrimSpace(n[1:])
	}
	if n == "" {
		return false, "", fmt.Errorf("empty name %q", name)
	}
	return negate, n, nil
}

// sectionElements returns the tables of a section key's value, which
// must be an array of tables.
func sectionElements(d *doc, kind SectionKind, v any, p keyPath) ([]map[string]any, error) {
	switch v := v.(type) {
	case []map[string]any:
		return v, nil
	case map[string]any:
		return nil, &Error{Pos: d.pos(p), Directive: kind.String(), Err: fmt.Errorf(
			"a section is an array of tables: write [[%s]] (double brackets), not [%s]",
			headerName(p), headerName(p))}
	case []any:
		elems := make([]map[string]any, 0, len(v))
		for _, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, &Error{Pos: d.pos(p), Directive: kind.String(), Err: fmt.Errorf("must be an array of tables, not an array of %T", e)}
			}
			elems = append(elems, m)
		}
		return elems, nil
	}
	return nil, &Error{Pos: d.pos(p), Directive: kind.String(), Err: fmt.Errorf(
		"a section is an array of tables: write [[%s]] with %s = \"...\" inside", headerName(p), argKey(kind))}
}

// headerName spells the TOML header of the key path p without array
// indexes, e.g. VirtualHost.Directory.
func headerName(p keyPath) string {
	var parts []string
	for _, seg := range strings.Split(string(p), "\x00") {
		if seg == "" || seg[0] == '#' {
			continue
		}
		k := seg
		if s, err := strconv.Unquote(seg); err == nil {
			k = s
		}
		if !isBareKey(k) {
			k = seg
		}
		parts = append(parts, k)
	}
	return strings.Join(parts, ".")
}

func isBareKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isBareKeyByte(k[i]) {
			return false
		}
	}
	return true
}

// argKey is the key holding a section's argument.
func argKey(k SectionKind) string {
	if k == KindVirtualHost {
		return "Address"
	}
	return "Path"
}

// allowedIn reports whether a section of kind child may appear in a
// block of kind parent, following Apache.
func allowedIn(child, parent SectionKind) bool {
	switch child {
	case KindVirtualHost:
		return parent == KindServer
	case KindDirectory, KindDirectoryMatch, KindLocation, KindLocationMatch, KindProxy, KindProxyMatch:
		return parent == KindServer || parent == KindVirtualHost
	case KindFiles, KindFilesMatch:
		switch parent {
		case KindServer, KindVirtualHost, KindDirectory, KindDirectoryMatch:
			return true
		}
	}
	return false
}

// placesFor says where a section kind may appear, for error messages.
func placesFor(k SectionKind) string {
	switch k {
	case KindVirtualHost:
		return "at top level only"
	case KindFiles, KindFilesMatch:
		return "at top level, in a VirtualHost, or in a Directory or DirectoryMatch"
	}
	return "at top level or in a VirtualHost"
}

// build adds items of d to b.
func (r *reader) build(b *Block, d *doc, items []item) error {
	for _, it := range items {
		pos := Position{File: d.file, Line: it.line}
		if kind, ok := SectionKindByName(it.key); ok {
			child, err := r.section(b, d, kind, it)
			if err != nil {
				return err
			}
			b.Blocks = append(b.Blocks, child)
			continue
		}
		switch it.key {
		case "IfModule":
			if err := r.ifModule(b, d, it); err != nil {
				return err
			}
			continue
		case "Include", "IncludeOptional":
			if err := r.include(b, pos, it.key, it.value); err != nil {
				return err
			}
			continue
		case "ServerRoot":
			if b == r.cfg.Root {
				if err := r.setServerRoot(pos, it.value); err != nil {
					return err
				}
			}
		}
		b.Entries = append(b.Entries, Entry{Key: it.key, Pos: pos, Value: it.value})
	}
	return nil
}

// section builds one element of a section array found in b.
func (r *reader) section(b *Block, d *doc, kind SectionKind, it item) (*Block, error) {
	pos := Position{File: d.file, Line: it.line}
	if !allowedIn(kind, b.Kind) {
		where := "inside " + b.Kind.String()
		if b.Kind == KindServer {
			where = "at top level"
		}
		return nil, &Error{Pos: pos, Directive: kind.String(), Err: fmt.Errorf(
			"section not allowed %s; it belongs %s", where, placesFor(kind))}
	}
	tbl := it.value.(map[string]any)
	ak := argKey(kind)
	raw, ok := tbl[ak]
	if !ok {
		return nil, &Error{Pos: pos, Directive: kind.String(), Err: fmt.Errorf("missing %s: every [[%s]] needs %s = \"...\"", ak, headerName(it.path), ak)}
	}
	arg, ok := raw.(string)
	if !ok || strings.TrimSpace(arg) == "" {
		return nil, &Error{Pos: d.pos(it.path.key(ak)), Directive: kind.String(), Err: fmt.Errorf("%s must be a non-empty string", ak)}
	}
	if kind == KindDirectory {
		// As tree.go documents for Block.Arg: relative to ServerRoot.
		arg = ResolvePath(r.cfg.ServerRoot, filepath.FromSlash(arg))
	}
	child := &Block{Kind: kind, Pos: pos, Arg: arg}
	items, err := r.collect(d, tbl, it.path, ak)
	if err != nil {
		return nil, err
	}
	if err := r.build(child, d, items); err != nil {
		return nil, err
	}
	return child, nil
}

// ifModule keeps the branches of an IfModule table in b.IfModule, their
// bodies parsed as blocks of b's kind.
func (r *reader) ifModule(b *Block, d *doc, it item) error {
	tbl, ok := it.value.(map[string]any)
	if !ok {
		return &Error{Pos: d.pos(it.path), Directive: "IfModule", Err: errors.New(`must be a table per module: [IfModule.NAME] or [IfModule."!NAME"]`)}
	}
	type branch struct {
		name string
		line int
		body map[string]any
	}
	var branches []branch
	for name, v := range tbl {
		np := it.path.key(name)
		body, ok := v.(map[string]any)
		if !ok {
			return &Error{Pos: d.pos(np), Directive: "IfModule." + name, Err: errors.New("must be a table")}
		}
		branches = append(branches, branch{name, d.lines.line(np), body})
	}
	sort.Slice(branches, func(i, j int) bool {
		if branches[i].line != branches[j].line {
			return branches[i].line < branches[j].line
		}
		return branches[i].name < branches[j].name
	})
	for _, br := range branches {
		np := it.path.key(br.name)
		pos := Position{File: d.file, Line: br.line}
		neg, n, err := condName(br.name)
		if err != nil {
			return &Error{Pos: pos, Directive: "IfModule", Err: err}
		}
		body := &Block{Kind: b.Kind, Pos: pos}
		items, err := r.collect(d, br.body, np, "")
		if err != nil {
			return err
		}
		if err := r.build(body, d, items); err != nil {
			return err
		}
		b.IfModule = append(b.IfModule, &Conditional{Name: n, Negate: neg, Pos: pos, Body: body})
	}
	return nil
}
