package pipeline

import (
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
)

// Optionals is a registry of optional functions (Apache's
// APR_REGISTER_OPTIONAL_FN): a module publishes a named function; other
// modules retrieve it by name and type, or learn that it is absent because
// the publishing module is not loaded.
//
// Requests retrieve without locking: publishing (rare, at configuration
// and child_init) copies the map and swaps it in.
type Optionals struct {
	mu  sync.Mutex // serialises publishers
	fns atomic.Pointer[map[string]any]
}

// NewOptionals returns an empty registry.
func NewOptionals() *Optionals {
	o := &Optionals{}
	o.fns.Store(&map[string]any{})
	return o
}

// PublishOptional registers fn under name, replacing an earlier one.
func PublishOptional[F any](o *Optionals, name string, fn F) {
	o.mu.Lock()
	defer o.mu.Unlock()
	next := maps.Clone(*o.fns.Load())
	next[name] = fn
	o.fns.Store(&next)
}

// RetrieveOptional returns the function published under name. ok is false
// when nothing was published; err is set when something was published with
// a different type, which is a programming error worth reporting.
func RetrieveOptional[F any](o *Optionals, name string) (fn F, ok bool, err error) {
	v, found := (*o.fns.Load())[name]
	if !found {
		return fn, false, nil
	}
	fn, ok = v.(F)
	if !ok {
		return fn, false, fmt.Errorf("optional function %q has type %T, not %T", name, v, fn)
	}
	return fn, true, nil
}

// OptionalNames lists the published names.
func (o *Optionals) OptionalNames() []string {
	fns := *o.fns.Load()
	names := make([]string, 0, len(fns))
	for n := range fns {
		names = append(names, n)
	}
	return names
}
