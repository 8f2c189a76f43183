package configs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata returns the absolute path of a fixture.
func testdata(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	require.NoError(t, err)
	return p
}

// keys returns the keys of entries in order.
func keys(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}

// entry returns the entry named key.
func entry(t *testing.T, b *Block, key string) Entry {
	t.Helper()
	for _, e := range b.Entries {
		if e.Key == key {
			return e
		}
	}
	t.Fatalf("no entry %s in %s %q (have %v)", key, b.Kind, b.Arg, keys(b.Entries))
	return Entry{}
}

// memOpts returns options whose Source holds only files.
func memOpts(files map[string]string, defines ...string) ReadOptions {
	s := &Snapshot{Files: map[string][]byte{}}
	for name, text := range files {
		s.Files[name] = []byte(text)
	}
	return ReadOptions{ServerRoot: "/mem", Defines: defines, Source: snapshotSource{s}}
}

// readString reads text as the main file "/mem/main.toml".
func readString(t *testing.T, text string, defines ...string) (*Config, error) {
	t.Helper()
	return ReadBytes("/mem/main.toml", []byte(text), memOpts(nil, defines...))
}

// configError asserts err is an *Error at file:line and returns it.
func configError(t *testing.T, err error, file string, line int) *Error {
	t.Helper()
	require.Error(t, err)
	var ce *Error
	require.True(t, errors.As(err, &ce), "error %v is not an *Error", err)
	assert.Equal(t, Position{File: file, Line: line}, ce.Pos, "error: %v", err)
	assert.True(t, strings.HasPrefix(err.Error(), Position{File: file, Line: line}.String()+": "), err.Error())
	return ce
}

func TestReadPositions(t *testing.T) {
	file := testdata(t, "positions.toml")
	cfg, err := Read(file, ReadOptions{})
	require.NoError(t, err)
	assert.Equal(t, file, cfg.Main)
	wd, err := os.Getwd()
	require.NoError(t, err)
	assert.Equal(t, wd, cfg.ServerRoot)

	root := cfg.Root
	assert.Equal(t, KindServer, root.Kind)
	assert.Equal(t, []string{"ServerName", "Listen", "Description", "Literal", "Quoted.Key", "Dotted", "Timeout"}, keys(root.Entries))
	lines := map[string]int{"ServerName": 2, "Listen": 3, "Description": 7, "Literal": 12, "Quoted.Key": 16, "Dotted": 17, "Timeout": 18}
	for _, e := range root.Entries {
		assert.Equal(t, Position{File: file, Line: lines[e.Key]}, e.Pos, e.Key)
	}
	assert.Equal(t, []any{"127.0.0.1:8080", "[::1]:8080"}, entry(t, root, "Listen").Value)
	assert.Equal(t, map[string]any{"Sub": int64(1)}, entry(t, root, "Dotted").Value, "a table value is kept as an entry")

	require.Len(t, root.Blocks, 3)
	v1, v2, dir := root.Blocks[0], root.Blocks[1], root.Blocks[2]
	assert.Equal(t, KindVirtualHost, v1.Kind)
	assert.Equal(t, "*:8080", v1.Arg)
	assert.Equal(t, 20, v1.Pos.Line)
	assert.Equal(t, []string{"ServerName"}, keys(v1.Entries), "Address is the argument, not an entry")
	assert.Equal(t, 22, entry(t, v1, "ServerName").Pos.Line)

	require.Len(t, v1.Blocks, 1)
	vd := v1.Blocks[0]
	assert.Equal(t, KindDirectory, vd.Kind)
	assert.Equal(t, "/srv/v1", vd.Arg)
	assert.Equal(t, 24, vd.Pos.Line)
	assert.Equal(t, []string{"Options", "Require"}, keys(vd.Entries))
	assert.Equal(t, 26, entry(t, vd, "Options").Pos.Line)
	assert.Equal(t, 29, entry(t, vd, "Require").Pos.Line)
	require.Len(t, vd.Blocks, 1)
	assert.Equal(t, KindFiles, vd.Blocks[0].Kind)
	assert.Equal(t, "*.txt", vd.Blocks[0].Arg)
	assert.Equal(t, 31, vd.Blocks[0].Pos.Line)
	assert.Equal(t, 33, entry(t, vd.Blocks[0], "ForceType").Pos.Line)

	assert.Equal(t, "*:8081", v2.Arg)
	assert.Equal(t, 35, v2.Pos.Line)
	assert.Equal(t, 37, entry(t, v2, "Escaped").Pos.Line)
	require.Len(t, v2.Blocks, 1)
	assert.Equal(t, KindLocation, v2.Blocks[0].Kind)
	assert.Equal(t, 39, v2.Blocks[0].Pos.Line)
	assert.Equal(t, 41, entry(t, v2.Blocks[0], "SetHandler").Pos.Line)

	assert.Equal(t, KindDirectory, dir.Kind)
	assert.Equal(t, 43, dir.Pos.Line)
	assert.Equal(t, 45, entry(t, dir, "AllowOverride").Pos.Line)
}

