package listen

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Inherit turns the listening sockets a child received from the master
// (through exec.Cmd.ExtraFiles, in the master's Set.Files order) into Go
// listeners; addrs[i] is the Listen address of files[i] (Set.Addrs).
//
// Each socket's local port is checked against its address, which catches
// a child and master that disagree about the fd layout. Inherit owns the
// files: it closes them (the listeners hold duplicates of the same
// sockets) and, on error, closes every listener it made.
//
// The returned listeners share their kernel sockets with the master and
// every other child: see the package documentation for how accept works.
func Inherit(files []*os.File, addrs []Addr) ([]net.Listener, error) {
	return inheritAll(files, addrs, func(_ *os.File, sock int, local Addr) (net.Listener, error) {
		fd, err := prepareListener(sock)
		if err != nil {
			return nil, err
		}
		// The socket is non-blocking (see the package documentation), so
		// the file is in the Go poller.
		f := os.NewFile(uintptr(fd), "listener "+local.String())
		rc, err := f.SyscallConn()
		if err != nil {
			f.Close()
			return nil, err
		}
		return &pollListener{file: f, raw: rc, addr: local.tcpAddr()}, nil
	})
}

// prepareListener checks that an inherited socket is a stream socket,
// sets TCP_NODELAY on it (Linux passes it on to every connection accepted
// from it, which spares each Conn the call) and returns a close-on-exec
// duplicate for the listener to own.
func prepareListener(sock int) (int, error) {
	if typ, err := unix.GetsockoptInt(sock, unix.SOL_SOCKET, unix.SO_TYPE); err != nil || typ != unix.SOCK_STREAM {
		return -1, errors.New("not a TCP listener")
	}
	if err := unix.SetsockoptInt(sock, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1); err != nil {
		return -1, fmt.Errorf("setting TCP_NODELAY: %w", err)
	}
	fd, err := unix.FcntlInt(uintptr(sock), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("dup: %w", err)
	}
	return fd, nil
}

// pollListener accepts on a listening socket in the Go poller, and
// returns each connection as a *Conn in the poller.
type pollListener struct {
	file *os.File
	raw  syscall.RawConn
	addr net.Addr
}

// Accept waits for a connection.
func (l *pollListener) Accept() (net.Conn, error) {
	for {
		var nfd int
		var sa syscall.Sockaddr
		var aerr error
		err := l.raw.Read(func(fd uintptr) bool {
			nfd, sa, aerr = syscall.Accept4(int(fd), syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
			return aerr != syscall.EAGAIN
		})
		if err == nil {
			err = aerr
		}
		switch {
		case err == nil:
			return newLazyConn(nfd, sa, l.addr), nil
		case err == syscall.EINTR || err == syscall.ECONNABORTED:
			continue
		case errors.Is(err, os.ErrClosed):
			err = net.ErrClosed
		}
		if errno, ok := err.(syscall.Errno); ok {
			err = os.NewSyscallError("accept4", errno)
		}
		return nil, &net.OpError{Op: "accept", Net: "tcp", Addr: l.addr, Err: err}
	}
}

// Pending reports whether a connection waits in the socket's accept
// queue, without taking it.
func (l *pollListener) Pending() bool {
	pending := false
	_ = l.raw.Control(func(fd uintptr) {
		fds := [1]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds[:], 0)
		pending = err == nil && n > 0
	})
	return pending
}

// Close closes this process's descriptor of the socket, waking Accept.
func (l *pollListener) Close() error { return l.file.Close() }

// Addr returns the socket's local address.
func (l *pollListener) Addr() net.Addr { return l.addr }

// SetDeadline bounds Accept's wait; a time in the past interrupts it.
func (l *pollListener) SetDeadline(t time.Time) error { return l.file.SetReadDeadline(t) }

// inheritAll checks each inherited socket against its address and makes a
// listener of it with listener; it owns the files as Inherit does.
func inheritAll(files []*os.File, addrs []Addr, listener func(f *os.File, fd int, local Addr) (net.Listener, error)) ([]net.Listener, error) {
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	if len(files) != len(addrs) {
		return nil, fmt.Errorf("inherited %d listening sockets for %d Listen addresses: the master and child disagree about the fd layout", len(files), len(addrs))
	}
	out := make([]net.Listener, 0, len(files))
	for i, f := range files {
		l, err := inheritOne(f, addrs[i], listener)
		if err != nil {
			for _, l := range out {
				l.Close()
			}
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func inheritOne(f *os.File, a Addr, listener func(f *os.File, fd int, local Addr) (net.Listener, error)) (net.Listener, error) {
	var local Addr
	fd := -1
	err := withFD(f, func(sock int) error {
		var err error
		local, err = sockAddr(sock)
		fd = sock
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("inherited socket %s for Listen %s: %w", f.Name(), a, err)
	}
	if local.Port != a.Port {
		return nil, fmt.Errorf("inherited socket %s is bound to %s, not Listen %s: the master and child disagree about the fd layout", f.Name(), local, a)
	}
	l, err := listener(f, fd, local)
	if err != nil {
		return nil, fmt.Errorf("inherited socket for Listen %s: %w", a, err)
	}
	return l, nil
}
