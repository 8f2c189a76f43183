package scoreboard

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// dupOpen maps sb a second time through a duplicate of its descriptor, as
// a child would through an inherited one.
func dupOpen(t *testing.T, sb *Scoreboard) *Scoreboard {
	t.Helper()
	fd, err := unix.FcntlInt(sb.File().Fd(), unix.F_DUPFD_CLOEXEC, 0)
	require.NoError(t, err)
	other, err := Open(os.NewFile(uintptr(fd), "dup"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, other.Close()) })
	return other
}

// rawMemfd returns a memfd of size bytes whose start is data.
func rawMemfd(t *testing.T, size int, data []byte) *os.File {
	t.Helper()
	fd, err := unix.MemfdCreate("test", unix.MFD_CLOEXEC)
	require.NoError(t, err)
	f := os.NewFile(uintptr(fd), "raw")
	require.NoError(t, f.Truncate(int64(size)))
	_, err = f.WriteAt(data, 0)
	require.NoError(t, err)
	return f
}

func TestCreateRejectsBadLimits(t *testing.T) {
	for _, lim := range [][2]int{{0, 1}, {1, 0}, {-1, 5}, {MaxServerLimit + 1, 1}, {1, MaxThreadLimit + 1}, {MaxServerLimit, MaxThreadLimit}} {
		_, err := Create(lim[0], lim[1])
		assert.Error(t, err, "limits %v", lim)
	}
}

func TestCreateWritesHeaderAndZeroRecords(t *testing.T) {
	sb := newScoreboard(t, 4, 3)
	assert.Equal(t, 4, sb.ServerLimit())
	assert.Equal(t, 3, sb.ThreadLimit())
	g := sb.Global().Load()
	assert.Equal(t, GlobalInfo{ServerLimit: 4, ThreadLimit: 3}, g)

	snap := sb.Snapshot()
	require.Len(t, snap.Processes, 4)
	require.Len(t, snap.Workers, 4)
	for slot, p := range snap.Processes {
		assert.Equal(t, ProcessInfo{Slot: slot}, p)
		require.Len(t, snap.Workers[slot], 3)
		for th, w := range snap.Workers[slot] {
			assert.Equal(t, WorkerInfo{Slot: slot, Thread: th}, w)
		}
	}
	assert.Nil(t, snap.History)

	// The size of the memfd is sealed: a child cannot shrink it.
	assert.Error(t, sb.File().Truncate(64))
}

func TestOpenDupSeesTheSameMemoryBothWays(t *testing.T) {
	sb := newScoreboard(t, 2, 2)
	other := dupOpen(t, sb)
	assert.Equal(t, sb.ServerLimit(), other.ServerLimit())
	assert.Equal(t, sb.ThreadLimit(), other.ThreadLimit())

	start := time.Unix(1_700_000_000, 123)
	sb.Global().SetRunningGeneration(7)
	sb.Global().SetStartTime(start)
	sb.Process(1).Reserve(7)
	sb.Process(1).SetPid(4242)
	assert.Equal(t, int64(7), other.Global().RunningGeneration())
	assert.True(t, start.Equal(other.Global().StartTime()))
	assert.Equal(t, ProcessInfo{Slot: 1, State: ProcRunning, Pid: 4242, Generation: 7}, other.Process(1).Load())

	w := other.Worker(1, 1)
	w.Bind(4242, 99, 7)
	w.SetStatus(BusyWrite)
	w.IncrementAccess(512)
	w.SetRequest("192.0.2.1", "www.example.com:80", "GET / HTTP/1.1", "http/1.1")
	other.Process(1).SetQuiescing(true)

	got := sb.Worker(1, 1).Load()
	assert.Equal(t, BusyWrite, got.Status)
	assert.Equal(t, 4242, got.Pid)
	assert.Equal(t, 99, got.TID)
	assert.Equal(t, int64(7), got.Generation)
	assert.Equal(t, uint64(1), got.AccessCount)
	assert.Equal(t, uint64(512), got.BytesServed)
	assert.Equal(t, RequestInfo{"192.0.2.1", "www.example.com:80", "GET / HTTP/1.1", "http/1.1"}, got.RequestInfo)
	assert.True(t, sb.Process(1).Quiescing())
	assert.Equal(t, sb.Snapshot(), other.Snapshot())
}

