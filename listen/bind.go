package listen

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"unicode"
	"unicode/utf8"

	"golang.org/x/sys/unix"
)

// DefaultBacklog is the listen(2) backlog used when ListenBacklog is not
// set, Apache's DEFAULT_LISTENBACKLOG. The kernel silently caps it at
// net.core.somaxconn.
const DefaultBacklog = 511

// A BindError reports a failure to open the socket for one Listen
// address. Its message follows Apache's "(errno)text: what: where" form
// and ends with what to do; errors.Is sees the errno.
type BindError struct {
	Addr Addr   // the Listen address
	Op   string // the step that failed: "socket", "setsockopt", "bind" or "listen"
	Err  error  // the system error, usually a unix.Errno
	Hint string // what to do about it; may be empty
}

func (e *BindError) Error() string {
	var what string
	switch e.Op {
	case "socket":
		what = "could not create a socket for address"
	case "setsockopt":
		what = "could not set socket options on address"
	case "listen":
		what = "could not listen on address"
	default:
		what = "could not bind to address"
	}
	msg := what + " " + e.Addr.String()
	var errno unix.Errno
	if errors.As(e.Err, &errno) {
		msg = "(" + strconv.Itoa(int(errno)) + ")" + capitalize(errno.Error()) + ": " + msg
	} else if e.Err != nil {
		msg = e.Err.Error() + ": " + msg
	}
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

func (e *BindError) Unwrap() error { return e.Err }

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// hintFor suggests what to do about errno when binding a.
func hintFor(err error) string {
	switch {
	case errors.Is(err, unix.EADDRINUSE):
		return "another socket is listening there; stop the process that holds it (ss -ltnp shows it) or change Listen"
	case errors.Is(err, unix.EACCES):
		return "ports below 1024 need root or CAP_NET_BIND_SERVICE; start the server as root or use a higher port"
	case errors.Is(err, unix.EADDRNOTAVAIL):
		return "no network interface has this address; check Listen or bring the interface up"
	case errors.Is(err, unix.EMFILE), errors.Is(err, unix.ENFILE):
		return "too many open files; raise the limit (ulimit -n, LimitNOFILE=)"
	}
	return ""
}

// sockSpec is one concrete way to open a Listen address.
type sockSpec struct {
	family int
	sa     unix.Sockaddr
	v6only int // value for IPV6_V6ONLY, or -1 to leave it alone (IPv4)
}

// specsFor lists the sockets to try for a, in order; the first that binds
// wins. All addresses means one dual-stack IPv6 socket accepting IPv4 as
// v4-mapped addresses, as Apache does on Linux, falling back to 0.0.0.0
// where IPv6 is missing. An explicit [::] is IPv6 only, so that it and
// 0.0.0.0 can both be listed on one port.
func specsFor(a Addr) ([]sockSpec, error) {
	if a.Host == "" {
		return []sockSpec{
			{family: unix.AF_INET6, sa: &unix.SockaddrInet6{Port: int(a.Port)}, v6only: 0},
			{family: unix.AF_INET, sa: &unix.SockaddrInet4{Port: int(a.Port)}, v6only: -1},
		}, nil
	}
	ip, err := netip.ParseAddr(a.Host)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IP address", a.Host)
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return []sockSpec{{family: unix.AF_INET, sa: &unix.SockaddrInet4{Port: int(a.Port), Addr: ip.As4()}, v6only: -1}}, nil
	}
	sa := &unix.SockaddrInet6{Port: int(a.Port), Addr: ip.As16()}
	if zone := ip.Zone(); zone != "" {
		id, err := zoneIndex(zone)
		if err != nil {
			return nil, err
		}
		sa.ZoneId = id
	}
	return []sockSpec{{family: unix.AF_INET6, sa: sa, v6only: 1}}, nil
}

// zoneIndex turns an IPv6 zone (interface name or number) into a scope id.
func zoneIndex(zone string) (uint32, error) {
	if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
		return uint32(n), nil
	}
	ifi, err := net.InterfaceByName(zone)
	if err != nil {
		return 0, fmt.Errorf("no network interface %q for the IPv6 zone: %w", zone, err)
	}
	return uint32(ifi.Index), nil
}

