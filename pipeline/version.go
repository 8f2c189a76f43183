package pipeline

import (
	"runtime/debug"
	"time"
)

// Product and Version make the server banner ("gohttpd/0.1.0").
const (
	Product = "gohttpd"
	Version = "0.1.0"
)

// Banner returns "gohttpd/0.1.0", the ServerTokens Full-less banner.
func Banner() string { return Product + "/" + Version }

// Built returns when the binary was built, from the VCS time Go records,
// or the binary's start time when that is unknown.
func Built() time.Time {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.time" {
				if t, err := time.Parse(time.RFC3339, s.Value); err == nil {
					return t
				}
			}
		}
	}
	return startTime
}

var startTime = time.Now()
