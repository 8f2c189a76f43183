// Package authz_groupfile is mod_authz_groupfile: the "group"
// authorization provider over the text file AuthGroupFile names.
//
//	AuthGroupFile = "conf/groups"   # relative to ServerRoot
//	Require       = ["group admins editors"]
//
// The file is Apache's: lines "group: user user …", "#" comments and
// blank lines ignored; a group may span several lines. It is read when
// first needed and again whenever it changes. A user in any listed group
// is granted; a file that cannot be read answers 500 (AH01667).
package authz_groupfile
