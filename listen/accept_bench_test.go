package listen

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchmarkAccept measures one connection's life on the server side of
// l: accept, a one-byte request read, a one-byte answer, close. The
// client's dial and reads are in the loop too, the same for every
// listener, so differences between the benchmarks are the accept paths'.
func benchmarkAccept(b *testing.B, a Addr, l net.Listener) {
	b.ReportAllocs()
	buf := make([]byte, 1)
	for b.Loop() {
		c, err := net.Dial("tcp", a.String())
		require.NoError(b, err)
		_, err = c.Write([]byte("?"))
		require.NoError(b, err)
		sc, err := l.Accept()
		require.NoError(b, err)
		_, err = sc.Read(buf)
		require.NoError(b, err)
		_, err = sc.Write(buf)
		require.NoError(b, err)
		sc.Close()
		_, err = c.Read(buf)
		require.NoError(b, err)
		c.Close()
	}
}

// benchListener binds a loopback address and returns a child-side
// listener made by inherit.
func benchListener(b *testing.B, inherit func([]*os.File, []Addr) ([]net.Listener, error)) (Addr, net.Listener) {
	a := loopback(b)
	s := newSet(b)
	require.NoError(b, s.Reconcile([]Addr{a}, 0))
	f, err := dupFile(s.Files()[0])
	require.NoError(b, err)
	ls, err := inherit([]*os.File{f}, []Addr{a})
	require.NoError(b, err)
	b.Cleanup(func() { ls[0].Close() })
	return a, ls[0]
}

// BenchmarkAcceptNetFileListener is the net package's path, which
// children used before: net.FileListener and *net.TCPConn.
func BenchmarkAcceptNetFileListener(b *testing.B) {
	a, l := benchListener(b, func(files []*os.File, _ []Addr) ([]net.Listener, error) {
		l, err := net.FileListener(files[0])
		files[0].Close()
		return []net.Listener{l}, err
	})
	benchmarkAccept(b, a, l)
}

// BenchmarkAcceptInherit is threaded children's path: a non-blocking Conn
// that joins the poller only when it must wait.
func BenchmarkAcceptInherit(b *testing.B) {
	a, l := benchListener(b, Inherit)
	benchmarkAccept(b, a, l)
}

// BenchmarkAcceptInheritExclusive is one-thread children's path: a
// blocking Conn.
func BenchmarkAcceptInheritExclusive(b *testing.B) {
	a, l := benchListener(b, func(files []*os.File, addrs []Addr) ([]net.Listener, error) {
		return InheritExclusive(files, addrs, nil)
	})
	benchmarkAccept(b, a, l)
}

// BenchmarkKeepAliveRoundTrip measures a kept-alive connection of a
// threaded child: each iteration the client sends a byte, the server
// reads it (waiting in the poller, with a read deadline as the HTTP
// module sets one per request) and answers it.
func BenchmarkKeepAliveRoundTrip(b *testing.B) {
	a, l := benchListener(b, Inherit)
	c, err := net.Dial("tcp", a.String())
	require.NoError(b, err)
	defer c.Close()
	sc, err := l.Accept()
	require.NoError(b, err)
	defer sc.Close()
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 1)
		for {
			if err := sc.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
				done <- err
				return
			}
			if _, err := sc.Read(buf); err != nil {
				done <- nil
				return
			}
			if _, err := sc.Write(buf); err != nil {
				done <- err
				return
			}
		}
	}()
	b.ReportAllocs()
	buf := []byte("?")
	for b.Loop() {
		_, err = c.Write(buf)
		require.NoError(b, err)
		_, err = c.Read(buf)
		require.NoError(b, err)
	}
	c.Close()
	require.NoError(b, <-done)
}