func TestReadMainRelativeToServerRoot(t *testing.T) {
	cfg, err := Read("positions.toml", ReadOptions{ServerRoot: "testdata"})
	require.NoError(t, err)
	assert.Equal(t, testdata(t, "positions.toml"), cfg.Main)
	assert.Equal(t, testdata(t, ""), cfg.ServerRoot)
}

func TestReadInclude(t *testing.T) {
	root := testdata(t, "include")
	cfg, err := Read("main.toml", ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	main := filepath.Join(root, "main.toml")
	a := filepath.Join(root, "conf.d", "a.toml")
	b := filepath.Join(root, "conf.d", "b.toml")
	site := filepath.Join(root, "vhost", "site.toml")

	// conf.d/*.toml expands in place, a before b; ignored.txt is not matched.
	assert.Equal(t, []string{"ServerName", "FromA", "FromB", "After"}, keys(cfg.Root.Entries))
	assert.Equal(t, Position{File: a, Line: 2}, entry(t, cfg.Root, "FromA").Pos)
	assert.Equal(t, Position{File: b, Line: 1}, entry(t, cfg.Root, "FromB").Pos)
	assert.Equal(t, Position{File: main, Line: 3}, entry(t, cfg.Root, "After").Pos)

	require.Len(t, cfg.Root.Blocks, 2)
	assert.Equal(t, KindDirectory, cfg.Root.Blocks[0].Kind)
	assert.Equal(t, Position{File: b, Line: 3}, cfg.Root.Blocks[0].Pos)

	// An Include inside a VirtualHost adds to that virtual host.
	vh := cfg.Root.Blocks[1]
	assert.Equal(t, KindVirtualHost, vh.Kind)
	assert.Equal(t, []string{"DocumentRoot", "ServerName"}, keys(vh.Entries))
	assert.Equal(t, Position{File: site, Line: 1}, entry(t, vh, "DocumentRoot").Pos)
	require.Len(t, vh.Blocks, 1)
	assert.Equal(t, KindLocation, vh.Blocks[0].Kind)
	assert.Equal(t, Position{File: site, Line: 3}, vh.Blocks[0].Pos)

	// The snapshot holds every file read, and nothing else.
	var read []string
	for name := range cfg.Snapshot.Files {
		read = append(read, name)
	}
	assert.ElementsMatch(t, []string{main, a, b, site}, read)
}

func TestReadServerRootKey(t *testing.T) {
	cfg, err := Read(testdata(t, "serverroot.toml"), ReadOptions{ServerRoot: "/nonexistent"})
	require.NoError(t, err)
	assert.Equal(t, testdata(t, "include"), cfg.ServerRoot, "relative ServerRoot is resolved against the working directory")
	assert.Equal(t, []string{"ServerRoot", "FromA", "FromB"}, keys(cfg.Root.Entries))
	assert.Equal(t, "/nonexistent", cfg.Snapshot.ServerRoot)
}

func TestReadIncludeErrors(t *testing.T) {
	t.Run("cycle", func(t *testing.T) {
		_, err := Read(testdata(t, "cycle/a.toml"), ReadOptions{ServerRoot: testdata(t, "cycle")})
		ce := configError(t, err, testdata(t, "cycle/b.toml"), 3)
		assert.Equal(t, "Include", ce.Directive)
		assert.Contains(t, err.Error(), "include cycle")
	})
	t.Run("missing literal file", func(t *testing.T) {
		_, err := Read(testdata(t, "missing.toml"), ReadOptions{ServerRoot: testdata(t, "")})
		ce := configError(t, err, testdata(t, "missing.toml"), 2)
		assert.Equal(t, "Include", ce.Directive)
		assert.ErrorIs(t, err, fs.ErrNotExist)
	})
	t.Run("wildcard directory matching nothing", func(t *testing.T) {
		_, err := Read(testdata(t, "missingdir.toml"), ReadOptions{ServerRoot: testdata(t, "")})
		configError(t, err, testdata(t, "missingdir.toml"), 1)
		assert.Contains(t, err.Error(), "no directory matches")
	})
	t.Run("optional and wildcard file matching nothing", func(t *testing.T) {
		cfg, err := Read(testdata(t, "optional.toml"), ReadOptions{ServerRoot: testdata(t, "")})
		require.NoError(t, err)
		assert.Equal(t, []string{"Done"}, keys(cfg.Root.Entries))
	})
	t.Run("depth limit", func(t *testing.T) {
		files := map[string]string{}
		for i := 0; i <= maxIncludeDepth+1; i++ {
			files[filepath.Join("/mem", "f"+itoa(i)+".toml")] = "Include = \"f" + itoa(i+1) + ".toml\"\n"
		}
		_, err := ReadBytes("/mem/main.toml", []byte(`Include = "f0.toml"`), memOpts(files))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "nested deeper")
	})
	t.Run("bad value", func(t *testing.T) {
		_, err := readString(t, "A = 1\nInclude = 3\n")
		configError(t, err, "/mem/main.toml", 2)
	})
	t.Run("bad pattern", func(t *testing.T) {
		_, err := readString(t, "Include = \"x[\"\n")
		configError(t, err, "/mem/main.toml", 1)
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestReadSyntaxError(t *testing.T) {
	_, err := readString(t, "A = 1\nB = \nC = 2\n")
	ce := configError(t, err, "/mem/main.toml", 2)
	var pe toml.ParseError
	assert.True(t, errors.As(ce, &pe), "the toml.ParseError is wrapped")

	_, err = Read(testdata(t, "syntax/main.toml"), ReadOptions{ServerRoot: testdata(t, "syntax")})
	configError(t, err, testdata(t, "syntax/bad.toml"), 3)
	assert.Contains(t, err.Error(), "TOML syntax error")
}

func TestReadMissingMain(t *testing.T) {
	_, err := Read(testdata(t, "nope.toml"), ReadOptions{})
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.True(t, strings.HasPrefix(err.Error(), testdata(t, "nope.toml")+": "), err.Error())
}

const ifDefineText = `A = 1
[IfDefine.TLS]
Listen = ["443"]
[[IfDefine.TLS.VirtualHost]]
Address = "*:443"
[IfDefine.TLS.VirtualHost.IfDefine.HSTS]
Header = ['always set Strict-Transport-Security "max-age=1"']
[IfDefine."!TLS"]
Listen = ["80"]
[IfDefine.TLS.IfDefine."!DEBUG"]
Quiet = true

[[VirtualHost]]
Address = "*:8080"
[VirtualHost.IfDefine.DEBUG]
LogLevel = "debug"
[[VirtualHost.IfDefine.DEBUG.Location]]
Path = "/debug"
`

func TestReadIfDefine(t *testing.T) {
	tests := []struct {
		defines  []string
		top      []string
		vhosts   []string
		tlsVhost []string // entries of the *:443 vhost
		debug    bool     // the *:8080 vhost has LogLevel and /debug
	}{
		{nil, []string{"A", "Listen"}, []string{"*:8080"}, nil, false},
		{[]string{"TLS"}, []string{"A", "Listen", "Quiet"}, []string{"*:443", "*:8080"}, nil, false},
		{[]string{"TLS", "HSTS"}, []string{"A", "Listen", "Quiet"}, []string{"*:443", "*:8080"}, []string{"Header"}, false},
		{[]string{"TLS", "DEBUG"}, []string{"A", "Listen"}, []string{"*:443", "*:8080"}, nil, true},
		{[]string{"DEBUG"}, []string{"A", "Listen"}, []string{"*:8080"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.defines, ","), func(t *testing.T) {
			cfg, err := readString(t, ifDefineText, tt.defines...)
			require.NoError(t, err)
			assert.Equal(t, tt.defines, cfg.Defines)
			assert.Equal(t, tt.top, keys(cfg.Root.Entries))
			var args []string
			for _, b := range cfg.Root.Blocks {
				args = append(args, b.Arg)
			}
			assert.Equal(t, tt.vhosts, args)
			listen := entry(t, cfg.Root, "Listen")
			if len(tt.vhosts) == 2 {
				assert.Equal(t, []any{"443"}, listen.Value)
				assert.Equal(t, 3, listen.Pos.Line)
				tls := cfg.Root.Blocks[0]
				assert.Equal(t, 4, tls.Pos.Line)
				assert.Equal(t, tt.tlsVhost, keys(tls.Entries))
				if tt.tlsVhost != nil {
					assert.Equal(t, 7, tls.Entries[0].Pos.Line)
				}
			} else {
				assert.Equal(t, []any{"80"}, listen.Value)
				assert.Equal(t, 9, listen.Pos.Line)
			}
			vh := cfg.Root.Blocks[len(cfg.Root.Blocks)-1]
			if tt.debug {
				assert.Equal(t, []string{"LogLevel"}, keys(vh.Entries))
				assert.Equal(t, 16, vh.Entries[0].Pos.Line)
				require.Len(t, vh.Blocks, 1)
				assert.Equal(t, "/debug", vh.Blocks[0].Arg)
				assert.Equal(t, 17, vh.Blocks[0].Pos.Line)
			} else {
				assert.Empty(t, vh.Entries)
				assert.Empty(t, vh.Blocks)
			}
		})
	}
}

func TestReadIfDefineOrder(t *testing.T) {
	// Items merged from IfDefine keep their place in the document.
	cfg, err := readString(t, `[IfDefine.X]
[[IfDefine.X.Directory]]
Path = "/1"
[[Directory]]
Path = "/2"
[[IfDefine.X.Directory]]
Path = "/3"
`, "X")
	require.NoError(t, err)
	var args []string
	for _, b := range cfg.Root.Blocks {
		args = append(args, b.Arg)
	}
	assert.Equal(t, []string{"/1", "/2", "/3"}, args)
}

func TestReadIfModule(t *testing.T) {
	cfg, err := readString(t, `A = 1
[IfModule.status]
ExtendedStatus = true
[[IfModule.status.Location]]
Path = "/server-status"
SetHandler = "server-status"
[IfModule.status.Location.IfModule.authz_core]
Require = ["ip 127.0.0.1"]
[IfModule."!ssl"]
Listen = ["80"]

[[Directory]]
Path = "/srv"
[Directory.IfModule.dir]
DirectoryIndex = "index.html"
[[Directory.IfModule.dir.Files]]
Path = "x"
`)
	require.NoError(t, err)
	root := cfg.Root
	assert.Equal(t, []string{"A"}, keys(root.Entries))
	require.Len(t, root.IfModule, 2)

	st := root.IfModule[0]
	assert.Equal(t, "status", st.Name)
	assert.False(t, st.Negate)
	assert.Equal(t, 2, st.Pos.Line)
	assert.Equal(t, KindServer, st.Body.Kind)
	assert.Equal(t, []string{"ExtendedStatus"}, keys(st.Body.Entries))
	require.Len(t, st.Body.Blocks, 1)
	loc := st.Body.Blocks[0]
	assert.Equal(t, KindLocation, loc.Kind)
	assert.Equal(t, 4, loc.Pos.Line)
	assert.Equal(t, []string{"SetHandler"}, keys(loc.Entries))
	require.Len(t, loc.IfModule, 1)
	assert.Equal(t, "authz_core", loc.IfModule[0].Name)
	assert.Equal(t, 7, loc.IfModule[0].Pos.Line)
	assert.Equal(t, KindLocation, loc.IfModule[0].Body.Kind)
	assert.Equal(t, 8, entry(t, loc.IfModule[0].Body, "Require").Pos.Line)

	ssl := root.IfModule[1]
	assert.Equal(t, "ssl", ssl.Name)
	assert.True(t, ssl.Negate)
	assert.Equal(t, 9, ssl.Pos.Line)

	require.Len(t, root.Blocks, 1)
	dir := root.Blocks[0]
	require.Len(t, dir.IfModule, 1)
	assert.Equal(t, KindDirectory, dir.IfModule[0].Body.Kind)
	assert.Equal(t, 14, dir.IfModule[0].Pos.Line)
	require.Len(t, dir.IfModule[0].Body.Blocks, 1)
	assert.Equal(t, KindFiles, dir.IfModule[0].Body.Blocks[0].Kind)

	// A section misplaced inside an IfModule body is still an error.
	_, err = readString(t, "[[Location]]\nPath = \"/\"\n[Location.IfModule.x]\n[[Location.IfModule.x.Directory]]\nPath = \"/d\"\n")
	configError(t, err, "/mem/main.toml", 4)
}

func TestReadStructureErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		directive  string
		msg        string
	}{
		{"vhost in vhost", "[[VirtualHost]]\nAddress = \"*\"\n\n[[VirtualHost.VirtualHost]]\nAddress = \"*\"\n", 4, "VirtualHost", "at top level only"},
		{"directory in location", "[[Location]]\nPath = \"/\"\n[[Location.Directory]]\nPath = \"/x\"\n", 3, "Directory", "inside Location"},
		{"files in location", "[[Location]]\nPath = \"/\"\n[[Location.Files]]\nPath = \"x\"\n", 3, "Files", "inside Location"},
		{"files in files", "[[FilesMatch]]\nPath = \"x\"\n[[FilesMatch.Files]]\nPath = \"x\"\n", 3, "Files", "inside FilesMatch"},
		{"location in directory", "[[Directory]]\nPath = \"/\"\n[[Directory.LocationMatch]]\nPath = \"x\"\n", 3, "LocationMatch", "inside Directory"},
		{"vhost in directory", "[[Directory]]\nPath = \"/\"\n[[Directory.VirtualHost]]\nAddress = \"x\"\n", 3, "VirtualHost", "inside Directory"},
		{"missing path", "A = 1\n[[Directory]]\nOptions = \"None\"\n", 2, "Directory", "missing Path"},
		{"missing address", "[[VirtualHost]]\nServerName = \"x\"\n", 1, "VirtualHost", "missing Address"},
		{"nested missing path", "[[VirtualHost]]\nAddress = \"*\"\n[[VirtualHost.Location]]\nSetHandler = \"x\"\n", 3, "Location", "[[VirtualHost.Location]] needs Path"},
		{"path not a string", "[[Files]]\nPath = 3\n", 2, "Files", "non-empty string"},
		{"single table", "A = 1\n[Directory]\nPath = \"/x\"\n", 2, "Directory", "write [[Directory]]"},
		{"nested single table", "[[VirtualHost]]\nAddress = \"*\"\n[VirtualHost.Location]\nPath = \"/x\"\n", 3, "Location", "write [[VirtualHost.Location]]"},
		{"section scalar", "Directory = \"/x\"\n", 1, "Directory", "array of tables"},
		{"section array of strings", "Location = [\"/x\"]\n", 1, "Location", "array of tables"},
		{"ifdefine scalar", "IfDefine = 1\n", 1, "IfDefine", "table per name"},
		{"ifdefine branch scalar", "[IfDefine]\nX = 1\n", 2, "IfDefine.X", "must be a table"},
		{"ifdefine empty name", "[IfDefine.\"!\"]\nX = 1\n", 1, "IfDefine", "empty name"},
		{"ifmodule scalar", "A = 1\nIfModule = \"x\"\n", 2, "IfModule", "table per module"},
		{"serverroot not a string", "ServerRoot = 1\n", 1, "ServerRoot", "non-empty string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readString(t, tt.text)
			ce := configError(t, err, "/mem/main.toml", tt.line)
			assert.Equal(t, tt.directive, ce.Directive)
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}

func TestReadSectionsAllowed(t *testing.T) {
	cfg, err := readString(t, `[[VirtualHost]]
Address = "*:80"
[[VirtualHost.DirectoryMatch]]
Path = "^/x"
[[VirtualHost.DirectoryMatch.FilesMatch]]
Path = "\\.txt$"
[[VirtualHost.LocationMatch]]
Path = "^/y"
[[VirtualHost.Files]]
Path = "z"
[[Files]]
Path = "w"
[[Directory]]
Path = "htdocs/"
[[DirectoryMatch]]
Path = "^htdocs"
`)
	require.NoError(t, err)
	vh := cfg.Root.Blocks[0]
	require.Len(t, vh.Blocks, 3)
	assert.Equal(t, `\.txt$`, vh.Blocks[0].Blocks[0].Arg)
	assert.Equal(t, 5, vh.Blocks[0].Blocks[0].Pos.Line)
	assert.Equal(t, KindLocationMatch, vh.Blocks[1].Kind)
	assert.Equal(t, KindFiles, vh.Blocks[2].Kind)
	assert.Equal(t, KindFiles, cfg.Root.Blocks[1].Kind)
	assert.Equal(t, "/mem/htdocs", cfg.Root.Blocks[2].Arg, "a Directory path is relative to ServerRoot")
	assert.Equal(t, "^htdocs", cfg.Root.Blocks[3].Arg, "a DirectoryMatch path is a regular expression")
}

func TestReadInlineSections(t *testing.T) {
	cfg, err := readString(t, `Directory = [
  {Path = "/a", Options = "None"},
  {Path = "/b"},
]
RequireAll = { Require = ["ip 10.0.0.0/8", "not ip 10.1.0.0/16"] }
`)
	require.NoError(t, err)
	require.Len(t, cfg.Root.Blocks, 2)
	assert.Equal(t, 2, cfg.Root.Blocks[0].Pos.Line)
	assert.Equal(t, 2, entry(t, cfg.Root.Blocks[0], "Options").Pos.Line)
	assert.Equal(t, 3, cfg.Root.Blocks[1].Pos.Line)
	ra := entry(t, cfg.Root, "RequireAll")
	assert.Equal(t, 5, ra.Pos.Line)
	assert.Equal(t, map[string]any{"Require": []any{"ip 10.0.0.0/8", "not ip 10.1.0.0/16"}}, ra.Value)
}

func TestSnapshotRoundTrip(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	write("httpd.toml", "Include = [\"conf.d/*.toml\", \"sites/*/x.toml\"]\n"+ifDefineText)
	write("conf.d/1.toml", "ServerName = \"one\"\n[[Location]]\nPath = \"/one\"\n")
	write("conf.d/2.toml", "[IfModule.ssl]\nSSLEngine = true\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sites", "empty"), 0o755))

	cfg, err := Read("httpd.toml", ReadOptions{ServerRoot: dir, Defines: []string{"TLS", "DEBUG"}})
	require.NoError(t, err)
	require.Len(t, cfg.Root.Blocks[len(cfg.Root.Blocks)-1].Blocks, 1)

	data, err := cfg.Snapshot.MarshalBinary()
	require.NoError(t, err)
	// The files may change or vanish: the snapshot is what counts.
	require.NoError(t, os.RemoveAll(dir))
	snap, err := UnmarshalSnapshot(data)
	require.NoError(t, err)
	again, err := ReadSnapshot(snap)
	require.NoError(t, err)
	assert.Equal(t, cfg, again)

	_, err = UnmarshalSnapshot([]byte("{"))
	assert.Error(t, err)
}

func TestSnapshotGlobFallback(t *testing.T) {
	src := snapshotSource{&Snapshot{Files: map[string][]byte{"/a/2.toml": nil, "/a/1.toml": nil, "/a/b/3.toml": nil}}}
	m, err := src.Glob("/a/*.toml")
	require.NoError(t, err)
	assert.Equal(t, []string{"/a/1.toml", "/a/2.toml"}, m)
	_, err = src.Glob("/a/[")
	assert.Error(t, err)
	_, err = src.ReadFile("/nope")
	assert.ErrorIs(t, err, fs.ErrNotExist)
}

func TestReadBytesDefault(t *testing.T) {
	cfg, err := ReadBytes(DefaultConfigName, DefaultConfig(), ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	assert.Equal(t, DefaultConfigName, cfg.Main)
	assert.Equal(t, "/srv", cfg.ServerRoot)
	assert.Equal(t, DefaultConfigName, entry(t, cfg.Root, "Listen").Pos.File)
	assert.Greater(t, entry(t, cfg.Root, "Listen").Pos.Line, 0)

	again, err := ReadSnapshot(cfg.Snapshot)
	require.NoError(t, err)
	assert.Equal(t, cfg, again)

	// DefaultConfig returns a copy.
	d := DefaultConfig()
	d[0] ^= 0xff
	assert.NotEqual(t, d, DefaultConfig())
}

func TestErrorString(t *testing.T) {
	base := errors.New("boom")
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{Pos: Position{File: "f", Line: 3}, Directive: "D", Err: base}, "f:3: D: boom"},
		{&Error{Pos: Position{File: "f"}, Err: base}, "f: boom"},
		{&Error{Directive: "D", Err: base}, "D: boom"},
		{&Error{Err: base}, "boom"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error())
		assert.ErrorIs(t, tt.e, base)
	}
}

func BenchmarkReadBytes(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "positions.toml"))
	require.NoError(b, err)
	opts := memOpts(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadBytes("/mem/main.toml", data, opts); err != nil {
			b.Fatal(err)
		}
	}
}
