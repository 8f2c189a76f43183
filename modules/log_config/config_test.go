package logconfig

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// envModule is a test module: a request header "X-Env: NAME" sets NAME
// in the request's environment, for env= conditions.
var envModule = &pipeline.Module{
	Name: "logconfig_test_env",
	RegisterHooks: func(h *pipeline.Hooks) {
		h.PostReadRequest.Register("logconfig_test_env", func(r *pipeline.Request) pipeline.Result {
			if v := r.HeadersIn.Get("X-Env"); v != "" {
				r.SubprocessEnv.Set(v, "1")
			}
			return pipeline.OK
		}, pipeline.Middle)
	},
}

func init() { pipeline.RegisterModule(envModule) }

// get sends one GET with extra header lines on a new connection and reads
// the whole answer.
func get(t *testing.T, addr, host, path string, headers ...string) {
	t.Helper()
	nc, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer nc.Close()
	require.NoError(t, nc.SetDeadline(time.Now().Add(10*time.Second)))
	req := "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
	for _, h := range headers {
		req += h + "\r\n"
	}
	_, err = nc.Write([]byte(req + "\r\n"))
	require.NoError(t, err)
	buf := make([]byte, 4096)
	for {
		if _, err := nc.Read(buf); err != nil {
			break
		}
	}
}

// logLines waits (up to 5 s) for n lines in file and returns its lines.
func logLines(t *testing.T, file string, n int) []string {
	t.Helper()
	waitLines(t, file, n)
	return readLines(t, file)
}

func TestNicknamesAndDefaultFormat(t *testing.T) {
	ts := serve(t, `
ServerName = "main.test"
DocumentRoot = "htdocs"
# Used before it is defined, and case-insensitively, as in Apache.
CustomLog = ['logs/mine.log MyFormat', 'logs/builtin.log referer', 'logs/inline.log "%>s %U"']
LogFormat = ['"%v %U %>s" myformat', '"%m %U" short', 'short']
TransferLog = ["logs/transfer.log"]
`)
	get(t, ts.addr, "main.test", "/index.html", "Referer: http://ref/")
	logs := filepath.Join(ts.root, "logs")
	assert.Equal(t, []string{"main.test /index.html 200"}, logLines(t, filepath.Join(logs, "mine.log"), 1))
	assert.Equal(t, []string{"http://ref/ -> /index.html"}, logLines(t, filepath.Join(logs, "builtin.log"), 1))
	assert.Equal(t, []string{"200 /index.html"}, logLines(t, filepath.Join(logs, "inline.log"), 1))
	// The one-argument LogFormat names a nickname: TransferLog uses it.
	assert.Equal(t, []string{"GET /index.html"}, logLines(t, filepath.Join(logs, "transfer.log"), 1))
}

func TestTransferLogDefaultsToCommon(t *testing.T) {
	ts := serve(t, "DocumentRoot = \"htdocs\"\nTransferLog = \"logs/t.log\"\n")
	get(t, ts.addr, "x", "/index.html")
	lines := logLines(t, filepath.Join(ts.root, "logs", "t.log"), 1)
	require.Len(t, lines, 1)
	assert.Regexp(t, `^127\.0\.0\.1 - - \[[^]]+\] "GET /index.html HTTP/1.1" 200 15$`, lines[0])
}

func TestVirtualHostLogs(t *testing.T) {
	ts := serve(t, `
ServerName = "main.test"
DocumentRoot = "htdocs"
CustomLog = ['logs/main.log "%v %U"']
GlobalLog = ['logs/global.log "%v"']

[[VirtualHost]]
Address = "*"
ServerName = "inherits.test"
DocumentRoot = "htdocs"
LogFormat = ['"%v default %U"']

[[VirtualHost]]
Address = "*"
ServerName = "own.test"
DocumentRoot = "htdocs"
CustomLog = ['logs/own.log "%v own"']
`)
	logs := filepath.Join(ts.root, "logs")
	get(t, ts.addr, "inherits.test", "/index.html")
	waitLines(t, filepath.Join(logs, "global.log"), 1)
	get(t, ts.addr, "own.test", "/index.html")
	// A vhost without logs of its own writes to the main server's.
	assert.Equal(t, []string{"inherits.test /index.html"}, logLines(t, filepath.Join(logs, "main.log"), 1))
	assert.Equal(t, []string{"own.test own"}, logLines(t, filepath.Join(logs, "own.log"), 1))
	// GlobalLog gets every vhost's requests.
	assert.Equal(t, []string{"inherits.test", "own.test"}, logLines(t, filepath.Join(logs, "global.log"), 2))
}

