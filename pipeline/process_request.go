package pipeline

import (
	"fmt"
	"strings"
	"time"
)

// Optional functions an authorization module publishes to steer the
// access phases (see ProcessRequestInternal). Both have type
// func(*Request) bool.
const (
	// OptSomeAuthRequired reports whether the request needs an
	// authenticated user (Apache's ap_some_auth_required).
	OptSomeAuthRequired = "ap_some_auth_required"
	// OptSatisfyAny reports whether passing access_checker alone, or
	// authentication alone, admits the request (Satisfy Any).
	OptSatisfyAny = "ap_satisfy_any"
)

// LimitInternalRecursion bounds nested internal redirects and nested
// sub-requests, as Apache's default LimitInternalRecursion 10.
const LimitInternalRecursion = 10

// NewRequest returns a request record for c with Apache's starting state:
// the connection's base server, status 200, the server's per-directory
// defaults, and the connection's filters. The protocol fills the head.
func NewRequest(c *Conn) *Request {
	r := c.reuseRequest()
	if r == nil {
		r = allocRequest()
	}
	r.Conn, r.Server, r.Status, r.Time = c, c.Base, 200, time.Now()
	if c.Base != nil {
		r.PerDir = c.Base.DirDefaults
	}
	r.outputFilters, r.protoOutputFilters = c.outputFilters, c.outputFilters
	r.inputFilters, r.protoInputFilters = c.inputFilters, c.inputFilters
	return r
}

// hooks returns the hooks of r's generation.
func (r *Request) hooks() *Hooks { return r.Conn.Gen.Hooks }

// ProcessRequest runs a request that has been read through every phase
// (Apache's ap_process_request): quick_handler; or the mapping phases of
// ProcessRequestInternal and the handler; then the end of the response or
// the error path; and log_transaction in every case.
func ProcessRequest(r *Request) {
	h := r.hooks()
	status := h.QuickHandler.Run(func(f QuickHandlerFunc) Result { return f(r, false) })
	if status == Declined {
		status = ProcessRequestInternal(r)
		if status == OK {
			status = InvokeHandler(r)
		}
	}
	if status == Done {
		status = OK
	}
	if status == OK {
		finalizeRequestProtocol(r)
	} else {
		r.Status = 200
		Die(r, status)
	}
	LogTransaction(r)
}

// LogTransaction runs log_transaction for r (the first request of its
// redirect chain) with the worker in the Logging state.
func LogTransaction(r *Request) {
	r = r.Initial()
	r.Conn.Worker.SetState(StateLogging)
	r.hooks().LogTransaction.Run(func(f RequestFunc) Result { return f(r) })
}

// ProcessRequestInternal runs the phases that map a request to a resource
// and decide whether it may be served (Apache's
// ap_process_request_internal): URI normalisation, Location walk,
// translate_name, map_to_storage, Location walk again, header_parser
// (main requests), the access phases, type_checker and fixups. It returns
// OK, Done, or the status to answer.
//
// The access phases follow Satisfy All unless an authorization module
// publishes OptSatisfyAny: access_checker, then — when OptSomeAuthRequired
// says so — check_user_id and auth_checker, each of which must succeed.
// With Satisfy Any, authentication runs only when access_checker refused.
func ProcessRequestInternal(r *Request) Result {
	h := r.hooks()
	fileReq := r.Main != nil && r.Filename != ""
	if !fileReq {
		if r.URI != "*" {
			uri, st := NormalizePath(r.TargetPath())
			if st != OK {
				return st
			}
			r.URI = uri
		}
		r.PerDir = r.Server.LocationWalk(r.Server.DirDefaults, r.URI)
		if st := h.TranslateName.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
			return declDie(r, st, "translate")
		}
	}
	// Done from map_to_storage means the request was answered there (as
	// OPTIONS * is): no handler runs.
	if st := h.MapToStorage.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
		return declDie(r, st, "map to storage")
	}
	// Location sections override whatever the storage mapping merged.
	r.PerDir = r.Server.LocationWalk(r.PerDir, r.URI)
	if r.Main == nil {
		if st := h.HeaderParser.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
			return st
		}
	}
	if st := accessPhases(r); st != OK {
		return st
	}
	if st := h.TypeChecker.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
		return declDie(r, st, "find types")
	}
	if st := h.Fixups.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
		return st
	}
	return OK
}

