package child

import (
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/scoreboard"
)

// balanceBoard returns a scoreboard whose slots 0-2 hold running children
// of generation 1 with the given open connections, and a balance for the
// child in slot 0.
func balanceBoard(t *testing.T, conns ...int64) (*scoreboard.Scoreboard, *connBalance) {
	t.Helper()
	sb, err := scoreboard.Create(4, 2)
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	for slot, n := range conns {
		p := sb.Process(slot)
		p.Reserve(1)
		p.SetPid(1000 + slot)
		p.AddConnections(n)
	}
	return sb, newConnBalance(sb, 0, 1)
}

func TestAheadOfAnAcceptingSibling(t *testing.T) {
	sb, b := balanceBoard(t, 10, 6, 8)
	assert.False(t, b.ahead(), "10 is within the slack of 6")

	sb.Process(0).AddConnections(1)
	assert.True(t, b.ahead(), "11 is more than 6 + 4")

	sb.Process(1).SetNotAccepting(true)
	assert.False(t, b.ahead(), "a sibling with a full pool does not count")
	sb.Process(1).SetNotAccepting(false)

	sb.Process(1).SetQuiescing(true)
	assert.False(t, b.ahead(), "nor does a draining one")
	sb.Process(1).SetQuiescing(false)

	sb.Process(1).Release()
	sb.Process(1).Reserve(2)
	sb.Process(1).SetPid(2000)
	assert.False(t, b.ahead(), "nor a child of another generation")

	sb.Process(1).Release()
	sb.Process(1).Reserve(1)
	assert.False(t, b.ahead(), "nor one still starting")
	sb.Process(1).SetPid(2001)
	assert.True(t, b.ahead(), "once it runs it does")
}

func TestRefreshFindsNewSiblings(t *testing.T) {
	sb, b := balanceBoard(t, 20)
	assert.False(t, b.ahead(), "alone")
	p := sb.Process(3)
	p.Reserve(1)
	p.SetPid(1003)
	assert.False(t, b.ahead(), "not listed before the next refresh")
	b.refresh()
	assert.True(t, b.ahead())
}

// fakePending is a listener whose Pending answer the test sets.
type fakePending struct {
	net.Listener
	pending atomic.Bool
}

func (l *fakePending) Pending() bool { return l.pending.Load() }

func balanceServer(b *connBalance) *Server {
	return &Server{balance: b, done: make(chan struct{})}
}

func TestAwaitTurn(t *testing.T) {
	within := func(t *testing.T, d time.Duration, fn func()) time.Duration {
		t.Helper()
		start := time.Now()
		finished := make(chan struct{})
		go func() { fn(); close(finished) }()
		select {
		case <-finished:
		case <-time.After(d):
			t.Fatalf("awaitTurn did not return within %v", d)
		}
		return time.Since(start)
	}

	t.Run("not ahead: at once", func(t *testing.T) {
		_, b := balanceBoard(t, 5, 5)
		s := balanceServer(b)
		within(t, time.Second, func() { s.awaitTurn(&fakePending{}) })
	})

	t.Run("ahead: until the sibling catches up", func(t *testing.T) {
		sb, b := balanceBoard(t, 12, 2)
		s := balanceServer(b)
		l := &fakePending{}
		returned := make(chan struct{})
		go func() { s.awaitTurn(l); close(returned) }()
		select {
		case <-returned:
			t.Fatal("returned while ahead with nothing pending")
		case <-time.After(50 * time.Millisecond):
		}
		sb.Process(1).AddConnections(6)
		select {
		case <-returned:
		case <-time.After(time.Second):
			t.Fatal("still waiting once the sibling caught up")
		}
	})

	t.Run("ahead: a connection left pending is taken", func(t *testing.T) {
		_, b := balanceBoard(t, 12, 2)
		s := balanceServer(b)
		l := &fakePending{}
		l.pending.Store(true)
		took := within(t, time.Second, func() { s.awaitTurn(l) })
		assert.GreaterOrEqual(t, took, balanceMaxDefer, "the sibling had its chance first")
	})

	t.Run("ahead: returns when the child stops", func(t *testing.T) {
		_, b := balanceBoard(t, 12, 2)
		s := balanceServer(b)
		go func() { time.Sleep(20 * time.Millisecond); close(s.done) }()
		within(t, time.Second, func() { s.awaitTurn(&fakePending{}) })
	})

	t.Run("listeners that cannot tell are not held back", func(t *testing.T) {
		_, b := balanceBoard(t, 12, 2)
		s := balanceServer(b)
		within(t, time.Second, func() { s.awaitTurn(nil) })
	})
}
