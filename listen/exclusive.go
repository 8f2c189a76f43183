package listen

import (
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// InheritExclusive is Inherit for children that share their listening
// sockets with many sibling processes. Its listeners are kept out of the
// Go runtime's poller: each waits in a private epoll set holding the
// socket with EPOLLEXCLUSIVE, so a new connection wakes one waiting child
// instead of every child (the thundering herd Go's poller would cause,
// and which Apache's prefork avoids with a blocking accept). A child that
// is not waiting — it has no free worker — is skipped by the kernel.
// Accept returns each connection as a *Conn.
//
// gates, when not nil, are the sockets' accept gates (Set.Gates, index
// for index with files): with them, of the idle children only one waits
// in the kernel for a socket's next connection and the others park, so
// busy children take the connections that arrive while they keep up
// (see gate). InheritExclusive owns them as it owns files.
//
// The listeners also have Pause and Resume: a paused listener leaves its
// epoll set, so the kernel passes new connections to other children
// while Accept keeps waiting, without waking; a child pauses while it has
// no free worker. Their SetDeadline accepts only the two deadlines
// net.TCPListener users rely on here: a time in the past interrupts a
// blocked Accept, which returns a timeout error, and the zero time lets
// Accept wait again.
func InheritExclusive(files []*os.File, addrs []Addr, gates []*os.File) ([]net.Listener, error) {
	gs, err := openGates(gates, len(files))
	if err != nil {
		for _, f := range files {
			f.Close()
		}
		return nil, err
	}
	next := 0
	ls, err := inheritAll(files, addrs, func(_ *os.File, sock int, local Addr) (net.Listener, error) {
		var g *gate
		if gs != nil {
			g = gs[next]
			next++
		}
		fd, err := prepareListener(sock)
		if err != nil {
			return nil, err
		}
		l, err := newExclusiveListener(fd, local.tcpAddr(), g)
		if err != nil {
			unix.Close(fd)
			return nil, err
		}
		return l, nil
	})
	if err != nil {
		for _, g := range gs {
			g.close()
		}
		return nil, err
	}
	return ls, nil
}

// openGates maps the inherited accept gates of n sockets (none if files
// is nil). It owns files: on error it closes them all.
func openGates(files []*os.File, n int) ([]*gate, error) {
	if files == nil {
		return nil, nil
	}
	if len(files) != n {
		for _, f := range files {
			f.Close()
		}
		return nil, fmt.Errorf("inherited %d accept gates for %d listening sockets: the master and child disagree about the fd layout", len(files), n)
	}
	gs := make([]*gate, 0, n)
	for i, f := range files {
		g, err := openGate(f)
		if err != nil {
			for _, g := range gs {
				g.close()
			}
			for _, f := range files[i+1:] {
				f.Close()
			}
			return nil, err
		}
		gs = append(gs, g)
	}
	return gs, nil
}

// How long a process that took a connection while nobody waited at the
// gate has to come back before a parked process is woken to wait in its
// place: longer than a quick request takes, short enough that a
// connection arriving meanwhile barely notices. A process that had waited
// for its connection gets less: it was idle, so the next arrival may well
// come before it is done. (Measured with one-thread children: shorter
// limits wake parked children under load for nothing; without the shorter
// one, a request arriving just after a slow one waits up to replaceAfter.)
const (
	replaceAfter     = 5 * time.Millisecond
	replaceAfterWait = 500 * time.Microsecond
)

// wakeTag marks the eventfd's events in the epoll set.
const wakeTag = 1

// exclusiveListener accepts on a listening socket outside the Go poller
// (see InheritExclusive). Accept blocks its goroutine's thread in
// epoll_wait; the runtime hands the processor to other goroutines
// meanwhile.
type exclusiveListener struct {
	addr net.Addr
	epfd int // the socket (EPOLLEXCLUSIVE) and wake
	wake int // eventfd: written to interrupt epoll_wait

	mu     sync.RWMutex // held for reading around accept4, for writing to close fd or pause
	fd     int          // the listening socket; -1 once closed
	paused atomic.Bool  // fd is out of the epoll set; written under mu
	closed atomic.Bool

	// gate, if not nil, picks the one process that waits for the
	// socket's next connection; pid is this process's id in it.
	gate *gate
	pid  int
	// waiting is set while a goroutine of this listener is the gate's
	// waiter, for Pause to wake it.
	waiting atomic.Bool
	// replacement wakes a parked process to take the waiter's place if
	// no Accept of this process takes it back within replaceAfter.
	replacement *time.Timer
	// open counts the connections accepted here and not yet closed: a
	// process holding one ranks busy at the gate.
	open atomic.Int32
	// passTurn is set when a busy process took a connection: its next
	// Accept lets another busy process go first (gate.passTurn).
	passTurn atomic.Bool
	// interrupted makes Accept return a timeout until cleared.
	interrupted atomic.Bool
}

func newExclusiveListener(fd int, addr net.Addr, g *gate) (*exclusiveListener, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	l := &exclusiveListener{addr: addr, epfd: epfd, wake: wake, fd: fd, gate: g, pid: os.Getpid()}
	if g != nil {
		l.replacement = time.AfterFunc(time.Hour, g.replace)
		l.replacement.Stop()
	}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLEXCLUSIVE}); err != nil {
		l.closeAll()
		return nil, fmt.Errorf("epoll_ctl(EPOLLEXCLUSIVE): %w", err)
	}
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, wake, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: wakeTag}); err != nil {
		l.closeAll()
		return nil, fmt.Errorf("epoll_ctl(eventfd): %w", err)
	}
	return l, nil
}

