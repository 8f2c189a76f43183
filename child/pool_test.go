package child

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/pipeline"
	"gohttpd/scoreboard"
)

func testPool(t *testing.T, threads int) (*workerPool, *scoreboard.Scoreboard) {
	sb, err := scoreboard.Create(2, threads)
	require.NoError(t, err)
	t.Cleanup(func() { sb.Close() })
	return newWorkerPool(sb, 1, threads, func() bool { return false }), sb
}

func TestFreshConnectionsReserveCapacity(t *testing.T) {
	p, _ := testPool(t, 2)
	var switches []bool
	p.setAccepting = func(open bool) { switches = append(switches, open) }
	assert.True(t, p.hasCapacity())
	a := p.newConnSlot()
	assert.True(t, p.hasCapacity(), "one slot left")
	b := p.newConnSlot()
	assert.False(t, p.hasCapacity(), "two fresh connections reserve both slots")
	assert.Equal(t, []bool{false}, switches, "accepting stops when capacity runs out")

	// A reservation turns into the slot when the head is complete.
	a.StartRequest("127.0.0.1", "x", "GET / HTTP/1.1", "HTTP/1.1")
	assert.False(t, p.hasCapacity())
	a.EndRequest(10)
	p.mu.Lock()
	assert.Equal(t, 1, p.capacity(), "a's slot is free again; b still reserves the other")
	p.mu.Unlock()

	assert.Equal(t, []bool{false, true}, switches, "and resumes when a slot frees")

	// A slow client's reservation lapses.
	b.dropReservation()
	assert.True(t, p.hasCapacity())
	assert.Equal(t, []bool{false, true}, switches, "told only of changes")
	b.finish()
	a.finish()
	assert.Equal(t, 2, len(p.free))
	assert.Zero(t, p.reserved)
}

func TestReservationLapsesAfterAWhile(t *testing.T) {
	p, _ := testPool(t, 1)
	c := p.newConnSlot()
	assert.False(t, p.hasCapacity())
	assert.Eventually(t, p.hasCapacity, 2*time.Second, 10*time.Millisecond, "reserveFor passes")
	c.finish()
	assert.Zero(t, p.reserved)
}

func TestSlotRecordsRequestsOnTheScoreboard(t *testing.T) {
	p, sb := testPool(t, 1)
	c := p.newConnSlot()
	c.StartRequest("192.0.2.1", "example.test", "GET /x HTTP/1.1", "HTTP/1.1")
	w := sb.Worker(1, 0)
	c.SetState(pipeline.StateWriting)
	assert.Equal(t, scoreboard.BusyWrite, w.Status())
	assert.Equal(t, "GET /x HTTP/1.1", w.Request().Request)
	c.EndRequest(1234)
	info := w.Load()
	assert.Equal(t, scoreboard.Ready, info.Status)
	assert.Equal(t, uint64(1), info.AccessCount)
	assert.Equal(t, uint64(1234), info.BytesServed)
	c.SetState(pipeline.StateKeepalive)
	assert.Equal(t, scoreboard.Ready, w.Status(), "between requests the connection holds no slot")
	c.finish()
}

func TestAcquireWaitsForAFreeSlot(t *testing.T) {
	p, _ := testPool(t, 1)
	a, b := p.newConnSlot(), p.newConnSlot()
	a.StartRequest("c", "v", "GET / HTTP/1.1", "HTTP/1.1")
	started := make(chan struct{})
	go func() {
		b.StartRequest("c", "v", "GET / HTTP/1.1", "HTTP/1.1")
		close(started)
	}()
	select {
	case <-started:
		t.Fatal("b got a slot while a held the only one")
	case <-time.After(50 * time.Millisecond):
	}
	a.EndRequest(0)
	select {
	case <-started:
	case <-time.After(2 * time.Second):
		t.Fatal("b never got the slot a released")
	}
	b.EndRequest(0)
	a.finish()
	b.finish()
}

func TestCPUShare(t *testing.T) {
	c := &cpuShare{threads: 64, cpus: 8, floor: 1}
	assert.Equal(t, 8, c.want(0), "alone (not yet counted)")
	assert.Equal(t, 8, c.want(1), "alone")
	assert.Equal(t, 4, c.want(2))
	assert.Equal(t, 3, c.want(3), "rounded up")
	assert.Equal(t, 1, c.want(8))
	assert.Equal(t, 1, c.want(100), "never below one")
	one := &cpuShare{threads: 1, cpus: 8, floor: 1}
	assert.Equal(t, 1, one.want(1), "no more processors than worker threads")
	inline := &cpuShare{threads: 1, cpus: 8, floor: 2}
	assert.Equal(t, 2, inline.want(16), "a child serving inline keeps an idle processor")
	two := &cpuShare{threads: 2, cpus: 8, floor: 1}
	assert.Equal(t, 2, two.want(1))
}
