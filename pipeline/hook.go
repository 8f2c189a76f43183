package pipeline

import (
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
)

// Kind is how a hook runs its functions and combines their results.
type Kind int

const (
	// Void runs every function and ignores results.
	Void Kind = iota
	// RunAll runs functions in order until one returns neither OK nor
	// Declined, and returns that result (OK when all ran).
	RunAll
	// RunFirst runs functions until one returns something other than
	// Declined, and returns that result (Declined when none did).
	RunFirst
)

// String returns Apache's name of the kind: VOID, RUN_ALL or RUN_FIRST.
func (k Kind) String() string {
	switch k {
	case Void:
		return "VOID"
	case RunAll:
		return "RUN_ALL"
	case RunFirst:
		return "RUN_FIRST"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Order is the coarse position of a function in its hook; lower runs
// earlier. The named constants are Apache's APR_HOOK_* values; any integer
// is allowed.
type Order int

const (
	ReallyFirst Order = -10
	First       Order = 0
	Middle      Order = 10
	Last        Order = 20
	ReallyLast  Order = 30
)

// String returns the constant's name, or the number for other values.
func (o Order) String() string {
	switch o {
	case ReallyFirst:
		return "REALLY_FIRST"
	case First:
		return "FIRST"
	case Middle:
		return "MIDDLE"
	case Last:
		return "LAST"
	case ReallyLast:
		return "REALLY_LAST"
	}
	return fmt.Sprintf("%d", int(o))
}

// Constraint places a function relative to the functions other modules
// registered on the same hook. Build one with After or Before.
type Constraint struct {
	module string
	after  bool
}

// After requires the function to run after every function that the named
// modules registered on the same hook (Apache's predecessors list).
func After(modules ...string) []Constraint { return constraints(true, modules) }

// Before requires the function to run before every function that the named
// modules registered on the same hook (Apache's successors list).
func Before(modules ...string) []Constraint { return constraints(false, modules) }

func constraints(after bool, modules []string) []Constraint {
	cs := make([]Constraint, len(modules))
	for i, m := range modules {
		cs[i] = Constraint{module: CanonicalModuleName(m), after: after}
	}
	return cs
}

// FunctionInfo describes one function registered on a hook.
type FunctionInfo struct {
	Module       string   // module that registered it
	Func         string   // Go name of the function, for listings
	Order        Order    // coarse order
	Predecessors []string // modules that must run before it
	Successors   []string // modules that must run after it
}

// HookInfo describes a hook and its functions in run order.
type HookInfo struct {
	Name      string
	Kind      Kind
	Functions []FunctionInfo
}

// Describer is implemented by every hook; it lists the hook's functions in
// the order they run (after the last Sort).
type Describer interface {
	Describe() HookInfo
}

type entry[F any] struct {
	fn   F
	info FunctionInfo
}

// Hook is a named, ordered list of functions of type F that run with one
// Kind. The zero value is not usable; create hooks with NewHook.
//
// Register and Sort are for configuration time (one goroutine); Run may be
// called from many goroutines once configuration is done.
type Hook[F any] struct {
	name    string
	kind    Kind
	entries []entry[F] // sorted after Sort, registration order before
	fns     []F        // the functions of entries, in the same order
}

// NewHook returns an empty hook.
func NewHook[F any](name string, kind Kind) *Hook[F] {
	return &Hook[F]{name: name, kind: kind}
}

// Name returns the hook's name, e.g. "translate_name".
func (h *Hook[F]) Name() string { return h.name }

// Kind returns how the hook runs.
func (h *Hook[F]) Kind() Kind { return h.kind }

// Len returns the number of registered functions.
func (h *Hook[F]) Len() int { return len(h.fns) }

// Register adds fn for module at the given order, with optional constraints
// (see After and Before). The new function takes effect in run order at the
// next Sort; until then it runs after the functions registered before it.
func (h *Hook[F]) Register(module string, fn F, order Order, cs ...[]Constraint) {
	info := FunctionInfo{Module: CanonicalModuleName(module), Func: funcName(fn), Order: order}
	for _, list := range cs {
		for _, c := range list {
			if c.after {
				info.Predecessors = append(info.Predecessors, c.module)
			} else {
				info.Successors = append(info.Successors, c.module)
			}
		}
	}
	h.entries = append(h.entries, entry[F]{fn: fn, info: info})
	h.fns = append(h.fns, fn)
}

// Functions returns the hook's functions in run order.
func (h *Hook[F]) Functions() []F { return h.fns }

// Describe lists the functions in run order with their modules.
func (h *Hook[F]) Describe() HookInfo {
	hi := HookInfo{Name: h.name, Kind: h.kind, Functions: make([]FunctionInfo, len(h.entries))}
	for i, e := range h.entries {
		hi.Functions[i] = e.info
	}
	return hi
}

// Run calls each function through call according to the hook's kind and
// returns the combined result. Void hooks return OK; RunAll hooks return OK
// when every function returned OK or Declined; RunFirst hooks return
// Declined when every function declined.
func (h *Hook[F]) Run(call func(F) Result) Result {
	switch h.kind {
	case Void:
		for _, f := range h.fns {
			call(f)
		}
		return OK
	case RunAll:
		for _, f := range h.fns {
			if r := call(f); r != OK && r != Declined {
				return r
			}
		}
		return OK
	default:
		for _, f := range h.fns {
			if r := call(f); r != Declined {
				return r
			}
		}
		return Declined
	}
}

// SortReport receives what a sort noticed that is not an error: a
// constraint naming a module that is not loaded. It may be nil.
type SortReport func(hook, module, missing string)

// Sort puts the functions in run order: by Order first (registration order
// breaking ties), then moved as little as needed to satisfy every
// predecessor and successor constraint. A constraint that names a module
// which is not loaded is ignored and reported through report. Constraints
// that cannot all hold are an error naming the modules in the cycle.
func (h *Hook[F]) Sort(loaded func(module string) bool, report SortReport) error {
	order, err := sortEntries(h.name, infos(h.entries), loaded, report)
	if err != nil {
		return err
	}
	sorted := make([]entry[F], len(order))
	fns := make([]F, len(order))
	for i, idx := range order {
		sorted[i] = h.entries[idx]
		fns[i] = h.entries[idx].fn
	}
	h.entries, h.fns = sorted, fns
	return nil
}

func infos[F any](es []entry[F]) []FunctionInfo {
	out := make([]FunctionInfo, len(es))
	for i, e := range es {
		out[i] = e.info
	}
	return out
}

// sortEntries returns the run order of the given functions as indexes into
// fns. It is a Kahn topological sort that always takes the earliest ready
// function of the order-sorted list, so the result is deterministic and as
// close to the coarse order as the constraints allow.
func sortEntries(hook string, fns []FunctionInfo, loaded func(string) bool, report SortReport) ([]int, error) {
	n := len(fns)
	byOrder := make([]int, n)
	for i := range byOrder {
		byOrder[i] = i
	}
	sort.SliceStable(byOrder, func(a, b int) bool { return fns[byOrder[a]].Order < fns[byOrder[b]].Order })

	byModule := map[string][]int{}
	for i, f := range fns {
		byModule[f.Module] = append(byModule[f.Module], i)
	}
	// preds[i] lists the functions that must run before function i.
	preds := make([][]int, n)
	for i, f := range fns {
		for _, m := range f.Predecessors {
			if !checkLoaded(hook, f.Module, m, loaded, report) {
				continue
			}
			for _, j := range byModule[m] {
				if j != i && fns[j].Module != f.Module {
					preds[i] = append(preds[i], j)
				}
			}
		}
		for _, m := range f.Successors {
			if !checkLoaded(hook, f.Module, m, loaded, report) {
				continue
			}
			for _, j := range byModule[m] {
				if j != i && fns[j].Module != f.Module {
					preds[j] = append(preds[j], i)
				}
			}
		}
	}

	placed := make([]bool, n)
	out := make([]int, 0, n)
	for len(out) < n {
		next := -1
		for _, i := range byOrder {
			if !placed[i] && allPlaced(preds[i], placed) {
				next = i
				break
			}
		}
		if next < 0 {
			return nil, fmt.Errorf("hook %s: ordering constraints form a cycle: %s", hook, describeCycle(fns, preds, placed))
		}
		placed[next] = true
		out = append(out, next)
	}
	return out, nil
}

func checkLoaded(hook, module, named string, loaded func(string) bool, report SortReport) bool {
	if loaded == nil || loaded(named) {
		return true
	}
	if report != nil {
		report(hook, module, named)
	}
	return false
}

func allPlaced(idx []int, placed []bool) bool {
	for _, j := range idx {
		if !placed[j] {
			return false
		}
	}
	return true
}

// describeCycle follows unplaced predecessors from any unplaced function
// until a function repeats, and names the modules on that loop.
func describeCycle(fns []FunctionInfo, preds [][]int, placed []bool) string {
	start := -1
	for i := range fns {
		if !placed[i] {
			start = i
			break
		}
	}
	seen := map[int]int{}
	var path []int
	for cur := start; ; {
		if at, ok := seen[cur]; ok {
			path = path[at:]
			break
		}
		seen[cur] = len(path)
		path = append(path, cur)
		for _, p := range preds[cur] {
			if !placed[p] {
				cur = p
				break
			}
		}
	}
	// path runs from a function to one that must precede it; print it in
	// run order: each module must run before the next.
	names := make([]string, 0, len(path)+1)
	for i := len(path) - 1; i >= 0; i-- {
		names = append(names, fns[path[i]].Module)
	}
	names = append(names, names[0])
	return strings.Join(names, " -> must run before -> ")
}

func funcName(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return ""
	}
	if f := runtime.FuncForPC(v.Pointer()); f != nil {
		return f.Name()
	}
	return ""
}
