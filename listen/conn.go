package listen

import (
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Conn is an accepted TCP connection as the package's listeners return
// it: lighter than the net package's, which sets five socket options,
// looks up the local address and registers the socket with the Go poller
// on every accept (Linux passes TCP_NODELAY on from the listening
// socket, where the package sets it once, and the local address is the
// listener's unless that is a wildcard). A Conn waits for its client in
// one of three ways.
//
// Blocking, outside the Go poller, the way Apache's prefork children
// serve theirs (InheritExclusive's connections): a one-thread child
// serves one connection at a time, so the poller has nothing to
// multiplex; a read waiting for the client blocks the goroutine's thread
// in the kernel, and a connection costs accept, read, write and close,
// without registering with the poller or a read that finds nothing
// before waiting. Deadlines are then kernel socket timeouts
// (SO_RCVTIMEO, SO_SNDTIMEO), set only when the time left to a deadline
// calls for it: a wait never ends before its deadline, and may end a
// little after it (up to a sixteenth of the time that was left when it
// started). A write first tries without waiting, and sets a timeout only
// when the socket buffer is full. A deadline moved into the past while a
// Read waits wakes it by shutting down the reading side of the
// connection: the Read reports a timeout, and the connection cannot be
// read from again.
//
// Non-blocking and not yet in the poller (Inherit's connections, which
// threaded children serve): reads and writes are attempted directly, and
// the socket joins the Go poller only when one of them would have to
// wait. A connection whose request is already in its socket buffer when
// it is read, and whose response fits the send buffer, which is most
// connections that carry a single request, so costs accept, read, write
// and close, sparing three system calls (the poller's fcntl and its
// epoll_ctl add and delete).
//
// In the Go poller (a connection of the previous kind that had to wait,
// and a blocking one after UsePoller, which a one-thread child calls
// before a connection waits idle between requests, so that the wait
// holds no thread).
//
// It is safe for concurrent use as net.Conn requires: Close wakes reads
// and writes in progress, and the descriptor is closed when the last one
// returns.
type Conn struct {
	fd     int
	listen net.Addr // the listener's address, for LocalAddr
	remote net.Addr
	// blocking is set for a socket accepted in blocking mode, which
	// waits in the kernel until it moves to the poller.
	blocking bool
	// polled is the socket as a pollable file once it moved to the
	// poller; every wait then happens there.
	polled atomic.Pointer[os.File]
	// pmu orders deadline changes with the move to the poller, which
	// carries the deadlines over.
	pmu sync.Mutex

	refs    atomic.Int64 // 1 for the open connection + 1 per operation in progress
	closing atomic.Bool

	localOnce sync.Once
	local     net.Addr

	rd, wr timeoutState
	rmu    sync.Mutex // serialises reads
	wmu    sync.Mutex // serialises writes
	iov    []unix.Iovec
	// reading is set while a blocking Read waits in the kernel.
	reading atomic.Bool
	// open, if not nil, is the listener's count of open connections,
	// which Close decrements.
	open *atomic.Int32
}

// timeoutState is one direction's deadline and the socket timeout in
// force for it.
type timeoutState struct {
	deadline atomic.Int64  // UnixNano; 0 = none
	inForce  time.Duration // the socket's timeout for this direction; 0 = none
	option   int           // SO_RCVTIMEO or SO_SNDTIMEO
}

// newBlockingConn wraps fd, a blocking socket accepted on the listener at
// listenAddr from the peer sa.
func newBlockingConn(fd int, sa syscall.Sockaddr, listenAddr net.Addr) *Conn {
	c := newLazyConn(fd, sa, listenAddr)
	c.blocking = true
	return c
}

// newLazyConn wraps fd, a non-blocking socket accepted on the listener at
// listenAddr from the peer sa; it joins the poller when it must wait.
func newLazyConn(fd int, sa syscall.Sockaddr, listenAddr net.Addr) *Conn {
	c := &Conn{fd: fd, listen: listenAddr, remote: tcpAddr(sa)}
	c.rd.option, c.wr.option = unix.SO_RCVTIMEO, unix.SO_SNDTIMEO
	c.refs.Store(1)
	return c
}

func tcpAddr(sa syscall.Sockaddr) *net.TCPAddr {
	switch sa := sa.(type) {
	case *syscall.SockaddrInet4:
		return net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port)))
	case *syscall.SockaddrInet6:
		return net.TCPAddrFromAddrPort(netip.AddrPortFrom(netip.AddrFrom16(sa.Addr).Unmap(), uint16(sa.Port)))
	}
	return &net.TCPAddr{}
}

