// Package setenvif is mod_setenvif: it sets environment variables (the
// request's SubprocessEnv) from attributes of the request (SetEnvIf,
// SetEnvIfNoCase, BrowserMatch, BrowserMatchNoCase).
//
// Rules written at the top level or in a VirtualHost section run in
// post_read_request, before the URL is mapped; rules inside Directory,
// Location or Files sections run in header_parser, once the sections that
// apply are known. An attribute is a request header name (or a regular
// expression matched against header names), one of Remote_Host,
// Remote_Addr, Server_Addr, Request_Method, Request_Protocol and
// Request_URI, or the name of an environment variable set by an earlier
// rule. A value pattern without regular-expression characters is a
// substring test; otherwise it is a regular expression whose captures
// $0…$9 may be used in the values set. "!var" unsets var.
package setenvif
