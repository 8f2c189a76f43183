package proxy

import (
	"fmt"
	"os"
	"sync"
)

// registry holds a generation's workers and balancers in definition
// order. Definitions happen while directives are applied (one
// goroutine); lookups happen while serving.
type registry struct {
	mu        sync.Mutex
	workers   []*Worker
	byKey     map[string]*Worker
	balancers []*Balancer
	byName    map[string]*Balancer
	seg       *segment
}

func newRegistry() *registry {
	return &registry{byKey: map[string]*Worker{}, byName: map[string]*Balancer{}}
}

// defineWorker returns the worker for raw in balancer (""), creating it
// with params. A second definition of the same worker keeps the first
// one's parameters, as Apache does, and reports it through dup.
func (g *registry) defineWorker(balancer, raw string, params WorkerParams) (w *Worker, dup bool, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	key := workerKey(balancer, raw)
	if w, ok := g.byKey[key]; ok {
		return w, true, nil
	}
	w, err = newWorker(raw, params)
	if err != nil {
		return nil, false, err
	}
	w.index = len(g.workers) + len(g.balancers)
	g.workers = append(g.workers, w)
	g.byKey[key] = w
	return w, false, nil
}

// defineBalancer returns the balancer called name, creating it.
func (g *registry) defineBalancer(name string) *Balancer {
	g.mu.Lock()
	defer g.mu.Unlock()
	name = balancerName(name)
	if b, ok := g.byName[name]; ok {
		return b
	}
	b := &Balancer{Name: name, Params: defaultBalancerParams(), index: len(g.workers) + len(g.balancers), st: new(slot)}
	g.balancers = append(g.balancers, b)
	g.byName[name] = b
	return b
}

func (g *registry) balancer(name string) (*Balancer, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	b, ok := g.byName[balancerName(name)]
	return b, ok
}

func (g *registry) workerList() []*Worker {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Worker(nil), g.workers...)
}

func (g *registry) balancerList() []*Balancer {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]*Balancer(nil), g.balancers...)
}

// slots returns the number of shared slots the generation needs.
func (g *registry) slots() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.workers) + len(g.balancers)
}

// createSharedFile makes the segment file for this generation's workers
// (in the master, at post_config).
func (g *registry) createSharedFile() (*os.File, error) {
	return createSegmentFile(g.slots())
}

// attach points every worker and balancer at its slot of seg. It runs
// before the process serves (child_init), so no request sees the switch.
func (g *registry) attach(seg *segment) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seg = seg
	for _, w := range g.workers {
		w.st = &seg.slots[w.index]
	}
	for _, b := range g.balancers {
		b.st = &seg.slots[b.index]
	}
}

// attachFile maps the shared segment file f, or private memory when f is
// nil, and attaches it.
func (g *registry) attachFile(f *os.File) error {
	n := g.slots()
	if n == 0 {
		return nil
	}
	var seg *segment
	var err error
	if f != nil {
		seg, err = mapSegment(f, n)
	} else {
		seg, err = anonSegment(n)
	}
	if err != nil {
		return fmt.Errorf("attaching proxy worker state: %w", err)
	}
	g.attach(seg)
	return nil
}

// attached reports whether a segment is mapped.
func (g *registry) attached() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.seg != nil
}
