package child

import (
	"sync"
	"time"

	"gohttpd/pipeline"
	"gohttpd/scoreboard"
)

// workerPool hands out the child's worker slots. A connection holds a
// slot only from a complete request head (StartRequest) to the end of
// logging (EndRequest); the acceptors accept only while a slot is free.
type workerPool struct {
	mu       sync.Mutex
	cond     *sync.Cond
	free     []int // free thread slots
	stopping bool
	sb       *scoreboard.Scoreboard
	slot     int
	draining func() bool
}

func newWorkerPool(sb *scoreboard.Scoreboard, slot, threads int, draining func() bool) *workerPool {
	p := &workerPool{sb: sb, slot: slot, draining: draining}
	p.cond = sync.NewCond(&p.mu)
	for t := threads - 1; t >= 0; t-- {
		p.free = append(p.free, t)
	}
	return p
}

// acquire blocks until a worker slot is free and returns its thread index.
func (p *workerPool) acquire() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 {
		p.cond.Wait()
	}
	t := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	return t
}

func (p *workerPool) release(t int) {
	p.mu.Lock()
	p.free = append(p.free, t)
	p.mu.Unlock()
	p.cond.Broadcast()
}

// waitFree blocks until a worker slot is free or the pool is stopping; it
// reports false when stopping.
func (p *workerPool) waitFree() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.free) == 0 && !p.stopping {
		p.cond.Wait()
	}
	return !p.stopping
}

func (p *workerPool) stop() {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
	p.cond.Broadcast()
}

// connSlot is the pipeline.WorkerSlot of one connection: it binds a
// scoreboard worker slot for the duration of each request.
type connSlot struct {
	pool   *workerPool
	thread int // -1 while no request is being processed
	w      scoreboard.Worker
}

func (p *workerPool) newConnSlot() *connSlot { return &connSlot{pool: p, thread: -1} }

// SetState records the worker status while a request holds a slot; between
// requests the connection has no slot and nothing is recorded.
func (c *connSlot) SetState(s pipeline.WorkerState) {
	if c.thread >= 0 {
		c.w.SetStatus(scoreboard.Status(s))
	}
}

// StartRequest waits for a free worker slot and records the request on it.
func (c *connSlot) StartRequest(client, vhost, requestLine, protocol string) {
	if c.thread < 0 {
		c.thread = c.pool.acquire()
		c.w = c.pool.sb.Worker(c.pool.slot, c.thread)
	}
	c.w.SetStatus(scoreboard.BusyRead)
	c.w.StartRequest(time.Now())
	c.w.SetRequest(client, vhost, requestLine, protocol)
}

// EndRequest records the finished request and gives the slot back.
func (c *connSlot) EndRequest(bytes int64) {
	if c.thread < 0 {
		return
	}
	c.w.IncrementAccess(bytes)
	c.w.StopRequest(time.Now())
	if c.pool.draining() {
		c.w.SetStatus(scoreboard.Graceful)
	} else {
		c.w.SetStatus(scoreboard.Ready)
	}
	c.pool.release(c.thread)
	c.thread = -1
}

// finish gives back a slot a request still holds when its connection ends
// abnormally (the protocol module returned without EndRequest).
func (c *connSlot) finish() {
	if c.thread >= 0 {
		c.w.SetStatus(scoreboard.Ready)
		c.pool.release(c.thread)
		c.thread = -1
	}
}
