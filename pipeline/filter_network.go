package pipeline

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Names of the network filters the core module registers and inserts into
// every connection (Apache's CORE and CORE_IN).
const (
	CoreOutputFilterName = "CORE"
	CoreInputFilterName  = "CORE_IN"
)

// netState is the network filter's per-connection state.
type netState struct {
	iov  [][]byte    // reused writev vector
	bufs net.Buffers // the vector handed to WriteTo, kept to avoid an allocation
	// writeDeadline is the write deadline in force on the socket.
	writeDeadline time.Time
}

// vectorWriter is implemented by connections that gather several
// buffers into one system call themselves (listen.Conn); net's own
// connections do it inside net.Buffers.WriteTo, which writes any other
// io.Writer one buffer at a time.
type vectorWriter interface {
	Writev(bufs [][]byte) (int64, error)
}

// rearmSlack is how stale a write deadline may get before it is renewed:
// renewing it costs a timer update per write, so a write may be given
// between Timeout-rearmSlack and Timeout (Apache gives each write
// Timeout).
const rearmSlack = time.Second

// armWriteDeadline gives the next write up to timeout.
func (st *netState) armWriteDeadline(nc net.Conn, timeout time.Duration) {
	now := time.Now()
	if timeout > 2*rearmSlack && st.writeDeadline.Sub(now) > timeout-rearmSlack {
		return
	}
	st.writeDeadline = now.Add(timeout)
	_ = nc.SetWriteDeadline(st.writeDeadline)
}

// CoreOutputFilter is the network output filter: it writes each brigade
// to the socket as it comes, byte buckets gathered into one writev call,
// file buckets sent with sendfile. It keeps nothing between calls, so a
// response streams and the client sees every pass at once. A write error
// marks the connection aborted. Each write is bounded by the server's
// Timeout.
func CoreOutputFilter(f *Filter, bb *Brigade) error {
	c := f.Conn
	if c.Aborted {
		return fmt.Errorf("connection %d: client gone", c.ID)
	}
	st := &c.net
	iov := st.iov[:0]
	armed := false
	arm := func() {
		if !armed && c.Base != nil && c.Base.Timeout > 0 {
			st.armWriteDeadline(c.Net, c.Base.Timeout)
		}
		armed = true
	}
	flush := func() error {
		if len(iov) == 0 {
			return nil
		}
		arm()
		var n int64
		var err error
		if vw, ok := c.Net.(vectorWriter); ok {
			n, err = vw.Writev(iov)
		} else {
			st.bufs = iov
			n, err = st.bufs.WriteTo(c.Net)
			st.bufs = nil
		}
		c.BytesSent += n
		clear(iov)
		iov = iov[:0]
		return err
	}
	var err error
	for i := range bb.Buckets {
		b := &bb.Buckets[i]
		switch b.Kind {
		case BucketBytes:
			if len(b.Data) > 0 {
				iov = append(iov, b.Data)
			}
		case BucketFile:
			if err = flush(); err != nil {
				break
			}
			arm()
			err = sendFile(c, b.File, b.Offset, b.Length)
		case BucketFlush, BucketEOS:
			err = flush()
		}
		if err != nil {
			break
		}
	}
	if err == nil {
		err = flush()
	}
	clear(iov)
	st.iov = iov[:0]
	if err != nil {
		c.Aborted = true
		return fmt.Errorf("writing to client %s: %w", c.RemoteAddr, err)
	}
	return nil
}

// sendFile writes n bytes of file from off to the connection: with
// sendfile(2) when the connection exposes its socket, else by copying.
// The file's own offset is left alone.
func sendFile(c *Conn, file *os.File, off, n int64) error {
	sc, ok := c.Net.(syscall.Conn)
	if !ok {
		w, err := io.Copy(c.Net, io.NewSectionReader(file, off, n))
		c.BytesSent += w
		if err == nil && w < n {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return err
	}
	fd := int(file.Fd())
	for n > 0 {
		var werr error
		err := rc.Write(func(s uintptr) bool {
			chunk := n
			if chunk > 1<<30 {
				chunk = 1 << 30
			}
			w, e := unix.Sendfile(int(s), fd, &off, int(chunk))
			if w > 0 {
				n -= int64(w)
				c.BytesSent += int64(w)
			}
			if e == unix.EAGAIN || e == unix.EINTR {
				return n == 0 // else wait until writable and go on
			}
			if e != nil {
				werr = e
				return true
			}
			if w == 0 {
				werr = io.ErrUnexpectedEOF // file shorter than the bucket
			}
			return true
		})
		if err != nil {
			return err
		}
		if werr != nil {
			return fmt.Errorf("sendfile: %w", werr)
		}
	}
	return nil
}

// CoreInputFilter is the network input filter: it reads the socket. Read
// deadlines are the protocol's business.
func CoreInputFilter(f *Filter, p []byte) (int, error) {
	n, err := f.Conn.Net.Read(p)
	if err != nil && n == 0 && !errors.Is(err, io.EOF) {
		return 0, fmt.Errorf("reading from client %s: %w", f.Conn.RemoteAddr, err)
	}
	return n, err
}
