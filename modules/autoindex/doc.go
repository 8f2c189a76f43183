// Package autoindex is gohttpd's mod_autoindex: the handler for
// directories (content type httpd/unix-directory) that no DirectoryIndex
// file answered. With Options Indexes it lists the directory in Apache's
// HTML — a plain list, FancyIndexing's preformatted columns, or
// HTMLTable's table, with Name, Last modified, Size and Description
// columns sortable by the query (?C=N;O=D) — and without it refuses with
// 403. Entries are looked up by sub-request, so files the configuration
// hides (IndexIgnore, access rules, forbidden symbolic links) are not
// listed.
package autoindex
