package status

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gohttpd/scoreboard"
)

func newScoreboard(t testing.TB, serverLimit, threadLimit int) *scoreboard.Scoreboard {
	t.Helper()
	sb, err := scoreboard.Create(serverLimit, threadLimit)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, sb.Close()) })
	return sb
}

// startChild marks process slot as running pid of generation gen, its
// first threads bound and Ready and the others Dead.
func startChild(sb *scoreboard.Scoreboard, slot, pid int, gen int64, threads int) {
	p := sb.Process(slot)
	p.Reserve(gen)
	p.SetPid(pid)
	for th := 0; th < sb.ThreadLimit(); th++ {
		w := sb.Worker(slot, th)
		if th >= threads {
			w.SetStatus(scoreboard.Dead)
			continue
		}
		w.Bind(pid, th, gen)
		w.SetStatus(scoreboard.Ready)
	}
}

// serve records one finished request of n bytes taking d on a worker.
func serve(w scoreboard.Worker, start time.Time, d time.Duration, n int64) {
	w.SetStatus(scoreboard.BusyRead)
	w.StartRequest(start)
	w.SetRequest("192.0.2.7", "www.example.com:80", "GET /x HTTP/1.1", "http/1.1")
	w.SetStatus(scoreboard.BusyWrite)
	w.IncrementAccess(n)
	w.StopRequest(start.Add(d))
	w.SetStatus(scoreboard.Ready)
}
