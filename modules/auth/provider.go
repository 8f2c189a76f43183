package auth

import (
	"crypto/subtle"
	"fmt"
	"sort"
	"sync"

	"gohttpd/pipeline"
)

// AuthnProvider checks a user's password (an AUTHN_PROVIDER_GROUP
// provider of Apache). AuthBasicProvider names providers.
type AuthnProvider interface {
	// CheckPassword reports whether password is user's. It should take
	// the same time whether or not the user exists.
	CheckPassword(r *pipeline.Request, user, password string) AuthnStatus
}

// AuthnProviderFunc adapts a function to AuthnProvider.
type AuthnProviderFunc func(r *pipeline.Request, user, password string) AuthnStatus

// CheckPassword calls f.
func (f AuthnProviderFunc) CheckPassword(r *pipeline.Request, user, password string) AuthnStatus {
	return f(r, user, password)
}

// AuthzCheck decides one Require line for a request.
type AuthzCheck func(r *pipeline.Request) AuthzStatus

// AuthzProvider turns the arguments of a Require line into its check (an
// AUTHZ_PROVIDER_GROUP provider of Apache). "Require ip 10.0.0.0/8" calls
// the "ip" provider's ParseRequire with ["10.0.0.0/8"] while the
// configuration is read; an error rejects the configuration.
type AuthzProvider interface {
	ParseRequire(args []string) (AuthzCheck, error)
}

// AuthzProviderFunc adapts a function to AuthzProvider.
type AuthzProviderFunc func(args []string) (AuthzCheck, error)

// ParseRequire calls f.
func (f AuthzProviderFunc) ParseRequire(args []string) (AuthzCheck, error) { return f(args) }

// registry holds the providers, written from init functions only.
var registry struct {
	sync.RWMutex
	authn map[string]registered[AuthnProvider]
	authz map[string]registered[AuthzProvider]
}

type registered[P any] struct {
	module string
	p      P
}

// RegisterAuthnProvider makes p available to AuthBasicProvider under name,
// on behalf of module (the provider exists only when module is loaded).
// It panics when name is taken.
func RegisterAuthnProvider(module, name string, p AuthnProvider) {
	registry.Lock()
	defer registry.Unlock()
	if registry.authn == nil {
		registry.authn = map[string]registered[AuthnProvider]{}
	}
	if old, dup := registry.authn[name]; dup {
		panic(fmt.Sprintf("auth: authn provider %q registered by %s and %s", name, old.module, module))
	}
	registry.authn[name] = registered[AuthnProvider]{module, p}
}

// RegisterAuthzProvider makes p available to Require under name, on
// behalf of module. It panics when name is taken.
func RegisterAuthzProvider(module, name string, p AuthzProvider) {
	registry.Lock()
	defer registry.Unlock()
	if registry.authz == nil {
		registry.authz = map[string]registered[AuthzProvider]{}
	}
	if old, dup := registry.authz[name]; dup {
		panic(fmt.Sprintf("auth: authz provider %q registered by %s and %s", name, old.module, module))
	}
	registry.authz[name] = registered[AuthzProvider]{module, p}
}

// LookupAuthnProvider returns the authentication provider called name and
// the module that registered it.
func LookupAuthnProvider(name string) (p AuthnProvider, module string, ok bool) {
	registry.RLock()
	defer registry.RUnlock()
	e, ok := registry.authn[name]
	return e.p, e.module, ok
}

// LookupAuthzProvider returns the authorization provider called name and
// the module that registered it.
func LookupAuthzProvider(name string) (p AuthzProvider, module string, ok bool) {
	registry.RLock()
	defer registry.RUnlock()
	e, ok := registry.authz[name]
	return e.p, e.module, ok
}

// AuthnProviderNames lists the registered authentication providers, sorted.
func AuthnProviderNames() []string {
	registry.RLock()
	defer registry.RUnlock()
	return sortedKeys(registry.authn)
}

// AuthzProviderNames lists the registered authorization providers, sorted.
func AuthzProviderNames() []string {
	registry.RLock()
	defer registry.RUnlock()
	return sortedKeys(registry.authz)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ConstantTimeEqual reports whether a and b are equal in time that depends
// only on their lengths.
func ConstantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
