package authz_core

import (
	"fmt"
	"strings"

	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// The providers mod_authz_core itself offers: all, env and method.
func registerProviders() {
	auth.RegisterAuthzProvider(Module.Name, "all", auth.AuthzProviderFunc(parseAll))
	auth.RegisterAuthzProvider(Module.Name, "env", auth.AuthzProviderFunc(parseEnv))
	auth.RegisterAuthzProvider(Module.Name, "method", auth.AuthzProviderFunc(parseMethod))
}

func granted(r *pipeline.Request) auth.AuthzStatus { return auth.AuthzGranted }
func denied(r *pipeline.Request) auth.AuthzStatus  { return auth.AuthzDenied }

// parseAll: Require all granted|denied.
func parseAll(args []string) (auth.AuthzCheck, error) {
	if len(args) == 1 {
		switch strings.ToLower(args[0]) {
		case "granted":
			return granted, nil
		case "denied":
			return denied, nil
		}
	}
	return nil, fmt.Errorf("Argument for 'Require all' must be 'granted' or 'denied', not %q", strings.Join(args, " "))
}

// parseEnv: Require env VAR [VAR …] grants when one of the variables is
// set in the request's environment (none listed: never).
func parseEnv(args []string) (auth.AuthzCheck, error) {
	names := append([]string(nil), args...)
	return func(r *pipeline.Request) auth.AuthzStatus {
		for _, n := range names {
			if _, ok := r.SubprocessEnv.Lookup(n); ok {
				return auth.AuthzGranted
			}
		}
		return auth.AuthzDenied
	}, nil
}

// parseMethod: Require method GET POST … grants the listed methods; GET
// covers HEAD, as Apache's method numbers do.
func parseMethod(args []string) (auth.AuthzCheck, error) {
	methods := map[string]bool{}
	for _, m := range args {
		methods[m] = true
	}
	if methods["GET"] {
		methods["HEAD"] = true
	}
	return func(r *pipeline.Request) auth.AuthzStatus {
		if methods[r.Method] {
			return auth.AuthzGranted
		}
		return auth.AuthzDenied
	}, nil
}
