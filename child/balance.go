package child

import (
	"net"
	"sync/atomic"
	"time"

	"gohttpd/scoreboard"
)

// Threaded children share one listening socket, and every child waiting
// in Accept is woken by each new connection: whichever runs first takes
// it. A burst of connections (a client opening its keep-alive pool) can
// thus land almost entirely on one child, which then serves them all on
// its share of the CPUs (cpuShare) while its siblings idle, for as long
// as the connections live. So a threaded child that holds more than
// balanceSlack connections more than a sibling that is accepting stands
// back from accepting, and the sibling takes what arrives. The child
// with the fewest connections always accepts, so no connection waits for
// the rule; and a child that stands back still takes a connection left
// pending for balanceMaxDefer (a sibling that is stuck).
const (
	// balanceSlack is how many connections a child may hold above its
	// least loaded accepting sibling before it stands back. Measured with
	// 32 keep-alive connections on two children: 2 and 4 split them
	// 16/16 or 15/17 (8: up to 12/20); with a connection per request,
	// whose counts swing by a few all the time, 2 had the children stand
	// back so often that their CPU per connection rose by a sixth, 4 cost
	// nothing measurable.
	balanceSlack = 4
	// balanceMaxDefer is how long a connection may wait in the accept
	// queue before a child that stands back takes it anyway.
	balanceMaxDefer = time.Millisecond
	// balanceMinCheck and balanceMaxCheck bound the interval between a
	// standing-back child's looks at the scoreboard: short while
	// connections arrive, doubling while none do.
	balanceMinCheck = 100 * time.Microsecond
	balanceMaxCheck = 10 * time.Millisecond
)

// connBalance compares a child's open connections with its siblings'
// (the children of its generation) on the scoreboard.
type connBalance struct {
	sb   *scoreboard.Scoreboard
	slot int
	gen  int64
	// peers are the slots of the generation's other live children,
	// refreshed once a second.
	peers atomic.Pointer[[]int]
}

func newConnBalance(sb *scoreboard.Scoreboard, slot int, gen int64) *connBalance {
	b := &connBalance{sb: sb, slot: slot, gen: gen}
	b.refresh()
	return b
}

// refresh lists the generation's other live children.
func (b *connBalance) refresh() {
	var peers []int
	for slot := range b.sb.ServerLimit() {
		if slot != b.slot && b.peerAccepts(b.sb.Process(slot)) {
			peers = append(peers, slot)
		}
	}
	b.peers.Store(&peers)
}

// peerAccepts reports whether p is a running child of the generation that
// takes connections.
func (b *connBalance) peerAccepts(p scoreboard.Process) bool {
	return p.Generation() == b.gen && p.State() == scoreboard.ProcRunning && !p.Quiescing() && !p.NotAccepting()
}

// ahead reports whether the child holds more than balanceSlack
// connections more than an accepting sibling.
func (b *connBalance) ahead() bool {
	mine := b.sb.Process(b.slot).Connections()
	if mine <= balanceSlack {
		return false
	}
	for _, slot := range *b.peers.Load() {
		p := b.sb.Process(slot)
		if p.Connections()+balanceSlack < mine && b.peerAccepts(p) {
			return true
		}
	}
	return false
}

// pendingChecker is implemented by listeners that can tell whether a
// connection waits to be accepted (listen.Inherit's).
type pendingChecker interface{ Pending() bool }

// awaitTurn returns when the child should accept on l: at once unless it
// is ahead of a sibling, otherwise once it no longer is, once a
// connection has waited balanceMaxDefer, or once the child stops.
func (s *Server) awaitTurn(l net.Listener) {
	if s.balance == nil || !s.balance.ahead() {
		return
	}
	pc, ok := l.(pendingChecker)
	if !ok {
		return
	}
	check := balanceMinCheck
	var pendingSince time.Time
	t := time.NewTimer(check)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-s.done:
			return
		}
		if s.draining.Load() || !s.balance.ahead() {
			return
		}
		if pc.Pending() {
			now := time.Now()
			if pendingSince.IsZero() {
				pendingSince = now
			} else if now.Sub(pendingSince) >= balanceMaxDefer {
				return
			}
			check = balanceMinCheck
		} else {
			pendingSince = time.Time{}
			check = min(2*check, balanceMaxCheck)
		}
		t.Reset(check)
	}
}
