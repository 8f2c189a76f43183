package listen

import "os"

// A Listener is one listening socket held by the master: the Listen
// address it serves and the socket itself. One socket exists per address
// and every child inherits it; the master never accepts on it.
//
// A Listener is immutable; a Set replaces it when a restart changes the
// address's protocol, keeping the same socket file.
type Listener struct {
	addr      Addr
	file      *os.File
	gate      *gate // who waits for the socket's next connection (see InheritExclusive)
	backlog   int   // listen(2) backlog last applied; 0 for activated sockets
	activated bool  // passed in by systemd socket activation
	local     Addr  // activated only: the socket's own address and protocol
}

// Addr returns the Listen address the socket serves.
func (l *Listener) Addr() Addr { return l.addr }

// File returns the socket. It stays owned by the Set: pass it to children
// through exec.Cmd.ExtraFiles, and do not close it.
func (l *Listener) File() *os.File { return l.file }

// Activated reports whether the socket came from systemd socket
// activation rather than being bound by this process.
func (l *Listener) Activated() bool { return l.activated }
