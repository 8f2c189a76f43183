package proxy

import (
	"fmt"
	"sort"
	"sync"

	"gohttpd/pipeline"
)

// OptHooks is the name of the optional function through which mod_proxy
// publishes the private hook set of a generation; its type is
// func() *Hooks. Use HooksOf rather than retrieving it by hand.
const OptHooks = "proxy_hooks"

// Dispatch is one attempt at proxying a request: the worker chosen for
// it, the balancer it was chosen from (nil for a plain worker) and the
// URL to fetch. pre_request functions may replace any field; the scheme
// handler fetches URL from Worker.
type Dispatch struct {
	// URL is the target without the "proxy:" prefix, e.g.
	// "http://127.0.0.1:8081/app/x?y".
	URL string
	// Worker is the backend the request goes to.
	Worker *Worker
	// Balancer is set when Worker was chosen by a balancer.
	Balancer *Balancer
	// Conf is the proxy configuration of the request's server.
	Conf *ServerConfig
	// MaxAttempts is how many more workers the handler may try after one
	// is found unusable (a balancer's failover); 0 means no failover.
	MaxAttempts int
	// Attempt counts the attempts made so far, from 0.
	Attempt int
}

// SchemeHandlerFunc fetches d.URL from d.Worker and answers r
// (proxy_hook_scheme_handler). It declines URLs of schemes it does not
// speak; it returns OK when the response went out, or the status to
// answer with (502, 503, 504, …).
type SchemeHandlerFunc func(r *pipeline.Request, d *Dispatch) pipeline.Result

// CanonHandlerFunc canonicalises url (without "proxy:") for its scheme
// and stores the result in r.Filename as "proxy:"+canonical URL
// (proxy_hook_canon_handler). It declines other schemes.
type CanonHandlerFunc func(r *pipeline.Request, url string) pipeline.Result

// PreRequestFunc runs before the scheme handler and may choose or replace
// the worker (proxy_hook_pre_request); a balancer resolves
// "balancer://" URLs here.
type PreRequestFunc func(r *pipeline.Request, d *Dispatch) pipeline.Result

// PostRequestFunc runs after the scheme handler with the handler's result
// (proxy_hook_post_request); a balancer releases its member here.
type PostRequestFunc func(r *pipeline.Request, d *Dispatch, status pipeline.Result) pipeline.Result

// DetachBackendFunc runs when a scheme handler is done with a backend
// connection, before it is released to the pool
// (proxy_hook_detach_backend).
type DetachBackendFunc func(r *pipeline.Request, be *BackendConn) pipeline.Result

// Hooks is mod_proxy's private hook set for one configuration generation,
// with the load-balancing methods registered for it and the generation's
// workers and balancers.
type Hooks struct {
	SchemeHandler *pipeline.Hook[SchemeHandlerFunc] // RUN_FIRST
	CanonHandler  *pipeline.Hook[CanonHandlerFunc]  // RUN_FIRST
	PreRequest    *pipeline.Hook[PreRequestFunc]    // RUN_FIRST
	PostRequest   *pipeline.Hook[PostRequestFunc]   // RUN_FIRST
	DetachBackend *pipeline.Hook[DetachBackendFunc] // RUN_FIRST

	mu        sync.RWMutex
	lbmethods map[string]LBMethod

	reg *registry
}

// NewHooks returns an empty hook set with an empty worker registry.
func NewHooks() *Hooks {
	return &Hooks{
		SchemeHandler: pipeline.NewHook[SchemeHandlerFunc]("proxy_scheme_handler", pipeline.RunFirst),
		CanonHandler:  pipeline.NewHook[CanonHandlerFunc]("proxy_canon_handler", pipeline.RunFirst),
		PreRequest:    pipeline.NewHook[PreRequestFunc]("proxy_pre_request", pipeline.RunFirst),
		PostRequest:   pipeline.NewHook[PostRequestFunc]("proxy_post_request", pipeline.RunFirst),
		DetachBackend: pipeline.NewHook[DetachBackendFunc]("proxy_detach_backend", pipeline.RunFirst),
		lbmethods:     map[string]LBMethod{},
		reg:           newRegistry(),
	}
}

