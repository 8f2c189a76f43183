package status

import (
	"strings"
	"time"

	"gohttpd/scoreboard"
)

// Report is one reading of the scoreboard with everything the status
// formats print. Collect builds it; WriteHTML, WriteAuto, WriteJSON and
// WriteMetrics render it.
type Report struct {
	// ServerName is the name the request addressed (Apache's
	// ap_get_server_name), the first line of ?auto.
	ServerName string
	// LocalAddr is the address the request came in on ("via" in the
	// HTML heading).
	LocalAddr     string
	ServerVersion string    // "gohttpd/0.1.0"
	ServerMPM     string    // "prefork" (ThreadsPerChild 1) or "worker"
	ServerBuilt   time.Time // when the binary was built
	CurrentTime   time.Time
	RestartTime   time.Time // last start or restart of any kind
	StartTime     time.Time // when the master started
	RestartCount  uint64    // restarts since StartTime

	// ConfigGeneration is the configuration generation of the child
	// answering; MPMGeneration the generation children should be of.
	ConfigGeneration int64
	MPMGeneration    int64
	MasterPid        int

	// Load holds the 1, 5 and 15 minute load averages; -1 when unknown.
	Load [3]float64

	// ExtendedStatus says whether totals and the per-worker table are
	// shown (the ExtendedStatus directive).
	ExtendedStatus bool

	ServerLimit     int
	ThreadLimit     int
	ThreadsPerChild int

	// Totals over the worker slots (see the package documentation).
	TotalAccesses uint64
	TotalBytes    uint64
	TotalDuration time.Duration
	CPU           CPUTimes

	// Worker counts, by Apache's rules.
	Busy, Graceful, Idle int

	// Scoreboard holds one status letter per worker slot, slot-major;
	// slots beyond ThreadsPerChild that are Dead are left out, as Apache
	// leaves out slots above its limits.
	Scoreboard string
	// ByStatus counts the slots by status, whatever their generation.
	ByStatus [scoreboard.NumStatus]int

	// Processes lists the process slots that hold a process.
	Processes []Process
	// Workers lists the worker slots of the extended table: those that
	// served a request or are neither Ready nor Dead.
	Workers []Worker

	// History holds the master's samples, oldest first, one per second.
	History []scoreboard.Sample
}

// CPUTimes are CPU times, as Apache's struct tms.
type CPUTimes struct {
	User, System, ChildrenUser, ChildrenSystem time.Duration
}

// Total returns the sum of the four times.
func (c CPUTimes) Total() time.Duration {
	return c.User + c.System + c.ChildrenUser + c.ChildrenSystem
}

// Process is one child process on the scoreboard.
type Process struct {
	Slot         int
	Pid          int
	Generation   int64
	State        scoreboard.ProcState
	Quiescing    bool
	NotAccepting bool
	// Connections is the number of connections the process holds open.
	Connections int64
	CPU         CPUTimes
	// Statuses holds the letters of the process's worker slots.
	Statuses string
}

// Worker is one row of the extended per-worker table.
type Worker struct {
	Slot, Thread int
	Status       scoreboard.Status
	Pid          int   // 0 when the slot is Dead
	Generation   int64 // generation of the process that last used the slot

	// Accesses and bytes on the current connection, by the current
	// child, and by the slot over its lifetime.
	ConnAccesses, ChildAccesses, SlotAccesses uint64
	ConnBytes, ChildBytes, SlotBytes          uint64

	// CPUUser and CPUSystem are the CPU times of the slot's child, as
	// recorded in the slot.
	CPUUser, CPUSystem time.Duration
	// SinceRequest is the time since the most recent request began (SS).
	SinceRequest time.Duration
	// RequestTime is how long the most recent finished request took (Req);
	// 0 while one is in progress.
	RequestTime time.Duration
	// Duration is the time spent in requests, summed (Dur).
	Duration time.Duration

	scoreboard.RequestInfo
}

