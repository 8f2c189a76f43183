package scoreboard

import (
	"sync/atomic"
	"time"
)

// Worker is the handle on one worker slot. The worker goroutine (or
// prefork child) that owns the slot is its only writer, except that the
// master sets the Status of slots whose process is not running (see
// Process.Reserve and Process.Release) and Reset zeroes it. The zero Worker
// is not usable: get one from Scoreboard.Worker.
type Worker struct {
	rec          *workerRecord
	slot, thread int
}

// RequestInfo holds the strings a worker publishes about its current or
// last request. Values longer than the fields' capacities (ClientSize,
// VHostSize, RequestSize, ProtocolSize) are cut.
type RequestInfo struct {
	Client   string // client address (or host name)
	VHost    string // virtual host serving the request, e.g. "www.example.com:80"
	Request  string // request line, e.g. "GET /index.html HTTP/1.1"
	Protocol string // protocol, e.g. "http/1.1"
}

// WorkerInfo is a copy of a worker record.
type WorkerInfo struct {
	Slot, Thread  int
	Status        Status
	Pid           int
	TID           int
	Generation    int64
	AccessCount   uint64        // requests served by the slot, across children and graceful restarts
	BytesServed   uint64        // bytes served by the slot, likewise
	MyAccessCount uint64        // requests served by the slot's current child
	MyBytesServed uint64        // bytes served by the slot's current child
	ConnCount     uint64        // requests served on the current connection
	ConnBytes     uint64        // bytes served on the current connection
	StartTime     time.Time     // start of the current or last request; zero if none
	StopTime      time.Time     // end of the last request; zero if none
	LastUsed      time.Time     // last change to Ready or Dead; zero if none
	Duration      time.Duration // time spent in requests, summed
	CPUUser       time.Duration // user CPU time of the slot's child (see SetCPU)
	CPUSystem     time.Duration // system CPU time of the slot's child
	RequestInfo
}

// Slot returns the worker's process slot.
func (w Worker) Slot() int { return w.slot }

// Thread returns the worker's thread slot within its process slot.
func (w Worker) Thread() int { return w.thread }

// Bind records the process and thread now owning the slot and their
// generation. A child calls it for each of its worker slots before marking
// them Ready.
func (w Worker) Bind(pid, tid int, gen int64) {
	w.rec.pid.Store(int64(pid))
	w.rec.tid.Store(int64(tid))
	w.rec.generation.Store(gen)
}

// SetStatus sets the worker's status and returns the previous one. As in
// Apache, changing to Ready or Dead zeroes the per-connection counters and
// records the time in LastUsed; changing to Dead also zeroes the per-child
// counters and CPU times, so that a new child in the slot starts them over.
func (w Worker) SetStatus(s Status) Status {
	if s != Ready && s != Dead {
		return Status(w.rec.status.Swap(uint64(s)))
	}
	return w.SetStatusAt(s, time.Now())
}

// SetStatusAt is SetStatus with the time to record in LastUsed.
func (w Worker) SetStatusAt(s Status, now time.Time) Status {
	r := w.rec
	old := Status(r.status.Swap(uint64(s)))
	if s == Ready || s == Dead {
		if s == Dead {
			r.myAccessCount.Store(0)
			r.myBytesServed.Store(0)
			r.cpuUser.Store(0)
			r.cpuSystem.Store(0)
		}
		r.connCount.Store(0)
		r.connBytes.Store(0)
		r.lastUsed.Store(now.UnixMicro())
	}
	return old
}

// Status returns the worker's status.
func (w Worker) Status() Status { return Status(w.rec.status.Load()) }

// Pid returns the pid bound to the slot.
func (w Worker) Pid() int { return int(w.rec.pid.Load()) }

// Generation returns the generation bound to the slot.
func (w Worker) Generation() int64 { return w.rec.generation.Load() }

// StartRequest records t as the start of a request.
func (w Worker) StartRequest(t time.Time) { w.rec.startTime.Store(t.UnixMicro()) }

// StopRequest records t as the end of the request begun by StartRequest and
// adds its duration to the worker's total.
func (w Worker) StopRequest(t time.Time) {
	r := w.rec
	stop := t.UnixMicro()
	r.stopTime.Store(stop)
	if start := r.startTime.Load(); start > 0 && stop > start {
		r.duration.Add(stop - start)
	}
}

// IncrementAccess counts one served request of n bytes in the slot's,
// the child's and the connection's counters (Apache's
// ap_increment_counts). A negative n counts as 0.
func (w Worker) IncrementAccess(n int64) {
	r := w.rec
	b := uint64(max(n, 0))
	r.accessCount.Add(1)
	r.bytesServed.Add(b)
	r.myAccessCount.Add(1)
	r.myBytesServed.Add(b)
	r.connCount.Add(1)
	r.connBytes.Add(b)
}

