package listen

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/sys/unix"
)

// A Set is the master's listening sockets across restarts. Create it
// with NewSet, optionally Adopt systemd's sockets, then call Reconcile with
// every generation's Listen addresses. A Set is safe for concurrent use.
type Set struct {
	log hclog.Logger

	mu        sync.Mutex
	current   []*Listener // in Files order
	activated []*Listener // every adopted socket, in the order systemd passed them
	closed    bool
}

// NewSet returns an empty Set that logs to log (nil discards).
func NewSet(log hclog.Logger) *Set {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Set{log: log}
}

// Reconcile makes the Set hold one listening socket for each address in
// want, keeping what it can:
//
//   - an address already open keeps its socket: the same file, the same
//     descriptor, the same kernel accept queue, so connections waiting in
//     it are served by the next generation;
//   - an address no longer wanted is closed (connections still queued on
//     it are reset by the kernel);
//   - a new address uses a matching systemd-activated socket if there is
//     one, and is bound otherwise, with backlog (DefaultBacklog if <= 0);
//   - a kept socket whose backlog differs is given the new one by calling
//     listen(2) again, which Linux allows on a listening socket.
//
// Reconcile is all or nothing: if any new address cannot be bound, the
// sockets it bound are closed, nothing already open is touched, and the
// returned error (a *BindError) names the address and what to do.
//
// Activated sockets that no address in want claims stay in the Set as
// listeners of their own; see the package documentation.
func (s *Set) Reconcile(want []Addr, backlog int) error {
	if backlog <= 0 {
		backlog = DefaultBacklog
	}
	if err := checkAddrs(want); err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("listen: Reconcile on a closed Set")
	}
	if len(want) == 0 && len(s.activated) == 0 {
		return errors.New("no Listen address: no listening sockets available; add a Listen directive")
	}

	byKey := make(map[string]*Listener, len(s.current))
	for _, l := range s.current {
		if !l.activated {
			byKey[l.addr.String()] = l
		}
	}
	plan := make([]*Listener, len(want)) // the socket each address will use
	claimed := make(map[*Listener]bool)
	for i, a := range want {
		if old, ok := byKey[a.String()]; ok {
			plan[i] = old
		}
	}
	// Activated sockets: an exact address match first, then, as Apache's
	// systemd support does, any unclaimed one on the same port.
	for _, samePortOnly := range []bool{false, true} {
		for i, a := range want {
			if plan[i] != nil {
				continue
			}
			for _, act := range s.activated {
				if claimed[act] {
					continue
				}
				if act.local.String() == a.String() || (samePortOnly && act.local.Port == a.Port) {
					plan[i], claimed[act] = act, true
					break
				}
			}
		}
	}

	var fresh []*os.File
	for i, a := range want {
		if plan[i] != nil {
			continue
		}
		f, err := bindAddr(a, backlog)
		if err != nil {
			for _, nf := range fresh {
				nf.Close()
			}
			return s.explain(err, want)
		}
		fresh = append(fresh, f)
		plan[i] = &Listener{addr: a, file: f, backlog: backlog}
	}
	// Every served socket has an accept gate; new ones get theirs here.
	var gated []*Listener
	for _, l := range append(append([]*Listener(nil), plan...), s.activated...) {
		if l.gate != nil {
			continue
		}
		g, err := newGate()
		if err != nil {
			for _, l := range gated {
				l.gate.close()
				l.gate = nil
			}
			for _, nf := range fresh {
				nf.Close()
			}
			return err
		}
		l.gate = g
		gated = append(gated, l)
	}

	// Commit: nothing below fails.
	next := make([]*Listener, 0, len(want)+len(s.activated))
	kept := make(map[*os.File]bool, len(want))
	for i, a := range want {
		p := plan[i]
		kept[p.file] = true
		l := &Listener{addr: a, file: p.file, gate: p.gate, backlog: p.backlog, activated: p.activated, local: p.local}
		if !l.activated && l.backlog != backlog && s.setBacklog(l, backlog) {
			l.backlog = backlog
		}
		next = append(next, l)
	}
	for _, act := range s.activated {
		if claimed[act] {
			continue
		}
		s.log.Info("using a systemd socket that no Listen names", "address", act.local.String(), "protocol", act.local.Protocol)
		next = append(next, &Listener{addr: act.local, file: act.file, gate: act.gate, activated: true, local: act.local})
	}
	for _, l := range s.current {
		if !l.activated && !kept[l.file] {
			l.file.Close()
			l.gate.close()
		}
	}
	s.current = next
	return nil
}

