package pipeline

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/go-hclog"

	"gohttpd/configs"
)

// Generation is everything one configuration read produced: the loaded
// modules, their sorted hooks and the server records. The master builds a
// new generation on every restart; a child builds the same one from the
// master's snapshot of the configuration bytes.
type Generation struct {
	// Number counts configuration reads, starting at 1.
	Number  int64
	Config  *configs.Config
	Modules *ModuleSet
	Hooks   *Hooks
	// Main is the main server; virtual hosts follow on Main.Next.
	Main *Server
	// Process is the process-level configuration (listeners, user,
	// limits) the master and children act on.
	Process ProcessConfig
	Log     hclog.Logger

	shared sharedFiles
	// records holds request records that ended connections left, for the
	// next connections' requests (see Conn.recycleRecords).
	records sync.Pool
}

// Build turns a configuration read into a generation: it selects the
// modules (LoadModule, or every compiled-in module), lets each register its
// hooks, sorts the hooks, runs pre_config, applies every directive through
// the registry, fixes up virtual hosts and runs check_config. Errors name
// the file, line and directive.
func Build(cfg *configs.Config, number int64, log hclog.Logger) (*Generation, error) {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	names, err := loadModuleNames(cfg.Root)
	if err != nil {
		return nil, err
	}
	mods, err := SelectModules(names)
	if err != nil {
		return nil, err
	}
	g := &Generation{Number: number, Config: cfg, Modules: mods, Hooks: NewHooks(), Log: log,
		Process: DefaultProcessConfig(cfg.ServerRoot)}
	for _, m := range mods.Modules() {
		if m.RegisterHooks != nil {
			m.RegisterHooks(g.Hooks)
		}
	}
	err = g.Hooks.Sort(mods.Loaded, func(hook, module, missing string) {
		log.Debug("hook ordering names a module that is not loaded; ignored",
			"hook", hook, "module", module, "names", missing)
	})
	if err != nil {
		return nil, fmt.Errorf("sorting hooks: %w", err)
	}

	g.Main = defaultServer(g)
	g.Main.Pos = configs.Position{File: cfg.Main}
	g.createRecords(g.Main)
	if r := g.Hooks.PreConfig.Run(func(f ServerFunc) Result { return f(g.Main) }); r != OK {
		return nil, fmt.Errorf("pre_config failed with %s", r)
	}

	a := applier{g: g, root: cfg.ServerRoot}
	if err := a.block(cfg.Root, g.Main, nil, nil); err != nil {
		return nil, err
	}
	g.fixupVirtualHosts()
	if r := g.Hooks.CheckConfig.Run(func(f ServerFunc) Result { return f(g.Main) }); r != OK {
		return nil, fmt.Errorf("check_config failed with %s", r)
	}
	return g, nil
}

// RunServerHook runs one of the server-side hooks on the main server and
// turns a failure into an error naming the hook.
func (g *Generation) RunServerHook(h *Hook[ServerFunc]) error {
	if r := h.Run(func(f ServerFunc) Result { return f(g.Main) }); r != OK {
		return fmt.Errorf("%s hook failed with %s", h.Name(), r)
	}
	return nil
}

// loadModuleNames gathers the LoadModule lists of the top level.
func loadModuleNames(root *configs.Block) ([]string, error) {
	var names []string
	for _, e := range root.Entries {
		if !strings.EqualFold(e.Key, "LoadModule") {
			continue
		}
		v, err := convert(&configs.Directive{Name: "LoadModule", Type: configs.List}, e)
		if err != nil {
			return nil, err
		}
		for _, it := range v.List {
			if len(it.Args) == 0 {
				continue
			}
			// Accept Apache's "alias_module modules/mod_alias.so" form too.
			names = append(names, it.Args[0])
		}
	}
	return names, nil
}

func (g *Generation) createRecords(s *Server) {
	for _, m := range g.Modules.Modules() {
		if m.CreateServerConfig != nil {
			s.Config[m.index] = m.CreateServerConfig(s)
		}
		if m.CreateDirConfig != nil {
			s.DirDefaults[m.index] = m.CreateDirConfig("")
		}
	}
}

func (g *Generation) createDirRecords(path string) ConfigVector {
	v := newConfigVector()
	for _, m := range g.Modules.Modules() {
		if m.CreateDirConfig != nil {
			v[m.index] = m.CreateDirConfig(path)
		}
	}
	return v
}