// incref registers an operation; it fails once the connection is closing.
// The second look at closing pairs with Close's look at refs: either Close
// sees this operation and wakes it, or the operation sees Close and backs
// out.
func (c *Conn) incref() bool {
	for {
		r := c.refs.Load()
		if r == 0 || c.closing.Load() {
			return false
		}
		if c.refs.CompareAndSwap(r, r+1) {
			break
		}
	}
	if c.closing.Load() {
		c.decref()
		return false
	}
	return true
}

// decref ends an operation (or the connection's own reference) and closes
// the descriptor when none is left.
func (c *Conn) decref() {
	if c.refs.Add(-1) == 0 {
		if f := c.polled.Load(); f != nil {
			_ = f.Close() // leaves the poller too
		} else {
			_ = unix.Close(c.fd)
		}
	}
}

func (c *Conn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.LocalAddr(), Addr: c.remote, Err: err}
}

func (c *Conn) timeoutError(op string) error {
	return c.opError(op, os.ErrDeadlineExceeded)
}

// syscallError is the error of a failed system call on the socket: the
// connection's being closed, if that was the cause.
func (c *Conn) syscallError(op, call string, err error) error {
	if c.closing.Load() {
		return c.opError(op, net.ErrClosed)
	}
	return c.opError(op, os.NewSyscallError(call, err))
}

// arm prepares the socket for a blocking wait bounded by t's deadline: it
// reports false when the deadline has passed, and otherwise sets the
// socket's timeout when the one in force could end the wait too late.
func (c *Conn) arm(t *timeoutState) (bool, error) {
	var want time.Duration
	if d := t.deadline.Load(); d != 0 {
		want = time.Until(time.Unix(0, d))
		if want <= 0 {
			return false, nil
		}
	}
	if want == t.inForce || (want > 0 && t.inForce > 0 && t.inForce <= want+want/16) {
		return true, nil
	}
	tv := unix.NsecToTimeval(max(want, time.Millisecond).Nanoseconds())
	if want == 0 {
		tv = unix.Timeval{}
	}
	if err := unix.SetsockoptTimeval(c.fd, unix.SOL_SOCKET, t.option, &tv); err != nil {
		return true, os.NewSyscallError("setsockopt", err)
	}
	t.inForce = want
	return true, nil
}

// passed reports whether t's deadline is set and has passed.
func (t *timeoutState) passed() bool {
	d := t.deadline.Load()
	return d != 0 && time.Now().UnixNano() >= d
}

// toPoller moves the socket into the Go poller, once, and returns it as a
// pollable file; the deadlines carry over. The caller holds a reference.
func (c *Conn) toPoller() (*os.File, error) {
	c.pmu.Lock()
	defer c.pmu.Unlock()
	if f := c.polled.Load(); f != nil {
		return f, nil
	}
	if c.blocking {
		if err := unix.SetNonblock(c.fd, true); err != nil {
			return nil, os.NewSyscallError("fcntl", err)
		}
	}
	// The file owns the descriptor from now on: the last decref closes
	// it through the file, which also takes it out of the poller.
	f := os.NewFile(uintptr(c.fd), "tcp connection")
	if ns := c.rd.deadline.Load(); ns != 0 {
		_ = f.SetReadDeadline(time.Unix(0, ns))
	}
	if ns := c.wr.deadline.Load(); ns != 0 {
		_ = f.SetWriteDeadline(time.Unix(0, ns))
	}
	c.polled.Store(f)
	return f, nil
}

