package configs

import (
	"fmt"
	"path/filepath"
)

// Position is a place in a configuration file.
type Position struct {
	File string // path as opened (absolute after Include resolution)
	Line int    // 1-based; 0 when unknown
}

// String returns "file:line".
func (p Position) String() string {
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// SectionKind names a configuration section.
type SectionKind int

const (
	// KindServer is the top level: the main server.
	KindServer SectionKind = iota
	KindVirtualHost
	KindDirectory
	KindDirectoryMatch
	KindLocation
	KindLocationMatch
	KindFiles
	KindFilesMatch
	// KindProxy and KindProxyMatch hold per-directory directives for
	// proxied URLs (Apache's <Proxy> and <ProxyMatch>).
	KindProxy
	KindProxyMatch
)

var kindNames = [...]string{"server", "VirtualHost", "Directory", "DirectoryMatch", "Location", "LocationMatch", "Files", "FilesMatch", "Proxy", "ProxyMatch"}

// String returns the TOML key of the section ("Directory").
func (k SectionKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("SectionKind(%d)", int(k))
}

// Scope returns the Scope bit a directive inside such a section needs.
func (k SectionKind) Scope() Scope {
	switch k {
	case KindVirtualHost:
		return ScopeVirtualHost
	case KindDirectory, KindDirectoryMatch, KindProxy, KindProxyMatch:
		return ScopeDirectory
	case KindLocation, KindLocationMatch:
		return ScopeLocation
	case KindFiles, KindFilesMatch:
		return ScopeFiles
	}
	return ScopeServer
}

// IsRegex reports whether the section's Path is a regular expression.
func (k SectionKind) IsRegex() bool {
	return k == KindDirectoryMatch || k == KindLocationMatch || k == KindFilesMatch || k == KindProxyMatch
}

// SectionKindByName returns the kind for a TOML section key.
func SectionKindByName(name string) (SectionKind, bool) {
	for i, n := range kindNames {
		if i > 0 && n == name {
			return SectionKind(i), true
		}
	}
	return 0, false
}

// Entry is one directive key and its raw TOML value, in document order.
type Entry struct {
	Key   string
	Pos   Position
	Value any // as decoded by BurntSushi/toml
}

// Block is the top level or one section of the configuration, with
// IfDefine already applied and Include already expanded.
type Block struct {
	Kind SectionKind
	Pos  Position
	// Arg is the section's argument: Path for Directory, Location and
	// Files (a regular expression for the Match kinds; a Directory path
	// is resolved against ServerRoot), Address for VirtualHost (one or
	// more addresses separated by spaces).
	Arg     string
	Entries []Entry  // directives, in document order
	Blocks  []*Block // nested sections, in document order
	// IfModule holds the IfModule.NAME tables met in this block; they
	// apply after Entries when the condition holds (decided by the
	// caller, who knows which modules are loaded).
	IfModule []*Conditional
}

// Conditional is an IfModule table: Body applies when the module Name is
// loaded (not loaded when Negate).
type Conditional struct {
	Name   string
	Negate bool
	Pos    Position
	Body   *Block
}

// Config is one complete read of the configuration.
type Config struct {
	// Main is the path of the main configuration file.
	Main string
	// ServerRoot is the effective ServerRoot: the ServerRoot key of the
	// main file when present, else the one given to Read.
	ServerRoot string
	// Defines are the -D names in force.
	Defines []string
	// Root is the top-level block.
	Root *Block
	// Snapshot holds the exact bytes of every file read, so a child can
	// parse the same configuration without touching the disk.
	Snapshot *Snapshot
}

// ResolvePath returns p made absolute against root (Apache's
// ap_server_root_relative). Absolute paths are returned cleaned.
func ResolvePath(root, p string) string {
	if p == "" {
		return root
	}
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(root, p)
}
