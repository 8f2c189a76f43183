package scoreboard

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHotPathsDoNotAllocate(t *testing.T) {
	sb := newScoreboard(t, 4, 4)
	w := sb.Worker(2, 3)
	assert.Zero(t, testing.AllocsPerRun(100, func() { w.SetStatus(BusyWrite); w.SetStatus(Ready) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { w.IncrementAccess(1024) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		w.SetRequest("203.0.113.9", "www.example.com:443", "GET /index.html HTTP/1.1", "http/1.1")
	}))
	assert.Zero(t, testing.AllocsPerRun(100, func() { sb.Tally(0) }))
	assert.Zero(t, testing.AllocsPerRun(100, func() { sb.Global().RunningGeneration() }))
}

func BenchmarkSetStatus(b *testing.B) {
	sb := newScoreboard(b, 1, 1)
	w := sb.Worker(0, 0)
	b.ReportAllocs()
	for b.Loop() {
		w.SetStatus(BusyRead)
		w.SetStatus(BusyWrite)
	}
}

func BenchmarkSetStatusReady(b *testing.B) {
	sb := newScoreboard(b, 1, 1)
	w := sb.Worker(0, 0)
	b.ReportAllocs()
	for b.Loop() {
		w.SetStatus(Ready)
	}
}

func BenchmarkIncrementAccess(b *testing.B) {
	sb := newScoreboard(b, 1, 1)
	w := sb.Worker(0, 0)
	b.ReportAllocs()
	for b.Loop() {
		w.IncrementAccess(4096)
	}
}

func BenchmarkSetRequest(b *testing.B) {
	sb := newScoreboard(b, 1, 1)
	w := sb.Worker(0, 0)
	b.ReportAllocs()
	for b.Loop() {
		w.SetRequest("203.0.113.9", "www.example.com:443", "GET /index.html HTTP/1.1", "http/1.1")
	}
}

func BenchmarkRequest(b *testing.B) {
	sb := newScoreboard(b, 1, 1)
	w := sb.Worker(0, 0)
	w.SetRequest("203.0.113.9", "www.example.com:443", "GET /index.html HTTP/1.1", "http/1.1")
	b.ReportAllocs()
	for b.Loop() {
		w.Request()
	}
}

func BenchmarkTally(b *testing.B) {
	sb := newScoreboard(b, 256, 1)
	b.ReportAllocs()
	for b.Loop() {
		sb.Tally(0)
	}
}