// Read reads from the socket, waiting up to the read deadline.
func (c *Conn) Read(p []byte) (int, error) {
	// In the poller the file guards the descriptor and checks the
	// deadline itself.
	if f := c.polled.Load(); f != nil {
		n, err := f.Read(p)
		return n, c.polledError("read", err)
	}
	if !c.incref() {
		return 0, c.opError("read", net.ErrClosed)
	}
	defer c.decref()
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.rd.passed() {
		return 0, c.timeoutError("read")
	}
	for {
		if f := c.polled.Load(); f != nil {
			n, err := f.Read(p)
			return n, c.polledError("read", err)
		}
		if c.blocking {
			ok, err := c.arm(&c.rd)
			if err != nil {
				return 0, c.opError("read", err)
			}
			if !ok {
				return 0, c.timeoutError("read")
			}
			c.reading.Store(true)
		}
		n, err := unix.Read(c.fd, p)
		c.reading.Store(false)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			if c.Blocking() {
				// The socket timeout ran out.
				if c.rd.passed() {
					return 0, c.timeoutError("read")
				}
				continue
			}
			if _, err := c.toPoller(); err != nil {
				return 0, c.opError("read", err)
			}
			continue
		case err != nil:
			return 0, c.syscallError("read", "read", err)
		case n == 0 && len(p) > 0:
			if c.closing.Load() {
				return 0, c.opError("read", net.ErrClosed)
			}
			if c.rd.passed() {
				return 0, c.timeoutError("read") // woken by SetReadDeadline
			}
			return 0, io.EOF
		}
		return n, nil
	}
}

// Write writes all of p (see Writev).
func (c *Conn) Write(p []byte) (int, error) {
	bufs := [1][]byte{p}
	n, err := c.Writev(bufs[:])
	return int(n), err
}

// Writev writes the buffers in order with as few sendmsg calls as the
// socket allows, and returns the bytes written. It first tries without
// waiting; only when the socket buffer fills does it wait, up to the
// write deadline. Like net.Buffers.WriteTo, it consumes bufs: the
// caller's elements may be resliced.
func (c *Conn) Writev(bufs [][]byte) (int64, error) {
	if f := c.polled.Load(); f != nil {
		c.wmu.Lock()
		defer c.wmu.Unlock()
		return c.polledWritev(f, bufs)
	}
	if !c.incref() {
		return 0, c.opError("write", net.ErrClosed)
	}
	defer c.decref()
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.wr.passed() {
		return 0, c.timeoutError("write")
	}
	var total int64
	flags := unix.MSG_NOSIGNAL | unix.MSG_DONTWAIT
	for {
		if f := c.polled.Load(); f != nil {
			n, err := c.polledWritev(f, bufs)
			return total + n, err
		}
		for len(bufs) > 0 && len(bufs[0]) == 0 {
			bufs = bufs[1:]
		}
		if len(bufs) == 0 {
			return total, nil
		}
		if flags&unix.MSG_DONTWAIT == 0 {
			ok, err := c.arm(&c.wr)
			if err != nil {
				return total, c.opError("write", err)
			}
			if !ok {
				return total, c.timeoutError("write")
			}
		}
		n, err := sendmsg(c.fd, &c.iov, bufs, flags)
		total += int64(n)
		bufs = advance(bufs, n)
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			if !c.Blocking() {
				if _, err := c.toPoller(); err != nil {
					return total, c.opError("write", err)
				}
				continue
			}
			if flags&unix.MSG_DONTWAIT == 0 && c.wr.passed() {
				return total, c.timeoutError("write")
			}
			flags = unix.MSG_NOSIGNAL // wait from now on
		case err != nil:
			return total, c.syscallError("write", "sendmsg", err)
		}
	}
}

// maxIovecs bounds one sendmsg call's vector (Linux's UIO_MAXIOV).
const maxIovecs = 1024

// advance drops the first n bytes from bufs.
func advance(bufs [][]byte, n int) [][]byte {
	for n > 0 {
		if n < len(bufs[0]) {
			bufs[0] = bufs[0][n:]
			break
		}
		n -= len(bufs[0])
		bufs = bufs[1:]
	}
	return bufs
}

