package configs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
)

// ReadOptions are the command-line settings a read depends on.
type ReadOptions struct {
	// ServerRoot is httpd's -d: the directory relative paths (the main
	// file, Include patterns) are resolved against until a ServerRoot key
	// says otherwise. Empty means the current directory.
	ServerRoot string
	// Defines are httpd's -D names, tested by IfDefine tables.
	Defines []string
	// Source supplies the files; nil means the OS file system.
	Source Source
	// Before and After are httpd's -C and -c: directives processed before
	// and after the configuration files, each one line in Apache's form
	// ("Listen 8081") or TOML's (`Listen = ["8081"]`).
	Before, After []string
}

// Read reads the main configuration file at path and every file it
// includes, and returns their sections and directives as one tree, with
// IfDefine applied and Include expanded. A relative path is taken
// relative to opts.ServerRoot, as httpd -f does.
//
// Read checks the structure only: which keys are sections, where
// sections may nest, and that each has its Path or Address. Directive
// names and values are checked by their consumer. Every error is an
// *Error naming the file and line.
func Read(path string, opts ReadOptions) (*Config, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, &Error{Pos: Position{File: path}, Err: fmt.Errorf("finding the working directory: %w", err)}
	}
	root := ResolvePath(wd, opts.ServerRoot)
	return read(ResolvePath(root, path), wd, opts)
}

// ReadBytes is Read for configuration text that is not in a file, such
// as DefaultConfig(): name labels positions (use DefaultConfigName for
// the embedded default) and is never opened. Files it includes come
// from opts.Source as usual.
func ReadBytes(name string, data []byte, opts ReadOptions) (*Config, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, &Error{Pos: Position{File: name}, Err: fmt.Errorf("finding the working directory: %w", err)}
	}
	src := opts.Source
	if src == nil {
		src = osSource{}
	}
	opts.Source = overlay{name: name, data: data, Source: src}
	return read(name, wd, opts)
}

// overlay is a Source that adds one named file to another Source.
type overlay struct {
	name string
	data []byte
	Source
}

func (o overlay) ReadFile(path string) ([]byte, error) {
	if path == o.name {
		return o.data, nil
	}
	return o.Source.ReadFile(path)
}

// read is the common part of Read, ReadBytes and ReadSnapshot: main is
// used as given and wd stands in for the working directory.
func read(main, wd string, opts ReadOptions) (*Config, error) {
	root := ResolvePath(wd, opts.ServerRoot)
	var defines []string
	defines = append(defines, opts.Defines...)
	snap := &Snapshot{Main: main, ServerRoot: root, Defines: defines, WorkDir: wd,
		Before: opts.Before, After: opts.After}
	src := opts.Source
	if src == nil {
		src = osSource{}
	}
	cfg := &Config{
		Main:       main,
		ServerRoot: root,
		Defines:    append([]string(nil), defines...),
		Root:       &Block{Kind: KindServer, Pos: Position{File: main, Line: 1}},
		Snapshot:   snap,
	}
	r := &reader{
		src:     &recorder{src: src, snap: snap},
		wd:      wd,
		cfg:     cfg,
		defines: map[string]bool{},
	}
	for _, d := range defines {
		r.defines[d] = true
	}
	data, err := r.src.ReadFile(main)
	if err != nil {
		return nil, &Error{Pos: Position{File: main}, Err: fmt.Errorf("reading configuration: %w", err)}
	}
	before, err := commandLineEntries("-C", opts.Before)
	if err != nil {
		return nil, err
	}
	if err := r.readFile(cfg.Root, main, data); err != nil {
		return nil, err
	}
	after, err := commandLineEntries("-c", opts.After)
	if err != nil {
		return nil, err
	}
	cfg.Root.Entries = append(append(before, cfg.Root.Entries...), after...)
	return cfg, nil
}

// reader is the state of one read.
type reader struct {
	src     Source
	wd      string
	cfg     *Config
	defines map[string]bool
	stack   []string // files being read, outermost first
}

// doc is one parsed file.
type doc struct {
	file  string
	data  map[string]any
	lines keyLines
}

// pos returns the position of the key path p.
func (d *doc) pos(p keyPath) Position { return Position{File: d.file, Line: d.lines.line(p)} }

// parse decodes one file.
func parse(file string, data []byte) (*doc, error) {
	m := map[string]any{}
	if _, err := toml.Decode(string(data), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Pos: Position{File: file, Line: pe.Position.Line}, Err: syntaxError{pe}}
		}
		return nil, &Error{Pos: Position{File: file}, Err: fmt.Errorf("TOML: %w", err)}
	}
	return &doc{file: file, data: m, lines: locate(data)}, nil
}

// syntaxError is a TOML syntax error, without the line number
// toml.ParseError puts in its message (Error has it).
type syntaxError struct{ pe toml.ParseError }

func (e syntaxError) Error() string { return "TOML syntax error: " + e.pe.Message }
func (e syntaxError) Unwrap() error { return e.pe }

// readFile parses one file and adds its contents to b.
func (r *reader) readFile(b *Block, file string, data []byte) error {
	d, err := parse(file, data)
	if err != nil {
		return err
	}
	r.stack = append(r.stack, file)
	defer func() { r.stack = r.stack[:len(r.stack)-1] }()
	items, err := r.collect(d, d.data, "", "")
	if err != nil {
		return err
	}
	return r.build(b, d, items)
}

// setServerRoot applies a top-level ServerRoot key.
func (r *reader) setServerRoot(pos Position, v any) error {
	s, ok := v.(string)
	if !ok || s == "" {
		return &Error{Pos: pos, Directive: "ServerRoot", Err: errors.New("must be a non-empty string (a directory)")}
	}
	r.cfg.ServerRoot = ResolvePath(r.wd, filepath.FromSlash(s))
	return nil
}