// applier walks the configuration tree and applies directives.
type applier struct {
	g     *Generation
	root  string
	order int
}

// block applies b's entries, then its IfModule bodies, then its sections,
// to server s. sec is the enclosing per-directory section (nil at server
// level) and vhost the enclosing VirtualHost block.
func (a *applier) block(b *configs.Block, s *Server, sec *Section, vhost *configs.Block) error {
	where := b.Kind.Scope()
	dir := s.DirDefaults
	if sec != nil {
		dir = sec.Config
	}
	for _, e := range b.Entries {
		if err := a.entry(e, where, s, dir, sec, b, vhost); err != nil {
			return err
		}
	}
	for _, c := range b.IfModule {
		if a.g.Modules.Loaded(c.Name) != c.Negate {
			if err := a.block(c.Body, s, sec, vhost); err != nil {
				return err
			}
		}
	}
	for _, child := range b.Blocks {
		if err := a.section(child, s, sec, vhost); err != nil {
			return err
		}
	}
	return nil
}

func (a *applier) section(b *configs.Block, s *Server, parent *Section, vhost *configs.Block) error {
	if b.Kind == configs.KindVirtualHost {
		v := defaultServer(a.g)
		v.IsVirtual = true
		v.Pos = b.Pos
		v.Addrs = strings.Fields(b.Arg)
		a.g.createRecords(v)
		last := a.g.Main
		for last.Next != nil {
			last = last.Next
		}
		last.Next = v
		return a.block(b, v, nil, b)
	}
	sec, err := a.newSection(b)
	if err != nil {
		return err
	}
	switch {
	case parent != nil && (b.Kind == configs.KindFiles || b.Kind == configs.KindFilesMatch):
		parent.Files = append(parent.Files, sec)
	case b.Kind == configs.KindDirectory || b.Kind == configs.KindDirectoryMatch:
		s.DirSections = append(s.DirSections, sec)
	case b.Kind == configs.KindFiles || b.Kind == configs.KindFilesMatch:
		s.FileSections = append(s.FileSections, sec)
	case b.Kind == configs.KindProxy || b.Kind == configs.KindProxyMatch:
		s.ProxySections = append(s.ProxySections, sec)
	default:
		s.URLSections = append(s.URLSections, sec)
	}
	return a.block(b, s, sec, vhost)
}

func (a *applier) newSection(b *configs.Block) (*Section, error) {
	a.order++
	sec := &Section{Kind: b.Kind, Path: b.Arg, Pos: b.Pos, order: a.order}
	arg := b.Arg
	regex := b.Kind.IsRegex()
	if !regex && strings.HasPrefix(arg, "~") {
		// <Directory ~ "re">, <Location ~ "re">, <Files ~ "re">.
		regex = true
		arg = strings.TrimSpace(strings.TrimPrefix(arg, "~"))
	}
	if regex {
		re, err := regexp.Compile(arg)
		if err != nil {
			return nil, &configs.Error{Pos: b.Pos, Directive: b.Kind.String(), Err: fmt.Errorf("bad regular expression %q: %w", arg, err)}
		}
		sec.Regex = re
		sec.Path = arg
	} else if b.Kind == configs.KindDirectory {
		p := configs.ResolvePath(a.root, arg)
		if strings.HasSuffix(arg, "/") && p != "/" {
			p += "/"
		}
		sec.Path = p
		sec.depth = strings.Count(strings.TrimSuffix(p, "/"), "/")
	}
	sec.Config = a.g.createDirRecords(sec.Path)
	return sec, nil
}

