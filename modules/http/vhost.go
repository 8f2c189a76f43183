package http

import (
	"net"
	"path"
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// selectVirtualHost picks the server for a request (Apache's name-based
// virtual hosting): among the VirtualHosts whose address matches the
// connection's local address and port, the first whose ServerName or
// ServerAlias matches host, else the first of them; the main server when
// no VirtualHost matches the address.
func selectVirtualHost(c *pipeline.Conn, host string) *pipeline.Server {
	main := c.Base
	if c.Gen != nil && c.Gen.Main != nil {
		main = c.Gen.Main
	}
	var dflt *pipeline.Server
	for v := main.Next; v != nil; v = v.Next {
		if !addrMatches(v.Addrs, c.LocalAddr, c.LocalPort) {
			continue
		}
		if dflt == nil {
			dflt = v
		}
		if host != "" && nameMatches(v, host) {
			return v
		}
	}
	if dflt != nil {
		return dflt
	}
	return main
}

// addrMatches reports whether one of a VirtualHost's addresses ("*:80",
// "_default_:80", "127.0.0.1:8080", "[::1]:80", "*") covers ip:port.
func addrMatches(addrs []string, ip string, port int) bool {
	for _, a := range addrs {
		h, p, err := net.SplitHostPort(a)
		if err != nil {
			h, p = strings.Trim(a, "[]"), "*"
		}
		if p != "*" && p != strconv.Itoa(port) {
			continue
		}
		if h == "*" || h == "_default_" || h == ip {
			return true
		}
		if hip := net.ParseIP(h); hip != nil && hip.Equal(net.ParseIP(ip)) {
			return true
		}
	}
	return false
}

// nameMatches compares host with the server's ServerName and ServerAlias
// (aliases may use '*' and '?' wildcards).
func nameMatches(s *pipeline.Server, host string) bool {
	if strings.EqualFold(s.ServerName, host) {
		return true
	}
	for _, a := range s.ServerAlias {
		a = strings.ToLower(a)
		if a == host {
			return true
		}
		if ok, _ := path.Match(a, host); ok && strings.ContainsAny(a, "*?") {
			return true
		}
	}
	return false
}