// setBacklog applies a changed ListenBacklog to a kept socket; Linux lets
// listen(2) be called again on a listening socket. Failure only logs: the
// socket keeps serving with its old backlog.
func (s *Set) setBacklog(l *Listener, backlog int) bool {
	err := withFD(l.file, func(fd int) error { return unix.Listen(fd, backlog) })
	if err != nil {
		s.log.Warn("could not change ListenBacklog on a kept socket", "address", l.addr.String(), "error", err)
		return false
	}
	return true
}

// explain adds to a bind failure the case where the port is held by a
// socket of this very Set that the restart is about to close.
func (s *Set) explain(err error, want []Addr) error {
	var be *BindError
	if !errors.As(err, &be) || !errors.Is(be.Err, unix.EADDRINUSE) {
		return err
	}
	wanted := make(map[string]bool, len(want))
	for _, a := range want {
		wanted[a.String()] = true
	}
	for _, l := range s.current {
		if l.addr.Port == be.Addr.Port && !wanted[l.addr.String()] && !l.activated {
			be.Hint = fmt.Sprintf("Listen %s, which this restart removes, still holds the port; stop and start the server to move it", l.addr)
			break
		}
	}
	return be
}

// checkAddrs rejects a Listen list that names one address twice, or an
// address another one already covers (like *:80 with 127.0.0.1:80).
func checkAddrs(want []Addr) error {
	seen := make(map[string]bool, len(want))
	for _, a := range want {
		if a.Port == 0 {
			return fmt.Errorf("Listen %s: port 0 out of range (1-65535)", a)
		}
		k := a.String()
		if seen[k] {
			return fmt.Errorf("Listen %s is given twice: cannot define multiple Listeners on the same IP:port; remove one", k)
		}
		seen[k] = true
	}
	for _, a := range want {
		for _, b := range want {
			if a.covers(b) {
				return fmt.Errorf("Listen %s and Listen %s overlap: %s already accepts connections for %s; remove one", a, b, a, b)
			}
		}
	}
	return nil
}

// Listeners returns the open listeners in Files order.
func (s *Set) Listeners() []*Listener {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Listener(nil), s.current...)
}

// Files returns the open sockets: the configured addresses in the order
// of the last Reconcile, then unclaimed activated sockets in the order
// systemd passed them. Addrs()[i] describes Files()[i]. The files stay
// owned by the Set.
func (s *Set) Files() []*os.File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*os.File, len(s.current))
	for i, l := range s.current {
		out[i] = l.file
	}
	return out
}

// Gates returns the sockets' accept gates, index for index with Files:
// small memory files to pass to children beside the sockets, for
// InheritExclusive. The files stay owned by the Set.
func (s *Set) Gates() []*os.File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*os.File, len(s.current))
	for i, l := range s.current {
		out[i] = l.gate.file
	}
	return out
}

// ReleaseWaiter frees the place of pid, a child that has exited, as the
// process waiting for new connections on any socket (see
// InheritExclusive), and wakes an idle child to take it. The master calls
// it for every child it reaps: a child killed while waiting would
// otherwise leave the others parked while connections queue.
func (s *Set) ReleaseWaiter(pid int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.current {
		l.gate.release(pid)
	}
}

// Addrs returns the addresses of Files, index for index.
func (s *Set) Addrs() []Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Addr, len(s.current))
	for i, l := range s.current {
		out[i] = l.addr
	}
	return out
}

// Close closes every socket, activated ones included, and makes the Set
// unusable. Children keep their inherited copies until they exit, but no
// new connection reaches a socket once every copy is closed.
func (s *Set) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	for _, l := range s.current {
		if !l.activated {
			errs = append(errs, l.file.Close(), l.gate.close())
		}
	}
	for _, l := range s.activated {
		errs = append(errs, l.file.Close())
		if l.gate != nil {
			errs = append(errs, l.gate.close())
		}
	}
	s.current, s.activated = nil, nil
	return errors.Join(errs...)
}
