package authz_user

import (
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_authz_user.
var Module = &pipeline.Module{
	Name:        "authz_user",
	Description: "Require valid-user and Require user",
}

func init() {
	pipeline.RegisterModule(Module)
	auth.RegisterAuthzProvider(Module.Name, "valid-user", auth.AuthzProviderFunc(parseValidUser))
	auth.RegisterAuthzProvider(Module.Name, "user", auth.AuthzProviderFunc(parseUser))
}

func parseValidUser([]string) (auth.AuthzCheck, error) {
	return func(r *pipeline.Request) auth.AuthzStatus {
		if r.User == "" {
			return auth.AuthzDeniedNoUser
		}
		return auth.AuthzGranted
	}, nil
}

func parseUser(args []string) (auth.AuthzCheck, error) {
	users := map[string]bool{}
	for _, u := range args {
		users[u] = true
	}
	return func(r *pipeline.Request) auth.AuthzStatus {
		switch {
		case r.User == "":
			return auth.AuthzDeniedNoUser
		case users[r.User]:
			return auth.AuthzGranted
		}
		auth.LogError(r, Module.Name, "AH01663: access to %s failed, reason: user '%s' does not meet 'require'ments for user to be allowed access", r.URI, r.User)
		return auth.AuthzDenied
	}, nil
}