// sendmsg sends the buffers to fd in one call; scratch is a reusable
// vector.
func sendmsg(fd int, scratch *[]unix.Iovec, bufs [][]byte, flags int) (int, error) {
	iov := (*scratch)[:0]
	for _, b := range bufs {
		if len(b) == 0 {
			continue
		}
		if len(iov) == maxIovecs {
			break
		}
		v := unix.Iovec{Base: &b[0]}
		v.SetLen(len(b))
		iov = append(iov, v)
	}
	msg := unix.Msghdr{Iov: &iov[0]}
	msg.SetIovlen(len(iov))
	n, _, errno := unix.Syscall(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), uintptr(flags))
	clear(iov)
	*scratch = iov[:0]
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

// Close closes the connection; reads and writes waiting on it return
// net.ErrClosed.
func (c *Conn) Close() error {
	if c.closing.Swap(true) {
		return c.opError("close", net.ErrClosed)
	}
	if c.open != nil {
		c.open.Add(-1)
	}
	if c.refs.Load() > 1 {
		// Wake the operations in progress that hold a reference,
		// waiting in the kernel or (having moved there) in the poller.
		// Those that started in the poller end when the last reference
		// closes the file.
		_ = unix.Shutdown(c.fd, unix.SHUT_RDWR)
	}
	c.decref()
	return nil
}

// CloseWrite shuts down the writing side (the client reads end of file).
func (c *Conn) CloseWrite() error {
	var err error
	cerr := c.control(func(fd int) { err = unix.Shutdown(fd, unix.SHUT_WR) })
	if cerr != nil {
		return cerr
	}
	if err != nil {
		return c.opError("close", os.NewSyscallError("shutdown", err))
	}
	return nil
}

// control runs f with the socket while no Close can release it.
func (c *Conn) control(f func(fd int)) error {
	if !c.incref() {
		return c.opError("control", net.ErrClosed)
	}
	defer c.decref()
	f(c.fd)
	return nil
}

// LocalAddr returns the connection's local address: the listener's, or
// for a listener on a wildcard address, the socket's own.
func (c *Conn) LocalAddr() net.Addr {
	c.localOnce.Do(func() {
		c.local = c.listen
		if a, ok := c.listen.(*net.TCPAddr); ok && !a.IP.IsUnspecified() {
			return
		}
		_ = c.control(func(fd int) {
			if sa, err := syscall.Getsockname(fd); err == nil {
				c.local = tcpAddr(sa)
			}
		})
	})
	return c.local
}

// RemoteAddr returns the client's address.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// SetDeadline sets both deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.SetWriteDeadline(t)
}

// SetReadDeadline sets the read deadline; the zero time means none. A
// deadline that has passed wakes a Read in progress (see Conn).
func (c *Conn) SetReadDeadline(t time.Time) error {
	if inPoller, err := c.setDeadline(&c.rd, t, (*os.File).SetReadDeadline); inPoller {
		return err
	}
	if !t.IsZero() && !t.After(time.Now()) && c.reading.Load() && c.incref() {
		_ = unix.Shutdown(c.fd, unix.SHUT_RD)
		c.decref()
	}
	return nil
}

// SetWriteDeadline sets the write deadline; the zero time means none.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	_, err := c.setDeadline(&c.wr, t, (*os.File).SetWriteDeadline)
	return err
}

// setDeadline sets one direction's deadline: in the pollable file once
// the connection is in the poller (inPoller), else in s, under pmu so that
// a move to the poller under way carries it over.
func (c *Conn) setDeadline(s *timeoutState, t time.Time, inFile func(*os.File, time.Time) error) (inPoller bool, err error) {
	f := c.polled.Load()
	if f == nil {
		c.pmu.Lock()
		defer c.pmu.Unlock()
		storeDeadline(s, t)
		if f = c.polled.Load(); f == nil {
			return false, nil
		}
	}
	return true, c.polledError("set deadline", inFile(f, t))
}

func storeDeadline(s *timeoutState, t time.Time) {
	if t.IsZero() {
		s.deadline.Store(0)
		return
	}
	s.deadline.Store(max(1, t.UnixNano()))
}

