package authz_core

import (
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// checkAccessWithoutUser is authz_core's access_checker_ex (Apache's
// authorize_userless): it decides the Require rules before anyone is
// authenticated. Granted ends the access phases without authentication;
// denied answers 403; "needs a user" declines, so the authentication
// modules run.
func checkAccessWithoutUser(r *pipeline.Request) pipeline.Result {
	// A sub-request or redirect re-authenticates from the request's
	// headers rather than trusting a user established for another
	// configuration.
	r.User, r.AuthType = "", ""
	d := ConfigOf(r.PerDir)
	if d == nil || d.top == nil {
		return noRules(r)
	}
	switch res := d.top.eval(r); res {
	case auth.AuthzGranted:
		return pipeline.OK
	case auth.AuthzDeniedNoUser:
		return pipeline.Declined
	case auth.AuthzDenied, auth.AuthzNeutral:
		logDenied(r)
		return 403
	default:
		return 500
	}
}

// checkAccessWithUser is authz_core's auth_checker: the Require rules with
// the authenticated user (Apache's authorize_user).
func checkAccessWithUser(r *pipeline.Request) pipeline.Result {
	d := ConfigOf(r.PerDir)
	if d == nil || d.top == nil {
		return noRules(r)
	}
	res := d.top.eval(r)
	if r.User == "" && res != auth.AuthzGranted {
		// check_user_id passed without a user although the rules want
		// one: no authentication module handled the request.
		auth.LogError(r, Module.Name, "AH00027: No authentication done but request not allowed without authentication for %s. Authentication not configured?", r.URI)
		return 500
	}
	switch res {
	case auth.AuthzGranted:
		return pipeline.OK
	case auth.AuthzDeniedNoUser:
		auth.LogError(r, Module.Name, "AH01629: authorization failure (no authenticated user): %s", r.URI)
		auth.NoteAuthFailure(r)
		return 401
	case auth.AuthzDenied, auth.AuthzNeutral:
		if auth.AuthType(r) == "" {
			logDenied(r)
			return 403
		}
		auth.LogError(r, Module.Name, "AH01631: user %s: authorization failure for %q: ", r.User, r.URI)
		if d.forbiddenOnFail > 0 {
			return 403
		}
		auth.NoteAuthFailure(r)
		return 401
	default:
		return 500
	}
}

// noRules answers a request no Require rule applies to: admitted, unless
// an AuthType is set, which Apache treats as a configuration error.
func noRules(r *pipeline.Request) pipeline.Result {
	if t := auth.AuthType(r); t != "" {
		auth.LogError(r, Module.Name, "AH01627: AuthType configured with no corresponding authorization directives")
		return 500
	}
	return pipeline.OK
}

func logDenied(r *pipeline.Request) {
	if r.Filename != "" {
		auth.LogError(r, Module.Name, "AH01630: client denied by server configuration: %s", r.Filename)
		return
	}
	auth.LogError(r, Module.Name, "AH01630: client denied by server configuration: uri %s", r.URI)
}
