package authz_host

import (
	"errors"
	"net/netip"

	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_authz_host.
var Module = &pipeline.Module{
	Name:        "authz_host",
	Description: "Require ip, host, forward-dns and local",
}

func init() {
	pipeline.RegisterModule(Module)
	auth.RegisterAuthzProvider(Module.Name, "ip", auth.AuthzProviderFunc(parseIP))
	auth.RegisterAuthzProvider(Module.Name, "host", auth.AuthzProviderFunc(parseHost))
	auth.RegisterAuthzProvider(Module.Name, "forward-dns", auth.AuthzProviderFunc(parseForwardDNS))
	auth.RegisterAuthzProvider(Module.Name, "local", auth.AuthzProviderFunc(parseLocal))
}

func parseIP(args []string) (auth.AuthzCheck, error) {
	if len(args) == 0 {
		return nil, errors.New("'Require ip' wants addresses or networks")
	}
	nets := make([]netip.Prefix, 0, len(args))
	for _, a := range args {
		p, err := auth.ParseIPSpec(a)
		if err != nil {
			return nil, err
		}
		nets = append(nets, p)
	}
	return func(r *pipeline.Request) auth.AuthzStatus {
		a, ok := auth.ClientAddr(r)
		if !ok {
			return auth.AuthzDenied
		}
		for _, n := range nets {
			if n.Contains(a) {
				return auth.AuthzGranted
			}
		}
		return auth.AuthzDenied
	}, nil
}

func parseHost(args []string) (auth.AuthzCheck, error) {
	if len(args) == 0 {
		return nil, errors.New("'Require host' wants host or domain names")
	}
	domains := append([]string(nil), args...)
	return func(r *pipeline.Request) auth.AuthzStatus {
		host := auth.RemoteHost(r)
		if host == "" {
			auth.LogError(r, Module.Name, "AH01753: access check of '%s' to %s failed, reason: unable to get the remote host name", domains[0], r.URI)
			return auth.AuthzDenied
		}
		for _, d := range domains {
			if auth.InDomain(host, d) {
				return auth.AuthzGranted
			}
		}
		return auth.AuthzDenied
	}, nil
}

func parseForwardDNS(args []string) (auth.AuthzCheck, error) {
	if len(args) == 0 {
		return nil, errors.New("'Require forward-dns' wants host names")
	}
	names := append([]string(nil), args...)
	return func(r *pipeline.Request) auth.AuthzStatus {
		a, ok := auth.ClientAddr(r)
		if !ok {
			return auth.AuthzDenied
		}
		for _, n := range names {
			if auth.ResolvesTo(n, a) {
				return auth.AuthzGranted
			}
		}
		return auth.AuthzDenied
	}, nil
}

func parseLocal(args []string) (auth.AuthzCheck, error) {
	return func(r *pipeline.Request) auth.AuthzStatus {
		if auth.IsLocal(r) {
			return auth.AuthzGranted
		}
		return auth.AuthzDenied
	}, nil
}
