package listen

import (
	"bytes"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// lazyPair returns a client connection and the Conn the server side
// accepted for it through Inherit's listener, as a threaded child does.
func lazyPair(t *testing.T) (client net.Conn, server *Conn) {
	return acceptedPair(t, func(t *testing.T, s *Set) net.Listener {
		f, err := dupFile(s.Files()[0])
		require.NoError(t, err)
		ls, err := Inherit([]*os.File{f}, s.Addrs()[:1])
		require.NoError(t, err)
		t.Cleanup(func() { ls[0].Close() })
		return ls[0]
	})
}

// inPoller reports whether c has joined the Go poller.
func inPoller(c *Conn) bool { return c.polled.Load() != nil }

// awaitPoller returns once c has joined the Go poller, or after ioBound.
// It is for goroutines other than the test's, which cannot fail it.
func awaitPoller(c *Conn) {
	deadline := time.Now().Add(ioBound)
	for !inPoller(c) && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
}

// sendAndWait writes msg from client and waits until the server's socket
// holds all of it.
func sendAndWait(t *testing.T, client net.Conn, server *Conn, msg string) {
	t.Helper()
	_, err := io.WriteString(client, msg)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		queued := 0
		_ = server.control(func(fd int) { queued, _ = unix.IoctlGetInt(fd, unix.SIOCINQ) })
		return queued == len(msg)
	}, ioBound, time.Millisecond)
}

func TestLazyConnServesAReadyRequestOutsideThePoller(t *testing.T) {
	client, server := lazyPair(t)
	assert.False(t, server.Blocking(), "a lazy connection's waits never hold a thread")
	sendAndWait(t, client, server, "GET / HTTP/1.1\r\n\r\n")

	buf := make([]byte, 64)
	n, err := server.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "GET / HTTP/1.1\r\n\r\n", string(buf[:n]))
	n64, err := server.Writev([][]byte{[]byte("head "), nil, []byte("body")})
	require.NoError(t, err)
	assert.EqualValues(t, 9, n64)
	assert.False(t, inPoller(server), "nothing had to wait")

	require.NoError(t, server.Close())
	got, err := io.ReadAll(client)
	require.NoError(t, err)
	assert.Equal(t, "head body", string(got), "the client reads the response, then the end")
	_, err = server.Read(buf)
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorIs(t, server.Close(), net.ErrClosed)
}

func TestLazyConnJoinsThePollerToWaitForTheClient(t *testing.T) {
	client, server := lazyPair(t)
	done := make(chan string, 1)
	go func() {
		buf := make([]byte, 8)
		n, err := server.Read(buf)
		if err != nil {
			done <- err.Error()
			return
		}
		done <- string(buf[:n])
	}()
	require.Eventually(t, func() bool { return inPoller(server) }, ioBound, time.Millisecond)
	_, err := client.Write([]byte("ping"))
	require.NoError(t, err)
	select {
	case got := <-done:
		assert.Equal(t, "ping", got)
	case <-time.After(ioBound):
		t.Fatal("the read waiting in the poller was not woken by the client's bytes")
	}
	assert.False(t, server.Blocking())
	require.NoError(t, server.UsePoller(), "a no-op once in the poller")

	roundTrip(t, client, server, "in the poller")
}

func TestLazyConnReadDeadlines(t *testing.T) {
	_, server := lazyPair(t)
	buf := make([]byte, 8)

	require.NoError(t, server.SetReadDeadline(time.Now().Add(-time.Second)))
	_, err := server.Read(buf)
	assert.True(t, isTimeout(err), "a deadline in the past fails at once: %v", err)
	assert.False(t, inPoller(server), "without waiting")

	// Set before the connection joins the poller, the deadline carries
	// over.
	require.NoError(t, server.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	start := time.Now()
	within(t, func() { _, err = server.Read(buf) })
	assert.True(t, isTimeout(err), "a quiet client times the read out: %v", err)
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond, "never before the deadline")
	assert.True(t, inPoller(server))

	// A deadline moved into the past wakes a read waiting in the poller.
	require.NoError(t, server.SetReadDeadline(time.Time{}))
	done := readInBackground(server)
	time.Sleep(10 * time.Millisecond) // let it wait; the test holds either way
	require.NoError(t, server.SetReadDeadline(time.Now()))
	err = awaitRead(t, done, "SetReadDeadline did not wake the read")
	assert.True(t, isTimeout(err), "woken as a timeout: %v", err)
}

