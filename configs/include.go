package configs

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// maxIncludeDepth bounds nested Includes, as Apache's
// AP_MAX_INCLUDE_DEPTH does.
const maxIncludeDepth = 128

// include expands an Include or IncludeOptional key found in b: each
// pattern is a glob relative to ServerRoot, and the files it names are
// read in lexical order and their contents added to b.
//
// As in Apache, Include fails for a path without wildcards that does
// not exist and for a wildcard directory part that matches nothing; a
// wildcard file part matching nothing is fine. IncludeOptional never
// fails for missing files.
func (r *reader) include(b *Block, pos Position, key string, v any) error {
	patterns, err := includePatterns(v)
	if err != nil {
		return &Error{Pos: pos, Directive: key, Err: err}
	}
	optional := key == "IncludeOptional"
	for _, pat := range patterns {
		if err := r.includeOne(b, pos, key, pat, optional); err != nil {
			return err
		}
	}
	return nil
}

// includePatterns returns the patterns of an Include value: a string or
// a list of strings.
func includePatterns(v any) ([]string, error) {
	bad := errors.New("must be a string or a list of strings (file paths or globs)")
	switch v := v.(type) {
	case string:
		if strings.TrimSpace(v) == "" {
			return nil, errors.New("empty path")
		}
		return []string{v}, nil
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, bad
			}
			if strings.TrimSpace(s) == "" {
				return nil, errors.New("empty path")
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, bad
}

// includeOne expands one pattern.
func (r *reader) includeOne(b *Block, pos Position, key, pat string, optional bool) error {
	full := ResolvePath(r.cfg.ServerRoot, filepath.FromSlash(pat))
	if !hasMeta(full) {
		data, err := r.src.ReadFile(full)
		if err != nil {
			if optional && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return &Error{Pos: pos, Directive: key, Err: err}
		}
		return r.includeFile(b, pos, key, full, data)
	}
	matches, err := r.src.Glob(full)
	if err != nil {
		return &Error{Pos: pos, Directive: key, Err: fmt.Errorf("pattern %s: %w", full, err)}
	}
	if len(matches) == 0 {
		if optional {
			return nil
		}
		dir := filepath.Dir(full)
		if !hasMeta(dir) {
			return nil
		}
		dirs, err := r.src.Glob(dir)
		if err != nil {
			return &Error{Pos: pos, Directive: key, Err: fmt.Errorf("pattern %s: %w", dir, err)}
		}
		if len(dirs) == 0 {
			return &Error{Pos: pos, Directive: key, Err: fmt.Errorf("no directory matches %s (use IncludeOptional if that is expected)", dir)}
		}
		return nil
	}
	matches = append([]string(nil), matches...)
	sort.Strings(matches)
	for _, m := range matches {
		data, err := r.src.ReadFile(m)
		if err != nil {
			return &Error{Pos: pos, Directive: key, Err: err}
		}
		if err := r.includeFile(b, pos, key, m, data); err != nil {
			return err
		}
	}
	return nil
}

// includeFile reads one included file into b, guarding against cycles
// and runaway depth.
func (r *reader) includeFile(b *Block, pos Position, key, file string, data []byte) error {
	for _, f := range r.stack {
		if f == file {
			chain := append(append([]string(nil), r.stack...), file)
			return &Error{Pos: pos, Directive: key, Err: fmt.Errorf("include cycle: %s", strings.Join(chain, " -> "))}
		}
	}
	if len(r.stack) >= maxIncludeDepth {
		return &Error{Pos: pos, Directive: key, Err: fmt.Errorf("includes nested deeper than %d files", maxIncludeDepth)}
	}
	return r.readFile(b, file, data)
}

// hasMeta reports whether path contains glob metacharacters.
func hasMeta(path string) bool { return strings.ContainsAny(path, `*?[\`) }
