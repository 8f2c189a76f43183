package pipeline

import (
	"net"
)

// Conn is a connection record (Apache's conn_rec): one accepted socket and
// what the connection hooks learn about it.
type Conn struct {
	ID   int64
	Net  net.Conn
	Base *Server // the server owning the listening address
	Gen  *Generation

	RemoteAddr string // client address without port
	RemotePort int
	LocalAddr  string
	LocalPort  int

	// Keepalive says whether the connection may carry another request;
	// Keepalives counts the requests served on it after the first.
	Keepalive  bool
	Keepalives int
	// MustClose is set when the connection must close after the current
	// response whatever the client asked (Apache's AP_CONN_CLOSE): an
	// error that leaves the input unreadable, a draining process.
	MustClose bool
	// Aborted is set when the client went away mid-response.
	Aborted bool
	// ClientDone is set by the protocol when the client cannot send
	// anything more: it asked for the connection to close and all it sent
	// has been read. Such a connection is closed at once instead of
	// lingering (nginx's lingering_close heuristic; Apache always
	// lingers, which costs a wait for the client's FIN per connection).
	ClientDone bool
	// BytesSent counts every byte the network filter wrote.
	BytesSent int64

	// Notes is for modules to share per-connection data.
	Notes map[string]any

	// Worker is this connection's scoreboard slot; never nil (the child
	// passes a no-op slot when there is no scoreboard).
	Worker WorkerSlot

	// Draining reports whether the process is stopping gracefully: the
	// protocol must finish the request in progress, answer it with
	// "Connection: close", and take no further request on the connection.
	// Nil means never.
	Draining func() bool

	outputFilters, inputFilters *Filter
	net                         netState
	spareRequest                *requestRecord // see ReleaseRequest
	spareSubRequest             *requestRecord // see ReleaseSubRequest
}

// IsDraining reports whether the connection must close after the current
// request.
func (c *Conn) IsDraining() bool { return c.Draining != nil && c.Draining() }

// WorkerState is a worker's scoreboard status; the values are Apache's
// SERVER_* codes and match package scoreboard's Status.
type WorkerState uint32

const (
	StateDead      WorkerState = 0  // '.'
	StateStarting  WorkerState = 1  // 'S'
	StateReady     WorkerState = 2  // '_'
	StateReading   WorkerState = 3  // 'R'
	StateWriting   WorkerState = 4  // 'W'
	StateKeepalive WorkerState = 5  // 'K'
	StateLogging   WorkerState = 6  // 'L'
	StateDNS       WorkerState = 7  // 'D'
	StateClosing   WorkerState = 8  // 'C'
	StateGraceful  WorkerState = 9  // 'G'
	StateIdleKill  WorkerState = 10 // 'I'
)

// WorkerSlot is the view a connection has of its scoreboard worker slot;
// the child implements it over the shared scoreboard. Every method must be
// cheap and allocation-free: they run on every request.
type WorkerSlot interface {
	// SetState records the worker's status.
	SetState(s WorkerState)
	// StartRequest records the start of a request: client address,
	// virtual host name, request line and protocol.
	StartRequest(client, vhost, requestLine, protocol string)
	// EndRequest records a finished request and its bytes sent.
	EndRequest(bytes int64)
}

// NopWorkerSlot is a WorkerSlot that records nothing.
type NopWorkerSlot struct{}

func (NopWorkerSlot) SetState(WorkerState)           {}
func (NopWorkerSlot) StartRequest(_, _, _, _ string) {}
func (NopWorkerSlot) EndRequest(int64)               {}

// OptConnReader names the optional function, func(*Conn) io.Reader,
// that the protocol module publishes: the reader of the connection's
// bytes after the current request head, including any it has already
// buffered. Modules that take the connection over (a tunnel after
// "101 Switching Protocols") read the client from it.
const OptConnReader = "gohttpd.conn_reader"
