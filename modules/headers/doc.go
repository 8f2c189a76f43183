// Package headers is mod_headers: it changes response headers (Header)
// and request headers (RequestHeader).
//
// Actions: set, setifempty, append (comma-joined with an existing value),
// add (another field), merge (append unless the value is already one of
// the comma-separated tokens), unset, echo (copy request headers whose
// names match a regular expression), edit and edit* (regular-expression
// replacement of the first or every match, $0…$9 in the replacement) and
// note (copy the header's value into a request note). Values may hold
// %{VAR}e (an environment variable, "(null)" when unset), %t (t= and the
// request time in microseconds), %D (D= and the time since the request
// began, in microseconds), %% and the escapes \n \r \t \\. A condition
// env=VAR or env=!VAR applies the line only when VAR is set, or unset;
// "early" applies it in post_read_request, before the URL is mapped.
//
// Header lines go into one of two lists: "onsuccess" (the default) acts
// on the response headers of successful responses, "always" on the
// headers sent with every response, errors and redirects included
// (ErrHeadersOut). Both are applied by the FIXUP_HEADERS_OUT output filter
// when the response head is about to be written; on the error path the
// FIXUP_HEADERS_ERR filter applies the "always" list. RequestHeader lines
// are applied in fixups, after authentication, so they are seen by
// handlers and backends.
//
// Differences from Apache 2.4: expr= conditions and values are not
// supported and a line using them is refused at start-up; an "early" line
// inside a section, which Apache accepts but never applies, is refused;
// edit* with an expression that matches the empty string replaces each
// empty match once (Apache 2.4.71 crashes).
package headers
