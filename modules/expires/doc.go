// Package expires is mod_expires: it gives successful responses and
// redirects an Expires header and a Cache-Control max-age directive
// computed from the request time or the file's modification time
// (ExpiresActive, ExpiresDefault, ExpiresByType).
//
// A code is written "A3600" / "M86400" (seconds after access or
// modification) or "access plus 1 month 2 days" ("now" is "access";
// "modification" works only for files on disk). Units: years (365 days),
// months (30 days), weeks, days, hours, minutes, seconds, or their
// abbreviations ("mo", "min", "h"); unlike Apache, which reads only the
// first one or two letters, a word that is not a prefix of a unit or base
// name is an error. ExpiresByType
// matches the response's content type without parameters, then its
// "major/*" wildcard, else ExpiresDefault applies. An Expires header set
// by the handler is left alone. Error responses (4xx, 5xx) and
// sub-requests get nothing; like Apache, a 304 or a redirect does. An
// expiry before the request time is sent as the request time
// (max-age=0).
package expires
