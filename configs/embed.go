package configs

import _ "embed"

// DefaultConfigName is the file name positions carry for the embedded
// default configuration.
const DefaultConfigName = "(embedded default)"

//go:embed httpd.toml
var defaultConfig []byte

// DefaultConfig returns a copy of the embedded default configuration,
// which httpd runs when no configuration file exists (read it with
// ReadBytes(DefaultConfigName, DefaultConfig(), opts)).
func DefaultConfig() []byte { return append([]byte(nil), defaultConfig...) }
