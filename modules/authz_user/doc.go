// Package authz_user is mod_authz_user: the authorization providers
// "valid-user" (any authenticated user) and "user" (the listed users,
// compared exactly).
//
//	Require = ["valid-user"]
//	Require = ["user alice bob"]
//
// Without an authenticated user both answer "needs a user", so
// authz_core asks the authentication modules first.
package authz_user
