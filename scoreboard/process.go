package scoreboard

import "strconv"

// ProcState is the master's bookkeeping state of a process slot.
type ProcState uint32

// The process slot states. Only the master changes them.
const (
	ProcFree     ProcState = 0 // no child: the slot can be reserved
	ProcStarting ProcState = 1 // reserved; the child is being spawned
	ProcRunning  ProcState = 2 // the child's pid is recorded and it runs
	ProcStopping ProcState = 3 // the master asked the child to exit and awaits its reaping
)

var procStateNames = [...]string{"Free", "Starting", "Running", "Stopping"}

// String returns the name of s ("Free", "Running", …).
func (s ProcState) String() string {
	if int(s) < len(procStateNames) {
		return procStateNames[s]
	}
	return "ProcState(" + strconv.FormatUint(uint64(s), 10) + ")"
}

// Process is the handle on one process slot. The master writes it; the
// child of the slot may set its own Quiescing and NotAccepting flags and
// keeps its count of open connections. The zero Process is not usable:
// get one from Scoreboard.Process.
type Process struct {
	sb   *Scoreboard
	rec  *processRecord
	slot int
}

// ProcessInfo is a copy of a process record.
type ProcessInfo struct {
	Slot         int
	State        ProcState
	Pid          int
	Generation   int64
	Quiescing    bool // the child is going down gracefully
	NotAccepting bool // the child no longer accepts new connections
	// Connections is the number of connections the child holds open,
	// whether a request is in progress on them or not (Apache's event
	// MPM counts them in its process_score too).
	Connections int64
}

// Slot returns the index of the process slot.
func (p Process) Slot() int { return p.slot }

// Reserve claims the slot for a child of generation gen that the master is
// about to spawn: state ProcStarting, pid 0, flags cleared, and every worker
// slot of the process Starting, so that idle maintenance counts them before
// the child runs. Worker statistics kept across restarts are untouched.
func (p Process) Reserve(gen int64) {
	r := p.rec
	r.pid.Store(0)
	r.generation.Store(gen)
	r.quiescing.Store(0)
	r.notAccepting.Store(0)
	r.connections.Store(0)
	for t := range p.sb.l.threadLimit {
		p.sb.Worker(p.slot, t).SetStatus(Starting)
	}
	r.state.Store(uint64(ProcStarting))
}

// SetPid records the pid of the child spawned into the slot and marks the
// slot ProcRunning.
func (p Process) SetPid(pid int) {
	p.rec.pid.Store(int64(pid))
	p.rec.state.Store(uint64(ProcRunning))
}

// Release frees the slot after its child exited (or failed to start): every
// worker slot of the process goes Dead (which, as in Apache, zeroes its
// per-child and per-connection counters), and the record is cleared to
// ProcFree.
func (p Process) Release() {
	for t := range p.sb.l.threadLimit {
		p.sb.Worker(p.slot, t).SetStatus(Dead)
	}
	r := p.rec
	r.pid.Store(0)
	r.generation.Store(0)
	r.quiescing.Store(0)
	r.notAccepting.Store(0)
	r.connections.Store(0)
	r.state.Store(uint64(ProcFree))
}

// State returns the slot's state.
func (p Process) State() ProcState { return ProcState(p.rec.state.Load()) }

// SetState sets the slot's state (master only).
func (p Process) SetState(s ProcState) { p.rec.state.Store(uint64(s)) }

// Pid returns the pid of the slot's child, or 0.
func (p Process) Pid() int { return int(p.rec.pid.Load()) }

// Generation returns the generation of the slot's child.
func (p Process) Generation() int64 { return p.rec.generation.Load() }

// Quiescing reports whether the slot's child is going down gracefully.
func (p Process) Quiescing() bool { return p.rec.quiescing.Load() != 0 }

// SetQuiescing sets the quiescing flag.
func (p Process) SetQuiescing(v bool) { p.rec.quiescing.Store(b2u(v)) }

// NotAccepting reports whether the slot's child stopped accepting
// connections.
func (p Process) NotAccepting() bool { return p.rec.notAccepting.Load() != 0 }

// SetNotAccepting sets the not-accepting flag.
func (p Process) SetNotAccepting(v bool) { p.rec.notAccepting.Store(b2u(v)) }

// Connections returns the number of connections the slot's child holds
// open.
func (p Process) Connections() int64 { return p.rec.connections.Load() }

// AddConnections adds delta (1 when the child accepts a connection, -1
// when one closes) to the child's count of open connections.
func (p Process) AddConnections(delta int64) { p.rec.connections.Add(delta) }

// Load returns a copy of the process record; each field is read atomically.
func (p Process) Load() ProcessInfo {
	return ProcessInfo{
		Slot:         p.slot,
		State:        p.State(),
		Pid:          p.Pid(),
		Generation:   p.Generation(),
		Quiescing:    p.Quiescing(),
		NotAccepting: p.NotAccepting(),
		Connections:  p.Connections(),
	}
}

func (r *processRecord) reset() {
	r.state.Store(0)
	r.pid.Store(0)
	r.generation.Store(0)
	r.quiescing.Store(0)
	r.notAccepting.Store(0)
	r.connections.Store(0)
}

func b2u(v bool) uint64 {
	if v {
		return 1
	}
	return 0
}
