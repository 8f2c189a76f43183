package scoreboard

// Snapshot is a plain copy of the whole scoreboard, for status pages and
// tests. It holds no reference into the mapping. Every value was read
// atomically and each worker's strings together, but the copy is taken
// field by field while the server runs, so it is consistent only per
// field: totals may be off by the requests that completed during the copy.
type Snapshot struct {
	Global    GlobalInfo
	Processes []ProcessInfo  // one per process slot
	Workers   [][]WorkerInfo // [process slot][thread slot]
	History   []Sample       // oldest first
}

// Snapshot copies the scoreboard.
func (sb *Scoreboard) Snapshot() Snapshot {
	s := Snapshot{
		Global:    sb.Global().Load(),
		Processes: make([]ProcessInfo, sb.l.serverLimit),
		Workers:   make([][]WorkerInfo, sb.l.serverLimit),
		History:   sb.Global().History(),
	}
	all := make([]WorkerInfo, sb.l.serverLimit*sb.l.threadLimit)
	for slot := range s.Processes {
		s.Processes[slot] = sb.Process(slot).Load()
		ws := all[slot*sb.l.threadLimit : (slot+1)*sb.l.threadLimit]
		for t := range ws {
			ws[t] = sb.Worker(slot, t).Load()
		}
		s.Workers[slot] = ws
	}
	return s
}

// Tally counts worker slots by status relative to one generation, the
// numbers idle maintenance, the status page and systemd's STATUS= line use.
// The fields Idle, Starting, Busy, Graceful, IdleKill, Other and Dead
// partition the slots: each slot is counted in exactly one of them.
type Tally struct {
	// Generation is the generation the tally was taken for.
	Generation int64

	// Idle counts Ready slots whose process is of Generation and not
	// quiescing.
	Idle int
	// Starting counts Starting slots whose process is of Generation and not
	// quiescing. Idle maintenance treats them as idle (see MaintenanceIdle).
	Starting int
	// Busy counts slots handling a connection (BusyRead, BusyWrite,
	// BusyKeepalive, BusyLog, BusyDNS, Closing), of any generation.
	Busy int
	// Graceful counts Graceful slots of any generation: old workers
	// finishing a request before they exit.
	Graceful int
	// IdleKill counts IdleKill slots of any generation.
	IdleKill int
	// Other counts Ready and Starting slots of another generation or of a
	// quiescing process (on their way out), and slots holding an undefined
	// status.
	Other int
	// Dead counts Dead slots.
	Dead int

	// ByStatus counts every slot by its status, whatever its generation;
	// slots with an undefined status are left out.
	ByStatus [NumStatus]int
	// Processes counts process slots that are not ProcFree.
	Processes int
	// TotalAccesses and TotalBytes sum AccessCount and BytesServed over all
	// worker slots.
	TotalAccesses uint64
	TotalBytes    uint64
}

// MaintenanceIdle returns the number of slots idle maintenance counts as
// idle: Idle plus Starting (Apache prefork's rule).
func (t Tally) MaintenanceIdle() int { return t.Idle + t.Starting }

// add counts one worker slot whose process is of generation procGen.
func (t *Tally) add(s Status, procGen int64, quiescing bool, accesses, bytes uint64) {
	t.TotalAccesses += accesses
	t.TotalBytes += bytes
	if s.Valid() {
		t.ByStatus[s]++
	}
	current := procGen == t.Generation && !quiescing
	switch {
	case s == Dead:
		t.Dead++
	case s == Ready && current:
		t.Idle++
	case s == Starting && current:
		t.Starting++
	case s.Busy():
		t.Busy++
	case s == Graceful:
		t.Graceful++
	case s == IdleKill:
		t.IdleKill++
	default:
		t.Other++
	}
}

// Tally counts the live scoreboard's worker slots for generation gen
// (normally Global().RunningGeneration()). It does not allocate.
func (sb *Scoreboard) Tally(gen int64) Tally {
	t := Tally{Generation: gen}
	for slot := range sb.procs {
		p := &sb.procs[slot]
		if ProcState(p.state.Load()) != ProcFree {
			t.Processes++
		}
		procGen, quiescing := p.generation.Load(), p.quiescing.Load() != 0
		ws := sb.workers[slot*sb.l.threadLimit : (slot+1)*sb.l.threadLimit]
		for i := range ws {
			w := &ws[i]
			t.add(Status(w.status.Load()), procGen, quiescing, w.accessCount.Load(), w.bytesServed.Load())
		}
	}
	return t
}

// Tally counts the snapshot's worker slots for generation gen, with the
// same rules as Scoreboard.Tally.
func (s Snapshot) Tally(gen int64) Tally {
	t := Tally{Generation: gen}
	for slot, p := range s.Processes {
		if p.State != ProcFree {
			t.Processes++
		}
		for _, w := range s.Workers[slot] {
			t.add(w.Status, p.Generation, p.Quiescing, w.AccessCount, w.BytesServed)
		}
	}
	return t
}
