package scoreboard

import "time"

// Global is the handle on the global record. Only the master writes it;
// every process reads it. The zero Global is not usable: get one from
// Scoreboard.Global.
type Global struct {
	h *header
	g *globalRecord
}

// GlobalInfo is a copy of the global record.
type GlobalInfo struct {
	ServerLimit       int
	ThreadLimit       int
	RunningGeneration int64     // generation of the children that should be serving
	ConfigGeneration  int64     // number of configuration reads that took effect
	RestartTime       time.Time // last start or restart of any kind; zero if unset
	StartTime         time.Time // when the master started; zero if unset
	RestartCount      uint64    // restarts (HUP and graceful) since StartTime
}

// Sample is one entry of the history ring that the status page plots: the
// server's totals at one master tick.
type Sample struct {
	UnixSec       int64  // when the sample was taken
	TotalAccesses uint64 // requests served, summed over all workers
	TotalBytes    uint64 // bytes served, summed over all workers
	Busy          int    // busy workers (Tally.Busy)
	Idle          int    // idle workers (Tally.Idle)
}

// ServerLimit returns the number of process slots.
func (g Global) ServerLimit() int { return int(g.h.serverLimit.Load()) }

// ThreadLimit returns the number of worker slots per process slot.
func (g Global) ThreadLimit() int { return int(g.h.threadLimit.Load()) }

// RunningGeneration returns the generation of children that should still be
// serving. A child whose own generation is lower finishes what it is doing
// and exits.
func (g Global) RunningGeneration() int64 { return g.g.runningGeneration.Load() }

// SetRunningGeneration sets the running generation (master only).
func (g Global) SetRunningGeneration(gen int64) { g.g.runningGeneration.Store(gen) }

// ConfigGeneration returns the configuration generation.
func (g Global) ConfigGeneration() int64 { return g.g.configGeneration.Load() }

// SetConfigGeneration sets the configuration generation (master only).
func (g Global) SetConfigGeneration(gen int64) { g.g.configGeneration.Store(gen) }

// RestartTime returns the time of the last start or restart, or the zero
// Time if it was never set.
func (g Global) RestartTime() time.Time { return fromNanos(g.g.restartTime.Load()) }

// SetRestartTime records the time of a start or restart (master only).
func (g Global) SetRestartTime(t time.Time) { g.g.restartTime.Store(t.UnixNano()) }

// StartTime returns when the server started, or the zero Time if it was
// never set. Reset keeps it.
func (g Global) StartTime() time.Time { return fromNanos(g.g.startTime.Load()) }

// SetStartTime records when the server started (master only, once).
func (g Global) SetStartTime(t time.Time) { g.g.startTime.Store(t.UnixNano()) }

// RestartCount returns the number of restarts since the server started.
func (g Global) RestartCount() uint64 { return g.g.restartCount.Load() }

// AddRestart increments the restart count and returns the new value
// (master only).
func (g Global) AddRestart() uint64 { return g.g.restartCount.Add(1) }

// Load returns a copy of the global record; each field is read atomically.
func (g Global) Load() GlobalInfo {
	return GlobalInfo{
		ServerLimit:       g.ServerLimit(),
		ThreadLimit:       g.ThreadLimit(),
		RunningGeneration: g.RunningGeneration(),
		ConfigGeneration:  g.ConfigGeneration(),
		RestartTime:       g.RestartTime(),
		StartTime:         g.StartTime(),
		RestartCount:      g.RestartCount(),
	}
}

// AppendHistory adds s to the history ring, overwriting the oldest sample
// once HistorySize samples are held. Only the master appends.
func (g Global) AppendHistory(s Sample) {
	seq := beginWrite(&g.g.histSeq)
	head := g.g.histHead.Load()
	r := &g.g.history[head%HistorySize]
	r.unixSec.Store(s.UnixSec)
	r.totalAccesses.Store(s.TotalAccesses)
	r.totalBytes.Store(s.TotalBytes)
	r.busy.Store(uint64(s.Busy))
	r.idle.Store(uint64(s.Idle))
	g.g.histHead.Store(head + 1)
	endWrite(&g.g.histSeq, seq)
}

// History returns the samples in the ring, oldest first. It returns nil if
// the ring is empty, or if the master kept appending through every one of a
// bounded number of attempts to read it whole.
func (g Global) History() []Sample {
	for range maxReadAttempts {
		seq, ok := readBegin(&g.g.histSeq)
		if !ok {
			continue
		}
		head := g.g.histHead.Load()
		n := min(head, HistorySize)
		if n == 0 {
			return nil
		}
		out := make([]Sample, n)
		for i := range out {
			r := &g.g.history[(head-n+uint64(i))%HistorySize]
			out[i] = Sample{
				UnixSec:       r.unixSec.Load(),
				TotalAccesses: r.totalAccesses.Load(),
				TotalBytes:    r.totalBytes.Load(),
				Busy:          int(r.busy.Load()),
				Idle:          int(r.idle.Load()),
			}
		}
		if readEnd(&g.g.histSeq, seq) {
			return out
		}
	}
	return nil
}

// reset clears the traffic-related global fields (see Scoreboard.Reset).
func (g Global) reset() {
	g.g.restartTime.Store(0)
	seq := beginWrite(&g.g.histSeq)
	for i := range g.g.history {
		r := &g.g.history[i]
		r.unixSec.Store(0)
		r.totalAccesses.Store(0)
		r.totalBytes.Store(0)
		r.busy.Store(0)
		r.idle.Store(0)
	}
	g.g.histHead.Store(0)
	endWrite(&g.g.histSeq, seq)
}

// fromNanos converts unix nanoseconds to a Time, 0 to the zero Time.
func fromNanos(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// fromMicros converts unix microseconds to a Time, 0 to the zero Time.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us)
}
