package child

import (
	"sync"
	"time"

	"gohttpd/pipeline"
	"gohttpd/scoreboard"
)

// reserveFor is how long a newly accepted connection reserves a worker
// slot while its request head arrives. Real clients send the head at
// once; a connection still without a complete head after this is a slow
// client, and stops counting against the child's capacity (its head is
// read without a worker; it competes for one when the head is complete).
const reserveFor = 100 * time.Millisecond

// workerPool hands out the child's worker slots. A connection holds a
// slot only from a complete request head (StartRequest) to the end of
// logging (EndRequest). The acceptors accept only while a slot is free
// and not reserved by a connection accepted a moment ago, so a busy child
// leaves new connections in the shared accept queue for idle children.
type workerPool struct {
	mu       sync.Mutex
	cond     *sync.Cond
	free     []int // free thread slots
	reserved int   // fresh connections expected to need a slot
	stopping bool
	sb       *scoreboard.Scoreboard
	slot     int
	draining func() bool

	// setAccepting is told (unlocked, serialised by acceptMu) whether new
	// connections could get a slot, each time that changes.
	setAccepting func(open bool)
	acceptMu     sync.Mutex
	acceptOpen   bool
}

func newWorkerPool(sb *scoreboard.Scoreboard, slot, threads int, draining func() bool) *workerPool {
	p := &workerPool{sb: sb, slot: slot, draining: draining, setAccepting: func(bool) {}, acceptOpen: true}
	p.cond = sync.NewCond(&p.mu)
	for t := threads - 1; t >= 0; t-- {
		p.free = append(p.free, t)
	}
	return p
}

// capacity is the number of slots a new connection could have; p.mu held.
func (p *workerPool) capacity() int { return len(p.free) - p.reserved }

// acquire blocks until a worker slot is free and returns its thread
// index; reserved says the caller holds a reservation to convert.
func (p *workerPool) acquire(reserved bool) int {
	p.mu.Lock()
	if reserved {
		p.reserved--
	}
	for len(p.free) == 0 {
		p.cond.Wait()
	}
	t := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	p.mu.Unlock()
	p.syncAccepting()
	return t
}

func (p *workerPool) release(t int) {
	p.mu.Lock()
	p.free = append(p.free, t)
	p.mu.Unlock()
	p.cond.Broadcast()
	p.syncAccepting()
}

// syncAccepting tells setAccepting whether the pool has capacity, when
// that differs from what it was last told. Every change of capacity calls
// it; the last caller reads the latest state, so the two never stay
// apart.
func (p *workerPool) syncAccepting() {
	p.acceptMu.Lock()
	defer p.acceptMu.Unlock()
	p.mu.Lock()
	open := p.capacity() > 0 && !p.stopping
	p.mu.Unlock()
	if open != p.acceptOpen {
		p.acceptOpen = open
		p.setAccepting(open)
	}
}

// reserve records a freshly accepted connection; unreserve drops the
// reservation if the connection has not converted it yet.
func (p *workerPool) reserve() {
	p.mu.Lock()
	p.reserved++
	p.mu.Unlock()
	p.syncAccepting()
}

func (p *workerPool) unreserve() {
	p.mu.Lock()
	p.reserved--
	p.mu.Unlock()
	p.cond.Broadcast()
	p.syncAccepting()
}

// waitCapacity blocks until a new connection could get a worker slot or
// the pool is stopping; it reports false when stopping.
func (p *workerPool) waitCapacity() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.capacity() <= 0 && !p.stopping {
		p.cond.Wait()
	}
	return !p.stopping
}

// hasCapacity reports whether a new connection could get a slot now.
func (p *workerPool) hasCapacity() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.capacity() > 0
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

	mu       sync.Mutex
	reserved bool        // holds a reservation from accept
	expiry   *time.Timer // drops the reservation after reserveFor
	w        scoreboard.Worker
	// Callbacks, set for blocking connections (see Server.serveInline):
	// idle is called by the connection's goroutine when it starts waiting
	// for its next request; slow, if set, when its reservation expires
	// before its request head is complete (from the timer's goroutine;
	// guarded by mu), and when it starts a lingering close.
	idle, slow func()
}

// newConnSlot returns the slot of a connection just accepted, holding a
// reservation for reserveFor.
func (p *workerPool) newConnSlot() *connSlot {
	c := &connSlot{pool: p, thread: -1, reserved: true}
	p.reserve()
	c.mu.Lock()
	c.expiry = time.AfterFunc(reserveFor, c.expire)
	c.mu.Unlock()
	return c
}

// takeReservation reports whether the connection still held its
// reservation, and gives it up.
func (c *connSlot) takeReservation() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.reserved
	c.reserved = false
	if r {
		c.expiry.Stop()
	}
	return r
}

func (c *connSlot) dropReservation() {
	if c.takeReservation() {
		c.pool.unreserve()
	}
}

// expire ends the reservation of a connection whose request head is
// still incomplete after reserveFor.
func (c *connSlot) expire() {
	c.mu.Lock()
	reserved, slow := c.reserved, c.slow
	c.reserved = false
	c.mu.Unlock()
	if reserved {
		c.pool.unreserve()
		if slow != nil {
			slow()
		}
	}
}

// Lingering is told that the connection starts its lingering close.
func (c *connSlot) Lingering() {
	c.mu.Lock()
	slow := c.slow
	c.mu.Unlock()
	if slow != nil {
		slow()
	}
}

// setCallbacks sets the idle and slow callbacks (see connSlot).
func (c *connSlot) setCallbacks(idle, slow func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.idle, c.slow = idle, slow
}

// SetState records the worker status while a request holds a slot; between
// requests the connection has no slot and nothing is recorded.
func (c *connSlot) SetState(s pipeline.WorkerState) {
	if s == pipeline.StateKeepalive && c.idle != nil {
		c.idle()
	}
	if c.thread >= 0 {
		c.w.SetStatus(scoreboard.Status(s))
	}
}

// StartRequest waits for a free worker slot and records the request on it.
func (c *connSlot) StartRequest(client, vhost, requestLine, protocol string) {
	if c.thread < 0 {
		c.thread = c.pool.acquire(c.takeReservation())
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
	now := time.Now()
	c.w.StopRequest(now)
	if c.pool.draining() {
		c.w.SetStatusAt(scoreboard.Graceful, now)
	} else {
		c.w.SetStatusAt(scoreboard.Ready, now)
	}
	c.pool.release(c.thread)
	c.thread = -1
}

// finish gives back what a connection still holds when it ends (the
// protocol module returned without EndRequest, or before any request).
func (c *connSlot) finish() {
	c.dropReservation()
	if c.thread >= 0 {
		c.w.SetStatus(scoreboard.Ready)
		c.pool.release(c.thread)
		c.thread = -1
	}
}
