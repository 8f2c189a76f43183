package logconfig

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestCaptureApache runs Debian's Apache 2.4 (apache2) with the comparison
// formats on 127.0.0.1:8417, sends testdata/requests.txt, and stores its
// logs in testdata/apache. It runs only with LOGCONFIG_CAPTURE_APACHE=1:
//
//	LOGCONFIG_CAPTURE_APACHE=1 go test -run TestCaptureApache ./modules/log_config/
func TestCaptureApache(t *testing.T) {
	if os.Getenv("LOGCONFIG_CAPTURE_APACHE") != "1" {
		t.Skip("set LOGCONFIG_CAPTURE_APACHE=1 to capture Apache's logs again")
	}
	bin, err := exec.LookPath("apache2")
	require.NoError(t, err, "apt-get install apache2")
	const port = 8417
	root := filepath.Dir(apacheDocRoot)
	require.NoError(t, os.RemoveAll(root))
	t.Cleanup(func() { os.RemoveAll(root) })
	for _, d := range []string{"logs", "run"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o755))
	}
	require.NoError(t, os.Chmod(root, 0o755))
	writeDocRoot(t, apacheDocRoot)
	conf := filepath.Join(root, "httpd.conf")
	require.NoError(t, os.WriteFile(conf, []byte(apacheConf(root, port)), 0o644))

	cmd := exec.Command(bin, "-f", conf, "-DFOREGROUND")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// Apache prefork signals its whole process group when it stops.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	addr := "127.0.0.1:8417"
	require.Eventually(t, func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	}, 10*time.Second, 50*time.Millisecond)

	if os.Getenv("LOGCONFIG_PAUSE") != "" {
		time.Sleep(60 * time.Second)
	}
	sendRequests(t, addr, loadRequests(t), filepath.Join(root, "logs", "combined.log"))

	out := filepath.Join("testdata", "apache")
	require.NoError(t, os.MkdirAll(out, 0o755))
	for _, l := range cmpLogs {
		data, err := os.ReadFile(filepath.Join(root, "logs", l.file))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(out, l.file), data, 0o644))
	}
	data, _ := os.ReadFile(filepath.Join(root, "logs", "error.log"))
	t.Logf("Apache's error log:\n%s", data)
}