func TestVirtualHostDefaultFormat(t *testing.T) {
	ts := serve(t, `
DocumentRoot = "htdocs"
TransferLog = ["logs/main.log"]
LogFormat = ['"main %U"']

[[VirtualHost]]
Address = "*"
ServerName = "v.test"
DocumentRoot = "htdocs"
LogFormat = ['"vhost %U"']
`)
	get(t, ts.addr, "v.test", "/index.html")
	// The main server's TransferLog, in the vhost's default format.
	assert.Equal(t, []string{"vhost /index.html"}, logLines(t, filepath.Join(ts.root, "logs", "main.log"), 1))
}

func TestEnvConditions(t *testing.T) {
	ts := serve(t, `
DocumentRoot = "htdocs"
CustomLog = ['logs/only.log "%U" env=wanted', 'logs/not.log "%U" env=!skip', 'logs/all.log "%U"']
`)
	get(t, ts.addr, "x", "/index.html?1", "X-Env: wanted")
	get(t, ts.addr, "x", "/index.html?2", "X-Env: skip")
	get(t, ts.addr, "x", "/index.html?3")
	logs := filepath.Join(ts.root, "logs")
	logLines(t, filepath.Join(logs, "all.log"), 3)
	assert.Equal(t, []string{"/index.html"}, readLines(t, filepath.Join(logs, "only.log")))
	assert.Len(t, readLines(t, filepath.Join(logs, "not.log")), 2)
}

func TestDirectiveErrors(t *testing.T) {
	for conf, want := range map[string]string{
		`LogFormat = ['"%h %Z" bad']`:                                "Unrecognized LogFormat directive %Z",
		`LogFormat = ['"%h" nick extra']`:                            "wants a format and an optional nickname",
		`CustomLog = ['logs/a.log "%{x"']`:                           "Ran off end of LogFormat",
		`CustomLog = ['logs/a.log']`:                                 "wants a file or |program",
		`CustomLog = ['logs/a.log common env=']`:                     "missing environment variable name",
		`CustomLog = ['logs/a.log common env=!']`:                    "missing environment variable name",
		`CustomLog = ['logs/a.log common expr=true']`:                "expr= conditions are not supported",
		`CustomLog = ['logs/a.log common when=x']`:                   "error in condition clause",
		`TransferLog = ['a b']`:                                      "wants one file",
		"BufferedLogs = 3":                                           "wants a true/false",
		"[[VirtualHost]]\nAddress = \"*\"\nGlobalLog = ['a common']": "not allowed",
	} {
		cfg, err := configs.ReadBytes("/srv/httpd.toml", []byte(conf), configs.ReadOptions{ServerRoot: "/srv"})
		require.NoError(t, err, conf)
		_, err = pipeline.Build(cfg, 1, hclog.NewNullLogger())
		if assert.Error(t, err, conf) {
			assert.Contains(t, err.Error(), want, conf)
			assert.Contains(t, err.Error(), "httpd.toml:", "errors name the file and line")
		}
	}
}

func TestOpenLogsFailureNamesTheFile(t *testing.T) {
	root := t.TempDir()
	conf := "CustomLog = ['" + root + "/missing-dir/a.log common']\n"
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	var out strings.Builder
	g, err := pipeline.Build(cfg, 1, hclog.New(&hclog.LoggerOptions{Output: &out}))
	require.NoError(t, err)
	require.Error(t, g.RunServerHook(g.Hooks.OpenLogs))
	assert.Contains(t, out.String(), "cannot access directory '"+root+"/missing-dir' for log file")
	assert.Contains(t, out.String(), "httpd.toml:1")
}