func TestOpenRejectsForeignFiles(t *testing.T) {
	t.Run("too small", func(t *testing.T) {
		_, err := Open(rawMemfd(t, 16, nil))
		require.ErrorIs(t, err, ErrLayout)
		assert.Contains(t, err.Error(), "smaller than")
	})
	t.Run("bad magic", func(t *testing.T) {
		_, err := Open(rawMemfd(t, 4096, []byte("not a scoreboard")))
		require.ErrorIs(t, err, ErrLayout)
		assert.Contains(t, err.Error(), "bad magic")
	})
	t.Run("other version", func(t *testing.T) {
		sb := newScoreboard(t, 1, 1)
		sb.hdr.version.Store(LayoutVersion + 1)
		fd, err := unix.FcntlInt(sb.File().Fd(), unix.F_DUPFD_CLOEXEC, 0)
		require.NoError(t, err)
		_, err = Open(os.NewFile(uintptr(fd), "dup"))
		require.ErrorIs(t, err, ErrLayout)
		assert.Contains(t, err.Error(), fmt.Sprintf("layout version %d,", LayoutVersion+1))
	})
	t.Run("limits disagree with size", func(t *testing.T) {
		sb := newScoreboard(t, 2, 2)
		sb.hdr.serverLimit.Store(3)
		fd, err := unix.FcntlInt(sb.File().Fd(), unix.F_DUPFD_CLOEXEC, 0)
		require.NoError(t, err)
		_, err = Open(os.NewFile(uintptr(fd), "dup"))
		require.ErrorIs(t, err, ErrLayout)
		assert.Contains(t, err.Error(), "limits 3×2")
	})
}

func TestProcessSlotLifecycle(t *testing.T) {
	sb := newScoreboard(t, 3, 2)
	slot, ok := sb.FreeSlot(3)
	require.True(t, ok)
	require.Equal(t, 0, slot)

	p := sb.Process(slot)
	p.Reserve(5)
	assert.Equal(t, ProcStarting, p.State())
	for th := range 2 {
		assert.Equal(t, Starting, sb.Worker(slot, th).Status())
	}
	assert.Equal(t, 2, sb.Tally(5).Starting)
	assert.Equal(t, 2, sb.Tally(5).MaintenanceIdle())

	next, ok := sb.FreeSlot(3)
	require.True(t, ok)
	assert.Equal(t, 1, next)
	_, ok = sb.FreeSlot(1)
	assert.False(t, ok, "the only slot under the limit is taken")

	p.SetPid(1234)
	assert.Equal(t, ProcRunning, p.State())
	found, ok := sb.FindPid(1234)
	require.True(t, ok)
	assert.Equal(t, slot, found)
	_, ok = sb.FindPid(999)
	assert.False(t, ok)
	_, ok = sb.FindPid(0)
	assert.False(t, ok, "pid 0 marks an empty slot, it is never found")

	// The child serves two requests on one connection.
	w := sb.Worker(slot, 1)
	w.Bind(1234, 1, 5)
	assert.Equal(t, Starting, w.SetStatus(Ready))
	w.SetStatus(BusyRead)
	w.IncrementAccess(100)
	w.IncrementAccess(50)
	w.SetCPU(time.Second, 2*time.Second)
	got := w.Load()
	assert.Equal(t, []uint64{2, 150, 2, 150, 2, 150},
		[]uint64{got.AccessCount, got.BytesServed, got.MyAccessCount, got.MyBytesServed, got.ConnCount, got.ConnBytes})

	// The connection ends: per-connection counters start over.
	before := time.Now()
	w.SetStatus(Ready)
	got = w.Load()
	assert.Equal(t, []uint64{2, 150, 2, 150, 0, 0},
		[]uint64{got.AccessCount, got.BytesServed, got.MyAccessCount, got.MyBytesServed, got.ConnCount, got.ConnBytes})
	assert.False(t, got.LastUsed.Before(before.Truncate(time.Microsecond)))

	// The child exits: the slot is freed, per-child counters go, the slot's
	// totals stay for the next child.
	p.Release()
	assert.Equal(t, ProcessInfo{Slot: slot}, p.Load())
	got = w.Load()
	assert.Equal(t, Dead, got.Status)
	assert.Equal(t, []uint64{2, 150, 0, 0, 0, 0},
		[]uint64{got.AccessCount, got.BytesServed, got.MyAccessCount, got.MyBytesServed, got.ConnCount, got.ConnBytes})
	assert.Zero(t, got.CPUUser)
	assert.Zero(t, got.CPUSystem)

	slot, ok = sb.FreeSlot(3)
	require.True(t, ok)
	assert.Equal(t, 0, slot, "a released slot is free again")
	sb.Process(slot).Reserve(6)
	sb.Worker(slot, 1).IncrementAccess(10)
	assert.Equal(t, uint64(3), sb.Worker(slot, 1).Load().AccessCount, "a new child continues the slot's count")

	for i := range 3 {
		sb.Process(i).Reserve(6)
	}
	_, ok = sb.FreeSlot(10)
	assert.False(t, ok, "all slots taken; the limit is clamped to ServerLimit")
}