func TestLazyConnCloseWakesAReadInThePoller(t *testing.T) {
	client, server := lazyPair(t)
	done := readInBackground(server)
	require.Eventually(t, func() bool { return inPoller(server) }, ioBound, time.Millisecond)
	require.NoError(t, server.Close())
	assert.ErrorIs(t, awaitRead(t, done, "Close did not wake the read"), net.ErrClosed)
	_, err := server.Write([]byte("x"))
	assert.ErrorIs(t, err, net.ErrClosed)
	require.NoError(t, client.SetReadDeadline(time.Now().Add(ioBound)))
	_, err = client.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the connection is closed, not just shut down")
}

func TestLazyConnCloseRacingReadsNeverHangs(t *testing.T) {
	for range 50 {
		_, server := lazyPair(t)
		done := readInBackground(server)
		require.NoError(t, server.Close())
		assert.ErrorIs(t, awaitRead(t, done, "a read that raced Close was not woken"), net.ErrClosed)
	}
}

func TestLazyConnWriteJoinsThePollerWhenTheBufferFills(t *testing.T) {
	client, server := lazyPair(t)
	big := bytes.Repeat([]byte("x"), 1<<20)

	// A client that starts reading only once the writes filled the
	// socket buffers (64 MiB is more than any hold): the write waits in
	// the poller for it and completes.
	const total = 64 << 20
	read := make(chan int64, 1)
	go func() {
		awaitPoller(server)
		n, _ := io.CopyN(io.Discard, client, total)
		read <- n
	}()
	within(t, func() {
		for range total / len(big) {
			n, err := server.Write(big)
			require.NoError(t, err)
			require.Equal(t, len(big), n)
		}
	})
	assert.EqualValues(t, total, <-read)
	assert.True(t, inPoller(server), "the writes filled the socket buffers")

	// A client that stops reading: the write deadline ends the wait.
	require.NoError(t, server.SetWriteDeadline(time.Now().Add(100*time.Millisecond)))
	var err error
	within(t, func() {
		for i := 0; i < 64 && err == nil; i++ {
			_, err = server.Write(big)
		}
	})
	assert.True(t, isTimeout(err), "a full socket buffer times the write out: %v", err)
}

func TestLazyConnSyscallConnSendsAFileLargerThanTheBuffer(t *testing.T) {
	client, server := lazyPair(t)
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<19) // 8 MiB
	f, err := os.CreateTemp(t.TempDir(), "body")
	require.NoError(t, err)
	defer f.Close()
	_, err = f.Write(body)
	require.NoError(t, err)

	// Small socket buffers, and a client that starts reading only once
	// the file filled them: sendfile must wait in the poller.
	require.NoError(t, client.(*net.TCPConn).SetReadBuffer(64<<10))
	require.NoError(t, server.control(func(fd int) {
		require.NoError(t, unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 64<<10))
	}))
	got := make(chan []byte, 1)
	go func() {
		awaitPoller(server)
		b, _ := io.ReadAll(io.LimitReader(client, int64(len(body))))
		got <- b
	}()
	left := -1
	within(t, func() { left = sendFile(t, server, f, len(body)) })
	assert.Equal(t, 0, left)
	assert.True(t, bytes.Equal(body, <-got), "the client received the file")
	assert.True(t, inPoller(server))
}

func TestLazyConnCloseWakesAReadThatStartedInThePoller(t *testing.T) {
	_, server := lazyPair(t)
	require.NoError(t, server.UsePoller())
	require.True(t, inPoller(server))
	done := readInBackground(server)
	time.Sleep(10 * time.Millisecond) // let it wait; the test holds either way
	require.NoError(t, server.Close())
	assert.ErrorIs(t, awaitRead(t, done, "Close did not wake the read"), net.ErrClosed)
}
