package integration

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchPort returns a free loopback port in 8100-8999 (the range the
// benchmarks may use), starting the search at from.
func benchPort(t testing.TB, from int) int {
	t.Helper()
	for p := from; p < 9000; p++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err == nil {
			l.Close()
			return p
		}
	}
	t.Fatalf("no free port in %d-8999", from)
	return 0
}

// startNginx runs nginx in the foreground with conf (a full nginx.conf)
// under dir, and stops it (by pid) when the benchmark ends.
func startNginx(t testing.TB, dir, conf string, port int) {
	t.Helper()
	path := filepath.Join(dir, "nginx.conf")
	require.NoError(t, os.WriteFile(path, []byte(conf), 0o644))
	cmd := exec.Command("/usr/sbin/nginx", "-p", dir, "-c", path, "-g", "daemon off;")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	ok := eventually(10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	require.True(t, ok, "nginx did not listen on %d", port)
}

var wrkRate = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)

// wrk runs wrk against url and returns requests per second; non-2xx
// answers fail the benchmark.
func wrk(t testing.TB, url string, secs, conns int) float64 {
	t.Helper()
	out, err := exec.Command("wrk", "-t2", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s", url).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.NotContains(t, string(out), "Non-2xx", "%s", out)
	m := wrkRate.FindSubmatch(out)
	require.NotNil(t, m, "%s", out)
	rate, err := strconv.ParseFloat(string(m[1]), 64)
	require.NoError(t, err)
	return rate
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// BenchmarkProxyVsNginx compares proxied 1 KiB responses through gohttpd
// and through nginx as reverse proxies to the same backend (an nginx
// serving a static 1 KiB file), in one run: wrk drives each proxy in turn
// for three rounds; the median requests/s of each and gohttpd's ratio to
// nginx are reported. Run it with:
//
//	go test ./integration -run XXX -bench ProxyVsNginx -benchtime 1x
func BenchmarkProxyVsNginx(b *testing.B) {
	if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
		b.Skip("nginx is not installed (apt-get install nginx-light)")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		b.Skip("wrk is not installed (apt-get install wrk)")
	}
	work, err := os.MkdirTemp("", "gohttpd-proxybench-")
	require.NoError(b, err)
	b.Cleanup(func() { os.RemoveAll(work) })
	require.NoError(b, os.Chmod(work, 0o755))
	for _, d := range []string{"origin/html", "origin/logs", "front/logs"} {
		require.NoError(b, os.MkdirAll(filepath.Join(work, d), 0o755))
	}
	body := strings.Repeat("0123456789abcdef", 64) // 1 KiB
	require.NoError(b, os.WriteFile(filepath.Join(work, "origin/html/f.txt"), []byte(body), 0o644))

	originPort := benchPort(b, 8100)
	startNginx(b, filepath.Join(work, "origin"), fmt.Sprintf(`worker_processes 1;
pid origin.pid;
error_log logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:%d; root html; }
}
`, originPort), originPort)

	nginxPort := benchPort(b, originPort+1)
	startNginx(b, filepath.Join(work, "front"), fmt.Sprintf(`worker_processes 2;
pid front.pid;
error_log logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream origin { server 127.0.0.1:%d; keepalive 64; }
  server {
    listen 127.0.0.1:%d;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`, originPort, nginxPort), nginxPort)

	dir, _ := site(b, "")
	ourPort := benchPort(b, nginxPort+1)
	conf := fmt.Sprintf(`
ServerRoot      = "%s"
Listen          = ["127.0.0.1:%d"]
User            = "nobody"
Group           = "nogroup"
ErrorLog        = "logs/error_log"
LogLevel        = "warn"
StartServers    = 2
MinSpareServers = 1
MaxSpareServers = 256
ThreadsPerChild = 64
MaxKeepAliveRequests = 0
ProxyPass       = ["/ http://127.0.0.1:%d/"]
`, dir, ourPort, originPort)
	require.NoError(b, os.WriteFile(filepath.Join(dir, "httpd.toml"), []byte(conf), 0o644))
	start(b, dir, ourPort)

	const rounds, secs, conns = 3, 5, 32
	var ours, theirs []float64
	for i := 0; i < b.N; i++ {
		for r := 0; r < rounds; r++ {
			theirs = append(theirs, wrk(b, fmt.Sprintf("http://127.0.0.1:%d/f.txt", nginxPort), secs, conns))
			ours = append(ours, wrk(b, fmt.Sprintf("http://127.0.0.1:%d/f.txt", ourPort), secs, conns))
		}
	}
	o, n := median(ours), median(theirs)
	b.ReportMetric(o, "gohttpd-req/s")
	b.ReportMetric(n, "nginx-req/s")
	b.ReportMetric(o/n, "ratio")
	b.Logf("proxied 1 KiB, %d conns, %d rounds x %ds: gohttpd %.0f req/s (%v), nginx %.0f req/s (%v), ratio %.2f",
		conns, rounds, secs, o, ours, n, theirs, o/n)
}
