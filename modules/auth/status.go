package auth

// AuthnStatus is an authentication provider's answer about one user and
// password (Apache's authn_status).
type AuthnStatus int

const (
	// AuthDenied: the user exists and the password is wrong.
	AuthDenied AuthnStatus = iota
	// AuthGranted: the password is right.
	AuthGranted
	// AuthUserNotFound: the provider does not know the user; the next
	// provider of AuthBasicProvider is asked.
	AuthUserNotFound
	// AuthGeneralError: the provider cannot answer (unreadable file); the
	// request is answered 500. The provider logs the reason.
	AuthGeneralError
)

// String names the status as Apache's constants do.
func (s AuthnStatus) String() string {
	switch s {
	case AuthDenied:
		return "AUTH_DENIED"
	case AuthGranted:
		return "AUTH_GRANTED"
	case AuthUserNotFound:
		return "AUTH_USER_NOT_FOUND"
	case AuthGeneralError:
		return "AUTH_GENERAL_ERROR"
	}
	return "AuthnStatus(?)"
}

// AuthzStatus is an authorization check's answer (Apache's authz_status).
type AuthzStatus int

const (
	// AuthzDenied: the rule does not admit the request.
	AuthzDenied AuthzStatus = iota
	// AuthzGranted: the rule admits the request.
	AuthzGranted
	// AuthzNeutral: the rule has no opinion (a negated rule that did not
	// match); containers ignore it.
	AuthzNeutral
	// AuthzGeneralError: the rule cannot be decided; the request is
	// answered 500. The provider logs the reason.
	AuthzGeneralError
	// AuthzDeniedNoUser: the rule needs an authenticated user; with one,
	// the answer may change.
	AuthzDeniedNoUser
)

// String returns the word Apache's trace logs use.
func (s AuthzStatus) String() string {
	switch s {
	case AuthzDenied:
		return "denied"
	case AuthzGranted:
		return "granted"
	case AuthzNeutral:
		return "neutral"
	case AuthzGeneralError:
		return "error"
	case AuthzDeniedNoUser:
		return "denied (no authenticated user yet)"
	}
	return "AuthzStatus(?)"
}
