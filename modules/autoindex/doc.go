// Package autoindex is gohttpd's mod_autoindex: the handler for
// directories (content type httpd/unix-directory) that no DirectoryIndex
// file answered. With Options Indexes it lists the directory in Apache
// 2.4's HTML, byte for byte: a plain list, FancyIndexing's preformatted
// columns, or HTMLTable's table, with icon, Name, Last modified, Size and
// Description columns sortable by the query (?C=N;O=D, F=, V=, P=);
// without Options Indexes it refuses with 403.
//
// Entries are looked up by sub-request, so files the configuration hides
// (IndexIgnore, access rules, forbidden symbolic links) are not listed,
// and their media type and encoding choose the icon (AddIcon,
// AddIconByType, AddIconByEncoding, DefaultIcon) and its alternate text
// (AddAlt*). AddDescription and ScanHTMLTitles give descriptions.
// HeaderName and ReadmeName files are found by sub-request relative to
// the directory's URI: an HTML one is served by that sub-request into the
// listing (replacing the <h1>, or the signature), any other text file is
// included escaped in <pre>. IndexOptions, IndexOrderDefault,
// IndexStyleSheet and IndexHeadInsert shape the page.
//
// testdata/apache.json holds Apache 2.4's listings of a fixture tree under
// Debian's autoindex.conf; the tests require the same bytes. Known
// differences from Apache outside those listings: icon, alt, description
// and ignore rules written in Location or Files sections apply to every
// path (Apache matches them against the section's URL and they never
// apply); a long description is cut for the listing only (Apache cuts the
// configured string itself, so later listings show the cut text).
package autoindex
