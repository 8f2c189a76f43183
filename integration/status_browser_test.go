package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium runs Debian's chromium headless with args and returns its
// stdout and stderr. The browser runs in its own process group, killed
// when it is done or after a minute.
func chromium(t *testing.T, bin string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--enable-logging=stderr", "--log-level=0"}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // helpers left behind, if any
	}
	require.NoError(t, err, "chromium %v:\n%s", args, stderr.String())
	return stdout.String(), stderr.String()
}

// artifactDir is where browser tests leave screenshots: $GOHTTPD_ARTIFACTS,
// else gohttpd-artifacts under the temporary directory.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("GOHTTPD_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "gohttpd-artifacts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

func TestStatusPageInHeadlessBrowser(t *testing.T) {
	requireRoot(t)
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install -y chromium; .ci/run installs it): the status page was not rendered in a browser")
	}
	dir, port := site(t, statusConf)
	s := start(t, dir, port)
	// The plots need two samples of the master's history (one a second).
	ok := eventually(15*time.Second, func() bool {
		status, body := get(t, s.addr(), "/server-status?json")
		var doc struct {
			History []json.RawMessage `json:"history"`
		}
		return status == 200 && json.Unmarshal([]byte(body), &doc) == nil && len(doc.History) >= 3
	})
	require.True(t, ok, "no history samples\n%s", errorLog(t, dir))
	url := "http://" + s.addr() + "/server-status"

	dom, logs := chromium(t, bin, "--dump-dom", url)
	assert.Contains(t, dom, `<pre class="scoreboard">`)
	assert.Contains(t, dom, `<span class="s-writing">W</span>`, "the status request's own slot, coloured")
	for _, id := range []string{"plot-requests", "plot-workers"} {
		assert.Contains(t, dom, `<svg id="`+id+`"`)
	}
	assert.Equal(t, 3, strings.Count(dom, "<polyline"), "requests/s, busy and idle")
	assert.Contains(t, dom, "<th>Srv</th>")
	for _, line := range strings.Split(logs, "\n") {
		assert.NotContains(t, line, ":CONSOLE", "the page logs nothing to the console")
	}

	shot := filepath.Join(artifactDir(t), "server-status.png")
	chromium(t, bin, "--screenshot="+shot, "--window-size=1000,1400", url)
	fi, err := os.Stat(shot)
	require.NoError(t, err)
	assert.Positive(t, fi.Size())
	t.Logf("screenshot: %s", shot)
}