func (a *applier) entry(e configs.Entry, where configs.Scope, s *Server, dir ConfigVector, sec *Section, b, vhost *configs.Block) error {
	switch strings.ToLower(e.Key) {
	case "loadmodule", "include", "includeoptional":
		// LoadModule was read before modules were chosen; Include was
		// expanded by the reader.
		if where != configs.ScopeServer && strings.EqualFold(e.Key, "LoadModule") {
			return &configs.Error{Pos: e.Pos, Directive: e.Key, Err: errors.New("allowed only at the top level of the configuration")}
		}
		return nil
	}
	d, owner, loaded := a.g.Modules.Directive(e.Key)
	if d == nil {
		return &configs.Error{Pos: e.Pos, Directive: e.Key, Err: a.unknown(e.Key)}
	}
	if !loaded {
		return &configs.Error{Pos: e.Pos, Directive: d.Name, Err: fmt.Errorf(
			"provided by module %s, which is not loaded (add %q to LoadModule, or wrap the directive in [IfModule.%s])",
			owner.Name, owner.Name, owner.Name)}
	}
	if d.Scope&where == 0 {
		place := "at the top level"
		if b != nil && b.Kind != configs.KindServer {
			place = "in a " + b.Kind.String() + " section"
		}
		return &configs.Error{Pos: e.Pos, Directive: d.Name, Err: fmt.Errorf(
			"not allowed %s (allowed in: %s)", place, d.Scope)}
	}
	v, err := convert(d, e)
	if err != nil {
		return err
	}
	cmd := &configs.Cmd{
		Directive:   d,
		Module:      owner.Name,
		Pos:         e.Pos,
		Where:       where,
		VirtualHost: vhost,
		ServerRoot:  a.root,
		Server:      s.Config[owner.index],
		Dir:         dir[owner.index],
		Record:      s,
	}
	if sec != nil {
		cmd.Section = b
	}
	if d.Set == nil {
		return nil
	}
	if err := d.Set(cmd, v); err != nil {
		var ce *configs.Error
		if errors.As(err, &ce) {
			return err
		}
		return &configs.Error{Pos: e.Pos, Directive: d.Name, Err: err}
	}
	return nil
}

// unknown explains an unknown key, suggesting the closest known directive.
func (a *applier) unknown(key string) error {
	best, bestDist := "", 4
	for _, m := range CompiledModules() {
		for _, d := range m.Directives {
			if dist := editDistance(strings.ToLower(key), strings.ToLower(d.Name)); dist < bestDist {
				best, bestDist = d.Name, dist
			}
		}
	}
	if best != "" {
		return fmt.Errorf("unknown directive (did you mean %s?)", best)
	}
	return errors.New("unknown directive: no compiled-in module provides it (httpd -L lists them)")
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// convert checks e's TOML value against d's type and builds the Value.
func convert(d *configs.Directive, e configs.Entry) (configs.Value, error) {
	v := configs.Value{Type: d.Type, Pos: e.Pos, Raw: e.Value}
	bad := func(got any) error {
		return &configs.Error{Pos: e.Pos, Directive: d.Name, Err: fmt.Errorf("wants a %s, got %s", d.Type, tomlTypeName(got))}
	}
	split := func(s string) ([]string, error) {
		args, err := configs.SplitArgs(s)
		if err != nil {
			return nil, &configs.Error{Pos: e.Pos, Directive: d.Name, Err: err}
		}
		return args, nil
	}
	switch d.Type {
	case configs.Flag:
		switch x := e.Value.(type) {
		case bool:
			v.Bool = x
		case string:
			switch strings.ToLower(x) {
			case "on":
				v.Bool = true
			case "off":
				v.Bool = false
			default:
				return v, &configs.Error{Pos: e.Pos, Directive: d.Name, Err: fmt.Errorf("wants true/false (or \"On\"/\"Off\"), got %q", x)}
			}
		default:
			return v, bad(e.Value)
		}
	case configs.Int:
		switch x := e.Value.(type) {
		case int64:
			v.Int = x
		case string:
			n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
			if err != nil {
				return v, &configs.Error{Pos: e.Pos, Directive: d.Name, Err: fmt.Errorf("wants an integer, got %q", x)}
			}
			v.Int = n
		default:
			return v, bad(e.Value)
		}
	case configs.String:
		switch x := e.Value.(type) {
		case string:
			v.Str = x
		case int64:
			v.Str = strconv.FormatInt(x, 10)
		default:
			return v, bad(e.Value)
		}
		v.Args = []string{v.Str}
	case configs.Args:
		switch x := e.Value.(type) {
		case string:
			args, err := split(x)
			if err != nil {
				return v, err
			}
			v.Str, v.Args = x, args
		case int64:
			v.Str = strconv.FormatInt(x, 10)
			v.Args = []string{v.Str}
		case []any:
			for _, el := range x {
				s, ok := scalarString(el)
				if !ok {
					return v, bad(e.Value)
				}
				v.Args = append(v.Args, s)
			}
			v.Str = strings.Join(v.Args, " ")
		default:
			return v, bad(e.Value)
		}
	case configs.List, configs.Table:
		var elems []any
		switch x := e.Value.(type) {
		case []any:
			elems = x
		case []map[string]any:
			if d.Type == configs.Table {
				return v, nil
			}
			return v, bad(e.Value)
		case map[string]any:
			if d.Type == configs.Table {
				return v, nil
			}
			return v, bad(e.Value)
		default:
			elems = []any{x}
		}
		for _, el := range elems {
			if _, isMap := el.(map[string]any); isMap && d.Type == configs.Table {
				continue
			}
			s, ok := scalarString(el)
			if !ok {
				return v, bad(e.Value)
			}
			args, err := split(s)
			if err != nil {
				return v, err
			}
			v.List = append(v.List, configs.Item{Raw: s, Args: args})
		}
	}
	return v, nil
}

func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	}
	return "", false
}

