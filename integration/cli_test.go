package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShippedConfigSyntaxOK(t *testing.T) {
	out, code := httpd(t, repoRoot(t), "-t", "-f", "configs/httpd.toml")
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "Syntax OK\n", out)
}

func TestEmbeddedDefaultSyntaxOK(t *testing.T) {
	out, code := httpd(t, t.TempDir(), "-t")
	if _, err := os.Stat("/etc/gohttpd/httpd.toml"); err == nil {
		t.Skip("/etc/gohttpd/httpd.toml exists: httpd reads it instead of the embedded default")
	}
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "Syntax OK\n", out)
}

func TestMisspelledDirectiveNamesFileLineAndDirective(t *testing.T) {
	dir := t.TempDir()
	conf := "Listen = [\"127.0.0.1:8080\"]\n\n# comment\nDocumentRot = \"htdocs\"\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.toml"), []byte(conf), 0o644))
	out, code := httpd(t, dir, "-t", "-f", "bad.toml")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, filepath.Join(dir, "bad.toml")+":4")
	assert.Contains(t, out, "DocumentRot")
	assert.Contains(t, out, "did you mean DocumentRoot?")
	assert.NotContains(t, out, "Syntax OK")
}

func TestBadValueAndTOMLSyntaxErrors(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ conf, want string }{
		"bad int":    {"Listen = [\"8080\"]\nTimeout = \"soon\"\n", "bad.toml:2: Timeout"},
		"toml":       {"Listen = [\"8080\"\n", "bad.toml"},
		"misplaced":  {"[[Directory]]\nPath = \"/srv\"\nListen = [\"80\"]\n", "bad.toml:3: Listen: not allowed in a Directory section"},
		"bad listen": {"Listen = [\"99999\"]\n", "bad.toml:1"},
	} {
		t.Run(name, func(t *testing.T) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.toml"), []byte(c.conf), 0o644))
			out, code := httpd(t, dir, "-t", "-f", "bad.toml")
			assert.Equal(t, 1, code, out)
			assert.Contains(t, out, c.want)
		})
	}
}

func TestDefineTurnsIfDefineOn(t *testing.T) {
	dir := t.TempDir()
	conf := "Listen = [\"127.0.0.1:8080\"]\n\n[IfDefine.BROKEN]\nNoSuchDirective = 1\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.toml"), []byte(conf), 0o644))
	out, code := httpd(t, dir, "-t", "-f", "c.toml")
	assert.Equal(t, 0, code, out)
	out, code = httpd(t, dir, "-t", "-f", "c.toml", "-D", "BROKEN")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "c.toml:4: NoSuchDirective")
	out, code = httpd(t, dir, "-t", "-f", "c.toml", "-DBROKEN")
	assert.Equal(t, 1, code, "glued -DNAME works too: %s", out)
}

func TestListings(t *testing.T) {
	root := repoRoot(t)
	out, code := httpd(t, root, "-l")
	assert.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "Compiled in modules:\n"), out)
	assert.Contains(t, out, "  mod_core\n")

	out, code = httpd(t, root, "-M", "-f", "configs/httpd.toml")
	assert.Equal(t, 0, code, out)
	assert.True(t, strings.HasPrefix(out, "Loaded Modules:\n"), out)
	assert.Contains(t, out, " core_module (static)\n")

	out, code = httpd(t, root, "-L")
	assert.Equal(t, 0, code)
	for _, d := range []string{"DocumentRoot (mod_core)", "Listen (mod_core)", "ThreadsPerChild (mod_core)", "Options (mod_core)"} {
		assert.Contains(t, out, d)
	}
	assert.Contains(t, out, "\tAllowed in: server config, virtual host\n")

	out, code = httpd(t, root, "-v")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "Server version: gohttpd/")

	out, code = httpd(t, root, "-S", "-f", "configs/httpd.toml")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "VirtualHost configuration:")
	assert.Contains(t, out, "Main DocumentRoot: \""+filepath.Join(root, "htdocs")+"\"")
}

func TestLoadModuleLimitsDirectives(t *testing.T) {
	dir := t.TempDir()
	conf := "LoadModule = [\"core\"]\nListen = [\"127.0.0.1:8080\"]\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "c.toml"), []byte(conf), 0o644))
	out, code := httpd(t, dir, "-M", "-f", "c.toml")
	assert.Equal(t, 0, code, out)
	assert.Equal(t, "Loaded Modules:\n core_module (static)\n", out)
}

func TestUnknownFlag(t *testing.T) {
	out, code := httpd(t, t.TempDir(), "-Q")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "-Q")
}

func TestStartupErrorsGoToDashE(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad.toml"), []byte("Bogus = 1\n"), 0o644))
	logFile := filepath.Join(dir, "startup.log")
	out, code := httpd(t, dir, "-t", "-f", "bad.toml", "-E", logFile)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	data, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(data), "bad.toml:1: Bogus")

	out, code = httpd(t, dir, "-t", "-f", "bad.toml", "-e", "loud")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "-e")
}
