package scoreboard

import (
	"sync/atomic"
	"unsafe"
)

// The mapping is laid out as
//
//	header | global record | process records [ServerLimit] | worker records [ServerLimit*ThreadLimit]
//
// Every region starts on a 64-byte boundary and every record is a whole
// number of 64-byte cache lines, so two workers never share a cache line.
// Every field is an 8-byte word (atomic.Uint64 or atomic.Int64), accessed
// only with sync/atomic; strings are arrays of such words guarded by a
// sequence counter. The records hold no Go pointers.

const (
	// magic is "GOHTTPSB" read as a little-endian word.
	magic uint64 = 0x425350545448_4f47

	// LayoutVersion is the version of the layout this package reads and
	// writes. Open refuses a mapping with a different version.
	LayoutVersion = 2

	// HistorySize is the number of samples the global history ring keeps:
	// at one sample per master tick (1 s), 12 minutes.
	HistorySize = 720

	// The capacities in bytes of the worker's string fields. Longer values
	// are cut at a UTF-8 boundary.
	ClientSize   = 64
	VHostSize    = 64
	RequestSize  = 256
	ProtocolSize = 16

	// MaxServerLimit and MaxThreadLimit bound Create's arguments (Apache's
	// prefork and worker MPMs' compiled-in limits).
	MaxServerLimit = 200000
	MaxThreadLimit = 100000

	// maxWorkers bounds ServerLimit*ThreadLimit so the mapping stays under
	// about 2.5 GiB.
	maxWorkers = 1 << 22

	cacheLine = 64
)

// Each record type is its fields followed by the padding (computed as a
// constant) that rounds it up to whole cache lines.
const (
	headerPad  = (cacheLine - unsafe.Sizeof(headerFields{})%cacheLine) % cacheLine
	globalPad  = (cacheLine - unsafe.Sizeof(globalFields{})%cacheLine) % cacheLine
	processPad = (cacheLine - unsafe.Sizeof(processFields{})%cacheLine) % cacheLine
	workerPad  = (cacheLine - unsafe.Sizeof(workerFields{})%cacheLine) % cacheLine
)

type headerFields struct {
	magic       atomic.Uint64
	version     atomic.Uint64
	serverLimit atomic.Uint64
	threadLimit atomic.Uint64
	historySize atomic.Uint64
	globalSize  atomic.Uint64
	processSize atomic.Uint64
	workerSize  atomic.Uint64
	totalSize   atomic.Uint64
}

// header is the first record: it describes the layout so that a child can
// check it maps what it expects. It is written once by Create.
type header struct {
	headerFields
	_ [headerPad]byte
}

// sampleRecord is one slot of the history ring.
type sampleRecord struct {
	unixSec       atomic.Int64
	totalAccesses atomic.Uint64
	totalBytes    atomic.Uint64
	busy          atomic.Uint64
	idle          atomic.Uint64
}

type globalFields struct {
	runningGeneration atomic.Int64
	configGeneration  atomic.Int64
	restartTime       atomic.Int64 // unix nanoseconds
	startTime         atomic.Int64 // unix nanoseconds
	restartCount      atomic.Uint64

	// histSeq is the history ring's sequence counter: odd while the master
	// appends. histHead counts every sample ever appended; the newest is at
	// (histHead-1) % HistorySize.
	histSeq  atomic.Uint64
	histHead atomic.Uint64
	history  [HistorySize]sampleRecord
}

// globalRecord is written by the master only.
type globalRecord struct {
	globalFields
	_ [globalPad]byte
}

type processFields struct {
	state        atomic.Uint64 // ProcState
	pid          atomic.Int64
	generation   atomic.Int64
	quiescing    atomic.Uint64 // 0 or 1
	notAccepting atomic.Uint64 // 0 or 1
	connections  atomic.Int64  // open connections, kept by the child
}

// processRecord describes the child process in one slot.
type processRecord struct {
	processFields
	_ [processPad]byte
}

const (
	clientWords   = ClientSize / 8
	vhostWords    = VHostSize / 8
	requestWords  = RequestSize / 8
	protocolWords = ProtocolSize / 8
)

type workerFields struct {
	status        atomic.Uint64 // Status
	pid           atomic.Int64
	tid           atomic.Int64
	generation    atomic.Int64
	accessCount   atomic.Uint64
	bytesServed   atomic.Uint64
	myAccessCount atomic.Uint64
	myBytesServed atomic.Uint64
	connCount     atomic.Uint64
	connBytes     atomic.Uint64
	startTime     atomic.Int64 // unix microseconds, last request started
	stopTime      atomic.Int64 // unix microseconds, last request finished
	lastUsed      atomic.Int64 // unix microseconds, last Ready/Dead transition
	duration      atomic.Int64 // microseconds spent in requests, summed
	cpuUser       atomic.Int64 // nanoseconds
	cpuSystem     atomic.Int64 // nanoseconds

	// strSeq guards strLens and the string words below: odd while the
	// worker writes them. strLens packs the four lengths (see packLens).
	strSeq   atomic.Uint64
	strLens  atomic.Uint64
	client   [clientWords]atomic.Uint64
	vhost    [vhostWords]atomic.Uint64
	request  [requestWords]atomic.Uint64
	protocol [protocolWords]atomic.Uint64
}

// workerRecord describes one worker slot.
type workerRecord struct {
	workerFields
	_ [workerPad]byte
}

// layout holds the byte offsets of the regions for given limits.
type layout struct {
	serverLimit, threadLimit int
	globalOff, procOff       uintptr
	workerOff, total         uintptr
}

func newLayout(serverLimit, threadLimit int) layout {
	l := layout{serverLimit: serverLimit, threadLimit: threadLimit}
	l.globalOff = unsafe.Sizeof(header{})
	l.procOff = l.globalOff + unsafe.Sizeof(globalRecord{})
	l.workerOff = l.procOff + uintptr(serverLimit)*unsafe.Sizeof(processRecord{})
	l.total = l.workerOff + uintptr(serverLimit)*uintptr(threadLimit)*unsafe.Sizeof(workerRecord{})
	return l
}