// Accept waits for a connection and returns it as a *Conn.
func (l *exclusiveListener) Accept() (net.Conn, error) {
	var events [2]unix.EpollEvent
	woke := false // the last wait was as the gate's waiter
	for {
		if l.closed.Load() {
			return nil, net.ErrClosed
		}
		if l.interrupted.Load() {
			return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: os.ErrDeadlineExceeded}
		}
		r := idle
		if l.open.Load() > 0 {
			r = busy
		}
		// A busy process that took a connection lets another busy one
		// take the next, so that connections beyond the idle processes
		// spread as well.
		if l.gate != nil && r == busy && l.passTurn.Swap(false) && l.gate.passTurn() {
			continue
		}
		// A busy process leaves queued connections to parked idle ones.
		if l.gate == nil || r == idle || l.gate.mayWait(busy) {
			nfd, sa, err := l.accept()
			if err == nil {
				return l.newConn(nfd, sa, woke), nil
			}
			switch err {
			case unix.EAGAIN, unix.EINTR, unix.ECONNABORTED:
			default:
				return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: os.NewSyscallError("accept4", err)}
			}
		}
		waiter := false
		if l.gate != nil && !l.paused.Load() {
			l.replacement.Stop() // this process is back
			if !l.gate.becomeWaiter(l.pid, r) {
				if r == busy {
					l.gate.replace() // an idle process takes the place
				}
				l.gate.park(r)
				continue
			}
			waiter = true
			l.waiting.Store(true)
			if l.paused.Load() { // Pause did not see waiting: leave now
				l.waiting.Store(false)
				l.gate.release(l.pid)
				continue
			}
		}
		n, err := unix.EpollWait(l.epfd, events[:], -1)
		woke = waiter
		if waiter {
			l.waiting.Store(false)
			if l.paused.Load() || l.closed.Load() || l.interrupted.Load() {
				l.gate.release(l.pid)
			} else {
				l.gate.vacate(l.pid)
			}
		}
		if err != nil && err != unix.EINTR {
			return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: os.NewSyscallError("epoll_wait", err)}
		}
		for i := 0; i < n; i++ {
			if events[i].Fd == wakeTag {
				var b [8]byte
				_, _ = unix.Read(l.wake, b[:])
			}
		}
	}
}

