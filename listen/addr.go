package listen

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// Protocols a Listen directive may name.
const (
	ProtocolHTTP  = "http"
	ProtocolHTTPS = "https"
)

// An Addr is one Listen address: where to accept connections and which
// protocol they speak.
//
// The zero Host means every local address. Addrs are comparable and the
// value returned by String is their identity: two Listen directives with
// the same String name the same socket.
type Addr struct {
	// Host is a numeric IP address in canonical form ("127.0.0.1",
	// "::1", "fe80::1%eth0"), or "" for all addresses. IPv4-mapped IPv6
	// addresses are stored as plain IPv4.
	Host string
	// Port is the TCP port, 1 to 65535.
	Port uint16
	// Protocol is "http" or "https". It is not part of the identity: a
	// restart that changes only the protocol keeps the socket.
	Protocol string
}

// ParseAddr parses the argument of one Listen directive in Apache's form
//
//	[IP-address:]portnumber [protocol]
//
// for example "8080", "127.0.0.1:8080", "[::1]:8080", "*:8080",
// "0.0.0.0:80" or "443 https". A port alone or "*" means all addresses.
// The protocol defaults to "https" for port 443 and "http" otherwise, as
// in Apache. Host names are not accepted: a Listen address must be numeric.
func ParseAddr(s string) (Addr, error) {
	words := strings.Fields(s)
	switch len(words) {
	case 0:
		return Addr{}, fmt.Errorf("Listen: empty address: want [IP-address:]port [protocol], e.g. 8080 or 127.0.0.1:8080")
	case 1, 2:
	default:
		return Addr{}, fmt.Errorf("Listen: %q: too many words: want [IP-address:]port [protocol]", s)
	}
	host, port, err := splitHostPort(words[0])
	if err != nil {
		return Addr{}, fmt.Errorf("Listen: %w", err)
	}
	a := Addr{Host: host, Port: port, Protocol: defaultProtocol(port)}
	if len(words) == 2 {
		p := strings.ToLower(words[1])
		if p != ProtocolHTTP && p != ProtocolHTTPS {
			return Addr{}, fmt.Errorf("Listen: %s: unknown protocol %q: want http or https", words[0], words[1])
		}
		a.Protocol = p
	}
	return a, nil
}

// defaultProtocol is Apache's choice when Listen names no protocol.
func defaultProtocol(port uint16) string {
	if port == 443 {
		return ProtocolHTTPS
	}
	return ProtocolHTTP
}

// splitHostPort splits "host:port", "[v6]:port", "*:port" or "port" and
// validates both halves. The host comes back canonical, "" for all.
func splitHostPort(s string) (string, uint16, error) {
	var hostPart, portPart string
	bracketed := false
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.Index(s, "]")
		if end < 0 {
			return "", 0, fmt.Errorf("%q: missing ']' after the IPv6 address", s)
		}
		hostPart, bracketed = s[1:end], true
		rest := s[end+1:]
		if rest == "" {
			return "", 0, fmt.Errorf("%q: port missing: write it after the address, e.g. [::1]:8080", s)
		}
		if !strings.HasPrefix(rest, ":") {
			return "", 0, fmt.Errorf("%q: want ':' and a port after ']'", s)
		}
		portPart = rest[1:]
	case strings.Count(s, ":") > 1:
		return "", 0, fmt.Errorf("%q: put an IPv6 address in brackets, e.g. [::1]:8080", s)
	case strings.Contains(s, ":"):
		i := strings.LastIndex(s, ":")
		hostPart, portPart = s[:i], s[i+1:]
		if hostPart == "" {
			return "", 0, fmt.Errorf("%q: address missing before ':' (write *:%s or %s for all addresses)", s, portPart, portPart)
		}
	default:
		hostPart, portPart = "*", s
	}

	port, err := parsePort(portPart)
	if err != nil {
		return "", 0, err
	}
	if hostPart == "*" && !bracketed {
		return "", port, nil
	}
	ip, err := netip.ParseAddr(hostPart)
	if err != nil {
		return "", 0, fmt.Errorf("%q: %q is not an IP address (Listen takes a numeric address, or * for all)", s, hostPart)
	}
	if bracketed && !ip.Is6() {
		return "", 0, fmt.Errorf("%q: brackets are for IPv6 addresses only; write %s:%d", s, hostPart, port)
	}
	return canonicalHost(ip), port, nil
}

// parsePort accepts decimal digits only, 1 to 65535.
func parsePort(s string) (uint16, error) {
	if s == "" {
		return 0, fmt.Errorf("port missing")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("port %q is not a number", s)
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %s out of range (1-65535)", s)
	}
	return uint16(n), nil
}

// canonicalHost renders ip the one way Addr.Host stores it.
func canonicalHost(ip netip.Addr) string {
	if ip.Is4In6() {
		ip = ip.Unmap()
	}
	return ip.String()
}

// String returns the address in its canonical form, the identity key of
// the socket: "*:8080", "127.0.0.1:8080", "[::1]:8080". The protocol is
// not included; see Directive.
func (a Addr) String() string {
	if a.Host == "" {
		return "*:" + strconv.Itoa(int(a.Port))
	}
	if ip, err := netip.ParseAddr(a.Host); err == nil {
		return netip.AddrPortFrom(ip.Unmap(), a.Port).String()
	}
	// Not produced by ParseAddr; render it as given.
	if strings.Contains(a.Host, ":") {
		return "[" + a.Host + "]:" + strconv.Itoa(int(a.Port))
	}
	return a.Host + ":" + strconv.Itoa(int(a.Port))
}

// Directive returns the address with its protocol in the form ParseAddr
// reads back, e.g. "127.0.0.1:8443 https". It carries an Addr whole across
// a process boundary.
func (a Addr) Directive() string {
	p := a.Protocol
	if p == "" {
		p = defaultProtocol(a.Port)
	}
	return a.String() + " " + p
}

// covers reports whether a socket bound to a would take connections meant
// for b, making Listen b redundant (and its bind fail). All addresses
// covers every address on its port; 0.0.0.0 covers IPv4 and :: covers IPv6.
func (a Addr) covers(b Addr) bool {
	if a.Port != b.Port || a.Host == b.Host {
		return false
	}
	if a.Host == "" {
		return true
	}
	ia, err1 := netip.ParseAddr(a.Host)
	ib, err2 := netip.ParseAddr(b.Host)
	if err1 != nil || err2 != nil || !ia.IsUnspecified() {
		return false
	}
	return ia.Is4() == ib.Is4()
}

// tcpAddr returns the address as a net.TCPAddr (the unspecified IP for a
// wildcard address).
func (a Addr) tcpAddr() *net.TCPAddr {
	var ip netip.Addr
	if a.Host != "" {
		ip, _ = netip.ParseAddr(a.Host)
	}
	return net.TCPAddrFromAddrPort(netip.AddrPortFrom(ip, a.Port))
}
