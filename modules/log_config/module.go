package logconfig

import (
	"strings"
	"sync"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Module is mod_log_config.
var Module = &pipeline.Module{
	Name:        "log_config",
	Description: "access logs: LogFormat, CustomLog, TransferLog, BufferedLogs (and mod_logio's %I %O %S)",
}

func init() {
	// Set here: createServerConfig refers to Module.
	Module.CreateServerConfig = createServerConfig
	Module.MergeServerConfig = mergeServerConfig
	Module.Directives = directiveList()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// Format strings of the nicknames every configuration knows: Apache's
// built-in CLF, the common, combined, referer, agent and combinedio
// formats of Apache's default httpd.conf, and vhost_combined from
// Debian's apache2.conf. A LogFormat with the same nickname replaces them.
const (
	CommonFormat        = `%h %l %u %t "%r" %>s %b`
	CombinedFormat      = `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"`
	CombinedIOFormat    = `%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %I %O`
	VhostCombinedFormat = `%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"`
	RefererFormat       = `%{Referer}i -> %U`
	AgentFormat         = `%{User-agent}i`
)

// builtinFormats maps the built-in nicknames (lower-case: nicknames match
// case-insensitively, as in Apache) to their formats.
var builtinFormats = map[string]string{
	"clf":            CommonFormat,
	"common":         CommonFormat,
	"combined":       CombinedFormat,
	"combinedio":     CombinedIOFormat,
	"vhost_combined": VhostCombinedFormat,
	"referer":        RefererFormat,
	"agent":          AgentFormat,
}

// serverConfig is the per-server record (Apache's multi_log_state).
type serverConfig struct {
	// defaultSpec is the one-argument LogFormat: a format or a nickname;
	// "" when unset. defaultFormat is it resolved in check_config, or
	// CommonFormat.
	defaultSpec   string
	defaultFormat *Format
	// formats are the nicknames defined here and inherited (lower-case).
	formats map[string]string
	// logs are the server's own CustomLog, TransferLog and GlobalLog
	// entries; mainLogs, for a virtual host, the main server's, used when
	// it has none of its own (GlobalLog entries always).
	logs     []*customLog
	mainLogs []*customLog
	// state is the generation's shared state (the main server's).
	state *genState
}

// customLog is one CustomLog, TransferLog or GlobalLog entry.
type customLog struct {
	target    string // a file path made absolute, or "|program"
	formatArg string // a format or nickname as written; "" for the default
	format    *Format
	envVar    string // env= condition; "" for none
	envNot    bool   // env=!VAR
	inherit   bool   // GlobalLog: virtual hosts log here too
	pos       configs.Position
	w         *logWriter // bound in child_init
}

// isPipe reports whether the log goes to a program.
func (l *customLog) isPipe() bool { return strings.HasPrefix(l.target, "|") }

// genState is what the module keeps for one generation: the writers of
// this process, the piped programs the master runs, and settings that
// apply to the whole server.
type genState struct {
	buffered bool // BufferedLogs
	needIO   bool // some format uses %I, %O or %S

	bindOnce sync.Once
	writers  map[string]*logWriter // by target, in children

	mu      sync.Mutex
	pipes   []*pipedLog // started by open_logs in the master
	flusher chan struct{}
}

func createServerConfig(s *pipeline.Server) any {
	c := &serverConfig{formats: map[string]string{}}
	if main := s.Gen.Main; s.IsVirtual && main != nil {
		c.state = serverConfigOf(main).state
	} else {
		c.state = &genState{}
	}
	return c
}

// mergeServerConfig gives a virtual host the main server's logs (used when
// it has none), its default format unless it set one, and its nicknames
// under its own.
func mergeServerConfig(base, add any) any {
	b, a := base.(*serverConfig), add.(*serverConfig)
	out := *a
	out.mainLogs = b.logs
	if out.defaultSpec == "" {
		out.defaultSpec = b.defaultSpec
	}
	out.formats = make(map[string]string, len(b.formats)+len(a.formats))
	for k, v := range b.formats {
		out.formats[k] = v
	}
	for k, v := range a.formats {
		out.formats[k] = v
	}
	return &out
}

func serverConfigOf(s *pipeline.Server) *serverConfig {
	return pipeline.ModuleConfig[*serverConfig](s.Config, Module)
}

// stateOf returns the module's state in generation g, nil when the module
// is not loaded there.
func stateOf(g *pipeline.Generation) *genState {
	if g == nil || g.Main == nil {
		return nil
	}
	if c := serverConfigOf(g.Main); c != nil {
		return c.state
	}
	return nil
}

// lookupFormat returns the format a nickname names here, or spec itself.
func (c *serverConfig) lookupFormat(spec string) string {
	key := strings.ToLower(spec)
	if f, ok := c.formats[key]; ok {
		return f
	}
	if f, ok := builtinFormats[key]; ok {
		return f
	}
	return spec
}

// SharedFileName is the name under which the master shares the log
// written to target (an absolute file name or "|program") with the
// children (pipeline.Generation.ShareFile).
func SharedFileName(target string) string { return "CustomLog " + target }
