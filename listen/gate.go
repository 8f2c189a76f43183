package listen

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A gate decides which of the processes sharing one listening socket
// waits in the kernel for its next connection. Every process that is
// ready to accept but finds the accept queue empty asks the gate: the
// first becomes the socket's waiter and sleeps in epoll_wait, where a new
// connection wakes it; the others park on a futex in the gate's shared
// memory, where no connection wakes them. A process coming back from a
// connection first takes whatever the queue holds, so while the busy
// processes keep up with the arrivals, connections go to them and nobody
// sleeps or wakes at all.
//
// Without a gate every idle one-thread child waits in epoll_wait, and
// each new connection wakes one of them even when the child that has
// just finished a connection would take it a moment later: a context
// switch per connection, and the work spread over every child's cold
// caches. Apache's prefork children pay the same, through accept(2).
//
// A process that accepts a connection while nobody waits (the waiter
// itself, which leaves its place to take it, or a process that found it
// queued) has a moment (replaceAfterWait, replaceAfter) to come back for
// the next one; if it has not
// (a slow request), a parked process is woken to take the place, so a
// connection does not wait long while an idle process is parked, whatever
// the busy ones are doing, and quick requests cost no wake. A process
// that stops accepting (paused, closing) wakes its replacement at once,
// and a waiter that exits without leaving (killed) is released by the
// master (Set.ReleaseWaiter).
//
// Processes that still hold a connection from the socket (a keep-alive
// connection waiting for its next request, one served by another
// goroutine) rank below those that hold none: they take the waiter's
// place only when no idle process is parked, and wake one instead. So a
// burst of new connections spreads over the idle processes, one each, as
// Apache's prefork children take them, rather than piling up in the
// process that happened to be awake.
//
// The gate lives in a small memory file (memfd) that the master creates
// with the socket and every child inherits beside it. Its words are
// touched only with atomic operations, and the futex is a shared one:
// processes map the file at different addresses.
type gate struct {
	file *os.File
	mem  []byte
	w    *gateWords
}

// A process's rank at the gate: idle processes hold no connection from
// the socket, busy ones do.
type rank int

const (
	idle rank = iota
	busy
)

// gateWords is the shared state, one cache line.
type gateWords struct {
	magic  atomic.Uint32
	waiter atomic.Int32     // pid of the process waiting in the kernel; 0 if none
	parked [2]atomic.Int32  // by rank: processes parked (or about to park) on seq
	seq    [2]atomic.Uint32 // by rank: futex words, changed to wake parked processes
	_      [40]byte
}

const (
	gateMagic = 0x67617465 // "gate"
	gateSize  = 4096       // one page: the least a mapping takes
)

