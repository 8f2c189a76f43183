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
// The listeners also have Pause and Resume: a paused listener leaves its
// epoll set, so the kernel passes new connections to other children
// while Accept keeps waiting, without waking; a child pauses while it has
// no free worker. Their SetDeadline accepts only the two deadlines
// net.TCPListener users rely on here: a time in the past interrupts a
// blocked Accept, which returns a timeout error, and the zero time lets
// Accept wait again.
func InheritExclusive(files []*os.File, addrs []Addr) ([]net.Listener, error) {
	return inheritAll(files, addrs, func(_ *os.File, sock int, local Addr) (net.Listener, error) {
		fd, err := prepareListener(sock)
		if err != nil {
			return nil, err
		}
		l, err := newExclusiveListener(fd, local.tcpAddr())
		if err != nil {
			unix.Close(fd)
			return nil, err
		}
		return l, nil
	})
}

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
	paused bool         // fd is out of the epoll set; guarded by mu (write)
	closed atomic.Bool
	// interrupted makes Accept return a timeout until cleared.
	interrupted atomic.Bool
}

func newExclusiveListener(fd int, addr net.Addr) (*exclusiveListener, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	wake, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	l := &exclusiveListener{addr: addr, epfd: epfd, wake: wake, fd: fd}
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
	for {
		if l.closed.Load() {
			return nil, net.ErrClosed
		}
		if l.interrupted.Load() {
			return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: os.ErrDeadlineExceeded}
		}
		nfd, sa, err := l.accept()
		if err == nil {
			return newBlockingConn(nfd, sa, l.addr), nil
		}
		switch err {
		case unix.EAGAIN, unix.EINTR, unix.ECONNABORTED:
		default:
			return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: os.NewSyscallError("accept4", err)}
		}
		n, err := unix.EpollWait(l.epfd, events[:], -1)
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

// accept takes one pending connection. The new socket is blocking: it is
// served as a Conn.
func (l *exclusiveListener) accept() (int, syscall.Sockaddr, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.fd < 0 {
		return -1, nil, syscall.EBADF
	}
	if l.paused {
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
	return nil
}

// Pause takes the socket out of the epoll set: Accept goes on waiting
// but is not woken for new connections, which go to other processes.
func (l *exclusiveListener) Pause() error { return l.setPaused(true) }

// Resume puts the socket back; a connection already queued wakes Accept.
func (l *exclusiveListener) Resume() error { return l.setPaused(false) }

func (l *exclusiveListener) setPaused(paused bool) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fd < 0 || l.paused == paused {
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
	l.paused = paused
	return nil
}

// poke wakes a goroutine blocked in epoll_wait.
func (l *exclusiveListener) poke() {
	one := [8]byte{1}
	_, _ = unix.Write(l.wake, one[:])
}

// Close stops Accept and closes this process's descriptor of the socket;
// the socket itself stays open in the master and the other children. The
// epoll set and eventfd stay open until the process exits, since a
// goroutine may still be waiting on them.
func (l *exclusiveListener) Close() error {
	if l.closed.Swap(true) {
		return nil
	}
	l.poke()
	l.mu.Lock()
	defer l.mu.Unlock()
	err := unix.Close(l.fd)
	l.fd = -1
	return err
}

// closeAll releases every descriptor (construction failed).
func (l *exclusiveListener) closeAll() {
	unix.Close(l.epfd)
	unix.Close(l.wake)
}

// Addr returns the socket's local address.
func (l *exclusiveListener) Addr() net.Addr { return l.addr }
