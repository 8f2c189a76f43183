// Package authz_host is mod_authz_host: authorization providers that look
// at where the client is.
//
//	Require ip 10.1.0.0/16 192.168 2001:db8::/32   addresses, partial IPv4, CIDR, netmask
//	Require host example.org                       double-reverse DNS: the client's PTR name,
//	                                               confirmed by a forward lookup, is in the domain
//	Require forward-dns dyn.example.org            the client's address is one of the name's
//	Require local                                  loopback, or the address the client connected to
//
// DNS lookups are bounded by auth.LookupTimeout and cached for the
// connection. None of these providers needs a user.
package authz_host
