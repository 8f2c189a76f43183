// Package access_compat is mod_access_compat: Apache 2.2's host-based
// access control — Order, Allow, Deny — and Satisfy, which decides
// whether passing Allow/Deny is enough (Any) or authentication must pass
// too (All, the default).
//
//	[[Directory]]
//	Path    = "htdocs/intranet"
//	Order   = "Deny,Allow"
//	Deny    = ["from all"]
//	Allow   = ["from 127.0.0.1 ::1 10.0.0.0/8", "from env=INTERNAL"]
//	Satisfy = "Any"            # local clients need no password
//	AuthType = "Basic"
//	AuthName = "intranet"
//	AuthUserFile = "conf/htpasswd"
//	Require = ["valid-user"]
//
// Allow and Deny take "from" followed by "all", "env=[!]VAR", addresses
// (full, partial IPv4, CIDR, netmask, IPv6) or host names matched with a
// double-reverse DNS lookup. Order is "Deny,Allow" (default: allowed
// unless denied, Allow overriding Deny), "Allow,Deny" (denied unless
// allowed, Deny overriding Allow) or "Mutual-failure".
//
// As in Apache 2.4, Satisfy combines Allow/Deny with the Require rules:
// with Satisfy Any a request Allow/Deny admits is served without looking
// at Require; one it refuses goes on to the Require rules (authz_core).
// The module publishes pipeline.OptSatisfyAny.
package access_compat