// SetCPU records the CPU times of the slot's child process (for example
// from getrusage). Go cannot tell threads apart, so a child records its
// process's times in one of its slots, and readers sum them per process.
func (w Worker) SetCPU(user, system time.Duration) {
	w.rec.cpuUser.Store(int64(user))
	w.rec.cpuSystem.Store(int64(system))
}

// SetRequest publishes the client address, virtual host, request line and
// protocol of the worker's current request, each cut to its capacity.
// Readers see either the old four values or the new four, never a mix.
// It does not allocate.
func (w Worker) SetRequest(client, vhost, request, protocol string) {
	client = truncate(client, ClientSize)
	vhost = truncate(vhost, VHostSize)
	request = truncate(request, RequestSize)
	protocol = truncate(protocol, ProtocolSize)
	r := w.rec
	seq := beginWrite(&r.strSeq)
	storeString(r.client[:], client)
	storeString(r.vhost[:], vhost)
	storeString(r.request[:], request)
	storeString(r.protocol[:], protocol)
	r.strLens.Store(packLens(len(client), len(vhost), len(request), len(protocol)))
	endWrite(&r.strSeq, seq)
}

// Request returns the strings last published with SetRequest. If the
// writer is active through every one of a bounded number of attempts (or
// died in the middle of a write) it returns the zero RequestInfo: never a
// torn value.
func (w Worker) Request() RequestInfo {
	r := w.rec
	var client [ClientSize]byte
	var vhost [VHostSize]byte
	var request [RequestSize]byte
	var protocol [ProtocolSize]byte
	for range maxReadAttempts {
		seq, ok := readBegin(&r.strSeq)
		if !ok {
			continue
		}
		nc, nv, nr, np := unpackLens(r.strLens.Load())
		c := loadBytes(client[:], r.client[:], nc)
		v := loadBytes(vhost[:], r.vhost[:], nv)
		q := loadBytes(request[:], r.request[:], nr)
		p := loadBytes(protocol[:], r.protocol[:], np)
		if readEnd(&r.strSeq, seq) {
			return RequestInfo{Client: string(c), VHost: string(v), Request: string(q), Protocol: string(p)}
		}
	}
	return RequestInfo{}
}

// Load returns a copy of the worker record. Each integer is read
// atomically and the strings together (see Request); the record as a whole
// is not a snapshot of one instant.
func (w Worker) Load() WorkerInfo {
	r := w.rec
	return WorkerInfo{
		Slot:          w.slot,
		Thread:        w.thread,
		Status:        w.Status(),
		Pid:           w.Pid(),
		TID:           int(r.tid.Load()),
		Generation:    w.Generation(),
		AccessCount:   r.accessCount.Load(),
		BytesServed:   r.bytesServed.Load(),
		MyAccessCount: r.myAccessCount.Load(),
		MyBytesServed: r.myBytesServed.Load(),
		ConnCount:     r.connCount.Load(),
		ConnBytes:     r.connBytes.Load(),
		StartTime:     fromMicros(r.startTime.Load()),
		StopTime:      fromMicros(r.stopTime.Load()),
		LastUsed:      fromMicros(r.lastUsed.Load()),
		Duration:      time.Duration(r.duration.Load()) * time.Microsecond,
		CPUUser:       time.Duration(r.cpuUser.Load()),
		CPUSystem:     time.Duration(r.cpuSystem.Load()),
		RequestInfo:   w.Request(),
	}
}

// reset zeroes the record (see Scoreboard.Reset).
func (r *workerRecord) reset() {
	r.status.Store(uint64(Dead))
	r.pid.Store(0)
	r.tid.Store(0)
	r.generation.Store(0)
	r.accessCount.Store(0)
	r.bytesServed.Store(0)
	r.myAccessCount.Store(0)
	r.myBytesServed.Store(0)
	r.connCount.Store(0)
	r.connBytes.Store(0)
	r.startTime.Store(0)
	r.stopTime.Store(0)
	r.lastUsed.Store(0)
	r.duration.Store(0)
	r.cpuUser.Store(0)
	r.cpuSystem.Store(0)
	seq := beginWrite(&r.strSeq)
	for _, words := range [][]atomic.Uint64{r.client[:], r.vhost[:], r.request[:], r.protocol[:]} {
		for i := range words {
			words[i].Store(0)
		}
	}
	r.strLens.Store(0)
	endWrite(&r.strSeq, seq)
}
