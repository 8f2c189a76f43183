package status

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/scoreboard"
)

func TestCollectCountsAsApache(t *testing.T) {
	sb := newScoreboard(t, 6, 2)
	const cur = 3
	sb.Global().SetRunningGeneration(cur)
	now := time.Unix(1_800_000_000, 0)
	sb.Global().SetRestartTime(now.Add(-100 * time.Second))

	startChild(sb, 0, 100, cur, 2) // current: __ → idle 2
	startChild(sb, 1, 101, cur, 2)
	sb.Worker(1, 0).SetStatus(scoreboard.BusyWrite)     // busy
	sb.Worker(1, 1).SetStatus(scoreboard.BusyKeepalive) // busy
	startChild(sb, 2, 102, cur-1, 2)                    // old generation
	sb.Worker(2, 1).SetStatus(scoreboard.Graceful)      // graceful; its Ready slot counts nowhere
	startChild(sb, 3, 103, cur, 2)
	sb.Process(3).SetQuiescing(true)               // quiescing: Ready is not idle
	sb.Worker(3, 1).SetStatus(scoreboard.BusyRead) // but its busy slot is busy
	sb.Process(4).Reserve(cur)                     // spawning: SS, pid 0, counted nowhere
	sb.Worker(5, 0).SetStatus(scoreboard.IdleKill) // no process: counted nowhere

	rep := Collect(sb.Snapshot(), Inputs{Now: now, ThreadsPerChild: 2, ExtendedStatus: true})
	assert.Equal(t, 2, rep.Idle)
	assert.Equal(t, 3, rep.Busy)
	assert.Equal(t, 1, rep.Graceful)
	assert.Equal(t, "__WK_G_RSSI.", rep.Scoreboard)
	assert.Equal(t, "prefork", mpmName(1))
	assert.Equal(t, "worker", rep.ServerMPM)
	assert.Equal(t, uint32(100), rep.Uptime())
	require.Len(t, rep.Processes, 5, "every process slot that is not free")
	assert.Equal(t, []int{100, 101, 102, 103, 0}, []int{rep.Processes[0].Pid, rep.Processes[1].Pid, rep.Processes[2].Pid, rep.Processes[3].Pid, rep.Processes[4].Pid})
	assert.Equal(t, "_G", rep.Processes[2].Statuses)
	assert.Equal(t, 2, rep.ByStatus[scoreboard.Starting])
	assert.Equal(t, 4, rep.ByStatus[scoreboard.Ready])
}

func TestCollectTotalsAndRows(t *testing.T) {
	sb := newScoreboard(t, 3, 2)
	sb.Global().SetRunningGeneration(1)
	now := time.Unix(1_800_000_000, 0)
	sb.Global().SetRestartTime(now.Add(-72 * time.Second))
	startChild(sb, 0, 200, 1, 1)
	startChild(sb, 1, 201, 1, 1)
	start := now.Add(-10 * time.Second)
	serve(sb.Worker(0, 0), start, 40*time.Millisecond, 1000)
	serve(sb.Worker(0, 0), start, 60*time.Millisecond, 3000)
	serve(sb.Worker(1, 0), start, 1500*time.Microsecond, 24)
	sb.Worker(0, 0).SetCPU(550*time.Millisecond, 120*time.Millisecond)
	sb.Worker(1, 0).SetCPU(10*time.Millisecond, 0)
	sb.Worker(1, 1).SetCPU(30*time.Millisecond, 5*time.Millisecond) // a disabled slot: still the process's times

	rep := Collect(sb.Snapshot(), Inputs{Now: now, ThreadsPerChild: 1, ExtendedStatus: true})
	assert.Equal(t, "__.", rep.Scoreboard, "threads beyond ThreadsPerChild that are dead are not shown")
	assert.Equal(t, uint64(3), rep.TotalAccesses)
	assert.Equal(t, uint64(4024), rep.TotalBytes)
	assert.Equal(t, uint64(3), rep.TotalKBytes())
	assert.Equal(t, int64(101), rep.TotalDurationMs())
	assert.Equal(t, 550*time.Millisecond+30*time.Millisecond, rep.CPU.User, "largest per process, summed")
	assert.Equal(t, 125*time.Millisecond, rep.CPU.System)
	require.Len(t, rep.Workers, 2, "slots that served or are busy")
	w := rep.Workers[0]
	assert.Equal(t, []uint64{0, 2, 2}, []uint64{w.ConnAccesses, w.ChildAccesses, w.SlotAccesses})
	assert.Equal(t, 200, w.Pid)
	assert.Equal(t, 60*time.Millisecond, w.RequestTime)
	assert.Equal(t, 100*time.Millisecond, w.Duration)
	assert.Equal(t, 10*time.Second, w.SinceRequest)
	assert.Equal(t, "GET /x HTTP/1.1", w.Request)

	load, ok := rep.CPULoad()
	require.True(t, ok)
	assert.Equal(t, ".972222", g(load), "58 + 12 ticks over 72 s")
	assert.Equal(t, ".0416667", g(rep.ReqPerSec()))
}

func TestCollectEmptyScoreboard(t *testing.T) {
	sb := newScoreboard(t, 2, 1)
	rep := Collect(sb.Snapshot(), Inputs{})
	assert.Equal(t, "..", rep.Scoreboard)
	assert.Zero(t, rep.Uptime(), "no restart time")
	assert.Zero(t, rep.ReqPerSec())
	assert.Zero(t, rep.BytesPerReq())
	_, ok := rep.CPULoad()
	assert.False(t, ok)
	assert.Empty(t, rep.Processes)
}

func BenchmarkCollect(b *testing.B) {
	sb := newScoreboard(b, 256, 4)
	for slot := 0; slot < 64; slot++ {
		startChild(sb, slot, 1000+slot, 1, 4)
	}
	b.ReportAllocs()
	for b.Loop() {
		Collect(sb.Snapshot(), Inputs{ThreadsPerChild: 4, ExtendedStatus: true})
	}
}