func TestProcessFlags(t *testing.T) {
	sb := newScoreboard(t, 1, 1)
	p := sb.Process(0)
	p.SetQuiescing(true)
	p.SetNotAccepting(true)
	p.SetState(ProcStopping)
	assert.Equal(t, ProcessInfo{State: ProcStopping, Quiescing: true, NotAccepting: true}, p.Load())
	p.SetQuiescing(false)
	p.SetNotAccepting(false)
	assert.False(t, p.Quiescing())
	assert.False(t, p.NotAccepting())
}

func TestProcessConnectionsCountAcrossMappingsAndReset(t *testing.T) {
	sb := newScoreboard(t, 2, 1)
	other := dupOpen(t, sb)
	p := other.Process(1)
	p.AddConnections(1)
	p.AddConnections(1)
	p.AddConnections(1)
	p.AddConnections(-1)
	assert.Equal(t, int64(2), sb.Process(1).Connections(), "the child's count is seen through the master's mapping")
	assert.Equal(t, int64(2), sb.Process(1).Load().Connections)
	assert.Zero(t, sb.Process(0).Connections())

	sb.Process(1).Release()
	assert.Zero(t, p.Connections(), "a freed slot holds no connections")
	p.AddConnections(3)
	sb.Process(1).Reserve(2)
	assert.Zero(t, p.Connections(), "a new child starts from none")
}

func TestHandlesPanicOutOfRange(t *testing.T) {
	sb := newScoreboard(t, 2, 3)
	assert.Panics(t, func() { sb.Process(2) })
	assert.Panics(t, func() { sb.Process(-1) })
	assert.Panics(t, func() { sb.Worker(0, 3) })
	assert.Panics(t, func() { sb.Worker(2, 0) })
	assert.Panics(t, func() { sb.Worker(-1, 2) })
	assert.NotPanics(t, func() { sb.Worker(1, 2) })
}

func TestRequestTimes(t *testing.T) {
	sb := newScoreboard(t, 1, 1)
	w := sb.Worker(0, 0)
	start := time.UnixMicro(1_700_000_000_000_000)
	w.StartRequest(start)
	w.StopRequest(start.Add(1500 * time.Microsecond))
	w.StartRequest(start.Add(time.Second))
	w.StopRequest(start.Add(time.Second + 500*time.Microsecond))
	got := w.Load()
	assert.True(t, got.StartTime.Equal(start.Add(time.Second)))
	assert.True(t, got.StopTime.Equal(start.Add(time.Second+500*time.Microsecond)))
	assert.Equal(t, 2*time.Millisecond, got.Duration)
	w.IncrementAccess(-5)
	assert.Equal(t, uint64(0), w.Load().BytesServed, "negative sizes count as 0")
}

