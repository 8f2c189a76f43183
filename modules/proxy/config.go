package proxy

import (
	"regexp"
	"time"

	"gohttpd/pipeline"
)

// Alias is one ProxyPass or ProxyPassMatch rule (Apache's proxy_alias).
type Alias struct {
	// Fake is the URL-path prefix ("/app/"), or the pattern's text for a
	// regular-expression rule.
	Fake string
	// Regex is set for ProxyPassMatch (and ProxyPass in LocationMatch).
	Regex *regexp.Regexp
	// Real is the target URL, or "!" for an exclusion.
	Real string
	// Worker is the target's worker; nil for exclusions and balancers.
	Worker *Worker
	// Balancer is the target's balancer for balancer:// URLs.
	Balancer *Balancer
	// NoCanon passes the path to the backend as the client sent it.
	NoCanon bool

	template string // Real with $N written ${N}, for regexp expansion
}

// Excludes reports whether the rule is a "!" exclusion.
func (a *Alias) Excludes() bool { return a.Real == "!" }

// ReverseMap is one ProxyPassReverse or ProxyPassReverseCookie* rule:
// values starting with Real (the backend's form) are rewritten to start
// with Fake (the client's form).
type ReverseMap struct {
	Fake, Real string
}

// ServerConfig is mod_proxy's per-server record (Apache's
// proxy_server_conf).
type ServerConfig struct {
	// Aliases are the server-level ProxyPass and ProxyPassMatch rules in
	// the order they are tried: the main server's, then the virtual
	// host's own.
	Aliases []*Alias
	// Requests is ProxyRequests: forward proxying (off by default).
	Requests    bool
	requestsSet bool
	// Timeout is ProxyTimeout; 0 means the server's Timeout.
	Timeout    time.Duration
	timeoutSet bool
	// Via is ProxyVia.
	Via    Via
	viaSet bool
}

// Via is a ProxyVia setting.
type Via uint8

// The ProxyVia settings, as Apache's.
const (
	ViaOff   Via = iota // add no Via header (default)
	ViaOn               // add "1.1 name[:port]" to requests and responses
	ViaFull             // the same with the server's version as a comment
	ViaBlock            // remove Via from proxied requests
)

func createServerConfig(*pipeline.Server) any { return &ServerConfig{} }

func mergeServerConfig(base, add any) any {
	b, a := base.(*ServerConfig), add.(*ServerConfig)
	out := *a
	out.Aliases = append(append([]*Alias(nil), b.Aliases...), a.Aliases...)
	if !a.requestsSet {
		out.Requests, out.requestsSet = b.Requests, b.requestsSet
	}
	if !a.timeoutSet {
		out.Timeout, out.timeoutSet = b.Timeout, b.timeoutSet
	}
	if !a.viaSet {
		out.Via, out.viaSet = b.Via, b.viaSet
	}
	return &out
}

// flag is an On/Off setting that may be unset (and then inherited).
type flag uint8

const (
	flagUnset flag = iota
	flagOn
	flagOff
)

func flagOf(b bool) flag {
	if b {
		return flagOn
	}
	return flagOff
}

func (f flag) or(base flag) flag {
	if f == flagUnset {
		return base
	}
	return f
}

// DirConfig is mod_proxy's per-directory record (Apache's
// proxy_dir_conf).
type DirConfig struct {
	// Alias is a ProxyPass or ProxyPassMatch written inside a Location
	// section; it is tried before the server's rules.
	Alias *Alias
	// Reverse are the ProxyPassReverse rules in force.
	Reverse []ReverseMap
	// CookieDomains and CookiePaths are the
	// ProxyPassReverseCookieDomain and ProxyPassReverseCookiePath rules.
	CookieDomains, CookiePaths []ReverseMap
	// ErrorOverrideCodes limits ProxyErrorOverride to these statuses;
	// empty means every status from 400 up.
	ErrorOverrideCodes []int

	preserveHost, addHeaders, errorOverride flag
}

func createDirConfig(string) any { return &DirConfig{} }

func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := &DirConfig{
		Alias:         a.Alias,
		Reverse:       append(append([]ReverseMap(nil), b.Reverse...), a.Reverse...),
		CookieDomains: append(append([]ReverseMap(nil), b.CookieDomains...), a.CookieDomains...),
		CookiePaths:   append(append([]ReverseMap(nil), b.CookiePaths...), a.CookiePaths...),
		preserveHost:  a.preserveHost.or(b.preserveHost),
		addHeaders:    a.addHeaders.or(b.addHeaders),
		errorOverride: a.errorOverride.or(b.errorOverride),
	}
	if out.Alias == nil {
		out.Alias = b.Alias
	}
	out.ErrorOverrideCodes = a.ErrorOverrideCodes
	if a.errorOverride == flagUnset {
		out.ErrorOverrideCodes = b.ErrorOverrideCodes
	}
	return out
}

// PreserveHost reports whether ProxyPreserveHost is on: the client's Host
// header goes to the backend instead of the worker's host name.
func (d *DirConfig) PreserveHost() bool { return d != nil && d.preserveHost == flagOn }

// AddHeaders reports whether ProxyAddHeaders is on (the default): the
// X-Forwarded-For, -Host and -Server headers are added.
func (d *DirConfig) AddHeaders() bool { return d == nil || d.addHeaders != flagOff }

// ErrorOverride reports whether ProxyErrorOverride replaces a backend
// response of this status with the local error document.
func (d *DirConfig) ErrorOverride(status int) bool {
	if d == nil || d.errorOverride != flagOn || status < 400 {
		return false
	}
	if len(d.ErrorOverrideCodes) == 0 {
		return true
	}
	for _, c := range d.ErrorOverrideCodes {
		if c == status {
			return true
		}
	}
	return false
}

// ServerConfigOf returns mod_proxy's record for s.
func ServerConfigOf(s *pipeline.Server) *ServerConfig {
	if s == nil {
		return nil
	}
	return pipeline.ModuleConfig[*ServerConfig](s.Config, Module)
}

// DirConfigOf returns mod_proxy's per-directory record in v.
func DirConfigOf(v pipeline.ConfigVector) *DirConfig {
	return pipeline.ModuleConfig[*DirConfig](v, Module)
}

// Timeout returns the I/O timeout for w serving r: the worker's
// timeout=, else ProxyTimeout, else the server's Timeout.
func Timeout(r *pipeline.Request, w *Worker) time.Duration {
	if w != nil && w.Params.Timeout > 0 {
		return w.Params.Timeout
	}
	if sc := ServerConfigOf(r.Server); sc != nil && sc.Timeout > 0 {
		return sc.Timeout
	}
	if r.Server != nil && r.Server.Timeout > 0 {
		return r.Server.Timeout
	}
	return 60 * time.Second
}
