package child

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"

	"gohttpd/pipeline"
	"gohttpd/scoreboard"
)

// Server is the serving half of a child: the accept loops and the
// connection goroutines of one generation in one process. The re-executed
// child (Main) and the master's single-process mode (-X) both use it.
type Server struct {
	Gen        *pipeline.Generation
	Scoreboard *scoreboard.Scoreboard
	Slot       int
	Listeners  []net.Listener
	Log        hclog.Logger
	// MasterPid is the supervising master's pid (this process under -X).
	MasterPid int

	pool      *workerPool
	acceptors sync.WaitGroup // the goroutines running acceptLoop
	draining  atomic.Bool
	conns     sync.WaitGroup
	accepted  atomic.Int64
	nextID    atomic.Int64
	stopOnce  sync.Once
	exitOnce  sync.Once
	done      chan struct{} // closed when accepting has stopped
	// handoff passes a new connection to a goroutine that has finished
	// one and waits for the next (see connWorker).
	handoff chan connJob
	// inline: one worker thread and one listener, so the accepting
	// goroutine serves each connection itself (see Serve).
	inline bool
	// balance, in threaded children, keeps their connections level with
	// their siblings' (see awaitTurn); nil otherwise.
	balance *connBalance
}

// connJob is an accepted connection and its worker slot.
type connJob struct {
	nc   net.Conn
	slot *connSlot
}

// workerLinger is how long a goroutine that served a connection waits for
// another. Reusing it spares a new connection the growth of a fresh
// goroutine's stack (copying it several times over its first request).
const workerLinger = 5 * time.Second

// Serve binds the worker slots, runs child_init, and accepts until the
// server is told to stop (Drain or Close) or MaxConnectionsPerChild is
// reached; it then waits for the connections in progress and returns.
func (s *Server) Serve() error {
	p := s.Gen.Process
	threads := p.ThreadsPerChild
	if threads > s.Scoreboard.ThreadLimit() {
		threads = s.Scoreboard.ThreadLimit()
	}
	s.done = make(chan struct{})
	s.handoff = make(chan connJob)
	s.pool = newWorkerPool(s.Scoreboard, s.Slot, threads, s.draining.Load)
	// A child with one worker and one listener serves each connection in
	// the goroutine that accepted it, as a prefork child does: no
	// goroutine hand-off, and no Accept waits while the worker is busy,
	// so the listener need not be paused (the kernel skips a process that
	// is not waiting). Otherwise acceptors close while the pool is full.
	s.inline = s.servesInline()
	if !s.inline {
		s.pool.setAccepting = s.setAccepting
	}

	pipeline.PublishOptional(s.Gen.Hooks.Optional, scoreboard.OptionalFunc, func() *scoreboard.Scoreboard { return s.Scoreboard })
	masterPid := s.MasterPid
	pipeline.PublishOptional(s.Gen.Hooks.Optional, scoreboard.OptionalMasterPid, func() int { return masterPid })
	s.Gen.Hooks.ChildInit.Run(func(f pipeline.ServerFunc) pipeline.Result { f(s.Gen.Main); return pipeline.OK })

	pid := os.Getpid()
	for t := 0; t < threads; t++ {
		w := s.Scoreboard.Worker(s.Slot, t)
		w.Bind(pid, t, s.Gen.Number)
		w.SetStatus(scoreboard.Ready)
	}
	// Slots beyond ThreadsPerChild (up to ThreadLimit) are not used by
	// this child: the master reserved them as Starting; mark them dead.
	for t := threads; t < s.Scoreboard.ThreadLimit(); t++ {
		s.Scoreboard.Worker(s.Slot, t).SetStatus(scoreboard.Dead)
	}

	go s.publishCPU()
	for _, l := range s.Listeners {
		s.acceptors.Add(1)
		go func(l net.Listener) {
			defer s.acceptors.Done()
			s.acceptLoop(l)
		}(l)
	}
	s.acceptors.Wait()
	s.stopAccepting()
	s.conns.Wait()
	for t := 0; t < threads; t++ {
		s.Scoreboard.Worker(s.Slot, t).SetStatus(scoreboard.Dead)
	}
	return nil
}