func TestResetZeroesStatisticsKeepsIdentity(t *testing.T) {
	sb := newScoreboard(t, 2, 2)
	other := dupOpen(t, sb)
	start := time.Unix(1_600_000_000, 0)
	g := sb.Global()
	g.SetStartTime(start)
	g.SetRestartTime(start.Add(time.Hour))
	g.SetRunningGeneration(4)
	g.SetConfigGeneration(5)
	g.AddRestart()
	g.AppendHistory(Sample{UnixSec: 1, TotalAccesses: 2})
	for slot := range 2 {
		sb.Process(slot).Reserve(4)
		sb.Process(slot).SetPid(100 + slot)
		sb.Process(slot).SetQuiescing(true)
		for th := range 2 {
			w := sb.Worker(slot, th)
			w.Bind(100+slot, th, 4)
			w.SetStatus(BusyWrite)
			w.IncrementAccess(10)
			w.StartRequest(start)
			w.StopRequest(start.Add(time.Millisecond))
			w.SetCPU(time.Second, time.Second)
			w.SetRequest("c", "v", "r", "p")
		}
	}

	sb.Reset()

	want := Snapshot{
		Global: GlobalInfo{
			ServerLimit: 2, ThreadLimit: 2, RunningGeneration: 4, ConfigGeneration: 5,
			StartTime: start, RestartCount: 1,
		},
		Processes: []ProcessInfo{{Slot: 0}, {Slot: 1}},
		Workers: [][]WorkerInfo{
			{{Slot: 0, Thread: 0}, {Slot: 0, Thread: 1}},
			{{Slot: 1, Thread: 0}, {Slot: 1, Thread: 1}},
		},
	}
	for _, s := range []*Scoreboard{sb, other} {
		got := s.Snapshot()
		assert.True(t, want.Global.StartTime.Equal(got.Global.StartTime))
		got.Global.StartTime = want.Global.StartTime
		assert.Equal(t, want, got)
	}
	// The header is intact: the memfd can still be opened.
	dupOpen(t, sb)
}

func TestTallyPartitionsSlots(t *testing.T) {
	sb := newScoreboard(t, 5, 2)
	const cur = 2
	set := func(slot int, gen int64, quiescing bool, a, b Status) {
		p := sb.Process(slot)
		p.Reserve(gen)
		p.SetPid(1000 + slot)
		p.SetQuiescing(quiescing)
		sb.Worker(slot, 0).SetStatus(a)
		sb.Worker(slot, 1).SetStatus(b)
	}
	set(0, cur, false, Ready, BusyWrite)
	set(1, cur-1, false, Ready, Graceful) // old generation
	set(2, cur, true, Ready, Starting)    // quiescing child
	set(3, cur, false, Starting, BusyKeepalive)
	sb.Worker(4, 0).SetStatus(IdleKill)               // no process: slot 4 stays Free
	sb.workers[9].status.Store(uint64(NumStatus) + 3) // garbage from a rogue child
	sb.Worker(0, 1).IncrementAccess(7)
	sb.Worker(1, 1).IncrementAccess(8)

	got := sb.Tally(cur)
	want := Tally{
		Generation: cur,
		Idle:       1, Starting: 1, Busy: 2, Graceful: 1, IdleKill: 1, Other: 4, Dead: 0,
		Processes:     4,
		TotalAccesses: 2, TotalBytes: 15,
	}
	want.ByStatus[Ready] = 3
	want.ByStatus[Starting] = 2
	want.ByStatus[BusyWrite] = 1
	want.ByStatus[BusyKeepalive] = 1
	want.ByStatus[Graceful] = 1
	want.ByStatus[IdleKill] = 1
	assert.Equal(t, want, got)
	assert.Equal(t, 10, got.Idle+got.Starting+got.Busy+got.Graceful+got.IdleKill+got.Other+got.Dead)
	assert.Equal(t, 2, got.MaintenanceIdle())
	assert.Equal(t, got, sb.Snapshot().Tally(cur))

	// For the old generation the pictures swap.
	old := sb.Tally(cur - 1)
	assert.Equal(t, 1, old.Idle)
	assert.Equal(t, 0, old.Starting)
}