// SyscallConn gives the socket to code that makes its own system calls
// (sendfile). A Read or Write callback returning false means the call
// would block: it is called again when the socket is ready, until the
// deadline.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	return rawConn{c}, nil
}

type rawConn struct{ c *Conn }

func (r rawConn) Control(f func(fd uintptr)) error {
	return r.c.control(func(fd int) { f(uintptr(fd)) })
}

func (r rawConn) Read(f func(fd uintptr) bool) error {
	r.c.rmu.Lock()
	defer r.c.rmu.Unlock()
	return r.c.rawWait("read", &r.c.rd, f)
}

func (r rawConn) Write(f func(fd uintptr) bool) error {
	r.c.wmu.Lock()
	defer r.c.wmu.Unlock()
	return r.c.rawWait("write", &r.c.wr, f)
}

// rawWait calls f with the socket until it reports done, waiting for the
// socket as the connection waits (see Conn) up to the deadline t, which
// is c.rd for a read and c.wr for a write.
func (c *Conn) rawWait(op string, t *timeoutState, f func(fd uintptr) bool) error {
	if !c.incref() {
		return c.opError(op, net.ErrClosed)
	}
	defer c.decref()
	for {
		if pf := c.polled.Load(); pf != nil {
			rc, err := pf.SyscallConn()
			if err == nil {
				if t == &c.rd {
					err = rc.Read(f)
				} else {
					err = rc.Write(f)
				}
			}
			return c.polledError(op, err)
		}
		if c.Blocking() {
			ok, err := c.arm(t)
			if err != nil {
				return c.opError(op, err)
			}
			if !ok {
				return c.timeoutError(op)
			}
		} else if t.passed() {
			return c.timeoutError(op)
		}
		if f(uintptr(c.fd)) {
			return nil
		}
		if c.closing.Load() {
			return c.opError(op, net.ErrClosed)
		}
		if !c.Blocking() {
			if _, err := c.toPoller(); err != nil {
				return c.opError(op, err)
			}
		}
	}
}

// Blocking reports whether the connection's waits hold a thread: it was
// accepted blocking and has not moved to the poller.
func (c *Conn) Blocking() bool { return c.blocking && c.polled.Load() == nil }

// UsePoller moves the connection to the Go poller (see Conn): the socket
// becomes non-blocking and waits park the goroutine instead of its
// thread. Deadlines carry over. It is a no-op once done.
func (c *Conn) UsePoller() error {
	if !c.incref() {
		return c.opError("use poller", net.ErrClosed)
	}
	defer c.decref()
	if _, err := c.toPoller(); err != nil {
		return c.opError("use poller", err)
	}
	return nil
}

// polledError turns an error of the pollable file into the net.OpError
// net.Conn users expect (a deadline is a net.Error timeout).
func (c *Conn) polledError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case c.closing.Load() || errors.Is(err, os.ErrClosed):
		return c.opError(op, net.ErrClosed)
	case err == io.EOF:
		return err
	case errors.Is(err, os.ErrDeadlineExceeded):
		return c.timeoutError(op)
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = os.NewSyscallError(pe.Op, pe.Err)
	}
	return c.opError(op, err)
}

// polledWritev writes the buffers through the poller, waiting while the
// socket buffer is full. The caller holds wmu.
func (c *Conn) polledWritev(f *os.File, bufs [][]byte) (int64, error) {
	// The file's RawConn, taken here rather than kept, stays on the stack
	// with the callback.
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, c.polledError("write", err)
	}
	var total int64
	var werr error
	err = rc.Write(func(fd uintptr) bool {
		for {
			for len(bufs) > 0 && len(bufs[0]) == 0 {
				bufs = bufs[1:]
			}
			if len(bufs) == 0 {
				return true
			}
			n, err := sendmsg(int(fd), &c.iov, bufs, unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
			total += int64(n)
			bufs = advance(bufs, n)
			switch err {
			case nil, unix.EINTR:
			case unix.EAGAIN:
				return false
			default:
				werr = os.NewSyscallError("sendmsg", err)
				return true
			}
		}
	})
	if werr != nil {
		err = werr
	}
	return total, c.polledError("write", err)
}