// accessPhases runs the access phases as Apache 2.4's
// ap_process_request_internal: access_checker; then access_checker_ex,
// whose OK authorizes the request without authentication (unless
// force_authn says otherwise) and whose Declined runs check_user_id and
// auth_checker. Under Satisfy Any (an authorization module publishes
// OptSatisfyAny) an access_checker that allows the request ends the
// phases; under Satisfy All its refusal does.
//
// Without an access_checker_ex function (no authorization module
// loaded), check_user_id and auth_checker run only when
// OptSomeAuthRequired says so.
func accessPhases(r *Request) Result {
	h := r.hooks()
	access := h.AccessChecker.Run(func(f RequestFunc) Result { return f(r) })
	satisfyAny := optionalBool(r, OptSatisfyAny)
	switch {
	case satisfyAny && access == OK:
		return OK
	case !satisfyAny && access != OK:
		return access
	}
	if h.AccessCheckerEx.Len() == 0 {
		if !optionalBool(r, OptSomeAuthRequired) {
			return access
		}
		return authenticate(r)
	}
	st := h.AccessCheckerEx.Run(func(f RequestFunc) Result { return f(r) })
	switch {
	case st == OK && h.ForceAuthn.Run(func(f RequestFunc) Result { return f(r) }) != OK:
		return OK // authorized without authentication
	case st == OK || st == Declined:
		return authenticate(r)
	default:
		return declDie(r, st, "check access")
	}
}

// authenticate runs check_user_id and auth_checker, each of which must
// succeed.
func authenticate(r *Request) Result {
	h := r.hooks()
	if st := h.CheckUserID.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
		return declDie(r, st, "check user.  No user file?")
	}
	if st := h.AuthChecker.Run(func(f RequestFunc) Result { return f(r) }); st != OK {
		return declDie(r, st, "check access.  No groups file?")
	}
	return OK
}

func optionalBool(r *Request, name string) bool {
	fn, ok, _ := RetrieveOptional[func(*Request) bool](r.hooks().Optional, name)
	return ok && fn(r)
}

// declDie turns a phase that every module declined into a 500 with a log
// line, as Apache's decl_die.
func declDie(r *Request, st Result, what string) Result {
	if st == Declined {
		logf(r, "configuration error: couldn't %s: %s", what, r.URI)
		return 500
	}
	return st
}

// InvokeHandler runs insert_filter and the handler hook (Apache's
// ap_invoke_handler). The handler name is r.Handler, or the content type
// without parameters; when every handler declines the result is 500.
func InvokeHandler(r *Request) Result {
	h := r.hooks()
	h.InsertFilter.Run(func(f RequestFunc) Result { f(r); return OK })
	saved := r.Handler
	if r.Handler == "" {
		ct := r.ContentType
		if i := strings.IndexByte(ct, ';'); i >= 0 {
			ct = strings.TrimSpace(ct[:i])
		}
		r.Handler = strings.ToLower(ct)
	}
	st := h.Handler.Run(func(f RequestFunc) Result { return f(r) })
	r.Handler = saved
	if st == Declined {
		logf(r, "handler %q not found for: %s", r.Handler, r.Filename)
		return 500
	}
	return st
}

// RawPath returns the path of the request-target as received: without
// scheme and authority for an absolute URI, without the query.
func (r *Request) RawPath() string {
	p := r.RawURI
	if i := strings.Index(p, "://"); i >= 0 && !strings.HasPrefix(p, "/") {
		rest := p[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			p = rest[j:]
		} else {
			p = "/"
		}
	}
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	return p
}

// logf writes an error-log line about r.
func logf(r *Request, format string, args ...any) {
	var s *Server
	if r != nil {
		s = r.Server
	}
	if s == nil || s.Log == nil {
		return
	}
	client := ""
	if r.Conn != nil {
		client = r.Conn.RemoteAddr
	}
	s.Log.Error(fmt.Sprintf(format, args...), "client", client)
}