// Inputs are the facts about the server that the scoreboard does not hold.
type Inputs struct {
	ServerName       string
	LocalAddr        string
	ServerVersion    string
	ServerBuilt      time.Time
	Now              time.Time
	ConfigGeneration int64
	ThreadsPerChild  int
	Load             [3]float64
	ExtendedStatus   bool
	// MasterPid is the pid of the master process (the "parent server").
	MasterPid int
}

// Collect turns a scoreboard snapshot into a Report, counting as Apache's
// mod_status does (see the package documentation).
func Collect(s scoreboard.Snapshot, in Inputs) *Report {
	gl := s.Global
	threads := in.ThreadsPerChild
	if threads < 1 || threads > gl.ThreadLimit {
		threads = gl.ThreadLimit
	}
	rep := &Report{
		ServerName:       in.ServerName,
		LocalAddr:        in.LocalAddr,
		ServerVersion:    in.ServerVersion,
		ServerMPM:        mpmName(threads),
		ServerBuilt:      in.ServerBuilt,
		CurrentTime:      in.Now,
		RestartTime:      gl.RestartTime,
		StartTime:        gl.StartTime,
		RestartCount:     gl.RestartCount,
		ConfigGeneration: in.ConfigGeneration,
		MPMGeneration:    gl.RunningGeneration,
		MasterPid:        in.MasterPid,
		Load:             in.Load,
		ExtendedStatus:   in.ExtendedStatus,
		ServerLimit:      gl.ServerLimit,
		ThreadLimit:      gl.ThreadLimit,
		ThreadsPerChild:  threads,
		History:          s.History,
	}
	var letters strings.Builder
	letters.Grow(len(s.Processes) * gl.ThreadLimit)
	for slot, p := range s.Processes {
		live := p.Pid != 0
		var cpu CPUTimes
		mark := letters.Len()
		for _, w := range s.Workers[slot] {
			st := w.Status
			if w.Thread >= threads && st == scoreboard.Dead {
				// Apache's SERVER_DISABLED: not shown.
			} else {
				letters.WriteByte(st.Letter())
			}
			if st.Valid() {
				rep.ByStatus[st]++
			}
			if live {
				rep.count(st, p, gl.RunningGeneration)
			}
			if live {
				// The child records its process's times in one of its
				// slots: take the largest, whatever the slot's state.
				cpu.User = max(cpu.User, w.CPUUser)
				cpu.System = max(cpu.System, w.CPUSystem)
			}
			if w.AccessCount == 0 && (st == scoreboard.Ready || st == scoreboard.Dead) {
				continue
			}
			rep.TotalAccesses += w.AccessCount
			rep.TotalBytes += w.BytesServed
			rep.TotalDuration += w.Duration
			rep.Workers = append(rep.Workers, workerRow(w, p, in.Now))
		}
		rep.CPU.User += cpu.User
		rep.CPU.System += cpu.System
		if live || p.State != scoreboard.ProcFree {
			rep.Processes = append(rep.Processes, Process{
				Slot: slot, Pid: p.Pid, Generation: p.Generation, State: p.State,
				Quiescing: p.Quiescing, NotAccepting: p.NotAccepting, Connections: p.Connections, CPU: cpu,
				Statuses: letters.String()[mark:],
			})
		}
	}
	rep.Scoreboard = letters.String()
	return rep
}

// count applies Apache's rules to one worker slot of a live process.
func (rep *Report) count(st scoreboard.Status, p scoreboard.ProcessInfo, gen int64) {
	switch {
	case st == scoreboard.Ready:
		if p.Generation == gen && !p.Quiescing {
			rep.Idle++
		}
	case st == scoreboard.Graceful:
		rep.Graceful++
	case st.Busy():
		rep.Busy++
	}
}