func tomlTypeName(v any) string {
	switch v.(type) {
	case bool:
		return "a boolean"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any, []map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// fixupVirtualHosts gives every virtual host the main server's settings it
// did not set (Apache's ap_fixup_virtual_hosts), merges module records
// over the main server's, and orders every server's sections.
func (g *Generation) fixupVirtualHosts() {
	main := g.Main
	for v := main.Next; v != nil; v = v.Next {
		v.inheritCore(main)
		for _, m := range g.Modules.Modules() {
			if m.MergeServerConfig != nil && main.Config[m.index] != nil && v.Config[m.index] != nil {
				v.Config[m.index] = m.MergeServerConfig(main.Config[m.index], v.Config[m.index])
			}
		}
		v.DirDefaults = g.mergeDir(main.DirDefaults, v.DirDefaults)
		v.DirSections = append(append([]*Section(nil), main.DirSections...), v.DirSections...)
		v.FileSections = append(append([]*Section(nil), main.FileSections...), v.FileSections...)
		v.URLSections = append(append([]*Section(nil), main.URLSections...), v.URLSections...)
		v.ProxySections = append(append([]*Section(nil), main.ProxySections...), v.ProxySections...)
	}
	for s := main; s != nil; s = s.Next {
		orderDirSections(s.DirSections)
	}
}

// orderDirSections sorts Directory sections as Apache's
// ap_core_reorder_directories: plain paths first, by number of path
// components (fewest first), then regular-expression sections; ties keep
// configuration order.
func orderDirSections(secs []*Section) {
	sort.SliceStable(secs, func(i, j int) bool {
		a, b := secs[i], secs[j]
		if (a.Regex != nil) != (b.Regex != nil) {
			return a.Regex == nil
		}
		if a.Regex == nil && a.depth != b.depth {
			return a.depth < b.depth
		}
		return a.order < b.order
	})
}

// mergeDir merges per-directory records: add over base, module by module.
func (g *Generation) mergeDir(base, add ConfigVector) ConfigVector {
	out := newConfigVector()
	for _, m := range g.Modules.Modules() {
		i := m.index
		switch {
		case add[i] == nil:
			out[i] = base[i]
		case base[i] == nil || m.MergeDirConfig == nil:
			out[i] = add[i]
		default:
			out[i] = m.MergeDirConfig(base[i], add[i])
		}
	}
	return out
}

// dirMatches reports whether Directory section sec applies to dir, an
// absolute directory path.
func dirMatches(sec *Section, dir string) bool {
	if sec.Regex != nil {
		return sec.Regex.MatchString(dir)
	}
	p := strings.TrimSuffix(sec.Path, "/")
	if p == "" {
		return true
	}
	if strings.ContainsAny(p, "*?[") {
		// Wildcards match whole components, as Apache's fnmatch with
		// FNM_PATHNAME on the same number of components.
		comps := strings.Count(p, "/")
		d := dir
		for strings.Count(d, "/") > comps {
			d = filepath.Dir(d)
		}
		ok, _ := filepath.Match(p, d)
		return ok
	}
	return dir == p || strings.HasPrefix(dir, p+"/")
}

// SetLog makes l the logger of the generation and of every server record
// (the master and children switch to the configured error log after
// Build).
func (g *Generation) SetLog(l hclog.Logger) {
	g.Log = l
	for s := g.Main; s != nil; s = s.Next {
		s.Log = l
	}
}
