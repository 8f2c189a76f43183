// Package authz_core is mod_authz_core: the Require rules, their
// containers, AuthMerging, AuthzSendForbiddenOnFailure, the providers
// "all", "env" and "method", and the authorization decisions of the
// request's access phases.
//
// # Configuration
//
// Require lines of one section form an implicit RequireAny:
//
//	[[Directory]]
//	Path    = "htdocs/staff"
//	Require = ["ip 10.0.0.0/8", "group staff"]   # either suffices
//
// Containers are nested TOML tables under the section, each with an
// optional Require list and further containers; several tables of one
// kind are several containers:
//
//	[[Directory.RequireAll]]                  # <RequireAll>
//	Require = ["valid-user", "not user guest"]
//	[[Directory.RequireAll.RequireAny]]       #   <RequireAny> inside it
//	Require = ["ip 10.0.0.0/8", "group remote"]
//	[[Directory.RequireAll.RequireNone]]      #   <RequireNone> inside it
//	Require = ["env BLOCKED"]
//
// Shorter forms: RequireAll = ["valid-user", "not user guest"] is one
// container of those lines, and inline tables work too:
// RequireAny = [{Require = ["ip 10.1"]}, {Require = ["method GET"]}].
// Keys inside a container are Require, RequireAll, RequireAny and
// RequireNone. Configuration errors are Apache's: "Require not" or
// RequireNone directly in a RequireAny (or a section's implicit one, or a
// RequireNone) has no effect and is refused; a container with no rules, or
// only negated ones, is refused; an unknown provider is named.
//
// AuthMerging Off (default) lets a section's rules replace the enclosing
// section's; And / Or combine both in a RequireAll / RequireAny. A section
// without authorization directives inherits the enclosing rules.
//
// # Decisions
//
// Rules evaluate to granted, denied, neutral or "needs a user"; an AND
// container is denied by any denial, an OR container granted by any grant;
// negation turns a grant into a denial and a denial into neutral. The
// pipeline has Apache's three hooks but not access_checker_ex, so this
// module runs it as the first check_user_id function:
//
//   - before authentication: granted admits the request without asking
//     for credentials; denied answers 403 (AH01630); "needs a user" lets
//     the authentication modules run (a 401 from auth_basic when the
//     credentials are missing or wrong).
//   - auth_checker, with the user: granted admits; otherwise 401 with a
//     fresh challenge, or 403 when no AuthType is set or
//     AuthzSendForbiddenOnFailure is on. Rules that need a user while no
//     authentication module set one answer 500 (AH00027), as do an
//     AuthType without rules (AH01627) and a provider error.
//
// The module publishes pipeline.OptSomeAuthRequired: true when rules
// apply, an AuthType is set, or Satisfy Any is in force (so that Apache's
// Satisfy Any semantics hold; see access_compat). These answers were
// compared with Apache 2.4.71 request by request (integration tests).
package authz_core
