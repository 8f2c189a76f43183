package auth_basic

import (
	"encoding/base64"
	"strings"

	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// authenticate is the check_user_id function for AuthType Basic.
func authenticate(r *pipeline.Request) pipeline.Result {
	authType := auth.AuthType(r)
	if !strings.EqualFold(authType, "Basic") {
		return pipeline.Declined
	}
	if auth.AuthName(r) == "" {
		auth.LogError(r, Module.Name, "AH01615: need AuthName: %s", r.URI)
		return 500
	}
	r.AuthType = authType
	user, password, st := credentials(r)
	if st != pipeline.OK {
		return st
	}
	// Set even though the user is not authenticated yet: access logs
	// show who tried (%u), as Apache's do.
	r.User = user

	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	providers := []string{"file"}
	if d != nil && d.providersSet {
		providers = d.Providers
	}
	result := auth.AuthUserNotFound
	for _, name := range providers {
		p, _, ok := auth.LookupAuthnProvider(name)
		if !ok {
			auth.LogError(r, Module.Name, "AH01616: No Authn provider configured (%s is not registered)", name)
			result = auth.AuthGeneralError
			break
		}
		result = p.CheckPassword(r, user, password)
		if result != auth.AuthUserNotFound {
			break
		}
	}
	switch result {
	case auth.AuthGranted:
		r.SubprocessEnv.Set("REMOTE_USER", user)
		r.SubprocessEnv.Set("AUTH_TYPE", authType)
		return pipeline.OK
	case auth.AuthDenied:
		auth.LogError(r, Module.Name, "AH01617: user %s: authentication failure for %q: Password Mismatch", user, r.URI)
	case auth.AuthUserNotFound:
		if !d.authoritative() {
			return pipeline.Declined
		}
		auth.LogError(r, Module.Name, "AH01618: user %s not found: %s", user, r.URI)
	default:
		return 500
	}
	noteFailure(r)
	return 401
}

// credentials reads the Authorization header as Apache's get_basic_auth.
func credentials(r *pipeline.Request) (user, password string, st pipeline.Result) {
	line, ok := r.HeadersIn.Lookup("Authorization")
	if !ok {
		noteFailure(r)
		return "", "", 401
	}
	scheme, rest, _ := strings.Cut(line, " ")
	if !strings.EqualFold(scheme, "Basic") {
		auth.LogError(r, Module.Name, "AH01614: client used wrong authentication scheme: %s", r.URI)
		noteFailure(r)
		return "", "", 401
	}
	decoded := decodeLenient(strings.TrimLeft(rest, " \t\r\n\v\f"))
	if i := strings.IndexByte(decoded, 0); i >= 0 {
		decoded = decoded[:i]
	}
	user, password, _ = strings.Cut(decoded, ":")
	return user, password, pipeline.OK
}

// decodeLenient decodes base64 as APR's apr_base64_decode: the text up to
// the first character outside the standard alphabet ('=' included), a
// trailing group of two or three characters giving one or two bytes, a
// lone trailing character ignored.
func decodeLenient(s string) string {
	n := 0
	for n < len(s) && isB64(s[n]) {
		n++
	}
	if n%4 == 1 {
		n--
	}
	out, err := base64.RawStdEncoding.DecodeString(s[:n])
	if err != nil {
		return ""
	}
	return string(out)
}

func isB64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}
