package scoreboard

import "strconv"

// Status is the state of one worker slot. The values and their letters are
// Apache httpd 2.4's (SERVER_DEAD … SERVER_IDLE_KILL in scoreboard.h), so a
// status page reads the same as Apache's.
type Status uint32

// The worker statuses, numbered as in Apache.
const (
	Dead          Status = 0  // '.' open slot with no current process
	Starting      Status = 1  // 'S' starting up
	Ready         Status = 2  // '_' waiting for a connection
	BusyRead      Status = 3  // 'R' reading a request
	BusyWrite     Status = 4  // 'W' processing a request, sending the reply
	BusyKeepalive Status = 5  // 'K' waiting for the next request on a keep-alive connection
	BusyLog       Status = 6  // 'L' logging the request
	BusyDNS       Status = 7  // 'D' looking up a host name
	Closing       Status = 8  // 'C' closing the connection
	Graceful      Status = 9  // 'G' finishing a request during a graceful restart or stop
	IdleKill      Status = 10 // 'I' an idle worker being cleaned up

	// NumStatus is the number of statuses (Apache's SERVER_NUM_STATUS).
	NumStatus = 11
)

const statusLetters = ".S_RWKLDCGI"

var statusNames = [NumStatus]string{
	"Dead", "Starting", "Ready", "BusyRead", "BusyWrite", "BusyKeepalive",
	"BusyLog", "BusyDNS", "Closing", "Graceful", "IdleKill",
}

// statusDescriptions are the meanings mod_status prints under its scoreboard key.
var statusDescriptions = [NumStatus]string{
	"Open slot with no current process",
	"Starting up",
	"Waiting for Connection",
	"Reading Request",
	"Sending Reply",
	"Keepalive (read)",
	"Logging",
	"DNS Lookup",
	"Closing connection",
	"Gracefully finishing",
	"Idle cleanup of worker",
}

// Valid reports whether s is one of the defined statuses. A value read from
// the shared mapping is only as trustworthy as the processes that wrote it.
func (s Status) Valid() bool { return s < NumStatus }

// Letter returns the one-character code Apache's status page uses for s
// ('.', 'S', '_', 'R', 'W', 'K', 'L', 'D', 'C', 'G', 'I'), or '?' for an
// undefined value.
func (s Status) Letter() byte {
	if !s.Valid() {
		return '?'
	}
	return statusLetters[s]
}

// String returns the Go name of s ("Ready", "BusyWrite", …), or
// "Status(n)" for an undefined value.
func (s Status) String() string {
	if !s.Valid() {
		return "Status(" + strconv.FormatUint(uint64(s), 10) + ")"
	}
	return statusNames[s]
}

// Description returns the phrase mod_status prints for s in its scoreboard
// key ("Waiting for Connection", "Sending Reply", …), or "" for an undefined
// value.
func (s Status) Description() string {
	if !s.Valid() {
		return ""
	}
	return statusDescriptions[s]
}

// Alive reports whether s belongs to a worker of a live process, that is
// anything but Dead.
func (s Status) Alive() bool { return s != Dead && s.Valid() }

// Busy reports whether s is one of the states of a worker that is handling a
// connection: BusyRead, BusyWrite, BusyKeepalive, BusyLog, BusyDNS or Closing.
// Graceful is counted apart (see Tally).
func (s Status) Busy() bool { return s >= BusyRead && s <= Closing }

// OptionalFunc is the name under which a child publishes, in its
// generation's optional-function registry, a func() *Scoreboard giving
// modules (mod_status) read access to the scoreboard.
const OptionalFunc = "gohttpd.scoreboard"

// OptionalMasterPid is the name of the func() int a child publishes
// giving the master's pid, for mod_status.
const OptionalMasterPid = "gohttpd.master_pid"
