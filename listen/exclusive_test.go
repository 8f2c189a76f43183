package listen

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// exclusive returns an exclusive listener on duplicates of the set's
// first socket and its accept gate, closed when the test ends.
func exclusive(t *testing.T, s *Set) net.Listener {
	t.Helper()
	f, err := dupFile(s.Files()[0])
	require.NoError(t, err)
	g, err := dupFile(s.Gates()[0])
	require.NoError(t, err)
	ls, err := InheritExclusive([]*os.File{f}, s.Addrs()[:1], []*os.File{g})
	require.NoError(t, err)
	t.Cleanup(func() { ls[0].Close() })
	return ls[0]
}

func dupFile(f *os.File) (*os.File, error) {
	var nf *os.File
	err := withFD(f, func(fd int) error {
		d, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		nf = os.NewFile(uintptr(d), f.Name())
		return err
	})
	return nf, err
}

// acceptAsync runs Accept in a goroutine and delivers its result.
func acceptAsync(l net.Listener) <-chan error {
	done := make(chan error, 1)
	go func() {
		c, err := l.Accept()
		if c != nil {
			c.Close()
		}
		done <- err
	}()
	return done
}

func TestExclusiveListenerAcceptsAndReportsItsAddress(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	l := exclusive(t, s)
	assert.Equal(t, a.String(), l.Addr().String())

	client := dial(t, a)
	server, err := l.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { server.Close() })
	_, blocking := server.(*Conn)
	assert.True(t, blocking, "accepted connections are served with blocking calls")
	require.NoError(t, server.SetDeadline(time.Now().Add(ioBound)))
	roundTrip(t, client, server, "hello")
}

func TestExclusiveListenerInterruptAndResume(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	l := exclusive(t, s)
	dl := l.(interface{ SetDeadline(time.Time) error })

	done := acceptAsync(l)
	time.Sleep(20 * time.Millisecond) // let Accept block in epoll_wait
	require.NoError(t, dl.SetDeadline(time.Unix(1, 0)))
	select {
	case err := <-done:
		var ne net.Error
		require.True(t, errors.As(err, &ne), "%v", err)
		assert.True(t, ne.Timeout(), "an interrupted Accept is a timeout")
	case <-time.After(ioBound):
		t.Fatal("Accept was not interrupted")
	}

	require.NoError(t, dl.SetDeadline(time.Time{}))
	done = acceptAsync(l)
	dial(t, a)
	select {
	case err := <-done:
		assert.NoError(t, err, "Accept waits again after the zero deadline")
	case <-time.After(ioBound):
		t.Fatal("Accept did not take the connection")
	}
}

func TestExclusiveListenerClose(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	l := exclusive(t, s)
	done := acceptAsync(l)
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, l.Close())
	select {
	case err := <-done:
		assert.ErrorIs(t, err, net.ErrClosed)
	case <-time.After(ioBound):
		t.Fatal("Close did not end Accept")
	}
	assert.NoError(t, l.Close(), "a second Close is harmless")

	// The socket itself is still open in the set (the master's copy).
	roundTrip(t, dial(t, a), acceptOne(t, s.Files()[0]), "still listening")
}

// Two exclusive listeners on one socket (two children) share its queue:
// each connection is accepted once.
func TestExclusiveListenersShareTheQueue(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	l1, l2 := exclusive(t, s), exclusive(t, s)
	got := make(chan string, 4)
	for _, l := range []net.Listener{l1, l2} {
		go func(l net.Listener) {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				got <- c.RemoteAddr().String()
				c.Close()
			}
		}(l)
	}
	want := map[string]bool{}
	for i := 0; i < 4; i++ {
		want[dial(t, a).LocalAddr().String()] = true
	}
	seen := map[string]bool{}
	for i := 0; i < 4; i++ {
		select {
		case addr := <-got:
			assert.False(t, seen[addr], "accepted twice: %s", addr)
			seen[addr] = true
		case <-time.After(ioBound):
			t.Fatalf("only %d of 4 connections accepted", i)
		}
	}
	assert.Equal(t, want, seen)
}

// A paused listener takes no connection, even one already queued, until
// it is resumed; its Accept waits meanwhile.
func TestExclusiveListenerPause(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	l := exclusive(t, s)
	p := l.(interface {
		Pause() error
		Resume() error
	})
	require.NoError(t, p.Pause())
	dial(t, a)
	done := acceptAsync(l)
	select {
	case err := <-done:
		t.Fatalf("a paused listener accepted (err %v)", err)
	case <-time.After(100 * time.Millisecond):
	}
	require.NoError(t, p.Resume())
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(ioBound):
		t.Fatal("the queued connection was not accepted after Resume")
	}
}
