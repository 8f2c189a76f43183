package core_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/modules/core"
	"gohttpd/pipeline"
)

func build(t *testing.T, toml string) (*pipeline.Generation, error) {
	t.Helper()
	cfg, err := configs.ReadBytes("core.toml", []byte(toml), configs.ReadOptions{ServerRoot: "/srv"})
	require.NoError(t, err)
	return pipeline.Build(cfg, 1, nil)
}

func TestServerSettingsAndVirtualHostInheritance(t *testing.T) {
	g, err := build(t, `
ServerName = "main.test:8080"
Timeout = 30
KeepAlive = "Off"
LimitRequestFields = 50

[[VirtualHost]]
Address = "*:8080"
ServerName = "v.test"
KeepAlive = true
`)
	require.NoError(t, err)
	m := g.Main
	assert.Equal(t, "main.test", m.ServerName)
	assert.Equal(t, 8080, m.Port)
	assert.Equal(t, 30*time.Second, m.Timeout)
	assert.False(t, m.KeepAlive)
	v := m.VirtualHosts()[0]
	assert.Equal(t, "v.test", v.ServerName)
	assert.True(t, v.KeepAlive, "set in the vhost")
	assert.Equal(t, 30*time.Second, v.Timeout, "inherited")
	assert.Equal(t, 50, v.LimitRequestFields, "inherited")
	assert.Equal(t, 5*time.Second, v.KeepAliveTimeout, "default")
}

func TestProcessSettings(t *testing.T) {
	g, err := build(t, `
Listen = ["127.0.0.1:8080", "8443 https"]
MaxClients = 150
MaxRequestsPerChild = 1000
ThreadsPerChild = 4
PidFile = "run/httpd.pid"
ErrorLog = "logs/error.log"
LogLevel = "info core:debug"
GracefulShutdownTimeout = 7
AcceptFilter = ["HTTP none"]
CPUSchedulingPolicy = "Other"
`)
	require.NoError(t, err)
	p := g.Process
	assert.Equal(t, map[string]string{"http": "none", "https": "data"}, p.AcceptFilter, "Linux's defaults, http turned off")
	assert.Equal(t, []string{"127.0.0.1:8080", "8443 https"}, p.Listen)
	assert.Equal(t, []string{"core.toml:2", "core.toml:2"}, p.ListenPos)
	assert.Equal(t, 150, p.MaxRequestWorkers, "MaxClients is the old name")
	assert.Equal(t, 1000, p.MaxConnectionsPerChild)
	assert.Equal(t, 4, p.ThreadsPerChild)
	assert.Equal(t, "/srv/run/httpd.pid", p.PidFile)
	assert.Equal(t, "/srv/logs/error.log", p.ErrorLog)
	assert.Equal(t, "info core:debug", p.LogLevel)
	assert.Equal(t, 7*time.Second, p.GracefulShutdownTimeout)
	assert.Equal(t, 5, p.StartServers, "default")
	assert.Equal(t, "other", p.CPUSchedulingPolicy)
	assert.True(t, p.Set["CPUSchedulingPolicy"])

	g, err = build(t, "")
	require.NoError(t, err)
	assert.Equal(t, "batch", g.Process.CPUSchedulingPolicy, "default")
	assert.False(t, g.Process.Set["CPUSchedulingPolicy"])
}

func TestOptionsMergeAsApache(t *testing.T) {
	g, err := build(t, `
[[Directory]]
Path = "/srv/www"
Options = "Indexes FollowSymLinks"

[[Directory]]
Path = "/srv/www/sub"
Options = "-Indexes +ExecCGI"

[[Directory]]
Path = "/srv/www/sub/reset"
Options = "None"
`)
	require.NoError(t, err)
	opts := func(path string) core.Option {
		v := g.Main.DirectoryWalk(g.Main.DirDefaults, path, true)
		return core.DirConfigOf(v).EffectiveOptions()
	}
	assert.Equal(t, core.OptSymLinks, opts("/elsewhere"), "Apache's default is FollowSymLinks")
	assert.Equal(t, core.OptIndexes|core.OptSymLinks, opts("/srv/www"))
	assert.Equal(t, core.OptSymLinks|core.OptExecCGI, opts("/srv/www/sub"), "relative changes apply to the inherited set")
	assert.Equal(t, core.Option(0), opts("/srv/www/sub/reset"))
}

func TestCoreDirectiveErrors(t *testing.T) {
	for name, c := range map[string]struct{ toml, want string }{
		"mixed options":   {"Options = \"Indexes +ExecCGI\"\n", "either all Options must start with + or -"},
		"unknown option":  {"Options = \"Sideways\"\n", "illegal option Sideways"},
		"allowoverride":   {"AllowOverride = \"All\"\n", "does not read .htaccess files"},
		"bad port":        {"ServerName = \"x:99999\"\n", "bad port"},
		"range":           {"StartServers = 0\n", "out of range"},
		"log level":       {"LogLevel = \"chatty\"\n", "not one of"},
		"accept filter":   {"AcceptFilter = [\"http\"]\n", "want protocol accept_filter"},
		"real-time":       {"CPUSchedulingPolicy = \"fifo\"\n", "real-time policies are not supported"},
		"policy":          {"CPUSchedulingPolicy = \"fast\"\n", "not one of batch, other, idle"},
		"error document":  {"ErrorDocument = [\"200 /ok.html\"]\n", "400-599"},
		"vhost error log": {"[[VirtualHost]]\nAddress = \"*:80\"\nErrorLog = \"x\"\n", "not allowed in a VirtualHost section"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := build(t, c.toml)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), "core.toml:")
		})
	}
}

func TestTraceEnable(t *testing.T) {
	g, err := build(t, "TraceEnable = \"extended\"\n[[VirtualHost]]\nAddress = \"*:80\"\nTraceEnable = \"Off\"\n[[VirtualHost]]\nAddress = \"*:81\"\n")
	require.NoError(t, err)
	assert.Equal(t, core.TraceExtended, core.ServerConfigOf(g.Main).TraceEnable)
	vs := g.Main.VirtualHosts()
	assert.Equal(t, core.TraceOff, core.ServerConfigOf(vs[0]).TraceEnable)
	assert.Equal(t, core.TraceExtended, core.ServerConfigOf(vs[1]).TraceEnable, "inherited")
	_, err = build(t, "TraceEnable = \"sometimes\"\n")
	assert.ErrorContains(t, err, "core.toml:1: TraceEnable")
}
