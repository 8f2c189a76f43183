package pipeline

import (
	"fmt"
	"sync"
)

// Optionals is a registry of optional functions (Apache's
// APR_REGISTER_OPTIONAL_FN): a module publishes a named function; other
// modules retrieve it by name and type, or learn that it is absent because
// the publishing module is not loaded.
type Optionals struct {
	mu  sync.RWMutex
	fns map[string]any
}

// NewOptionals returns an empty registry.
func NewOptionals() *Optionals { return &Optionals{fns: map[string]any{}} }

// PublishOptional registers fn under name, replacing an earlier one.
func PublishOptional[F any](o *Optionals, name string, fn F) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.fns[name] = fn
}

// RetrieveOptional returns the function published under name. ok is false
// when nothing was published; err is set when something was published with
// a different type, which is a programming error worth reporting.
func RetrieveOptional[F any](o *Optionals, name string) (fn F, ok bool, err error) {
	o.mu.RLock()
	v, found := o.fns[name]
	o.mu.RUnlock()
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
	o.mu.RLock()
	defer o.mu.RUnlock()
	names := make([]string, 0, len(o.fns))
	for n := range o.fns {
		names = append(names, n)
	}
	return names
}
