package pipeline

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"gohttpd/configs"
)

// Module is a compiled-in module: its directives, its configuration
// records and the hooks it registers. It mirrors Apache's module structure.
// A module package declares one Module value and registers it from init
// with RegisterModule; package gohttpd/modules/all imports every module
// that ships with gohttpd.
//
// Per-server configuration (Apache's server config) belongs to the main
// server and to each virtual host; per-directory configuration belongs to
// every Directory, Location and Files section and to each server's defaults,
// and is merged along the sections that apply to a request. Any of the
// create/merge functions may be nil: without Create the module has no such
// record, without Merge the more specific record replaces the base.
type Module struct {
	// Name is the short, lower-case name ("alias"); listings show it as
	// Apache does ("alias_module").
	Name string
	// Description is one line for -l and mod_info.
	Description string
	// Directives are the configuration keys the module provides.
	Directives []*configs.Directive

	CreateServerConfig func(s *Server) any
	MergeServerConfig  func(base, add any) any
	CreateDirConfig    func(path string) any
	MergeDirConfig     func(base, add any) any

	// RegisterHooks adds the module's functions to the hooks of one
	// configuration generation. It runs once per generation, only when
	// the module is loaded.
	RegisterHooks func(h *Hooks)

	index int // position in the registry; fixed for the process lifetime
}

// Index returns the module's slot in every ConfigVector.
func (m *Module) Index() int { return m.index }

// registry holds every compiled-in module. It is the package's only global
// state and is written only by RegisterModule from init functions.
var registry struct {
	sync.Mutex
	modules []*Module
	byName  map[string]*Module
}

// RegisterModule adds m to the set of compiled-in modules. It panics on a
// duplicate or empty name: both are programming errors found at start-up.
func RegisterModule(m *Module) {
	registry.Lock()
	defer registry.Unlock()
	name := CanonicalModuleName(m.Name)
	if name == "" || name != m.Name {
		panic(fmt.Sprintf("pipeline: module name %q must be lower-case and without _module suffix", m.Name))
	}
	if registry.byName == nil {
		registry.byName = map[string]*Module{}
	}
	if _, dup := registry.byName[name]; dup {
		panic(fmt.Sprintf("pipeline: module %q registered twice", name))
	}
	m.index = len(registry.modules)
	registry.modules = append(registry.modules, m)
	registry.byName[name] = m
}

// CompiledModules returns every compiled-in module in registration order.
func CompiledModules() []*Module {
	registry.Lock()
	defer registry.Unlock()
	return append([]*Module(nil), registry.modules...)
}

// LookupModule returns the compiled-in module with the given name, which
// may be written as "alias", "alias_module", "mod_alias" or "mod_alias.c".
func LookupModule(name string) (*Module, bool) {
	registry.Lock()
	defer registry.Unlock()
	m, ok := registry.byName[CanonicalModuleName(name)]
	return m, ok
}

func moduleCount() int {
	registry.Lock()
	defer registry.Unlock()
	return len(registry.modules)
}

// CanonicalModuleName maps the spellings operators and Apache use for a
// module ("mod_alias.c", "mod_alias.so", "mod_alias", "alias_module") to
// gohttpd's short name ("alias").
func CanonicalModuleName(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimSuffix(n, ".c")
	n = strings.TrimSuffix(n, ".so")
	n = strings.TrimPrefix(n, "mod_")
	n = strings.TrimSuffix(n, "_module")
	return n
}

// ModuleSet is the set of modules loaded for one configuration generation,
// in load order.
type ModuleSet struct {
	list   []*Module
	loaded map[string]bool
}

// SelectModules returns the modules to load. With no names every
// compiled-in module is loaded (a config that says nothing about modules
// gets them all); otherwise exactly the named ones, in the compiled-in
// order, plus "core", which is always loaded. An unknown name is an error
// that lists the compiled-in modules.
func SelectModules(names []string) (*ModuleSet, error) {
	all := CompiledModules()
	set := &ModuleSet{loaded: map[string]bool{}}
	if len(names) == 0 {
		for _, m := range all {
			set.add(m)
		}
		return set, nil
	}
	want := map[string]bool{"core": true}
	for _, n := range names {
		c := CanonicalModuleName(n)
		if _, ok := LookupModule(c); !ok {
			known := make([]string, len(all))
			for i, m := range all {
				known[i] = m.Name
			}
			sort.Strings(known)
			return nil, fmt.Errorf("module %q is not compiled in (compiled-in modules: %s)", n, strings.Join(known, ", "))
		}
		want[c] = true
	}
	for _, m := range all {
		if want[m.Name] {
			set.add(m)
		}
	}
	return set, nil
}

func (s *ModuleSet) add(m *Module) {
	s.list = append(s.list, m)
	s.loaded[m.Name] = true
}

// Modules returns the loaded modules in load order.
func (s *ModuleSet) Modules() []*Module { return s.list }

// Loaded reports whether the named module (any spelling) is loaded.
func (s *ModuleSet) Loaded(name string) bool { return s.loaded[CanonicalModuleName(name)] }

// Directive finds a directive by name (case-insensitive, as Apache) among
// the loaded modules. If no loaded module has it but a compiled-in one
// does, owner names that module and loaded is false.
func (s *ModuleSet) Directive(name string) (d *configs.Directive, owner *Module, loaded bool) {
	for _, m := range CompiledModules() {
		for _, d := range m.Directives {
			if strings.EqualFold(d.Name, name) {
				return d, m, s.loaded[m.Name]
			}
		}
	}
	return nil, nil, false
}
