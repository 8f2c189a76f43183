package auth

import (
	"strings"

	"gohttpd/pipeline"
)

// Optional functions of the auth modules. Each has type
// func(*pipeline.Request) string unless noted.
const (
	// OptAuthType returns the AuthType in force ("" for none); published
	// by authn_core (Apache's ap_auth_type).
	OptAuthType = "ap_auth_type"
	// OptAuthName returns the AuthName (realm) in force; published by
	// authn_core (Apache's ap_auth_name).
	OptAuthName = "ap_auth_name"
	// optNoteAuthFailurePrefix + lower-case AuthType names a
	// func(*pipeline.Request) that adds the challenge header of that
	// scheme (Apache's note_auth_failure hook).
	optNoteAuthFailurePrefix = "ap_note_auth_failure:"
)

// OptNoteAuthFailure returns the name under which the module implementing
// authType publishes its func(*pipeline.Request) that adds the challenge
// (WWW-Authenticate) to a failed request: auth_basic publishes
// OptNoteAuthFailure("Basic").
func OptNoteAuthFailure(authType string) string {
	return optNoteAuthFailurePrefix + strings.ToLower(authType)
}

// AuthType returns the AuthType configured for r, or "" when none is (or
// authn_core is not loaded).
func AuthType(r *pipeline.Request) string { return optString(r, OptAuthType) }

// AuthName returns the AuthName configured for r, or "".
func AuthName(r *pipeline.Request) string { return optString(r, OptAuthName) }

// NoteAuthFailure asks the module of r's AuthType to add its challenge to
// r's error headers (Apache's ap_note_auth_failure). It logs when no
// loaded module implements the AuthType.
func NoteAuthFailure(r *pipeline.Request) {
	t := AuthType(r)
	if t == "" {
		return
	}
	o := Optionals(r)
	if o == nil {
		return
	}
	fn, ok, _ := pipeline.RetrieveOptional[func(*pipeline.Request)](o, OptNoteAuthFailure(t))
	if !ok {
		LogError(r, "authn_core", "AH01626: AuthType %s configured without corresponding module", t)
		return
	}
	fn(r)
}

// Optionals returns the optional functions of r's generation, or nil for
// a request not attached to one.
func Optionals(r *pipeline.Request) *pipeline.Optionals {
	if r == nil || r.Conn == nil || r.Conn.Gen == nil || r.Conn.Gen.Hooks == nil {
		return nil
	}
	return r.Conn.Gen.Hooks.Optional
}

func optString(r *pipeline.Request, name string) string {
	o := Optionals(r)
	if o == nil {
		return ""
	}
	fn, ok, _ := pipeline.RetrieveOptional[func(*pipeline.Request) string](o, name)
	if !ok {
		return ""
	}
	return fn(r)
}
