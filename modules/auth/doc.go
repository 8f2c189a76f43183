// Package auth is the provider interface shared by the authentication and
// authorization modules — Apache's mod_auth.h and ap_register_auth_provider.
// It is not a module: it holds the provider registries, the status values
// providers answer with, and helpers that reach the optional functions the
// auth modules publish.
//
// # How the modules fit together
//
// A request meets three phases (see pipeline.ProcessRequestInternal):
//
//   - access_checker: access_compat's Order/Allow/Deny (host-based access
//     of Apache 2.2).
//   - check_user_id: authz_core first evaluates the Require rules without a
//     user (Apache's access_checker_ex): granted ends the access phases,
//     denied answers 403, and "needs a user" passes on to the
//     authentication modules — auth_basic for AuthType Basic, which asks the
//     authentication providers of AuthBasicProvider (authn_file's "file")
//     to check the password; authn_core answers last.
//   - auth_checker: authz_core evaluates the Require rules again with the
//     authenticated user, asking the authorization providers named by
//     each Require line (authz_user's "user" and "valid-user",
//     authz_groupfile's "group", authz_host's "ip", "host", "local" and
//     "forward-dns", authz_core's "all", "env" and "method").
//
// Satisfy Any (access_compat) lets a request that passes Allow/Deny skip
// the last two phases, as in Apache.
//
// Not implemented: Require expr, method-limited sections (<Limit>),
// AuthBasicFake, AuthBasicUseDigestAlgorithm, <AuthnProviderAlias>, and
// Proxy-Authorization/407 for forward-proxy requests.
//
// # Writing a provider
//
// A third-party module registers providers from init, next to its
// pipeline.RegisterModule call; a configuration may then name them in
// Require lines or in AuthBasicProvider. An authorization provider parses
// its Require arguments once, at configuration time, and returns the check
// that runs per request:
//
//	package weekday
//
//	import (
//		"fmt"
//		"strings"
//		"time"
//
//		"gohttpd/modules/auth"
//		"gohttpd/pipeline"
//	)
//
//	var Module = &pipeline.Module{Name: "authz_weekday", Description: "Require weekday Mon Tue …"}
//
//	func init() {
//		pipeline.RegisterModule(Module)
//		// Require weekday Sat Sun
//		auth.RegisterAuthzProvider(Module.Name, "weekday", auth.AuthzProviderFunc(
//			func(args []string) (auth.AuthzCheck, error) {
//				if len(args) == 0 {
//					return nil, fmt.Errorf("Require weekday: name at least one day")
//				}
//				return func(r *pipeline.Request) auth.AuthzStatus {
//					today := r.Time.Weekday().String()[:3]
//					for _, d := range args {
//						if strings.EqualFold(d, today) {
//							return auth.AuthzGranted
//						}
//					}
//					return auth.AuthzDenied
//				}, nil
//			}))
//		// AuthBasicProvider demo
//		auth.RegisterAuthnProvider(Module.Name, "demo", auth.AuthnProviderFunc(
//			func(r *pipeline.Request, user, password string) auth.AuthnStatus {
//				if user != "demo" {
//					return auth.AuthUserNotFound
//				}
//				if auth.ConstantTimeEqual(password, "demo") {
//					return auth.AuthGranted
//				}
//				return auth.AuthDenied
//			}))
//	}
//
// A provider that needs the user returns AuthzDeniedNoUser while r.User is
// empty, so that authz_core asks for authentication first; one that cannot
// decide (a file it cannot read) logs why and returns AuthzGeneralError,
// which answers 500.
//
// Package authtest runs the access phases over a TOML configuration
// without sockets, for testing a provider.
//
// Providers are looked up by exact name. Registering a name twice panics:
// it is a programming error found at start-up, as pipeline.RegisterModule.
// The registries are written only from init functions, like the module
// registry, and read afterwards without locks held across requests.
package auth
