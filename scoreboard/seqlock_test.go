package scoreboard

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTruncateKeepsRunesWhole(t *testing.T) {
	assert.Equal(t, "abc", truncate("abc", 8))
	assert.Equal(t, "ab", truncate("abc", 2))
	assert.Equal(t, "a", truncate("aé", 2), "é is two bytes: cutting at 2 would split it")
	assert.Equal(t, "", truncate("é", 1))
}

func TestSetRequestTruncatesAndRoundTrips(t *testing.T) {
	sb := newScoreboard(t, 1, 1)
	w := sb.Worker(0, 0)
	long := strings.Repeat("x", 1000)
	w.SetRequest(long, long, "GET /"+long, long)
	got := w.Request()
	assert.Equal(t, RequestInfo{
		Client:   long[:ClientSize],
		VHost:    long[:VHostSize],
		Request:  ("GET /" + long)[:RequestSize],
		Protocol: long[:ProtocolSize],
	}, got)

	// Shorter values replace longer ones exactly, with no leftovers.
	w.SetRequest("::1", "é.example", "GET /ü HTTP/1.1", "h2")
	assert.Equal(t, RequestInfo{"::1", "é.example", "GET /ü HTTP/1.1", "h2"}, w.Request())
	w.SetRequest("", "", "", "")
	assert.Equal(t, RequestInfo{}, w.Request())
}

func TestRequestGivesUpOnADeadWriterAndTheNextWriterRecovers(t *testing.T) {
	sb := newScoreboard(t, 1, 1)
	w := sb.Worker(0, 0)
	w.SetRequest("a", "b", "c", "d")
	beginWrite(&sb.workers[0].strSeq) // a writer that never finishes
	assert.Equal(t, RequestInfo{}, w.Request(), "a half-written record reads as empty, never torn")
	w.SetRequest("e", "f", "g", "h")
	assert.Equal(t, RequestInfo{"e", "f", "g", "h"}, w.Request())
}

// requestSet is the k-th of a family of request strings whose four fields
// all name k, with lengths that vary with k and may exceed the capacities.
func requestSet(k int) RequestInfo {
	return RequestInfo{
		Client:   truncate(fmt.Sprintf("10.0.%d.%s", k, strings.Repeat("c", k*7%80)), ClientSize),
		VHost:    truncate(fmt.Sprintf("v%d.%s", k, strings.Repeat("h", k*11%90)), VHostSize),
		Request:  truncate(fmt.Sprintf("GET /%d/%s HTTP/1.1", k, strings.Repeat("r", k*37%300)), RequestSize),
		Protocol: truncate(fmt.Sprintf("p%d%s", k, strings.Repeat("/", k%20)), ProtocolSize),
	}
}

func TestSeqlockNeverReturnsATornRequest(t *testing.T) {
	const (
		writers     = 4
		writes      = 4000
		readers     = 2
		reads       = 8000
		variants    = 32
		threadLimit = 2
	)
	sb := newScoreboard(t, writers/threadLimit, threadLimit)
	sets := make([]RequestInfo, variants)
	byClient := make(map[string]int, variants)
	for k := range sets {
		sets[k] = requestSet(k)
		byClient[sets[k].Client] = k
	}
	require.Len(t, byClient, variants, "clients identify their set")

	var wg sync.WaitGroup
	var torn, stable, empty atomic.Int64
	var firstTorn atomic.Value
	for i := range writers {
		w := sb.Worker(i/threadLimit, i%threadLimit)
		wg.Go(func() {
			for n := range writes {
				s := sets[(n*7+i)%variants]
				w.SetRequest(s.Client, s.VHost, s.Request, s.Protocol)
			}
		})
	}
	for r := range readers {
		wg.Go(func() {
			for n := range reads {
				i := (n + r) % writers
				got := sb.Worker(i/threadLimit, i%threadLimit).Request()
				if got == (RequestInfo{}) {
					empty.Add(1) // never written yet, or the writer stayed busy
					continue
				}
				k, ok := byClient[got.Client]
				if !ok || got != sets[k] {
					torn.Add(1)
					firstTorn.CompareAndSwap(nil, got)
					continue
				}
				stable.Add(1)
			}
		})
	}
	wg.Wait()
	t.Logf("stable reads %d, empty %d", stable.Load(), empty.Load())
	assert.Zero(t, torn.Load(), "torn read, e.g. %+v", firstTorn.Load())
	assert.Equal(t, int64(readers*reads), stable.Load()+empty.Load()+torn.Load())
}

func TestHistoryRing(t *testing.T) {
	sb := newScoreboard(t, 1, 1)
	g := sb.Global()
	assert.Nil(t, g.History())

	sample := func(i int) Sample {
		return Sample{UnixSec: int64(1000 + i), TotalAccesses: uint64(i), TotalBytes: uint64(10 * i), Busy: i % 5, Idle: i % 7}
	}
	for i := range 3 {
		g.AppendHistory(sample(i))
	}
	assert.Equal(t, []Sample{sample(0), sample(1), sample(2)}, g.History())

	for i := 3; i < HistorySize+5; i++ {
		g.AppendHistory(sample(i))
	}
	h := g.History()
	require.Len(t, h, HistorySize)
	for j, s := range h {
		require.Equal(t, sample(j+5), s, "oldest first after wrapping, index %d", j)
	}

	// A head far beyond the ring (as a rogue writer could leave it) is
	// still read within bounds.
	sb.global.histHead.Store(1<<63 + 3)
	assert.Len(t, g.History(), HistorySize)
}

func TestHistoryIsConsistentWhileAppending(t *testing.T) {
	sb := newScoreboard(t, 1, 1)
	g := sb.Global()
	const appends, reads = 3 * HistorySize, 200
	var wg sync.WaitGroup
	var bad atomic.Int64
	wg.Go(func() {
		for i := range appends {
			g.AppendHistory(Sample{UnixSec: int64(i), TotalAccesses: uint64(i)})
		}
	})
	wg.Go(func() {
		for range reads {
			h := g.History()
			for j := 1; j < len(h); j++ {
				if h[j].UnixSec != h[j-1].UnixSec+1 || h[j].TotalAccesses != uint64(h[j].UnixSec) {
					bad.Add(1)
					break
				}
			}
		}
	})
	wg.Wait()
	assert.Zero(t, bad.Load(), "a history read mixed samples from different appends")
}
