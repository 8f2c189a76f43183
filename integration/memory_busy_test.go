package integration

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// busyConf is gohttpd with room for exactly 256 workers.
const busyConf = `
ServerRoot        = "{ROOT}"
Listen            = ["127.0.0.1:{PORT}"]
DocumentRoot      = "htdocs"
User              = "www-data"
ErrorLog          = "logs/error.log"
StartServers      = %d
MinSpareServers   = 1
MaxSpareServers   = 300
ServerLimit       = 256
ThreadsPerChild   = %d
ThreadLimit       = %d
MaxRequestWorkers = 256

[[Location]]
Path       = "/server-status"
SetHandler = "server-status"
`

// busyApacheConf is Debian's Apache prefork with 256 children.
const busyApacheConf = `ServerRoot "%[1]s"
PidFile "%[1]s/apache.pid"
ErrorLog "%[1]s/apache-error.log"
Listen 127.0.0.1:%[2]d
ServerName localhost
User www-data
Group www-data
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule status_module /usr/lib/apache2/modules/mod_status.so
TypesConfig /etc/mime.types
DocumentRoot "%[1]s/htdocs"
<Directory "%[1]s/htdocs">
  Require all granted
</Directory>
<Location /server-status>
  SetHandler server-status
</Location>
StartServers 256
MinSpareServers 1
MaxSpareServers 300
ServerLimit 256
MaxRequestWorkers 256
`

// TestMemoryAt256BusyWorkers measures (GOHTTPD_MEMORY=1; it asserts
// nothing) the memory of the whole server — master and children — while
// 256 workers are busy: 255 clients each download a 256 MiB file without
// reading it, and the status request makes the 256th. It logs, for
// gohttpd with 64 and with 1 thread per child and for Apache prefork, the
// busy workers the status page counts, the processes, and the sums of
// RSS and PSS from /proc/PID/smaps_rollup (README's Performance table).
func TestMemoryAt256BusyWorkers(t *testing.T) {
	if os.Getenv("GOHTTPD_MEMORY") == "" {
		t.Skip("a measurement: run with GOHTTPD_MEMORY=1")
	}
	requireRoot(t)
	var rows []string
	for _, threads := range []int{64, 1} {
		dir, port := site(t, fmt.Sprintf(busyConf, 256/threads, threads, threads))
		require.NoError(t, os.Truncate(bigFile(t, dir), 256<<20))
		s := start(t, dir, port)
		rows = append(rows, measureBusy(t, fmt.Sprintf("gohttpd, ThreadsPerChild %d", threads), s.addr(), s.pid()))
		s.stop()
	}
	if _, err := os.Stat("/usr/sbin/apache2"); err == nil {
		dir, port := site(t, "")
		require.NoError(t, os.Truncate(bigFile(t, dir), 256<<20))
		conf := filepath.Join(dir, "apache.conf")
		require.NoError(t, os.WriteFile(conf, []byte(fmt.Sprintf(busyApacheConf, dir, port)), 0o644))
		out, err := exec.Command("/usr/sbin/apache2", "-f", conf, "-k", "start").CombinedOutput()
		require.NoError(t, err, string(out))
		t.Cleanup(func() { _ = exec.Command("/usr/sbin/apache2", "-f", conf, "-k", "stop").Run() })
		var pid int
		require.True(t, eventually(10*time.Second, func() bool {
			b, err := os.ReadFile(filepath.Join(dir, "apache.pid"))
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			return err == nil && pid > 0
		}))
		rows = append(rows, measureBusy(t, "Apache prefork", fmt.Sprintf("127.0.0.1:%d", port), pid))
	}
	t.Logf("\n%-28s %5s %9s %10s %10s\n%s", "server", "busy", "processes", "RSS MiB", "PSS MiB", strings.Join(rows, "\n"))
}

// bigFile makes htdocs/big.bin in dir (sparse once truncated) and
// returns its path.
func bigFile(t *testing.T, dir string) string {
	p := filepath.Join(dir, "htdocs", "big.bin")
	f, err := os.Create(p)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	require.NoError(t, os.Chmod(p, 0o644))
	return p
}

// measureBusy holds 255 downloads open at addr, waits (bounded) for the
// status page to count 256 busy workers, and sums the memory of master
// and its descendants.
func measureBusy(t *testing.T, name, addr string, master int) string {
	for i := 0; i < 255; i++ {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		require.NoError(t, c.(*net.TCPConn).SetReadBuffer(4096))
		_, err = io.WriteString(c, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
		_, err = c.Read(make([]byte, 2048))
		require.NoError(t, err)
	}
	busy := -1
	eventually(30*time.Second, func() bool {
		busy = busyWorkers(addr)
		return busy >= 256
	})
	var rss, pss int64
	procs := append([]int{master}, descendants(master)...)
	for _, p := range procs {
		r, s := smapsRollup(p)
		rss += r
		pss += s
	}
	return fmt.Sprintf("%-28s %5d %9d %10.1f %10.1f", name, busy, len(procs), float64(rss)/1024, float64(pss)/1024)
}

var busyRe = regexp.MustCompile(`BusyWorkers: (\d+)`)

func busyWorkers(addr string) int {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return -1
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = io.WriteString(c, "GET /server-status?auto HTTP/1.0\r\nHost: localhost\r\n\r\n")
	body, _ := io.ReadAll(c)
	m := busyRe.FindSubmatch(body)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// descendants lists pid's children and theirs.
func descendants(pid int) []int {
	var out []int
	for _, c := range childrenOf(pid) {
		out = append(out, c)
		out = append(out, descendants(c)...)
	}
	return out
}

// smapsRollup returns the Rss and Pss of pid in KiB.
func smapsRollup(pid int) (rss, pss int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "Rss:":
			rss += n
		case "Pss:":
			pss += n
		}
	}
	return rss, pss
}
