package proxy

import (
	"strconv"

	"gohttpd/pipeline"
)

// ViaValue returns the Via element this server adds to a proxied request
// or its response under ProxyVia On or Full (Apache's form: the client's
// protocol version, the server's name, its port unless the default, and
// under Full the server's version as a comment), or "" when ProxyVia is
// Off or Block.
func ViaValue(r *pipeline.Request) string {
	sc := ServerConfigOf(r.Server)
	if sc == nil || sc.Via == ViaOff || sc.Via == ViaBlock {
		return ""
	}
	major, minor := 1, 1
	if r.ProtoNum >= 1000 {
		major, minor = r.ProtoNum/1000, r.ProtoNum%1000
	}
	name := r.Server.ServerName
	if name == "" {
		name = r.Conn.LocalAddr
	}
	v := strconv.Itoa(major) + "." + strconv.Itoa(minor) + " " + name
	port := r.Server.Port
	if port == 0 {
		port = r.Conn.LocalPort
	}
	if port != 80 {
		v += ":" + strconv.Itoa(port)
	}
	if sc.Via == ViaFull {
		v += " (" + pipeline.Banner() + ")"
	}
	return v
}

// BlocksVia reports ProxyVia Block: Via headers are taken off proxied
// requests.
func BlocksVia(r *pipeline.Request) bool {
	sc := ServerConfigOf(r.Server)
	return sc != nil && sc.Via == ViaBlock
}
