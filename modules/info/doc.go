// Package info is mod_info: the "server-info" handler, which shows the
// loaded modules, their directives with the values in force, the server's
// settings, and every hook's functions in the order the engine runs them,
// straight from the hook engine's introspection (pipeline.Hooks.Describe).
//
// A Location with "SetHandler server-info" answers, as Apache's mod_info:
//
//	(none)       everything: module list, server settings, hooks, and
//	             each module's page
//	?list        the module list
//	?server      the server settings
//	?hooks       every hook with its functions in run order: the order
//	             (APR_HOOK_* value), the module, and beyond Apache the Go
//	             function and its ordering constraints
//	?config      the configuration as read, every directive with its file
//	             and line, sections shown as Apache writes them
//	?mod_x.c     one module's page (any spelling: "?x", "?mod_x")
//
// Hooks are listed in the order of pipeline.Hooks.Describe: the child,
// connection and request chain, then the server hooks, then the private
// hooks modules add (mod_proxy's). Each hook carries id="hook-NAME", each
// function class="hookfn", so that scripts can read the page.
//
// AddModuleInfo adds a line of HTML to a module's page, as in Apache.
package info