// newGate creates a gate in a new sealed memory file.
func newGate() (*gate, error) {
	fd, err := unix.MemfdCreate("gohttpd-accept-gate", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("accept gate: memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), "gohttpd-accept-gate")
	if err := unix.Ftruncate(fd, gateSize); err != nil {
		f.Close()
		return nil, fmt.Errorf("accept gate: ftruncate: %w", err)
	}
	// Children hold the file read-write as another user: no child may
	// shrink it under the others (SIGBUS).
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK|unix.F_SEAL_GROW|unix.F_SEAL_SEAL); err != nil {
		f.Close()
		return nil, fmt.Errorf("accept gate: sealing: %w", err)
	}
	g, err := mapGate(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	g.w.magic.Store(gateMagic)
	return g, nil
}

// openGate maps a gate inherited from the master. It owns f from then on,
// also when it fails.
func openGate(f *os.File) (*gate, error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		f.Close()
		return nil, fmt.Errorf("accept gate %s: fstat: %w", f.Name(), err)
	}
	if st.Size != gateSize {
		f.Close()
		return nil, fmt.Errorf("accept gate %s: file is %d bytes, not %d: the master and child disagree about the fd layout", f.Name(), st.Size, gateSize)
	}
	g, err := mapGate(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	if g.w.magic.Load() != gateMagic {
		g.close()
		return nil, fmt.Errorf("accept gate %s: not an accept gate: the master and child disagree about the fd layout", f.Name())
	}
	return g, nil
}

func mapGate(f *os.File) (*gate, error) {
	mem, err := unix.Mmap(int(f.Fd()), 0, gateSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("accept gate: mmap: %w", err)
	}
	return &gate{file: f, mem: mem, w: (*gateWords)(unsafe.Pointer(&mem[0]))}, nil
}

// close unmaps the gate and closes its file. Nobody may use it after.
func (g *gate) close() error {
	err := unix.Munmap(g.mem)
	g.mem, g.w = nil, nil
	return errors.Join(err, g.file.Close())
}

// becomeWaiter makes pid, of rank r, the socket's waiter if there is
// none and r may take the place (see mayWait).
func (g *gate) becomeWaiter(pid int, r rank) bool {
	if r == busy && g.w.parked[idle].Load() > 0 {
		return false
	}
	return g.w.waiter.CompareAndSwap(0, int32(pid))
}

// mayWait reports whether a process of rank r may take the waiter's
// place now: it is free, and r is idle or no idle process is parked.
func (g *gate) mayWait(r rank) bool {
	return g.w.waiter.Load() == 0 && (r == idle || g.w.parked[idle].Load() == 0)
}

// vacant reports whether nobody waits in the kernel.
func (g *gate) vacant() bool { return g.w.waiter.Load() == 0 }

// vacate gives up pid's place as the waiter, if it has it, and wakes
// nobody: the caller expects to come back soon.
func (g *gate) vacate(pid int) bool {
	return g.w.waiter.CompareAndSwap(int32(pid), 0)
}

// release gives up pid's place as the waiter, if it has it, and wakes a
// parked process to take it.
func (g *gate) release(pid int) {
	if g.vacate(pid) {
		g.wake()
	}
}

// replace wakes a parked process if the waiter's place is free.
func (g *gate) replace() {
	if g.vacant() {
		g.wake()
	}
}

// park sleeps, as a process of rank r, until another process wakes
// parked ones; it returns at once if r may take the waiter's place (the
// caller then tries to). The order of its steps (count, check, sleep)
// against those of whoever frees the place or unparks (free, look at the
// counts, wake) makes sure a place that frees up is never missed.
//
// A busy process whose connections close while it is parked stays parked
// as busy until woken: no timeout, since every wake-up of a parked
// process costs its Go runtime a burst of monitor activity. Busy
// processes are woken whenever no idle one is parked, which is what
// matters.
func (g *gate) park(r rank) {
	seq := g.w.seq[r].Load()
	g.w.parked[r].Add(1)
	defer g.w.parked[r].Add(-1)
	if g.mayWait(r) {
		return
	}
	futex(&g.w.seq[r], futexWait, seq)
}

// passTurn is for a busy process that has just taken a connection while
// no idle one was parked: if another busy process is parked, it wakes it
// to take the next connection and parks in its place, and reports true;
// otherwise it reports false.
func (g *gate) passTurn() bool {
	if g.w.parked[idle].Load() > 0 || g.w.parked[busy].Load() == 0 {
		return false
	}
	seq := g.unpark(busy, 1)
	g.w.parked[busy].Add(1)
	defer g.w.parked[busy].Add(-1)
	futex(&g.w.seq[busy], futexWait, seq)
	return true
}

// wake wakes a parked process, an idle one if any is parked.
func (g *gate) wake() {
	for _, r := range []rank{idle, busy} {
		if g.w.parked[r].Load() > 0 {
			g.unpark(r, 1)
			return
		}
	}
}

// wakeAll wakes every parked process.
func (g *gate) wakeAll() {
	for _, r := range []rank{idle, busy} {
		if g.w.parked[r].Load() > 0 {
			g.unpark(r, 1<<30)
		}
	}
}

// unpark changes rank r's futex word, so that no process about to park
// on the old value sleeps, wakes up to n processes sleeping on it, and
// returns the new value.
func (g *gate) unpark(r rank, n uint32) uint32 {
	seq := g.w.seq[r].Add(1)
	futex(&g.w.seq[r], futexWake, n)
	return seq
}

// futex(2) operations (linux/futex.h), without FUTEX_PRIVATE_FLAG.
const (
	futexWait = 0
	futexWake = 1
)

// futex calls futex(2) on a word of shared memory (not FUTEX_PRIVATE: the
// waiters are different processes). FUTEX_WAIT blocks the calling thread
// with no timeout; its errors (EAGAIN: the word had already changed;
// EINTR) all mean "look again", so they are not returned.
func futex(addr *atomic.Uint32, op int, val uint32) {
	_, _, _ = syscall.Syscall6(unix.SYS_FUTEX, uintptr(unsafe.Pointer(addr)), uintptr(op), uintptr(val), 0, 0, 0)
}
