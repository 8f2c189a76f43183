package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logConfigConf runs three prefork children as nobody; logs/ belongs to
// root (0755), so only the master can create files there.
const logConfigConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
ServerName      = "logtest"
DocumentRoot    = "htdocs"
User            = "nobody"
Group           = "nogroup"
PidFile         = "logs/httpd.pid"
ErrorLog        = "logs/error_log"
StartServers    = 3
MinSpareServers = 2
MaxSpareServers = 4
`

// accessLines waits (up to 10 s) until file has n lines and returns them.
func accessLines(t *testing.T, file string, n int) []string {
	t.Helper()
	var lines []string
	eventually(10*time.Second, func() bool {
		data, _ := os.ReadFile(file)
		lines = nil
		if s := strings.TrimSuffix(string(data), "\n"); s != "" {
			lines = strings.Split(s, "\n")
		}
		return len(lines) >= n
	})
	return lines
}

// programChild returns the pid of the master's child process named comm
// (a piped log program), or 0.
func programChild(master int, comm string) int {
	for _, pid := range childrenOf(master) {
		data, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if strings.TrimSpace(string(data)) == comm && alive(pid) {
			return pid
		}
	}
	return 0
}

var combinedLine = regexp.MustCompile(`^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "GET /index\.html\?n=(\d+) HTTP/1\.1" 200 15 "-" "-"$`)

// TestLogConfigChildrenWriteWhatTheMasterOpened: the master opens the log
// as root in a directory the children (nobody) cannot write; the children
// write their lines to the file the master shared.
func TestLogConfigChildrenWriteWhatTheMasterOpened(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, logConfigConf+`CustomLog = ["logs/access_log combined"]`+"\n")
	s := start(t, dir, port)
	for i := 0; i < 6; i++ {
		code, _ := get(t, s.addr(), fmt.Sprintf("/index.html?n=%d", i))
		require.Equal(t, 200, code)
	}
	file := filepath.Join(dir, "logs", "access_log")
	lines := accessLines(t, file, 6)
	require.Len(t, lines, 6, errorLog(t, dir))
	for _, l := range lines {
		assert.Regexp(t, combinedLine, l)
	}
	var st syscall.Stat_t
	require.NoError(t, syscall.Stat(file, &st))
	assert.Zero(t, st.Uid, "the master created the log as root")
}

// TestLogConfigGracefulRestartReopens is logrotate's way: move the log
// away, USR1, and the new generation writes to a new file.
func TestLogConfigGracefulRestartReopens(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, logConfigConf+`CustomLog = ["logs/access_log combined"]`+"\n")
	s := start(t, dir, port)
	file := filepath.Join(dir, "logs", "access_log")
	get(t, s.addr(), "/index.html?n=1")
	require.Len(t, accessLines(t, file, 1), 1)
	require.NoError(t, os.Rename(file, file+".1"))
	s.signal(syscall.SIGUSR1)
	require.True(t, eventually(10*time.Second, func() bool {
		_, err := os.Stat(file)
		return err == nil
	}), "the graceful restart opens a new access_log\n%s", errorLog(t, dir))
	// Requests may still meet an old child for a moment; every line goes
	// to one file or the other, and new children write the new one.
	require.True(t, eventually(10*time.Second, func() bool {
		get(t, s.addr(), "/index.html?n=2")
		data, _ := os.ReadFile(file)
		return len(data) > 0
	}))
	rotated := accessLines(t, file+".1", 1)
	assert.Regexp(t, combinedLine, rotated[0])
	assert.Contains(t, rotated[0], "?n=1")
	for _, l := range accessLines(t, file, 1) {
		assert.Regexp(t, combinedLine, l)
	}
}

// TestLogConfigPipedLog: the master runs the program; a program that dies
// is started again, and the lines written meanwhile are not lost; after a
// graceful restart the old program ends once the old children are gone.
func TestLogConfigPipedLog(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, logConfigConf+`CustomLog = ['"|$exec cat >> {ROOT}/logs/piped_log" "%U%q %>s"']`+"\n")
	s := start(t, dir, port)
	file := filepath.Join(dir, "logs", "piped_log")
	get(t, s.addr(), "/index.html?n=1")
	require.Equal(t, []string{"/index.html?n=1 200"}, accessLines(t, file, 1), errorLog(t, dir))

	cat := programChild(s.pid(), "cat")
	require.NotZero(t, cat, "the master runs the piped log program")
	require.NoError(t, syscall.Kill(cat, syscall.SIGKILL))
	require.True(t, eventually(10*time.Second, func() bool { return !alive(cat) }), "the master reaps the program")
	get(t, s.addr(), "/index.html?n=2")
	require.True(t, eventually(10*time.Second, func() bool { return programChild(s.pid(), "cat") != 0 }),
		"the program is started again\n%s", errorLog(t, dir))
	get(t, s.addr(), "/index.html?n=3")
	assert.Equal(t, []string{"/index.html?n=1 200", "/index.html?n=2 200", "/index.html?n=3 200"}, accessLines(t, file, 3))
	assert.Contains(t, errorLog(t, dir), "failed unexpectedly")

	old := programChild(s.pid(), "cat")
	s.signal(syscall.SIGUSR1)
	require.True(t, eventually(15*time.Second, func() bool {
		now := programChild(s.pid(), "cat")
		return !alive(old) && now != 0 && now != old
	}), "a new generation starts its own program; the old one ends at EOF\n%s", errorLog(t, dir))
	get(t, s.addr(), "/index.html?n=4")
	assert.Len(t, accessLines(t, file, 4), 4)
}

// TestLogConfigBufferedLogs: buffered lines reach the file without more
// traffic (the once-a-second flush).
func TestLogConfigBufferedLogs(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, logConfigConf+"BufferedLogs = true\nCustomLog = [\"logs/access_log combined\"]\n")
	s := start(t, dir, port)
	for i := 0; i < 3; i++ {
		get(t, s.addr(), fmt.Sprintf("/index.html?n=%d", i))
	}
	lines := accessLines(t, filepath.Join(dir, "logs", "access_log"), 3)
	require.Len(t, lines, 3, errorLog(t, dir))
	for _, l := range lines {
		assert.Regexp(t, combinedLine, l)
	}
}
