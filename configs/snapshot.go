package configs

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// Snapshot is everything one read of the configuration consumed: the
// options it ran with and the exact bytes of every file it read. A
// master process passes it to its children (MarshalBinary), which parse
// it with ReadSnapshot and so see exactly the configuration of their
// generation, whatever happened to the files since.
type Snapshot struct {
	// Main is the main configuration file's path as read (or the name
	// given to ReadBytes).
	Main string
	// ServerRoot is the ServerRoot given in ReadOptions, made absolute.
	ServerRoot string
	// Defines are the -D names given in ReadOptions.
	Defines []string
	// WorkDir is the working directory the read ran in; relative
	// ServerRoot keys are resolved against it.
	WorkDir string
	// Files holds the contents of every file read, by the path used.
	Files map[string][]byte
	// Globs holds the result of every Include glob, by pattern.
	Globs map[string][]string
	// Before and After are the -C and -c directives of ReadOptions.
	Before, After []string `json:",omitempty"`
}

// MarshalBinary encodes the snapshot for UnmarshalSnapshot.
func (s *Snapshot) MarshalBinary() ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("configs: encoding snapshot: %w", err)
	}
	return data, nil
}

// UnmarshalSnapshot decodes a snapshot encoded by MarshalBinary.
func UnmarshalSnapshot(data []byte) (*Snapshot, error) {
	s := new(Snapshot)
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("configs: decoding snapshot: %w", err)
	}
	return s, nil
}

// ReadSnapshot parses the configuration held in s without touching the
// file system. It yields the same Config as the read that made s.
func ReadSnapshot(s *Snapshot) (*Config, error) {
	opts := ReadOptions{ServerRoot: s.ServerRoot, Defines: s.Defines, Source: snapshotSource{s},
		Before: s.Before, After: s.After}
	return read(s.Main, s.WorkDir, opts)
}

// snapshotSource serves reads from a Snapshot.
type snapshotSource struct{ s *Snapshot }

func (src snapshotSource) ReadFile(name string) ([]byte, error) {
	data, ok := src.s.Files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return data, nil
}

// Glob replays the recorded result for pattern, or else matches the
// snapshot's file names.
func (src snapshotSource) Glob(pattern string) ([]string, error) {
	if m, ok := src.s.Globs[pattern]; ok {
		return m, nil
	}
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, err
	}
	var matches []string
	for name := range src.s.Files {
		if ok, _ := path.Match(pattern, name); ok {
			matches = append(matches, name)
		}
	}
	sort.Strings(matches)
	return matches, nil
}
