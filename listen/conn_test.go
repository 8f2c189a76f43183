package listen

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// blockingPair returns a client connection and the Conn the
// server side accepted for it through an exclusive listener.
func blockingPair(t *testing.T) (client net.Conn, server *Conn) {
	return acceptedPair(t, exclusive)
}

// acceptedPair binds a loopback address, makes a child-side listener of
// it with listener, and returns a client connection and the Conn the
// listener accepted for it.
func acceptedPair(t *testing.T, listener func(*testing.T, *Set) net.Listener) (client net.Conn, server *Conn) {
	t.Helper()
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	l := listener(t, s)
	client = dial(t, a)
	nc, err := l.Accept()
	require.NoError(t, err)
	server, ok := nc.(*Conn)
	require.True(t, ok, "accepted %T", nc)
	t.Cleanup(func() { server.Close() })
	return client, server
}

// isTimeout reports whether err is a net.Error timeout, as the HTTP
// module tests it.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// within runs f and fails the test if it has not returned after ioBound.
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(ioBound):
		t.Fatal("still blocked after the test bound")
	}
}

func TestBlockingConnReadsWritesAndReportsAddresses(t *testing.T) {
	client, server := blockingPair(t)
	assert.Equal(t, client.LocalAddr().String(), server.RemoteAddr().String())
	assert.Equal(t, client.RemoteAddr().String(), server.LocalAddr().String())

	_, err := client.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, err := server.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "GET / HTTP/1.1\r\n\r\n", string(buf[:n]))

	n64, err := server.Writev([][]byte{[]byte("head "), nil, []byte("body")})
	require.NoError(t, err)
	assert.EqualValues(t, 9, n64)
	got := make([]byte, 9)
	_, err = io.ReadFull(client, got)
	require.NoError(t, err)
	assert.Equal(t, "head body", string(got))

	nodelay := -1
	require.NoError(t, server.control(func(fd int) {
		nodelay, _ = unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY)
	}))
	assert.Equal(t, 1, nodelay, "TCP_NODELAY inherited from the listener")

	require.NoError(t, server.CloseWrite())
	n, err = client.Read(buf)
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, io.EOF, "the client sees the end of the response")
	require.NoError(t, client.Close())
	within(t, func() {
		_, err = server.Read(buf)
	})
	assert.ErrorIs(t, err, io.EOF)
}

func TestBlockingConnReadDeadline(t *testing.T) {
	_, server := blockingPair(t)
	buf := make([]byte, 8)

	require.NoError(t, server.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	start := time.Now()
	var err error
	within(t, func() { _, err = server.Read(buf) })
	assert.True(t, isTimeout(err), "a quiet client times the read out: %v", err)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond, "never before the deadline")

	require.NoError(t, server.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err = server.Read(buf)
	assert.True(t, isTimeout(err), "a deadline in the past fails at once: %v", err)
}

func TestBlockingConnDeadlineInThePastWakesARead(t *testing.T) {
	_, server := blockingPair(t)
	require.NoError(t, server.SetReadDeadline(time.Time{}))
	done := readInBackground(server)
	require.Eventually(t, server.reading.Load, ioBound, time.Millisecond)
	require.NoError(t, server.SetReadDeadline(time.Now()))
	err := awaitRead(t, done, "SetReadDeadline did not wake the read")
	assert.True(t, isTimeout(err), "woken as a timeout: %v", err)
}

func TestBlockingConnCloseWakesARead(t *testing.T) {
	_, server := blockingPair(t)
	done := readInBackground(server)
	require.Eventually(t, server.reading.Load, ioBound, time.Millisecond)
	require.NoError(t, server.Close())
	assert.ErrorIs(t, awaitRead(t, done, "Close did not wake the read"), net.ErrClosed)
	_, err := server.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorIs(t, server.Close(), net.ErrClosed)
}

func TestBlockingConnWriteDeadlineWhenTheClientDoesNotRead(t *testing.T) {
	_, server := blockingPair(t)
	require.NoError(t, server.SetWriteDeadline(time.Now().Add(100*time.Millisecond)))
	big := bytes.Repeat([]byte("x"), 1<<20)
	var err error
	var total int64
	within(t, func() {
		for i := 0; i < 64 && err == nil; i++ { // 64 MiB is more than any socket buffers
			var n int
			n, err = server.Write(big)
			total += int64(n)
		}
	})
	assert.True(t, isTimeout(err), "a full socket buffer times the write out: %v", err)
	assert.Positive(t, total, "what fitted was written")
}

func TestBlockingConnSyscallConnSendsAFile(t *testing.T) {
	client, server := blockingPair(t)
	f, err := os.CreateTemp(t.TempDir(), "body")
	require.NoError(t, err)
	defer f.Close()
	_, err = f.WriteString(strings.Repeat("0123456789", 1000))
	require.NoError(t, err)

	assert.Equal(t, 0, sendFile(t, server, f, 10000))
	got := make([]byte, 10000)
	_, err = io.ReadFull(client, got)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("0123456789", 1000), string(got))
}

func TestBlockingConnUsePoller(t *testing.T) {
	client, server := blockingPair(t)
	require.NoError(t, server.SetReadDeadline(time.Now().Add(time.Hour)))
	assert.True(t, server.Blocking())
	require.NoError(t, server.UsePoller())
	require.NoError(t, server.UsePoller(), "a second call changes nothing")
	assert.False(t, server.Blocking())
	flags, err := unix.FcntlInt(uintptr(server.fd), unix.F_GETFL, 0)
	require.NoError(t, err)
	assert.NotZero(t, flags&unix.O_NONBLOCK, "the socket is non-blocking in the poller")

	_, err = client.Write([]byte("ping"))
	require.NoError(t, err)
	buf := make([]byte, 8)
	n, err := server.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(buf[:n]))

	n64, err := server.Writev([][]byte{[]byte("po"), []byte("ng")})
	require.NoError(t, err)
	assert.EqualValues(t, 4, n64)
	_, err = io.ReadFull(client, buf[:4])
	require.NoError(t, err)
	assert.Equal(t, "pong", string(buf[:4]))

	require.NoError(t, server.SetReadDeadline(time.Now().Add(20*time.Millisecond)))
	within(t, func() { _, err = server.Read(buf) })
	assert.True(t, isTimeout(err), "deadlines work in the poller: %v", err)

	require.NoError(t, server.CloseWrite())
	n, err = client.Read(buf)
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, io.EOF)
	require.NoError(t, server.Close())
	_, err = server.Read(buf)
	assert.ErrorIs(t, err, net.ErrClosed)
}
