// Package apacherec runs Debian's Apache 2.4 for the tests that record its
// answers as facts (each package's testdata/record_apache.sh): it writes
// a config from a template, starts apache2 on a loopback port, and stops
// it when the test ends. Nothing in the server imports it.
package apacherec

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Binary is Debian's Apache.
const Binary = "/usr/sbin/apache2"

// Start fills the template file tmpl (@DIR@ becomes dir, @PORT@ the port
// from the environment variable portEnv or defaultPort), starts Apache on
// it with dir as ServerRoot's home for httpd.conf and its pid file, waits
// until it accepts, and stops it when t ends. It returns the address and
// Apache's version line ("Apache/2.4.71 (Debian)").
func Start(t *testing.T, dir, tmpl, portEnv, defaultPort string) (addr, version string) {
	t.Helper()
	port := os.Getenv(portEnv)
	if port == "" {
		port = defaultPort
	}
	text, err := os.ReadFile(tmpl)
	require.NoError(t, err)
	conf := strings.NewReplacer("@DIR@", dir, "@PORT@", port).Replace(string(text))
	confPath := filepath.Join(dir, "httpd.conf")
	require.NoError(t, os.WriteFile(confPath, []byte(conf), 0o644))
	out, err := exec.Command(Binary, "-f", confPath, "-k", "start").CombinedOutput()
	require.NoError(t, err, string(out))
	t.Cleanup(func() {
		_ = exec.Command(Binary, "-f", confPath, "-k", "stop").Run()
		for i := 0; i < 50; i++ {
			if _, err := os.Stat(filepath.Join(dir, "httpd.pid")); err != nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	addr = "127.0.0.1:" + port
	for i := 0; i < 50; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	v, err := exec.Command(Binary, "-v").Output()
	require.NoError(t, err)
	return addr, strings.TrimPrefix(strings.SplitN(string(v), "\n", 2)[0], "Server version: ")
}
