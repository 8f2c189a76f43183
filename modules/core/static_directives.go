package core

import (
	"fmt"
	"strconv"
	"strings"

	"gohttpd/configs"
)

// PathInfoMode is an AcceptPathInfo setting.
type PathInfoMode uint8

const (
	// PathInfoDefault lets the handler decide (the default handler
	// refuses path info with 404).
	PathInfoDefault PathInfoMode = iota
	// PathInfoOff refuses path info with 404 whatever the handler.
	PathInfoOff
	// PathInfoOn accepts path info after an existing file.
	PathInfoOn
)

// SignatureMode is a ServerSignature setting.
type SignatureMode uint8

const (
	// SignatureOff adds no footer (the default).
	SignatureOff SignatureMode = iota
	// SignatureOn adds the server version and virtual host name.
	SignatureOn
	// SignatureEMail also links the ServerAdmin address.
	SignatureEMail
)

// staticDir holds the per-directory settings of the default handler.
type staticDir struct {
	etag                                 etagConfig
	maxRanges, maxOverlaps, maxReversals int // rangesUnset when not set
	pathInfo                             PathInfoMode
	pathInfoSet                          bool
	signature                            SignatureMode
	signatureSet                         bool
}

func newStaticDir() staticDir {
	return staticDir{maxRanges: rangesUnset, maxOverlaps: rangesUnset, maxReversals: rangesUnset}
}

// mergeStatic merges add over base into out.
func mergeStatic(out *staticDir, base, add *staticDir) {
	out.etag = base.etag.merge(add.etag)
	if add.maxRanges != rangesUnset {
		out.maxRanges = add.maxRanges
	}
	if add.maxOverlaps != rangesUnset {
		out.maxOverlaps = add.maxOverlaps
	}
	if add.maxReversals != rangesUnset {
		out.maxReversals = add.maxReversals
	}
	if add.pathInfoSet {
		out.pathInfo, out.pathInfoSet = add.pathInfo, true
	}
	if add.signatureSet {
		out.signature, out.signatureSet = add.signature, true
	}
}

// AcceptPathInfo returns the AcceptPathInfo setting in force.
func (d *DirConfig) AcceptPathInfo() PathInfoMode { return d.pathInfo }

// ServerSignature returns the ServerSignature setting in force.
func (d *DirConfig) ServerSignature() SignatureMode { return d.signature }

// staticDirDirectives are the per-directory directives of the default
// handler: FileETag, MaxRanges and its companions, AcceptPathInfo and
// ServerSignature.
func staticDirDirectives() []*configs.Directive {
	const any = configs.ScopeAnywhere
	ranges := func(name, help string, field func(d *DirConfig) *int) *configs.Directive {
		return directive(name, any, configs.String, "default|unlimited|none|number-of-ranges", help,
			func(c *configs.Cmd, v configs.Value) error {
				n, err := parseRangeLimit(v.Str)
				if err != nil {
					return err
				}
				*field(c.Dir.(*DirConfig)) = n
				return nil
			})
	}
	return []*configs.Directive{
		directive("FileETag", any, configs.Args, "component ...",
			"File attributes used to create the ETag of a static file: INode, MTime, Size, All or None, or +/- changes to the inherited set (default MTime Size)",
			setFileETag),
		ranges("MaxRanges", "Number of ranges allowed before the whole resource is returned instead (default 200)",
			func(d *DirConfig) *int { return &d.maxRanges }),
		ranges("MaxRangeOverlaps", "Number of overlapping ranges (eg: 100-200,150-300) allowed before the whole resource is returned (default 20)",
			func(d *DirConfig) *int { return &d.maxOverlaps }),
		ranges("MaxRangeReversals", "Number of range reversals (eg: 100-200,50-70) allowed before the whole resource is returned (default 20)",
			func(d *DirConfig) *int { return &d.maxReversals }),
		directive("AcceptPathInfo", any, configs.String, "On|Off|Default",
			"Whether trailing path information after an existing file is accepted (Default: the handler decides)",
			func(c *configs.Cmd, v configs.Value) error {
				m, err := oneOf(v.Str, "On", "Off", "Default")
				if err != nil {
					return err
				}
				d := c.Dir.(*DirConfig)
				d.pathInfo = map[string]PathInfoMode{"On": PathInfoOn, "Off": PathInfoOff, "Default": PathInfoDefault}[m]
				d.pathInfoSet = true
				return nil
			}),
		directive("ServerSignature", any, configs.String, "On|Off|EMail",
			"Footer naming the server on server-generated pages: error pages and directory listings (default Off)",
			func(c *configs.Cmd, v configs.Value) error {
				m, err := oneOf(v.Str, "On", "Off", "EMail")
				if err != nil {
					return err
				}
				d := c.Dir.(*DirConfig)
				d.signature = map[string]SignatureMode{"On": SignatureOn, "Off": SignatureOff, "EMail": SignatureEMail}[m]
				d.signatureSet = true
				return nil
			}),
	}
}

func parseRangeLimit(s string) (int, error) {
	switch strings.ToLower(s) {
	case "default":
		return rangesUnset, nil
	case "unlimited":
		return rangesUnlimited, nil
	case "none":
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q: want default, unlimited, none or a positive number", s)
	}
	return n, nil
}
