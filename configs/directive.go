package configs

import (
	"fmt"
	"strings"
)

// Scope is a set of places where a directive may appear.
type Scope uint

const (
	// ScopeServer is the top level of the configuration: the main server.
	ScopeServer Scope = 1 << iota
	// ScopeVirtualHost is inside a VirtualHost section.
	ScopeVirtualHost
	// ScopeDirectory is inside Directory or DirectoryMatch.
	ScopeDirectory
	// ScopeLocation is inside Location or LocationMatch.
	ScopeLocation
	// ScopeFiles is inside Files or FilesMatch.
	ScopeFiles
)

const (
	// ScopeServerConfig is Apache's RSRC_CONF: server and virtual host.
	ScopeServerConfig = ScopeServer | ScopeVirtualHost
	// ScopeDirConfig is every per-directory section.
	ScopeDirConfig = ScopeDirectory | ScopeLocation | ScopeFiles
	// ScopeAnywhere is every place.
	ScopeAnywhere = ScopeServerConfig | ScopeDirConfig
	// ScopeGlobalOnly is the top level only (Apache's GLOBAL_ONLY).
	ScopeGlobalOnly = ScopeServer
)

// String lists the places in Apache's documentation words, e.g.
// "server config, virtual host, directory".
func (s Scope) String() string {
	var parts []string
	for _, p := range []struct {
		bit  Scope
		name string
	}{
		{ScopeServer, "server config"},
		{ScopeVirtualHost, "virtual host"},
		{ScopeDirectory, "directory"},
		{ScopeLocation, "location"},
		{ScopeFiles, "files"},
	} {
		if s&p.bit != 0 {
			parts = append(parts, p.name)
		}
	}
	if len(parts) == 0 {
		return "nowhere"
	}
	return strings.Join(parts, ", ")
}

// ValueType is the TOML shape a directive takes.
type ValueType int

const (
	// Flag is a TOML boolean; the strings "On" and "Off" are accepted too.
	Flag ValueType = iota
	// Int is a TOML integer; a string of digits is accepted too.
	Int
	// String is one TOML string, taken as a single argument.
	String
	// Args is one TOML string in Apache's argument syntax (words separated
	// by spaces, quotes and backslash escapes as in httpd.conf).
	Args
	// List is a repeatable directive: a TOML array of strings, each in
	// Apache's argument syntax; a single string is a list of one.
	List
	// Table is a module-defined TOML table or array of tables; strings in
	// Apache's argument syntax are accepted too and arrive as a List.
	Table
)

// String names the type as a config author would describe it.
func (t ValueType) String() string {
	switch t {
	case Flag:
		return "true/false"
	case Int:
		return "integer"
	case String:
		return "string"
	case Args:
		return "string of arguments"
	case List:
		return "list of strings"
	case Table:
		return "table"
	}
	return fmt.Sprintf("ValueType(%d)", int(t))
}

// Directive declares one configuration key of a module.
type Directive struct {
	// Name is the key, spelled as Apache's directive ("DocumentRoot").
	Name string
	// Scope is where the directive may appear.
	Scope Scope
	// Type is the TOML shape of the value.
	Type ValueType
	// Syntax is the argument synopsis from Apache's documentation, e.g.
	// "URL-path file-path|directory-path"; shown by httpd -L.
	Syntax string
	// Help is a one-line description; shown by httpd -L and in README.
	Help string
	// Set applies one occurrence. It returns an error for a bad value;
	// the caller adds file, line and directive name.
	Set func(c *Cmd, v Value) error
}

// Item is one element of a List value.
type Item struct {
	Raw  string   // the string as written in TOML
	Args []string // Raw split in Apache's argument syntax
}

// Value is one occurrence of a directive, converted to its ValueType.
type Value struct {
	Type ValueType
	Pos  Position
	Bool bool     // Flag
	Int  int64    // Int
	Str  string   // String and Args: the string as written
	Args []string // Args: the words; String: the one string
	List []Item   // List, and Table values written as strings
	Raw  any      // the decoded TOML value (maps for Table)
}

// Cmd is the context a directive's Set function runs in (Apache's
// cmd_parms plus the module's records).
type Cmd struct {
	Directive *Directive
	Module    string   // module providing the directive
	Pos       Position // where the directive was written
	Where     Scope    // the kind of place it appears in
	Section   *Block   // enclosing per-directory section; nil at server level
	// VirtualHost is the enclosing VirtualHost section; nil for the main
	// server.
	VirtualHost *Block
	// ServerRoot is the effective ServerRoot for resolving relative paths.
	ServerRoot string
	// Server is the module's per-server record of the server being
	// configured (main server or virtual host); nil if it has none.
	Server any
	// Dir is the module's per-directory record of the enclosing section,
	// or of the server's defaults at server level; nil if it has none.
	Dir any
	// Record is the server record being configured (a *pipeline.Server),
	// for directives that set core server fields.
	Record any
}

// ResolvePath returns p made absolute against ServerRoot (Apache's
// ap_server_root_relative). Absolute paths are returned cleaned.
func (c *Cmd) ResolvePath(p string) string { return ResolvePath(c.ServerRoot, p) }

// Errorf returns an error about the current directive's value.
func (c *Cmd) Errorf(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}