// bindAddr opens, binds and listens on a socket for a: close-on-exec,
// SO_REUSEADDR (never SO_REUSEPORT: one socket per address, shared by all
// children), non-blocking. The caller owns the returned file.
func bindAddr(a Addr, backlog int) (*os.File, error) {
	specs, err := specsFor(a)
	if err != nil {
		return nil, &BindError{Addr: a, Op: "bind", Err: err, Hint: "check the Listen address"}
	}
	var fd int
	var op string
	for i, s := range specs {
		fd, op, err = openSocket(s, backlog)
		if err == nil {
			break
		}
		// All addresses on a host without IPv6: fall back to 0.0.0.0.
		last := i == len(specs)-1
		noV6 := errors.Is(err, unix.EAFNOSUPPORT) || errors.Is(err, unix.EPROTONOSUPPORT) || errors.Is(err, unix.EADDRNOTAVAIL)
		if last || !noV6 {
			return nil, &BindError{Addr: a, Op: op, Err: err, Hint: hintFor(err)}
		}
	}
	f, err := newSocketFile(fd, "listen "+a.String())
	if err != nil {
		return nil, &BindError{Addr: a, Op: "setsockopt", Err: err}
	}
	return f, nil
}

// openSocket runs socket, setsockopt, bind and listen for s and returns
// the descriptor, or the failing step and its error.
func openSocket(s sockSpec, backlog int) (int, string, error) {
	// Created blocking on purpose; see newSocketFile.
	fd, err := unix.Socket(s.family, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, unix.IPPROTO_TCP)
	if err != nil {
		return -1, "socket", err
	}
	op, err := func() (string, error) {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
			return "setsockopt", err
		}
		if s.v6only >= 0 {
			if err := unix.SetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, s.v6only); err != nil {
				return "setsockopt", err
			}
		}
		if err := unix.Bind(fd, s.sa); err != nil {
			return "bind", err
		}
		if err := unix.Listen(fd, backlog); err != nil {
			return "listen", err
		}
		return "", nil
	}()
	if err != nil {
		unix.Close(fd)
		return -1, op, err
	}
	return fd, "", nil
}

// newSocketFile wraps a listening socket in an *os.File and leaves it
// non-blocking.
//
// The order matters. os.NewFile registers a descriptor that is already
// non-blocking with the runtime poller, which would wake the master for
// every connection that arrives on a socket it never accepts on. Wrapped
// while blocking, the file stays out of the poller, and because Go did not
// set O_NONBLOCK itself, File.Fd (which os/exec calls for ExtraFiles)
// never switches the socket back to blocking. O_NONBLOCK belongs to the
// open file description, shared with every child, so a blocking switch
// would leave children stuck in accept(2) where Close cannot reach them.
func newSocketFile(fd int, name string) (*os.File, error) {
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, err
	}
	f := os.NewFile(uintptr(fd), name)
	if err := unix.SetNonblock(fd, true); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// withFD runs fn with f's descriptor without disturbing its mode.
func withFD(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// sockAddr returns the local address of a bound socket as an Addr with
// the default protocol for its port.
func sockAddr(fd int) (Addr, error) {
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return Addr{}, fmt.Errorf("getsockname: %w", err)
	}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		ip := netip.AddrFrom4(sa.Addr)
		return Addr{Host: canonicalHost(ip), Port: uint16(sa.Port), Protocol: defaultProtocol(uint16(sa.Port))}, nil
	case *unix.SockaddrInet6:
		ip := netip.AddrFrom16(sa.Addr)
		if sa.ZoneId != 0 {
			if ifi, err := net.InterfaceByIndex(int(sa.ZoneId)); err == nil {
				ip = ip.WithZone(ifi.Name)
			} else {
				ip = ip.WithZone(strconv.Itoa(int(sa.ZoneId)))
			}
		}
		return Addr{Host: canonicalHost(ip), Port: uint16(sa.Port), Protocol: defaultProtocol(uint16(sa.Port))}, nil
	}
	return Addr{}, fmt.Errorf("not an IPv4 or IPv6 socket")
}
