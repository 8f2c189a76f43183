// Package mime is gohttpd's mod_mime: it gives each file its media type,
// character set, content encoding, languages and handler from the
// extensions of its name (file.html.en has two), through the type_checker
// hook. The types come from TypesConfig (default /etc/mime.types when it
// exists, else a built-in table); AddType, AddCharset, AddEncoding,
// AddLanguage and AddHandler add per-directory mappings, and the Remove*
// directives take them away again. ForceType and SetHandler are core
// directives, as in Apache 2.4.
package mime
