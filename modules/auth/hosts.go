package auth

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"gohttpd/pipeline"
)

// LookupTimeout bounds each DNS query of a host-based rule (Require host,
// Require forward-dns, Allow from a host name). Apache has no such bound
// and a slow resolver holds its worker; a lookup that times out counts as
// no match.
const LookupTimeout = 5 * time.Second

// ParseIPSpec reads an address rule as Apache's apr_ipsubnet_create: a
// full IPv4 or IPv6 address, a partial IPv4 address of one to three
// octets ("10.1"), network/netmask ("10.1.0.0/255.255.0.0") or
// network/bits ("10.1.0.0/16", "2001:db8::/32").
func ParseIPSpec(s string) (netip.Prefix, error) {
	addr, mask, hasMask := strings.Cut(s, "/")
	if !hasMask {
		if a, err := netip.ParseAddr(addr); err == nil && a.Zone() == "" {
			return netip.PrefixFrom(a, a.BitLen()), nil
		}
		return parsePartialIPv4(s)
	}
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("ip address '%s' appears to be invalid", s)
	}
	var bits int
	if n, err := strconv.Atoi(mask); err == nil {
		bits = n
	} else if m, err := netip.ParseAddr(mask); err == nil && m.Is4() && a.Is4() {
		bits = maskBits(m.As4())
	} else {
		bits = -1
	}
	if bits < 0 || bits > a.BitLen() {
		return netip.Prefix{}, fmt.Errorf("ip address '%s': invalid network mask", s)
	}
	// Bits outside the mask are ignored ("10.1.2.3/16" is 10.1.0.0/16).
	return netip.PrefixFrom(a, bits).Masked(), nil
}

// maskBits returns the prefix length of a contiguous netmask, or -1.
func maskBits(m [4]byte) int {
	v := uint32(m[0])<<24 | uint32(m[1])<<16 | uint32(m[2])<<8 | uint32(m[3])
	n := 0
	for v&0x80000000 != 0 {
		n++
		v <<= 1
	}
	if v != 0 {
		return -1
	}
	return n
}

func parsePartialIPv4(s string) (netip.Prefix, error) {
	bad := fmt.Errorf("ip address '%s' appears to be invalid", s)
	parts := strings.Split(strings.TrimSuffix(s, "."), ".")
	if s == "" || len(parts) > 3 {
		return netip.Prefix{}, bad
	}
	var b [4]byte
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || p == "" || p[0] == '+' {
			return netip.Prefix{}, bad
		}
		b[i] = byte(n)
	}
	return netip.PrefixFrom(netip.AddrFrom4(b), 8*len(parts)), nil
}

// ClientAddr returns the client's address, IPv4-mapped IPv6 addresses
// unmapped, so IPv4 rules match them.
func ClientAddr(r *pipeline.Request) (netip.Addr, bool) {
	if r.Conn == nil {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(r.Conn.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// IsLocal reports whether the client is on a loopback address or on the
// address it connected to (Require local).
func IsLocal(r *pipeline.Request) bool {
	a, ok := ClientAddr(r)
	if !ok {
		return false
	}
	if a.IsLoopback() {
		return true
	}
	l, err := netip.ParseAddr(r.Conn.LocalAddr)
	return err == nil && l.Unmap().WithZone("") == a
}

// remoteHostNote is the Conn.Notes key caching the double-reverse lookup.
const remoteHostNote = "auth.remote_host_double_rev"

// RemoteHost returns the client's host name confirmed by a double reverse
// lookup (the PTR name must resolve back to the client's address), or ""
// when there is none. The answer is cached for the connection, as
// Apache's REMOTE_DOUBLE_REV.
func RemoteHost(r *pipeline.Request) string {
	c := r.Conn
	if c == nil {
		return ""
	}
	if v, ok := c.Notes[remoteHostNote].(string); ok {
		return v
	}
	host := ""
	if a, ok := ClientAddr(r); ok {
		host = doubleReverse(a)
	}
	if c.Notes == nil {
		c.Notes = map[string]any{}
	}
	c.Notes[remoteHostNote] = host
	return host
}

func doubleReverse(a netip.Addr) string {
	ctx, cancel := context.WithTimeout(context.Background(), LookupTimeout)
	defer cancel()
	names, err := net.DefaultResolver.LookupAddr(ctx, a.String())
	if err != nil || len(names) == 0 {
		return ""
	}
	name := strings.TrimSuffix(names[0], ".")
	if ResolvesTo(name, a) {
		return name
	}
	return ""
}

// ResolvesTo reports whether name has a as one of its addresses (looked
// up with LookupTimeout).
func ResolvesTo(name string, a netip.Addr) bool {
	ctx, cancel := context.WithTimeout(context.Background(), LookupTimeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", name)
	if err != nil {
		return false
	}
	for _, x := range addrs {
		if x.Unmap().WithZone("") == a {
			return true
		}
	}
	return false
}

// InDomain reports whether host is domain or inside it, matching whole
// labels only: "example.com" covers "www.example.com" but not
// "badexample.com" (Apache's in_domain). Case is ignored.
func InDomain(host, domain string) bool {
	if len(host) < len(domain) || !strings.EqualFold(host[len(host)-len(domain):], domain) {
		return false
	}
	if len(host) == len(domain) {
		return true
	}
	return domain[0] == '.' || host[len(host)-len(domain)-1] == '.'
}