// attach adds the set to a generation's hooks and publishes it.
func (ph *Hooks) attach(h *pipeline.Hooks) {
	h.AddPrivate(ph.SchemeHandler)
	h.AddPrivate(ph.CanonHandler)
	h.AddPrivate(ph.PreRequest)
	h.AddPrivate(ph.PostRequest)
	h.AddPrivate(ph.DetachBackend)
	pipeline.PublishOptional(h.Optional, OptHooks, func() *Hooks { return ph })
}

// HooksOf returns the proxy hook set of the generation whose hooks are h;
// ok is false when mod_proxy is not loaded (or has not registered yet: a
// module that uses the set must be compiled in after mod_proxy, which
// importing this package guarantees).
func HooksOf(h *pipeline.Hooks) (ph *Hooks, ok bool) {
	fn, ok, err := pipeline.RetrieveOptional[func() *Hooks](h.Optional, OptHooks)
	if !ok || err != nil {
		return nil, false
	}
	return fn(), true
}

// RequireHooks is HooksOf for a module that cannot work without mod_proxy:
// when mod_proxy is not loaded it registers a check_config function that
// fails the configuration with a message naming module.
func RequireHooks(h *pipeline.Hooks, module string) (*Hooks, bool) {
	if ph, ok := HooksOf(h); ok {
		return ph, true
	}
	h.CheckConfig.Register(module, func(s *pipeline.Server) pipeline.Result {
		if s.Log != nil {
			s.Log.Error(fmt.Sprintf("module %s needs the proxy module: add \"proxy\" to LoadModule", module))
		}
		return 500
	}, pipeline.Middle)
	return nil, false
}

// hooksOfServer returns the hook set of s's generation.
func hooksOfServer(s *pipeline.Server) *Hooks {
	if s == nil || s.Gen == nil || s.Gen.Hooks == nil {
		return nil
	}
	ph, _ := HooksOf(s.Gen.Hooks)
	return ph
}

// LBMethod is a load-balancing method (Apache's "proxylbmethod"
// provider). Pick chooses a member of b for r among those usable now, or
// returns nil. It runs under the balancer's cross-process lock, so it may
// read and update the members' shared counters freely.
type LBMethod interface {
	Pick(b *Balancer, r *pipeline.Request) *Worker
}

// LBMethodFunc adapts a function to LBMethod.
type LBMethodFunc func(b *Balancer, r *pipeline.Request) *Worker

// Pick calls f.
func (f LBMethodFunc) Pick(b *Balancer, r *pipeline.Request) *Worker { return f(b, r) }

// RegisterLBMethod makes method available as lbmethod=name for this
// generation's balancers. Call it from RegisterHooks.
func (ph *Hooks) RegisterLBMethod(name string, method LBMethod) {
	ph.mu.Lock()
	defer ph.mu.Unlock()
	ph.lbmethods[name] = method
}

// LBMethod returns the method registered under name.
func (ph *Hooks) LBMethod(name string) (LBMethod, bool) {
	ph.mu.RLock()
	defer ph.mu.RUnlock()
	m, ok := ph.lbmethods[name]
	return m, ok
}

// LBMethodNames lists the registered methods, sorted.
func (ph *Hooks) LBMethodNames() []string {
	ph.mu.RLock()
	defer ph.mu.RUnlock()
	names := make([]string, 0, len(ph.lbmethods))
	for n := range ph.lbmethods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Workers returns every worker of the generation in definition order
// (balancer members included).
func (ph *Hooks) Workers() []*Worker { return ph.reg.workerList() }

// Balancers returns every balancer of the generation in definition order.
func (ph *Hooks) Balancers() []*Balancer { return ph.reg.balancerList() }

// Balancer returns the balancer named name ("balancer://cluster" or
// "cluster").
func (ph *Hooks) Balancer(name string) (*Balancer, bool) { return ph.reg.balancer(name) }

// checkBalancers verifies at check_config time that every balancer names
// a registered method and has members.
func (ph *Hooks) checkBalancers() error {
	for _, b := range ph.reg.balancerList() {
		if _, ok := ph.LBMethod(b.Params.LBMethod); !ok {
			return fmt.Errorf("balancer %s: lbmethod %q is not available (loaded methods: %v; load the lbmethod_%s module)",
				b.Name, b.Params.LBMethod, ph.LBMethodNames(), b.Params.LBMethod)
		}
		if len(b.Members) == 0 {
			return fmt.Errorf("balancer %s has no BalancerMember", b.Name)
		}
	}
	return nil
}