// servesInline reports whether the child has one worker thread and one
// listener, and so serves each connection in its accepting goroutine.
func (s *Server) servesInline() bool {
	return min(s.Gen.Process.ThreadsPerChild, s.Scoreboard.ThreadLimit()) == 1 && len(s.Listeners) == 1
}

// deadliner is implemented by the listeners that can interrupt Accept.
type deadliner interface{ SetDeadline(time.Time) error }

// pauser is implemented by the listeners that can stop taking
// connections while Accept waits (listen.InheritExclusive's).
type pauser interface {
	Pause() error
	Resume() error
}

// acceptLoop accepts on l while the child has capacity, so a busy child
// leaves the next connection to an idle one. A pausable listener is
// paused while the worker pool is full, and an Accept already waiting
// just goes on waiting.
// Any other listener's Accept is interrupted by a deadline in the past
// when the last free worker slot is taken, and the loop waits for
// capacity before accepting again.
func (s *Server) acceptLoop(l net.Listener) {
	max := int64(s.Gen.Process.MaxConnectionsPerChild)
	dl, _ := l.(deadliner)
	_, pausable := l.(pauser)
	lastYield := time.Now()
	for {
		if !s.pool.waitCapacity() {
			return
		}
		if !pausable {
			if dl != nil {
				_ = dl.SetDeadline(time.Time{})
				if !s.pool.hasCapacity() {
					continue
				}
			}
		}
		s.awaitTurn(l)
		nc, err := l.Accept()
		if err != nil {
			if s.draining.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			if errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) {
				s.Log.Error("accept: out of file descriptors; pausing accept for 100ms", "error", err)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			s.Log.Error("accept failed", "address", l.Addr().String(), "error", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		n := s.accepted.Add(1)
		s.conns.Add(1)
		s.Scoreboard.Process(s.Slot).AddConnections(1)
		job := connJob{nc, s.pool.newConnSlot()}
		stillAcceptor := true
		if s.inline {
			stillAcceptor = s.serveInline(l, job)
		} else {
			if pu, ok := nc.(pollerUser); ok && pu.Blocking() {
				// A blocking connection (one-thread child with several
				// listeners) moves to the poller to wait idle.
				job.slot.setCallbacks(func() { s.usePoller(pu) }, nil)
			}
			select {
			case s.handoff <- job:
			default:
				go s.connWorker(job)
			}
		}
		if max > 0 && n >= max {
			s.Log.Debug("MaxConnectionsPerChild reached; exiting gracefully", "connections", n)
			s.Drain()
			return
		}
		if !stillAcceptor {
			return
		}
		// Pass through the scheduler now and then: the runtime's monitor
		// takes the processor from a goroutine that has not been
		// rescheduled for 10 ms as soon as it enters a system call, and
		// serving connection after connection in one goroutine would
		// make every blocking read pay for that.
		if now := time.Now(); now.Sub(lastYield) > yieldEvery {
			lastYield = now
			runtime.Gosched()
		}
	}
}

// pollerUser is implemented by connections that may be served with
// blocking system calls and can move to the Go poller (listen.Conn).
type pollerUser interface {
	Blocking() bool
	UsePoller() error
}

// usePoller moves a connection about to wait idle to the poller.
func (s *Server) usePoller(pu pollerUser) {
	if err := pu.UsePoller(); err != nil {
		s.Log.Debug("keep-alive connection stays blocking", "error", err)
	}
}

// serveInline serves job in the goroutine of l's acceptLoop, which has
// accepted it. The connection hands accepting on to a new goroutine when
// it stops being quick: when it is kept alive and waits idle for its next
// request (it then moves to the Go poller, so the wait holds no thread),
// when its request head is still incomplete after reserveFor (a slow
// client), or when it starts a lingering close (its goroutine goes on
// waiting in the kernel in those two cases). The child thus
// serves others meanwhile, as Apache's event MPM does, where a prefork
// child would stay tied to that connection. serveInline reports whether
// its goroutine is still the acceptor.
func (s *Server) serveInline(l net.Listener, job connJob) (stillAcceptor bool) {
	var handedOn atomic.Bool
	handOn := func() {
		if handedOn.Swap(true) {
			return
		}
		s.acceptors.Add(1) // the caller's acceptLoop still counts: never zero here
		go func() {
			defer s.acceptors.Done()
			s.acceptLoop(l)
		}()
	}
	job.slot.setCallbacks(func() {
		if pu, ok := job.nc.(pollerUser); ok {
			s.usePoller(pu)
		}
		handOn()
	}, handOn)
	s.serveConn(job.nc, job.slot)
	return !handedOn.Load()
}

// yieldEvery is how often an inline acceptor (see Serve) passes through
// the scheduler: well within the runtime's 10 ms preemption period.
const yieldEvery = 8 * time.Millisecond

// setAccepting opens or closes accepting on every listener as the worker
// pool gains or loses capacity.
func (s *Server) setAccepting(open bool) {
	for _, l := range s.Listeners {
		switch l := l.(type) {
		case pauser:
			var err error
			if open {
				err = l.Resume()
			} else {
				err = l.Pause()
			}
			if err != nil {
				s.Log.Error("switching accept", "error", err)
			}
		case deadliner:
			if !open {
				_ = l.SetDeadline(time.Unix(1, 0)) // interrupt Accept
			}
		}
	}
}

// connWorker serves job, then the connections handed to it while it
// waits, up to workerLinger between them, until accepting stops.
func (s *Server) connWorker(job connJob) {
	t := time.NewTimer(workerLinger)
	defer t.Stop()
	for {
		s.serveConn(job.nc, job.slot)
		t.Reset(workerLinger)
		select {
		case job = <-s.handoff:
		case <-t.C:
			return
		case <-s.done:
			return
		}
	}
}

func (s *Server) serveConn(nc net.Conn, slot *connSlot) {
	defer s.conns.Done()
	defer s.Scoreboard.Process(s.Slot).AddConnections(-1)
	defer slot.finish()
	defer func() {
		if v := recover(); v != nil {
			s.Log.Error("connection handler panicked; connection closed", "client", nc.RemoteAddr().String(), "panic", fmt.Sprint(v))
			nc.Close()
		}
	}()
	pipeline.ServeConnection(s.Gen, nc, s.Gen.Main, s.nextID.Add(1), slot, s.draining.Load)
}

// publishCPU records the process's CPU times in its first worker slot
// once a second (Go cannot read per-thread times), for mod_status.
func (s *Server) publishCPU() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	w := s.Scoreboard.Worker(s.Slot, 0)
	for {
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
			w.SetCPU(time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano()))
		}
		select {
		case <-s.done:
			return
		case <-t.C:
		}
	}
}

// Drain stops accepting; connections in progress finish their current
// request with "Connection: close". Serve returns when they are done.
func (s *Server) Drain() {
	s.draining.Store(true)
	s.stopAccepting()
	if s.Scoreboard != nil {
		s.Scoreboard.Process(s.Slot).SetQuiescing(true)
	}
}

func (s *Server) stopAccepting() {
	s.stopOnce.Do(func() {
		s.Scoreboard.Process(s.Slot).SetNotAccepting(true)
		s.pool.stop()
		for _, l := range s.Listeners {
			l.Close()
		}
		close(s.done)
	})
}

// Exit runs the child_exit hook once (modules flush what they buffer)
// and ends the process with code.
func (s *Server) Exit(code int) {
	s.exitOnce.Do(func() {
		s.Gen.Hooks.ChildExit.Run(func(f pipeline.ServerFunc) pipeline.Result { f(s.Gen.Main); return pipeline.OK })
	})
	os.Exit(code)
}

// Draining reports whether Drain was called.
func (s *Server) Draining() bool { return s.draining.Load() }
