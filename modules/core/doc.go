// Package core is gohttpd's core module (Apache's core_module): the
// directives every server has — addresses, users, limits, the process
// model, DocumentRoot, Options and the other per-directory basics — and the
// core's own hooks. It is always loaded.
package core
