// Package core is gohttpd's core module (Apache's core_module): the
// directives every server has — addresses, users, limits, the process
// model, DocumentRoot, Options and the other per-directory basics — and the
// core's own hooks: URI-to-file translation, the Directory/Files walk with
// its symbolic-link checks, and the default handler, which serves files
// with Apache's validators (ETag, Last-Modified), conditional requests
// (MeetsConditions) and byte ranges (the BYTERANGE filter), from a cache
// of small files or with sendfile. It is always loaded.
package core
