package alias

import (
	"regexp"

	"gohttpd/pipeline"
)

// Module is mod_alias.
var Module = &pipeline.Module{
	Name:               "alias",
	Description:        "URL-path to file-system mapping (Alias, AliasMatch) and redirects (Redirect, RedirectMatch, RedirectPermanent, RedirectTemp)",
	CreateServerConfig: func(*pipeline.Server) any { return &ServerConfig{} },
	MergeServerConfig:  mergeServerConfig,
	CreateDirConfig:    func(string) any { return &DirConfig{} },
	MergeDirConfig:     mergeDirConfig,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// Entry is one Alias, AliasMatch, Redirect or RedirectMatch rule.
type Entry struct {
	// Fake is the URL-path prefix (Alias, Redirect) or the regular
	// expression as written (AliasMatch, RedirectMatch).
	Fake string
	// Real is the file-system path (aliases) or the target URL
	// (redirects); with a regular expression it may hold $0…$9. It is ""
	// for a redirect status that takes no URL (410 and other non-3xx).
	Real string
	// Regexp is set for AliasMatch and RedirectMatch.
	Regexp *regexp.Regexp
	// Status is the redirect status (301, 302, 303, 410, …); 0 for
	// aliases.
	Status int
}

// ServerConfig is mod_alias's per-server record: the rules written at
// the top level or in a VirtualHost section.
type ServerConfig struct {
	Aliases   []*Entry
	Redirects []*Entry
}

// DirConfig is mod_alias's per-directory record.
type DirConfig struct {
	// Redirects are Redirect and RedirectMatch rules written inside a
	// Directory, Location or Files section, checked in fixups.
	Redirects []*Entry
	// Alias is the one-argument Alias of a Location section: the file
	// the whole location maps to.
	Alias    string
	aliasSet bool
	// Redirect and RedirectStatus are the one-URL Redirect of a Location
	// section (Redirect is "" for a status without a URL, such as gone).
	Redirect       string
	RedirectStatus int
	redirectSet    bool
}

// mergeServerConfig puts a virtual host's rules before the main
// server's, so that they are tried first.
func mergeServerConfig(base, add any) any {
	b, a := base.(*ServerConfig), add.(*ServerConfig)
	return &ServerConfig{
		Aliases:   concat(a.Aliases, b.Aliases),
		Redirects: concat(a.Redirects, b.Redirects),
	}
}

// mergeDirConfig puts the more specific section's redirects first and
// lets its one-argument forms replace inherited ones.
func mergeDirConfig(base, add any) any {
	b, a := base.(*DirConfig), add.(*DirConfig)
	out := *b
	out.Redirects = concat(a.Redirects, b.Redirects)
	if a.aliasSet {
		out.Alias, out.aliasSet = a.Alias, true
	}
	if a.redirectSet {
		out.Redirect, out.RedirectStatus, out.redirectSet = a.Redirect, a.RedirectStatus, true
	}
	return &out
}

func concat(first, second []*Entry) []*Entry {
	if len(first) == 0 {
		return second
	}
	if len(second) == 0 {
		return first
	}
	out := make([]*Entry, 0, len(first)+len(second))
	return append(append(out, first...), second...)
}

func registerHooks(h *pipeline.Hooks) {
	h.TranslateName.Register("alias", translate, pipeline.Middle, pipeline.Before("userdir", "vhost_alias"))
	h.Fixups.Register("alias", fixupRedirect, pipeline.Middle)
}
