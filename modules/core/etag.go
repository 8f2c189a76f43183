package core

import (
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gohttpd/configs"
)

// ETagBits selects what a file's ETag is made of (FileETag).
type ETagBits uint8

const (
	// ETagINode includes the file's inode number.
	ETagINode ETagBits = 1 << iota
	// ETagMTime includes the modification time in microseconds.
	ETagMTime
	// ETagSize includes the size in bytes.
	ETagSize
	// ETagNone sends no ETag at all.
	ETagNone

	// ETagAll is "FileETag All".
	ETagAll = ETagINode | ETagMTime | ETagSize
	// ETagDefault is Apache 2.4's default, "FileETag MTime Size".
	ETagDefault = ETagMTime | ETagSize
)

var etagNames = []struct {
	name string
	bits ETagBits
}{{"INode", ETagINode}, {"MTime", ETagMTime}, {"Size", ETagSize}}

// etagConfig is FileETag as one section wrote it: absolute bits, or
// relative additions and removals applied to the inherited setting.
type etagConfig struct {
	bits        ETagBits
	set         bool // an absolute setting (or None/All) was given
	add, remove ETagBits
}

// effective returns the bits in force, Apache's default when unset.
func (e etagConfig) effective() ETagBits {
	base := e.bits
	if !e.set {
		base = ETagDefault
	}
	if e.add == 0 && e.remove == 0 {
		return base
	}
	return (base | e.add) &^ e.remove &^ ETagNone
}

// merge applies add (a deeper section) over base, as Apache's core merge
// of FileETag.
func (e etagConfig) merge(add etagConfig) etagConfig {
	switch {
	case add.set:
		return add
	case add.add != 0 || add.remove != 0:
		return etagConfig{bits: (e.effective() | add.add) &^ add.remove &^ ETagNone, set: true}
	}
	return e
}

func setFileETag(c *configs.Cmd, v configs.Value) error {
	d := c.Dir.(*DirConfig)
	var e etagConfig
	relative, absolute := false, false
	for _, w := range v.Args {
		switch {
		case strings.EqualFold(w, "None"):
			absolute = true
			e.bits, e.set = ETagNone, true
			continue
		case strings.EqualFold(w, "All"):
			absolute = true
			e.bits, e.set = ETagAll, true
			continue
		}
		sign := byte(0)
		if w[0] == '+' || w[0] == '-' {
			sign, w = w[0], w[1:]
		}
		var bit ETagBits
		for _, n := range etagNames {
			if strings.EqualFold(n.name, w) {
				bit = n.bits
			}
		}
		if bit == 0 {
			return fmt.Errorf("unknown keyword %q (want INode, MTime, Size, All or None, optionally with + or -)", w)
		}
		switch sign {
		case '+':
			relative = true
			e.add |= bit
			e.remove &^= bit
		case '-':
			relative = true
			e.remove |= bit
			e.add &^= bit
		default:
			absolute = true
			e.bits |= bit
			e.set = true
		}
	}
	if relative && absolute {
		return fmt.Errorf("either all keywords must start with + or -, or no keyword may")
	}
	if e.set && e.bits&ETagNone != 0 && e.bits != ETagNone {
		return fmt.Errorf("None cannot be combined with other keywords")
	}
	d.etag = e
	return nil
}

// FileETag returns the ETag components in force for the per-directory
// record d.
func (d *DirConfig) FileETag() ETagBits { return d.etag.effective() }

// AppendETag appends the ETag of a file to b as Apache's ap_make_etag
// makes it: the selected components in hex joined by '-' (inode, size,
// modification time in microseconds), quoted, and weak ("W/" prefix) when
// the file changed within a second of now. It appends nothing for
// FileETag None.
func AppendETag(b []byte, fi fs.FileInfo, bits ETagBits, now time.Time) []byte {
	if bits&ETagNone != 0 || bits == 0 {
		return b
	}
	mtime := fi.ModTime()
	if now.Sub(mtime) <= time.Second {
		b = append(b, "W/"...)
	}
	b = append(b, '"')
	sep := false
	part := func(v uint64) {
		if sep {
			b = append(b, '-')
		}
		b = strconv.AppendUint(b, v, 16)
		sep = true
	}
	if bits&ETagINode != 0 {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			part(st.Ino)
		}
	}
	if bits&ETagSize != 0 {
		part(uint64(fi.Size()))
	}
	if bits&ETagMTime != 0 {
		part(uint64(mtime.UnixMicro()))
	}
	return append(b, '"')
}
