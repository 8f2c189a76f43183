package listen

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// waiterPid returns the process waiting in the kernel, 0 if none.
func (g *gate) waiterPid() int { return int(g.w.waiter.Load()) }

// gatedSocket returns a loopback address, a Set holding its socket, and
// the socket's gate.
func gatedSocket(t *testing.T) (Addr, *Set, *gate) {
	t.Helper()
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	return a, s, s.Listeners()[0].gate
}

// gated returns n exclusive listeners on the set's first socket and gate,
// as n children would hold them, each with its own process id (pid 101,
// 102, ...) at the gate.
func gated(t *testing.T, s *Set, n int) []*exclusiveListener {
	t.Helper()
	out := make([]*exclusiveListener, n)
	for i := range out {
		l := exclusive(t, s).(*exclusiveListener)
		l.pid = 101 + i
		out[i] = l
	}
	return out
}

// accepted is a connection and the listener (by pid) that took it.
type accepted struct {
	pid  int
	conn net.Conn
}

// acceptLoops runs Accept on each listener until it is closed, sending
// what it takes. A connection is closed by the receiver of the channel,
// so a process holds it (busy) as long as the test wants.
func acceptLoops(t *testing.T, ls []*exclusiveListener) <-chan accepted {
	return acceptN(t, ls, -1)
}

// acceptN is acceptLoops with at most n Accepts per listener (n < 0: no
// limit): a listener that has taken n connections does not come back.
func acceptN(t *testing.T, ls []*exclusiveListener, n int) <-chan accepted {
	got := make(chan accepted, 16)
	for _, l := range ls {
		go func() {
			for i := 0; n < 0 || i < n; i++ {
				c, err := l.Accept()
				if err != nil {
					return
				}
				got <- accepted{l.pid, c}
			}
		}()
	}
	return got
}

func next(t *testing.T, got <-chan accepted) accepted {
	t.Helper()
	select {
	case a := <-got:
		t.Cleanup(func() { a.conn.Close() })
		return a
	case <-time.After(ioBound):
		t.Fatal("no connection accepted")
		return accepted{}
	}
}

// result waits for an Accept started by acceptAsync.
func result(t *testing.T, ch <-chan error) error {
	t.Helper()
	select {
	case err := <-ch:
		return err
	case <-time.After(ioBound):
		t.Fatal("Accept did not return")
		return nil
	}
}

// settled waits until one process waits at the gate and the others are
// parked, and returns the waiter.
func settled(t *testing.T, g *gate, parked int) int {
	t.Helper()
	require.Eventually(t, func() bool {
		return g.waiterPid() != 0 && int(g.w.parked[idle].Load()+g.w.parked[busy].Load()) == parked
	}, ioBound, time.Millisecond, "waiter %d, parked %d idle + %d busy", g.waiterPid(), g.w.parked[idle].Load(), g.w.parked[busy].Load())
	return g.waiterPid()
}

func TestGateOneWaitsTheOthersPark(t *testing.T) {
	a, s, g := gatedSocket(t)
	got := acceptLoops(t, gated(t, s, 3))
	waiter := settled(t, g, 2)

	client := dial(t, a)
	c := next(t, got)
	assert.Equal(t, waiter, c.pid, "the waiting process takes the connection")
	assert.Equal(t, client.LocalAddr().String(), c.conn.RemoteAddr().String())
	c.conn.Close()
	settled(t, g, 2) // it comes back: again one waits, two park
	select {
	case extra := <-got:
		t.Fatalf("a connection was accepted twice (by %d)", extra.pid)
	default:
	}
}

// A process that keeps its connection and does not come back to Accept
// (a slow request served inline) is replaced at the gate: the next
// connection is taken by another process.
func TestGateReplacesAProcessThatDoesNotComeBack(t *testing.T) {
	a, s, g := gatedSocket(t)
	got := acceptN(t, gated(t, s, 3), 1)
	settled(t, g, 2)

	dial(t, a)
	first := next(t, got) // held open: its process is busy
	// Within replaceAfterWait a parked process takes the waiter's place.
	require.Eventually(t, func() bool { w := g.waiterPid(); return w != 0 && w != first.pid }, ioBound, time.Millisecond)
	dial(t, a)
	second := next(t, got)
	assert.NotEqual(t, first.pid, second.pid, "the busy process did not take the second connection")
}

// A process that holds a connection leaves new ones to idle processes,
// so a burst spreads over the processes, as prefork children take them.
func TestGateBusyProcessesDeferToIdleOnes(t *testing.T) {
	a, s, g := gatedSocket(t)
	got := acceptLoops(t, gated(t, s, 3))
	settled(t, g, 2)

	for range 3 {
		dial(t, a)
	}
	seen := map[int]bool{}
	for range 3 {
		c := next(t, got)
		assert.False(t, seen[c.pid], "process %d took two of three connections while another was idle", c.pid)
		seen[c.pid] = true
	}
	// All busy now: a fourth connection is still taken.
	dial(t, a)
	next(t, got)
}

// Set.ReleaseWaiter frees the place of a process that died waiting; until
// then the others stay parked.
func TestGateReleaseWaiterOfADeadProcess(t *testing.T) {
	a, s, g := gatedSocket(t)
	const dead = 999
	require.True(t, g.becomeWaiter(dead, idle))
	got := acceptLoops(t, gated(t, s, 2))
	require.Eventually(t, func() bool { return g.w.parked[idle].Load() == 2 }, ioBound, time.Millisecond)

	s.ReleaseWaiter(dead)
	assert.NotEqual(t, dead, settled(t, g, 1), "a live process waits now")
	dial(t, a)
	next(t, got)
}

// Close ends a parked Accept, and Pause gives up the waiter's place to a
// parked process.
func TestGateCloseAndPause(t *testing.T) {
	a, s, g := gatedSocket(t)
	ls := gated(t, s, 3)
	done := make(map[int]<-chan error)
	for _, l := range ls {
		done[l.pid] = acceptAsync(l)
	}
	waiter := settled(t, g, 2)
	var w, parked *exclusiveListener
	for _, l := range ls {
		switch {
		case l.pid == waiter:
			w = l
		case parked == nil:
			parked = l
		}
	}

	require.NoError(t, parked.Close())
	assert.ErrorIs(t, result(t, done[parked.pid]), net.ErrClosed, "Close ends a parked Accept")

	require.NoError(t, w.Pause())
	require.Eventually(t, func() bool { p := g.waiterPid(); return p != 0 && p != w.pid }, ioBound, time.Millisecond,
		"a paused listener gave up the waiter's place")
	dial(t, a)
	for pid, ch := range done {
		if pid == w.pid || pid == parked.pid {
			continue
		}
		assert.NoError(t, result(t, ch), "the new waiter takes the connection")
	}
}

func TestGateFilesAreChecked(t *testing.T) {
	_, s, _ := gatedSocket(t)

	f, err := dupFile(s.Files()[0])
	require.NoError(t, err)
	_, err = InheritExclusive([]*os.File{f}, s.Addrs(), []*os.File{})
	assert.ErrorContains(t, err, "0 accept gates for 1 listening sockets")

	fd, err := unix.MemfdCreate("not-a-gate", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	require.NoError(t, unix.Ftruncate(fd, gateSize))
	f, err = dupFile(s.Files()[0])
	require.NoError(t, err)
	_, err = InheritExclusive([]*os.File{f}, s.Addrs(), []*os.File{os.NewFile(uintptr(fd), "not-a-gate")})
	assert.ErrorContains(t, err, "not an accept gate")
}