// newConn wraps an accepted socket, counting it among the process's open
// connections until it is closed. If nobody waits at the gate, a parked
// process is woken to wait unless this one comes back first: after
// replaceAfterWait if this one had waited for the connection (the server
// had little to do), after replaceAfter if it found it queued (the
// server is busy, and the processes already running will take the next
// ones).
func (l *exclusiveListener) newConn(fd int, sa syscall.Sockaddr, waited bool) *Conn {
	c := newBlockingConn(fd, sa, l.addr)
	if l.gate != nil {
		if l.open.Add(1) > 1 {
			l.passTurn.Store(true)
		}
		c.open = &l.open
		if l.gate.vacant() {
			if waited {
				l.replacement.Reset(replaceAfterWait)
			} else {
				l.replacement.Reset(replaceAfter)
			}
		}
	}
	return c
}

// accept takes one pending connection. The new socket is blocking: it is
// served as a Conn.
func (l *exclusiveListener) accept() (int, syscall.Sockaddr, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.fd < 0 {
		return -1, nil, syscall.EBADF
	}
	if l.paused.Load() {
		return -1, nil, syscall.EAGAIN // wait in epoll_wait until resumed
	}
	// syscall's Accept4, not unix's: that one asks the socket's protocol
	// on every call (for L2TP addresses).
	return syscall.Accept4(l.fd, syscall.SOCK_CLOEXEC)
}

// SetDeadline interrupts (a time in the past) or re-enables (the zero
// time) Accept; other deadlines are not supported.
func (l *exclusiveListener) SetDeadline(t time.Time) error {
	if t.IsZero() {
		l.interrupted.Store(false)
		return nil
	}
	l.interrupted.Store(true)
	l.poke()
	l.unparkAll()
	return nil
}

// Pause takes the socket out of the epoll set: Accept goes on waiting
// but is not woken for new connections, which go to other processes. A
// paused listener gives up its place as the gate's waiter.
func (l *exclusiveListener) Pause() error { return l.setPaused(true) }

// Resume puts the socket back; a connection already queued wakes Accept.
func (l *exclusiveListener) Resume() error { return l.setPaused(false) }

func (l *exclusiveListener) setPaused(paused bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fd < 0 || l.paused.Load() == paused {
		return nil
	}
	var err error
	if paused {
		err = unix.EpollCtl(l.epfd, unix.EPOLL_CTL_DEL, l.fd, nil)
	} else {
		err = unix.EpollCtl(l.epfd, unix.EPOLL_CTL_ADD, l.fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLEXCLUSIVE})
	}
	if err != nil {
		return fmt.Errorf("pausing accept on %s: %w", l.addr, err)
	}
	l.paused.Store(paused)
	// A waiter must leave the gate while paused (it would not wake for
	// new connections), and a paused Accept must look at the gate again
	// once resumed.
	if l.gate != nil && (!paused || l.waiting.Load()) {
		l.poke()
	}
	return nil
}

// poke wakes a goroutine blocked in epoll_wait.
func (l *exclusiveListener) poke() {
	one := [8]byte{1}
	_, _ = unix.Write(l.wake, one[:])
}

// Close stops Accept and closes this process's descriptor of the socket;
// the socket itself stays open in the master and the other children. The
// epoll set, eventfd and gate stay open until the process exits, since a
// goroutine may still be waiting on them.
func (l *exclusiveListener) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	l.poke()
	l.unparkAll()
	l.mu.Lock()
	defer l.mu.Unlock()
	err := unix.Close(l.fd)
	l.fd = -1
	return err
}

// unparkAll wakes an Accept parked at the gate, to see that it must
// return. The gate cannot wake one process alone: parked Accepts of other
// processes wake too, and park again.
func (l *exclusiveListener) unparkAll() {
	if l.gate != nil {
		l.gate.wakeAll()
	}
}

// closeAll releases every descriptor (construction failed).
func (l *exclusiveListener) closeAll() {
	unix.Close(l.epfd)
	unix.Close(l.wake)
}

// Addr returns the socket's local address.
func (l *exclusiveListener) Addr() net.Addr { return l.addr }
