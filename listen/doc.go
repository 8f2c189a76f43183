// Package listen owns gohttpd's listening sockets: parsing Listen
// addresses, binding them in the master, keeping them open across
// restarts, handing them to child processes, and systemd socket
// activation.
//
// # Addresses
//
// ParseAddr reads Apache's "[IP-address:]portnumber [protocol]". A port
// alone (or "*:port") means all addresses: one IPv6 socket on [::] that
// also accepts IPv4 as v4-mapped addresses, as Apache does on Linux, or
// 0.0.0.0 where the host has no IPv6. An explicit "[::]:port" is IPv6
// only and "0.0.0.0:port" IPv4 only, so both may be listed on one port.
// Addr.String is the canonical address and the socket's identity.
//
// # The master's sockets
//
// The master binds each address once (close-on-exec, SO_REUSEADDR,
// non-blocking, listen backlog ListenBacklog) and keeps the sockets in a
// Set. Set.Reconcile runs on every generation: an address still listed
// keeps its socket, so connections waiting in its accept queue survive a
// restart; a removed one is closed; a new one is bound. A bind failure
// changes nothing, so a bad restart leaves the running sockets serving.
//
// Every child inherits the same socket for an address. The package never
// uses SO_REUSEPORT: a per-child socket would take its queued connections
// with it when that child exits.
//
// # Children and accept
//
// The master passes Set.Files to each child through exec.Cmd.ExtraFiles,
// with Set.Addrs beside them in its fd protocol. All processes then hold
// descriptors for one kernel socket and one accept queue. No connection
// is accepted twice or lost, and connections queued while no child is
// accepting (at start-up, during a restart) wait in the queue, up to the
// backlog.
//
// One-thread children, which are many, call InheritExclusive: each
// listener waits in a private epoll set that holds the socket with
// EPOLLEXCLUSIVE, outside the Go poller, and the children of a socket
// share its accept gate, a small memory file the Set makes with the
// socket (Set.Gates, passed to children beside Set.Files): of the idle
// children only one waits in the kernel, the others park on a futex, and
// a child coming back from a connection takes what is queued before it
// waits, so under load connections go to running children without a
// wake-up each (see gate). The master calls Set.ReleaseWaiter for every
// child it reaps. A child with no free worker does not wait, and the
// kernel passes the connection to one that does. Their connections are
// Conns, served with blocking system calls until they move to the
// Go poller to wait idle between requests. Threaded children, which are
// few, and the single-process mode call Inherit: listeners in the Go
// poller, whose accept path is cheaper when only a few processes wake
// for each connection. Their connections are non-blocking Conns that
// join the poller only when a read or write would have to wait, so a
// connection that carries one request costs no poller registration.
//
// The socket's O_NONBLOCK flag belongs to the shared open file
// description, so one process switching it to blocking would stall every
// child in accept(2). The Set keeps its files in a state where File.Fd,
// which os/exec calls for ExtraFiles, leaves the flag alone. Never pass a
// socket obtained from (*net.TCPListener).File to a child: its Fd method
// does switch the socket to blocking.
//
// # systemd socket activation
//
// When systemd starts the master with LISTEN_FDS, FromSystemd returns
// those sockets and clears the activation variables so children never
// see them; Set.Adopt (or Set.AdoptSystemd) takes them in. Reconcile then
// serves each Listen address from the activated socket bound to that
// address, or else from one bound to the same port (the rule of Apache's
// mod_systemd), and binds only addresses systemd did not provide.
//
// Activated sockets that no Listen names are served too, as listeners of
// their own address, with the protocol named by FileDescriptorName=
// ("http" or "https") or the default for their port: the socket unit is
// the operator's statement of where the server listens, and leaving a
// socket open but unserved would make clients hang in its queue. For the
// same reason an activated socket is never closed by Reconcile, only by
// Set.Close; to stop listening on it, change the socket unit. Apache's
// mod_systemd differs: it ignores unnamed sockets and refuses a Listen
// with no matching one; gohttpd binds such a Listen itself.
package listen
