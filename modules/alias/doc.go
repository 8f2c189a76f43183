// Package alias is mod_alias: it maps URL paths to file-system paths
// outside the DocumentRoot (Alias, AliasMatch) and answers URL paths with
// redirects (Redirect, RedirectMatch, RedirectPermanent, RedirectTemp).
//
// Server-level redirects and aliases run in translate_name, before
// mod_userdir's and the core's translation: the redirects first, then the
// aliases, each list in configuration order with a virtual host's entries
// before the main server's. Redirects written inside Directory, Location
// or Files sections are checked again in fixups, once the sections that
// apply to the request are known. Inside a Location section the
// one-argument forms "Alias file-path" and "Redirect [status] URL" apply to
// the whole location; gohttpd takes their argument literally (Apache 2.4
// evaluates it as an ap_expr string; a "%{" in it is refused at start-up).
// A status-only Redirect ("Redirect gone") outside a Location section is
// refused: Apache accepts it and answers every request of the server with
// that status.
package alias
