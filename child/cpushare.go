package child

import (
	"os"
	"runtime"

	"gohttpd/scoreboard"
)

// cpuShare sizes the child's Go runtime to its share of the machine. Each
// child is a Go process with its own scheduler: if every child ran one Go
// processor per CPU, a handful of children would keep several times as
// many threads runnable as there are CPUs, and the runtime would spend its
// time waking and parking them. So a child takes the CPUs the runtime
// found at start (its cgroup-aware default) divided among the children of
// its generation, rounded up, and never more than its worker threads:
// one child alone uses every CPU, N children on N CPUs run one processor
// each, as nginx's workers do.
//
// A child that serves inline (one worker, one listener: see Server.Serve)
// runs at least two processors however many children there are. Its
// connection goroutine waits in blocking system calls, and the runtime's
// monitor takes the processor from a goroutine in a system call whenever
// no other processor is idle, waking another thread to hold it; with a
// second, idle processor it leaves the waiting goroutine alone.
//
// An explicit GOMAXPROCS turns this off.
type cpuShare struct {
	sb      *scoreboard.Scoreboard
	gen     int64
	threads int
	cpus    int
	floor   int // the fewest processors, whatever the share
	fixed   bool
}

func newCPUShare(sb *scoreboard.Scoreboard, gen int64, threads int, inline bool) *cpuShare {
	c := &cpuShare{sb: sb, gen: gen, threads: max(1, threads), cpus: runtime.GOMAXPROCS(0), floor: 1,
		fixed: os.Getenv("GOMAXPROCS") != ""}
	if inline {
		c.floor = 2
	}
	return c
}

// want returns the processors a child should run with when children of
// its generation are alive.
func (c *cpuShare) want(children int) int {
	children = max(1, children)
	return max(c.floor, min(c.threads, (c.cpus+children-1)/children))
}

// update counts the generation's live children on the scoreboard and
// resizes the runtime when its share changed.
func (c *cpuShare) update() {
	if c.fixed {
		return
	}
	children := 0
	for slot := range c.sb.ServerLimit() {
		p := c.sb.Process(slot)
		st := p.State()
		if p.Generation() == c.gen && (st == scoreboard.ProcRunning || st == scoreboard.ProcStarting) && !p.Quiescing() {
			children++
		}
	}
	if n := c.want(children); n != runtime.GOMAXPROCS(0) {
		runtime.GOMAXPROCS(n)
	}
}
