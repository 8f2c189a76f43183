package logconfig

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"gohttpd/pipeline"
)

func registerHooks(h *pipeline.Hooks) {
	io := h.Filters().RegisterInput(Module.Name, ioFilterName, pipeline.FilterConnection, countInput)
	h.CheckConfig.Register(Module.Name, checkConfig, pipeline.Middle)
	h.OpenLogs.Register(Module.Name, openLogs, pipeline.Middle)
	h.ChildInit.Register(Module.Name, childInit, pipeline.Middle)
	h.ChildExit.Register(Module.Name, func(s *pipeline.Server) pipeline.Result { _ = Flush(s.Gen); return pipeline.OK }, pipeline.Middle)
	h.PreConnection.Register(Module.Name, func(c *pipeline.Conn) pipeline.Result {
		return trackConnection(c, io)
	}, pipeline.Middle)
	h.LogTransaction.Register(Module.Name, logTransaction, pipeline.Middle)
}

// checkConfig resolves every server's default format and each log's
// format or nickname (nicknames may be defined after the CustomLog that
// uses them). It runs in the master and in every child.
func checkConfig(main *pipeline.Server) pipeline.Result {
	st := serverConfigOf(main).state
	for s := main; s != nil; s = s.Next {
		cfg := serverConfigOf(s)
		spec := CommonFormat
		if cfg.defaultSpec != "" {
			spec = cfg.lookupFormat(cfg.defaultSpec)
		}
		f, err := ParseFormat(spec)
		if err != nil {
			main.Log.Error(fmt.Sprintf("LogFormat %q: %v", spec, err))
			return pipeline.Done
		}
		cfg.defaultFormat = f
		for _, l := range cfg.logs {
			if l.formatArg == "" {
				continue
			}
			if l.format, err = ParseFormat(cfg.lookupFormat(l.formatArg)); err != nil {
				main.Log.Error(fmt.Sprintf("%s: CustomLog format %q: %v", l.pos, l.formatArg, err))
				return pipeline.Done
			}
		}
		for _, l := range cfg.allLogs() {
			if l.formatOr(cfg.defaultFormat).UsesByteCounters() {
				st.needIO = true
			}
		}
	}
	return pipeline.OK
}

// allLogs returns the logs a request to this server is written to.
func (c *serverConfig) allLogs() []*customLog {
	if len(c.mainLogs) == 0 {
		return c.logs
	}
	out := append([]*customLog(nil), c.logs...)
	for _, l := range c.mainLogs {
		if l.inherit || len(c.logs) == 0 {
			out = append(out, l)
		}
	}
	return out
}

// formatOr returns the log's own format, or def.
func (l *customLog) formatOr(def *Format) *Format {
	if l.format != nil {
		return l.format
	}
	return def
}

// openLogs runs in the master, as root, before children start: it opens
// each log file and starts each piped program once, however many servers
// use it, and shares the writing ends with the children.
func openLogs(main *pipeline.Server) pipeline.Result {
	g := main.Gen
	st := serverConfigOf(main).state
	done := map[string]bool{}
	for s := main; s != nil; s = s.Next {
		for _, l := range serverConfigOf(s).logs {
			if done[l.target] {
				continue
			}
			done[l.target] = true
			if err := st.open(g, l); err != nil {
				main.Log.Error(err.Error())
				st.closePipes()
				return pipeline.Done
			}
		}
	}
	return pipeline.OK
}

// open opens one log in the master and shares it.
func (st *genState) open(g *pipeline.Generation, l *customLog) error {
	if l.isPipe() {
		p, err := startPipedLog(g, l.target)
		if err != nil {
			return fmt.Errorf("%s: CustomLog: %w", l.pos, err)
		}
		st.mu.Lock()
		st.pipes = append(st.pipes, p)
		st.mu.Unlock()
		g.ShareFile(p.name, p.w)
		return nil
	}
	f, err := openLogFile(l.target)
	if err != nil {
		if dir := filepath.Dir(l.target); !isDir(dir) {
			return fmt.Errorf("%s: cannot access directory '%s' for log file '%s': %w", l.pos, dir, l.target, err)
		}
		return fmt.Errorf("%s: could not open transfer log file %s: %w", l.pos, l.target, err)
	}
	g.ShareFile(SharedFileName(l.target), f)
	return nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// closePipes stops the piped programs this generation started (start-up
// failed half-way, or a test is done).
func (st *genState) closePipes() {
	st.mu.Lock()
	pipes := st.pipes
	st.pipes = nil
	st.mu.Unlock()
	for _, p := range pipes {
		p.close()
	}
}

// childInit binds every log to its writer in this process and, with
// BufferedLogs, starts the once-a-second flush.
func childInit(main *pipeline.Server) pipeline.Result {
	st := serverConfigOf(main).state
	st.bind(main)
	if st.buffered {
		st.mu.Lock()
		if st.flusher == nil {
			st.flusher = make(chan struct{})
			go st.flushEvery(flushInterval, st.flusher)
		}
		st.mu.Unlock()
	}
	return pipeline.OK
}

// bind gives each log its writer: the file or pipe the master shared, or
// — when none was shared (a generation built without open_logs, as in
// tests) — a file this process opens itself with O_APPEND, which works
// when the User may write it. It runs once per generation and process.
func (st *genState) bind(main *pipeline.Server) {
	st.bindOnce.Do(func() {
		st.writers = map[string]*logWriter{}
		g := main.Gen
		for s := main; s != nil; s = s.Next {
			for _, l := range serverConfigOf(s).logs {
				w, ok := st.writers[l.target]
				if !ok {
					w = st.writerFor(g, main, l)
					st.writers[l.target] = w
				}
				l.w = w
			}
		}
	})
}

func (st *genState) writerFor(g *pipeline.Generation, main *pipeline.Server, l *customLog) *logWriter {
	if f := g.SharedFile(SharedFileName(l.target)); f != nil {
		return newLogWriter(l.target, f, false, st.buffered)
	}
	if l.isPipe() {
		main.Log.Error(fmt.Sprintf("%s: piped log %q was not handed to this process; its lines are dropped", l.pos, l.target))
		return nil
	}
	f, err := openLogFile(l.target)
	if err != nil {
		main.Log.Error(fmt.Sprintf("%s: could not open transfer log file %s: %v", l.pos, l.target, err))
		return nil
	}
	return newLogWriter(l.target, f, true, st.buffered)
}

// flushEvery writes buffered lines every interval until stop closes.
func (st *genState) flushEvery(interval time.Duration, stop chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			st.flush()
		}
	}
}

// flush writes every buffered line of this process.
func (st *genState) flush() error {
	var errs []error
	for _, w := range st.writers {
		if w != nil {
			errs = append(errs, w.flush())
		}
	}
	return errors.Join(errs...)
}

// Flush writes the access-log lines this process has buffered
// (BufferedLogs) for generation g. A child calls it before exiting.
func Flush(g *pipeline.Generation) error {
	st := stateOf(g)
	if st == nil {
		return nil
	}
	return st.flush()
}

// close flushes and stops everything the state runs in this process: the
// flush ticker, files opened by the fallback, and piped programs.
func (st *genState) close() error {
	st.mu.Lock()
	if st.flusher != nil {
		close(st.flusher)
		st.flusher = nil
	}
	st.mu.Unlock()
	var errs []error
	for _, w := range st.writers {
		if w != nil {
			errs = append(errs, w.close())
		}
	}
	st.closePipes()
	return errors.Join(errs...)
}