func workerRow(w scoreboard.WorkerInfo, p scoreboard.ProcessInfo, now time.Time) Worker {
	row := Worker{
		Slot: w.Slot, Thread: w.Thread, Status: w.Status,
		Pid: w.Pid, Generation: w.Generation,
		ConnAccesses: w.ConnCount, ChildAccesses: w.MyAccessCount, SlotAccesses: w.AccessCount,
		ConnBytes: w.ConnBytes, ChildBytes: w.MyBytesServed, SlotBytes: w.BytesServed,
		CPUUser:     w.CPUUser,
		CPUSystem:   w.CPUSystem,
		Duration:    w.Duration,
		RequestInfo: w.RequestInfo,
	}
	if row.Pid == 0 {
		row.Pid, row.Generation = p.Pid, p.Generation
	}
	if w.Status == scoreboard.Dead {
		row.Pid = 0
	}
	if !w.StartTime.IsZero() {
		row.SinceRequest = max(now.Sub(w.StartTime), 0)
		row.RequestTime = max(w.StopTime.Sub(w.StartTime), 0)
	}
	return row
}

// mpmName names the process model as Apache's MPMs: one thread per child
// is prefork, more is worker.
func mpmName(threadsPerChild int) string {
	if threadsPerChild <= 1 {
		return "prefork"
	}
	return "worker"
}

// Uptime returns the whole seconds since RestartTime, as Apache's
// up_time (which is since the last restart, not since the start).
func (rep *Report) Uptime() uint32 {
	if rep.RestartTime.IsZero() || rep.CurrentTime.Before(rep.RestartTime) {
		return 0
	}
	return uint32(rep.CurrentTime.Sub(rep.RestartTime) / time.Second)
}

// TotalKBytes returns TotalBytes in whole kilobytes (Apache's kbcount).
func (rep *Report) TotalKBytes() uint64 { return rep.TotalBytes / kbyte }

// TotalDurationMs returns TotalDuration in whole milliseconds.
func (rep *Report) TotalDurationMs() int64 { return rep.TotalDuration.Milliseconds() }

// The rates below are computed in single precision from the same rounded
// quantities as Apache, so that ?auto prints the digits Apache would.

// ReqPerSec returns requests per second of uptime (0 when uptime is 0).
func (rep *Report) ReqPerSec() float64 {
	up := rep.Uptime()
	if up == 0 {
		return 0
	}
	return float64(float32(rep.TotalAccesses) / float32(up))
}

// BytesPerSec returns bytes per second of uptime, from whole kilobytes.
func (rep *Report) BytesPerSec() float64 {
	up := rep.Uptime()
	if up == 0 {
		return 0
	}
	return float64(kbyte * float32(rep.TotalKBytes()) / float32(up))
}

// BytesPerReq returns bytes per request, from whole kilobytes.
func (rep *Report) BytesPerReq() float64 {
	if rep.TotalAccesses == 0 {
		return 0
	}
	return float64(kbyte * float32(rep.TotalKBytes()) / float32(rep.TotalAccesses))
}

// DurationPerReq returns milliseconds per request.
func (rep *Report) DurationPerReq() float64 {
	if rep.TotalAccesses == 0 {
		return 0
	}
	return float64(float32(rep.TotalDurationMs()) / float32(rep.TotalAccesses))
}

// ticksPerSecond is the clock tick Apache divides times(2) values by.
const ticksPerSecond = 100

// ticks truncates d to clock ticks, as times(2) reports it.
func ticks(d time.Duration) int64 { return int64(d / (time.Second / ticksPerSecond)) }

// cpuSeconds converts d as Apache's "clock_t / tick" does.
func cpuSeconds(d time.Duration) float64 {
	return float64(float32(ticks(d)) / ticksPerSecond)
}

// CPULoad returns the CPU time used as a percentage of the uptime
// (Apache's CPULoad), and false when no CPU time was recorded or the
// uptime is still 0 (where Apache prints "inf", which breaks the tools
// that read the number).
func (rep *Report) CPULoad() (float64, bool) {
	t := ticks(rep.CPU.User) + ticks(rep.CPU.System) + ticks(rep.CPU.ChildrenUser) + ticks(rep.CPU.ChildrenSystem)
	if t == 0 || rep.Uptime() == 0 {
		return 0, false
	}
	return float64(float32(t)/ticksPerSecond/float32(rep.Uptime())) * 100, true
}

// unixSeconds returns t in seconds since the Unix epoch, 0 for the zero
// time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
