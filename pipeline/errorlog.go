package pipeline

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// ErrorLog writes Apache-format error-log lines through go-hclog:
//
//	[Mon Nov 23 10:11:12.345678 2026] [core:error] [pid 1234] message key=value
//
// Each module logs through its own named logger (For), whose level comes
// from LogLevel's per-module settings; every line written is also passed to
// the error_log hook when hooks are attached.
type ErrorLog struct {
	root   hclog.InterceptLogger
	sink   *apacheSink
	levels map[string]hclog.Level
	def    hclog.Level
}

// NewErrorLog returns an error log writing to w at the levels given in
// Apache's LogLevel syntax ("warn", "info core:debug").
func NewErrorLog(w io.Writer, logLevel string) (*ErrorLog, error) {
	def, levels, err := ParseLogLevel(logLevel)
	if err != nil {
		return nil, err
	}
	root := hclog.NewInterceptLogger(&hclog.LoggerOptions{
		Output:            io.Discard,
		Level:             hclog.Off,
		IndependentLevels: true,
	})
	sink := &apacheSink{w: w, pid: os.Getpid()}
	root.RegisterSink(sink)
	return &ErrorLog{root: root, sink: sink, levels: levels, def: def}, nil
}

// Logger returns the logger for the server core ("core").
func (l *ErrorLog) Logger() hclog.Logger { return l.For("core") }

// For returns the named logger of a module, at its configured level.
func (l *ErrorLog) For(module string) hclog.Logger {
	lvl, ok := l.levels[module]
	if !ok {
		lvl = l.def
	}
	sub := l.root.ResetNamed(module)
	sub.SetLevel(lvl)
	l.sink.setLevel(module, lvl)
	return sub
}

// AttachHooks makes every later line also run the error_log hook.
func (l *ErrorLog) AttachHooks(h *Hooks, s *Server) {
	l.sink.mu.Lock()
	l.sink.hooks, l.sink.server = h, s
	l.sink.mu.Unlock()
}

// SetOutput redirects the log (the master reopens logs on restart).
func (l *ErrorLog) SetOutput(w io.Writer) {
	l.sink.mu.Lock()
	l.sink.w = w
	l.sink.mu.Unlock()
}

// Notice writes a notice-level line for module whatever the LogLevel, as
// Apache always logs APLOG_NOTICE (start-up, restart and shutdown lines).
func (l *ErrorLog) Notice(module, msg string, args ...any) {
	l.sink.write(module, "notice", msg, args)
}

// ParseLogLevel reads Apache's LogLevel syntax: a default level followed
// by module:level pairs.
func ParseLogLevel(spec string) (hclog.Level, map[string]hclog.Level, error) {
	def := hclog.Warn
	levels := map[string]hclog.Level{}
	for _, w := range strings.Fields(spec) {
		mod, lvl, hasMod := strings.Cut(w, ":")
		if !hasMod {
			lvl = mod
		}
		l, ok := apacheLevel(lvl)
		if !ok {
			return 0, nil, fmt.Errorf("LogLevel: unknown level %q (use emerg, alert, crit, error, warn, notice, info, debug or trace1-8)", lvl)
		}
		if hasMod {
			levels[CanonicalModuleName(mod)] = l
		} else {
			def = l
		}
	}
	return def, levels, nil
}

func apacheLevel(s string) (hclog.Level, bool) {
	switch strings.ToLower(s) {
	case "emerg", "alert", "crit", "error":
		return hclog.Error, true
	case "warn":
		return hclog.Warn, true
	case "notice", "info":
		return hclog.Info, true
	case "debug":
		return hclog.Debug, true
	}
	if strings.HasPrefix(strings.ToLower(s), "trace") && len(s) == 6 && s[5] >= '1' && s[5] <= '8' {
		return hclog.Trace, true
	}
	return 0, false
}

func levelName(l hclog.Level) string {
	switch l {
	case hclog.Error:
		return "error"
	case hclog.Warn:
		return "warn"
	case hclog.Info:
		return "notice"
	case hclog.Debug:
		return "debug"
	case hclog.Trace:
		return "trace1"
	}
	return "info"
}

// apacheSink formats hclog records as Apache error-log lines.
type apacheSink struct {
	mu     sync.Mutex
	w      io.Writer
	pid    int
	hooks  *Hooks
	server *Server
	lv     sync.Map // module -> hclog.Level
}

func (s *apacheSink) setLevel(module string, l hclog.Level) { s.lv.Store(module, l) }

// Accept implements hclog.SinkAdapter.
func (s *apacheSink) Accept(name string, level hclog.Level, msg string, args ...any) {
	if v, ok := s.lv.Load(name); ok && level < v.(hclog.Level) {
		return
	}
	s.write(name, levelName(level), msg, args)
}

func (s *apacheSink) write(name, level, msg string, args []any) {
	now := time.Now()
	var b strings.Builder
	b.WriteString(msg)
	for i := 0; i+1 < len(args); i += 2 {
		fmt.Fprintf(&b, " %v=%v", args[i], args[i+1])
	}
	line := fmt.Sprintf("[%s] [%s:%s] [pid %d] %s\n",
		now.Format("Mon Jan 02 15:04:05.000000 2006"), name, level, s.pid, b.String())
	s.mu.Lock()
	_, _ = io.WriteString(s.w, line)
	hooks, server := s.hooks, s.server
	s.mu.Unlock()
	if hooks != nil {
		e := &ErrorLogEntry{Time: now, Level: level, Module: name, Message: b.String(), Server: server}
		hooks.ErrorLog.Run(func(f ErrorLogFunc) Result { f(e); return OK })
	}
}
