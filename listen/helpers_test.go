package listen

import (
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// ioBound bounds every blocking step of a test; it is a safety net
// against hangs, never a measured threshold.
const ioBound = 30 * time.Second

// freePort returns a loopback port that was free a moment ago. It picks
// below the kernel's ephemeral range, where outgoing connections of
// other tests on this machine do not land, and tries a bounded number of
// candidates.
func freePort(t testing.TB) uint16 {
	t.Helper()
	for range 100 {
		p := 20000 + rand.IntN(12000)
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			continue
		}
		l.Close()
		return uint16(p)
	}
	t.Fatal("no free loopback port found in 100 tries")
	return 0
}

// loopback returns a Listen address on 127.0.0.1 at a free port.
func loopback(t testing.TB) Addr {
	return Addr{Host: "127.0.0.1", Port: freePort(t), Protocol: ProtocolHTTP}
}

// newSet returns a Set closed when the test ends.
func newSet(t testing.TB) *Set {
	s := NewSet(nil)
	t.Cleanup(func() { s.Close() })
	return s
}

// dial connects to a, closing the connection when the test ends.
func dial(t testing.TB, a Addr) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", a.String(), ioBound)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(ioBound)))
	return c
}

// acceptOne accepts one connection on the socket f, as a child would.
func acceptOne(t testing.TB, f *os.File) net.Conn {
	t.Helper()
	l, err := net.FileListener(f)
	require.NoError(t, err)
	defer l.Close()
	require.NoError(t, l.(*net.TCPListener).SetDeadline(time.Now().Add(ioBound)))
	c, err := l.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	require.NoError(t, c.SetDeadline(time.Now().Add(ioBound)))
	return c
}

// roundTrip sends msg from client to server and back.
func roundTrip(t testing.TB, client, server net.Conn, msg string) {
	t.Helper()
	_, err := io.WriteString(client, msg)
	require.NoError(t, err)
	buf := make([]byte, len(msg))
	_, err = io.ReadFull(server, buf)
	require.NoError(t, err)
	require.Equal(t, msg, string(buf))
	_, err = server.Write(buf)
	require.NoError(t, err)
	_, err = io.ReadFull(client, buf)
	require.NoError(t, err)
	require.Equal(t, msg, string(buf))
}

// readInBackground starts a Read on c and returns the channel its error
// arrives on.
func readInBackground(c *Conn) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 8))
		done <- err
	}()
	return done
}

// awaitRead returns the error of a read started by readInBackground,
// failing the test with what when it has not returned after ioBound.
func awaitRead(t testing.TB, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(ioBound):
		t.Fatal(what)
		return nil
	}
}

// sendFile writes the first n bytes of f to c with sendfile(2) through
// c's SyscallConn, as the network filter does, and returns the bytes it
// could not send.
func sendFile(t testing.TB, c *Conn, f *os.File, n int) int {
	t.Helper()
	rc, err := c.SyscallConn()
	require.NoError(t, err)
	var off int64
	left := n
	require.NoError(t, rc.Write(func(fd uintptr) bool {
		n, err := unix.Sendfile(int(fd), int(f.Fd()), &off, left)
		if n > 0 {
			left -= n
		}
		return left == 0 || (err != nil && err != unix.EAGAIN)
	}))
	return left
}
