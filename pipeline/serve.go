package pipeline

import (
	"net"
	"strconv"
	"time"
)

// ServeConnection runs one accepted connection through the connection
// hooks (Apache's ap_process_connection): create_connection (RUN_FIRST)
// builds the record, pre_connection (RUN_ALL) sets it up, and
// process_connection (RUN_FIRST) speaks the protocol until the connection
// is done. Then the connection is closed, lingering as Apache does so that
// a client still sending does not lose the last response to a reset.
//
// The child calls it for each connection it accepts. base is the server
// owning the listening address, id the connection's number, slot its
// scoreboard worker slot (nil means none) and draining reports a graceful
// stop (nil means never). ServeConnection always closes nc.
func ServeConnection(g *Generation, nc net.Conn, base *Server, id int64, slot WorkerSlot, draining func() bool) {
	if slot == nil {
		slot = NopWorkerSlot{}
	}
	var c *Conn
	g.Hooks.CreateConnection.Run(func(f CreateConnectionFunc) Result {
		if c = f(nc, base, id); c != nil {
			return OK
		}
		return Declined
	})
	if c == nil {
		c = NewConn(nc, base, id)
	}
	c.Gen, c.Worker, c.Draining = g, slot, draining
	defer c.recycleRecords()
	defer closeConn(c)
	if st := g.Hooks.PreConnection.Run(func(f ConnFunc) Result { return f(c) }); st != OK && st != Declined {
		c.Aborted = true
		return
	}
	g.Hooks.ProcessConnection.Run(func(f ConnFunc) Result { return f(c) })
}

// NewConn returns the default connection record for nc (Apache's
// core_create_conn): addresses split into host and port, no filters yet.
func NewConn(nc net.Conn, base *Server, id int64) *Conn {
	c := &Conn{ID: id, Net: nc, Base: base, Worker: NopWorkerSlot{}}
	c.RemoteAddr, c.RemotePort = splitAddr(nc.RemoteAddr())
	c.LocalAddr, c.LocalPort = splitAddr(nc.LocalAddr())
	return c
}

func splitAddr(a net.Addr) (string, int) {
	switch a := a.(type) {
	case *net.TCPAddr:
		return a.IP.String(), a.Port
	case nil:
		return "", 0
	}
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String(), 0
	}
	p, _ := strconv.Atoi(port)
	return host, p
}

// Lingering close: how long and how much Apache reads after shutting down
// its side (MAX_SECS_TO_LINGER is 30 s; each read waits up to 2 s).
const (
	lingerRead  = 2 * time.Second
	lingerTotal = 30 * time.Second
	lingerBytes = 1 << 20
)

// Lingerer is implemented by worker slots that want to know when a
// connection starts its lingering close, which may wait for the client
// for up to half a minute (the child's inline serving hands accepting on).
type Lingerer interface {
	Lingering()
}

// closeConn closes c's socket: after a normal end it shuts down writing
// and reads what the client still sends (Apache's ap_lingering_close),
// unless the client can send nothing more (Conn.ClientDone).
func closeConn(c *Conn) {
	c.Worker.SetState(StateClosing)
	nc := c.Net
	type closeWriter interface{ CloseWrite() error }
	cw, ok := nc.(closeWriter)
	if c.Aborted || c.ClientDone || !ok || cw.CloseWrite() != nil {
		_ = nc.Close()
		return
	}
	if l, ok := c.Worker.(Lingerer); ok {
		l.Lingering()
	}
	deadline := time.Now().Add(lingerTotal)
	buf := make([]byte, 2048)
	var total int
	for total < lingerBytes {
		d := time.Now().Add(lingerRead)
		if d.After(deadline) {
			d = deadline
		}
		_ = nc.SetReadDeadline(d)
		n, err := nc.Read(buf)
		total += n
		if err != nil {
			break
		}
	}
	_ = nc.Close()
}
