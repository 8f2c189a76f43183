// Package auth_basic is mod_auth_basic: HTTP Basic authentication
// (RFC 7617) for sections with AuthType Basic, checking the credentials
// with the providers AuthBasicProvider names (authn_file's "file" by
// default, or any provider registered through package auth).
//
// Its check_user_id function answers as Apache does:
//
//   - no Authorization header, another scheme, or credentials no provider
//     accepts: 401 with "WWW-Authenticate: Basic realm="<AuthName>"" and
//     Apache's 401 page; the error log says why (AH01614 wrong scheme,
//     AH01617 password mismatch, AH01618 user not found);
//   - a provider that cannot answer (unreadable AuthUserFile): 500;
//   - AuthType Basic without AuthName: 500 (AH01615);
//   - success: r.User and r.AuthType are set, and REMOTE_USER and
//     AUTH_TYPE in r.SubprocessEnv. r.User also carries the name a failed
//     attempt sent, so access logs show it (%u), as Apache's do.
//
// The credentials are decoded as Apache decodes them: spaces after
// "Basic" are skipped, the base64 text is read up to its first character
// outside the alphabet, the user name ends at the first colon (no colon:
// an empty password) and a NUL ends the whole string.
package auth_basic
