// Package authn_file is mod_authn_file: the "file" authentication provider,
// which checks passwords against an htpasswd file named by AuthUserFile.
//
//	[[Directory]]
//	Path              = "htdocs/private"
//	AuthType          = "Basic"
//	AuthName          = "Private area"
//	AuthBasicProvider = "file"              # the default
//	AuthUserFile      = "conf/htpasswd"     # relative to ServerRoot
//	Require           = ["valid-user"]
//
// The file is Apache's: one "user:hash" per line, "#" comments and blank
// lines ignored, the first line for a user wins. Every hash the htpasswd
// tool writes is accepted (see package htpasswd); plain text is not, as in
// Apache on Linux. The file is read when first needed and again whenever it
// changes (inode, size, modification or change time), never per request
// otherwise; a file that cannot be read answers 500 and logs AH01620.
//
// A password check costs the same whether the password is right or wrong,
// and a user the file does not list is checked against the most expensive
// hash in the file, so response time does not tell which users exist.
package authn_file
