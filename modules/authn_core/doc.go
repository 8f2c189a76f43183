// Package authn_core is mod_authn_core: the AuthType and AuthName
// directives, published to the other auth modules as the optional
// functions auth.OptAuthType and auth.OptAuthName, and the last
// check_user_id function, which admits a request that names no AuthType
// and fails one whose AuthType no loaded module implements.
//
//	[[Directory]]
//	Path     = "htdocs/private"
//	AuthType = "Basic"
//	AuthName = "Private area"
//
// "AuthType None" switches authentication off below a section that set it.
package authn_core