func TestBufferedLogs(t *testing.T) {
	ts := serve(t, `
DocumentRoot = "htdocs"
BufferedLogs = true
CustomLog = ['logs/b.log "%U%q"']
`)
	st := stateOf(ts.g)
	// Stop the once-a-second flush so that the test sees the buffer.
	st.mu.Lock()
	close(st.flusher)
	st.flusher = nil
	st.mu.Unlock()

	file := filepath.Join(ts.root, "logs", "b.log")
	for i := 0; i < 3; i++ {
		get(t, ts.addr, "x", fmt.Sprintf("/index.html?%d", i))
	}
	w := st.writers[filepath.Join(ts.root, "logs", "b.log")]
	require.NotNil(t, w)
	require.Eventually(t, func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return strings.Count(string(w.buf), "\n") == 3
	}, 5*time.Second, 10*time.Millisecond)
	assert.Empty(t, readLines(t, file), "lines wait in the buffer")
	require.NoError(t, Flush(ts.g))
	assert.Equal(t, []string{"/index.html?0", "/index.html?1", "/index.html?2"}, readLines(t, file))
}

func TestBufferedWriterLimits(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	require.NoError(t, err)
	w := newLogWriter(f.Name(), f, true, true)
	small := []byte(strings.Repeat("s", 1000) + "\n")
	for i := 0; i < 4; i++ {
		require.NoError(t, w.write(small))
	}
	fi, _ := f.Stat()
	assert.Zero(t, fi.Size(), "4004 bytes fit in the buffer")
	require.NoError(t, w.write(small))
	fi, _ = f.Stat()
	assert.EqualValues(t, 4004, fi.Size(), "a line that does not fit flushes the buffer first")
	big := []byte(strings.Repeat("b", bufferSize) + "\n")
	require.NoError(t, w.write(big))
	fi, _ = f.Stat()
	assert.EqualValues(t, 4004+1001+len(big), fi.Size(), "a line larger than the buffer is written at once, after what was buffered")
	require.NoError(t, w.close())
}

func TestWriteErrorsAreReportedOnce(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "log")
	require.NoError(t, err)
	w := newLogWriter(f.Name(), f, false, false)
	f.Close()
	assert.Error(t, w.write([]byte("x\n")))
	assert.NoError(t, w.write([]byte("x\n")), "a failing log is reported once")
}

func TestPipedLogRestarts(t *testing.T) {
	ts := serve(t, `
DocumentRoot = "htdocs"
CustomLog = ['"|$exec cat >> {ROOT}/logs/piped.log" "%U%q"']
`)
	file := filepath.Join(ts.root, "logs", "piped.log")
	get(t, ts.addr, "x", "/index.html?before")
	require.Equal(t, []string{"/index.html?before"}, logLines(t, file, 1))

	st := stateOf(ts.g)
	require.Len(t, st.pipes, 1)
	p := st.pipes[0]
	old := p.currentPid()
	require.NoError(t, syscall.Kill(old, syscall.SIGKILL))
	// Once the program is gone (a dying reader may still take what
	// arrives while it dies)...
	require.Eventually(t, func() bool {
		_, err := os.Stat(fmt.Sprintf("/proc/%d", old))
		return os.IsNotExist(err)
	}, 5*time.Second, 10*time.Millisecond, "the watcher collects the dead program")
	// A line written while the program is down waits in the pipe.
	get(t, ts.addr, "x", "/index.html?meanwhile")
	require.Eventually(t, func() bool { return p.currentPid() != old }, 10*time.Second, 20*time.Millisecond,
		"the program is started again")
	get(t, ts.addr, "x", "/index.html?after")
	assert.Equal(t, []string{"/index.html?before", "/index.html?meanwhile", "/index.html?after"}, logLines(t, file, 3))
}

func TestPipedLogProgramArgs(t *testing.T) {
	for target, want := range map[string][]string{
		"|/usr/bin/rotatelogs /var/log/x 86400": {"/usr/bin/rotatelogs", "/var/log/x", "86400"},
		"||cat":                                 {"cat"},
		`|"/opt/my prog" -x`:                    {"/opt/my prog", "-x"},
		"|$cat | gzip > f":                      {"/bin/sh", "-c", "cat | gzip > f"},
	} {
		argv, err := programArgv(target)
		require.NoError(t, err, target)
		assert.Equal(t, want, argv, target)
	}
	_, err := programArgv("|")
	assert.Error(t, err)
	_, err = startPipedLog(nil, "|/nonexistent/program")
	assert.ErrorContains(t, err, "unable to start piped log program")
}
