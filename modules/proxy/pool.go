package proxy

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Sizes of a backend connection's buffers: responses are read through a
// 32 KiB reader and copied to the client in up to 64 KiB passes.
const (
	readBufferSize = 32 << 10
	copyBufferSize = 64 << 10
)

// BackendConn is a connection to a worker (Apache's proxy_conn_rec). A
// scheme handler gets one from Worker.Acquire and gives it back with
// Worker.Release; between the two it owns it exclusively.
type BackendConn struct {
	// Conn is the socket.
	Conn net.Conn
	// R reads from Conn; bytes it has buffered belong to the response in
	// progress.
	R *bufio.Reader
	// Buf is a scratch buffer of copyBufferSize bytes for copying bodies.
	Buf []byte
	// Head is a scratch buffer for building a request head.
	Head []byte
	// Worker is the worker the connection leads to.
	Worker *Worker
	// Reused is set when the connection came from the pool, so the
	// backend may have closed it just before the request (the case for
	// one retry).
	Reused bool
	// Close asks Release to close the connection instead of pooling it.
	Close bool

	created  time.Time
	lastUsed time.Time
}

// connPool is a worker's pool of connections in this process: idle
// connections kept for reuse (most recently used first) and a semaphore
// bounding the connections in use to max.
type connPool struct {
	tokens chan struct{}
	idle   chan *BackendConn
}

func newConnPool(max int) *connPool {
	if max < 1 {
		max = 1
	}
	return &connPool{tokens: make(chan struct{}, max), idle: make(chan *BackendConn, max)}
}

// AcquireOptions tell Worker.Acquire how long to wait and how many
// connections the pool may hold.
type AcquireOptions struct {
	// Max is the pool size when the worker has no max= (ThreadsPerChild).
	Max int
	// Timeout bounds waiting for a free connection and, when the worker
	// has no connectiontimeout=, connecting.
	Timeout time.Duration
	// Fresh skips idle connections: the caller retries after a reused one
	// failed.
	Fresh bool
}

func (w *Worker) connPool(max int) *connPool {
	w.poolOnce.Do(func() {
		if w.Params.Max > 0 {
			max = w.Params.Max
		}
		w.pool = newConnPool(max)
	})
	return w.pool
}

// Acquire returns a connection to the worker: an idle pooled one that is
// still connected, or a new one. A worker in error state (within its
// retry interval) returns ErrWorkerInError; a failed connect puts the
// worker in error state and returns the dial error; a pool that stays
// full for the timeout returns ErrPoolExhausted.
func (w *Worker) Acquire(o AcquireOptions) (*BackendConn, error) {
	now := time.Now()
	if !w.Usable(now) {
		return nil, fmt.Errorf("%s: %w (retry in %s)", w.Name, ErrWorkerInError,
			(w.Params.Retry - now.Sub(w.ErrorTime())).Round(time.Second))
	}
	p := w.connPool(o.Max)
	select {
	case p.tokens <- struct{}{}:
	default:
		t := time.NewTimer(nonZero(o.Timeout, time.Minute))
		select {
		case p.tokens <- struct{}{}:
			t.Stop()
		case <-t.C:
			return nil, fmt.Errorf("%s: %w within %s", w.Name, ErrPoolExhausted, o.Timeout)
		}
	}
	if !o.Fresh && !w.Params.DisableReuse {
		for {
			var bc *BackendConn
			select {
			case bc = <-p.idle:
			default:
			}
			if bc == nil {
				break
			}
			if w.Params.TTL > 0 && now.Sub(bc.lastUsed) > w.Params.TTL || !stillConnected(bc) {
				bc.Conn.Close()
				continue
			}
			bc.Reused, bc.Close = true, false
			return bc, nil
		}
	}
	bc, err := w.dial(nonZero(w.Params.ConnectTimeout, o.Timeout))
	if err != nil {
		<-p.tokens
		w.SetError(time.Now())
		return nil, err
	}
	return bc, nil
}

func nonZero(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func (w *Worker) dial(timeout time.Duration) (*BackendConn, error) {
	d := net.Dialer{Timeout: timeout, KeepAlive: -1}
	if w.Params.KeepAlive {
		d.KeepAlive = 0 // the system's probe interval
	}
	nc, err := d.Dial("tcp", w.Addr())
	if err != nil {
		return nil, fmt.Errorf("connecting to %s (%s): %w", w.Addr(), w.Name, err)
	}
	now := time.Now()
	return &BackendConn{Conn: nc, R: bufio.NewReaderSize(nc, readBufferSize), Buf: make([]byte, copyBufferSize),
		Worker: w, created: now, lastUsed: now}, nil
}

// Release gives bc back: pooled for reuse when it is clean (bc.Close not
// set, the worker allows reuse, nothing unread is buffered), closed
// otherwise.
func (w *Worker) Release(bc *BackendConn) {
	p := w.pool
	bc.lastUsed = time.Now()
	if bc.Close || w.Params.DisableReuse || bc.R.Buffered() > 0 {
		bc.Conn.Close()
	} else {
		_ = bc.Conn.SetDeadline(time.Time{})
		select {
		case p.idle <- bc:
		default:
			bc.Conn.Close()
		}
	}
	<-p.tokens
}

// IdleConns returns the number of pooled idle connections in this
// process.
func (w *Worker) IdleConns() int {
	if w.pool == nil {
		return 0
	}
	return len(w.pool.idle)
}

// stillConnected reports whether an idle connection is still open with
// nothing to read: a non-blocking peek that sees EOF, an error or
// unexpected bytes means the backend closed it or misbehaved (Apache's
// ap_proxy_is_socket_connected).
func stillConnected(bc *BackendConn) bool {
	if bc.R.Buffered() > 0 {
		return false
	}
	sc, ok := bc.Conn.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	alive := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		_, _, e := unix.Recvfrom(int(fd), b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
		alive = e == unix.EAGAIN || e == unix.EWOULDBLOCK
		return true
	})
	return err == nil && alive
}

// IsClosedBeforeResponse reports whether err, met while sending a request
// or reading the first byte of its response, means the backend had
// closed the connection (EOF, reset, broken pipe): the request may be
// retried on a new connection when the old one was reused.
func IsClosedBeforeResponse(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, net.ErrClosed)
}
