package authz_core

import (
	"strings"

	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// logic is how a container combines its children.
type logic int

const (
	logicOr  logic = iota // RequireAny, and the implicit container of a section's Require lines
	logicAnd              // RequireAll
)

// rule is one Require line or one container (Apache's authz_section_conf).
type rule struct {
	name     string          // "Require ip 10.0.0.0/8", "<RequireAll>" — for logs and errors
	check    auth.AuthzCheck // a Require line's check; nil for a container
	op       logic           // a container's logic
	negate   bool            // "Require not …", RequireNone
	children []*rule         // a container's rules
}

// eval decides r by the rule: a line asks its provider; a container
// combines its children, ignoring neutral ones. In an AND container a
// denial wins, then "needs a user"; in an OR container a grant wins, then
// "needs a user". Negation turns a grant into a denial and a denial into
// neutral: a rule that merely did not match grants nothing.
func (ru *rule) eval(r *pipeline.Request) auth.AuthzStatus {
	var res auth.AuthzStatus
	if ru.check != nil {
		res = ru.check(r)
	} else {
		res = auth.AuthzNeutral
	children:
		for _, c := range ru.children {
			cr := c.eval(r)
			switch {
			case cr == auth.AuthzGeneralError:
				return cr
			case cr == auth.AuthzNeutral:
				continue
			case ru.op == logicAnd:
				if cr == auth.AuthzDenied {
					res = cr
					break children
				}
				if res == auth.AuthzNeutral || cr == auth.AuthzDeniedNoUser && res != auth.AuthzDenied {
					res = cr
				}
			default:
				if cr == auth.AuthzGranted {
					res = cr
					break children
				}
				if res == auth.AuthzNeutral || cr == auth.AuthzDeniedNoUser && res == auth.AuthzDenied {
					res = cr
				}
			}
		}
	}
	if ru.negate {
		switch res {
		case auth.AuthzGranted:
			res = auth.AuthzDenied
		case auth.AuthzDenied, auth.AuthzDeniedNoUser:
			res = auth.AuthzNeutral
		}
	}
	return res
}

// String renders the rule tree on one line, for tests and debugging.
func (ru *rule) String() string {
	if ru.check != nil {
		return ru.name
	}
	parts := make([]string, len(ru.children))
	for i, c := range ru.children {
		parts[i] = c.String()
	}
	return ru.name + "(" + strings.Join(parts, "; ") + ")"
}
