package master

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/sys/unix"

	"gohttpd/configs"
	"gohttpd/listen"
	"gohttpd/pipeline"
	"gohttpd/scoreboard"
	"gohttpd/signals"
)

// Options configure a master.
type Options struct {
	// ReadConfig reads the configuration; the master calls it twice at
	// start (validate, then run) and again on every restart.
	ReadConfig func() (*configs.Config, error)
	// Stderr receives start-up errors before the error log is open.
	Stderr io.Writer
	// Notifier receives systemd notifications; nil uses NOTIFY_SOCKET.
	Notifier signals.Notifier
	// Executable is the binary to re-execute for children; empty means
	// this process's own executable.
	Executable string
	// StartupLogLevel (httpd -e) replaces LogLevel until the server has
	// started.
	StartupLogLevel string
}

// Master is the supervising process.
type Master struct {
	opts   Options
	gen    *pipeline.Generation
	errLog *pipeline.ErrorLog
	log    hclog.Logger
	logOut *os.File // error log file shared with children; nil for stderr

	listeners *listen.Set
	sb        *scoreboard.Scoreboard
	snapshot  *os.File // memfd with this generation's configuration bytes
	deathR    *os.File
	deathW    *os.File
	childErr  *os.File // children's stderr, filtered by the master (childStderr)
	cred      *syscall.Credential
	// selfSwitch: children start as root and switch to cred themselves.
	selfSwitch bool

	children map[int]*childProc // by pid
	maint    maintainer
	ticks    int
	notify   signals.Notifier
	mu       sync.Mutex
}

type childProc struct {
	pid, slot int
	gen       int64
	started   time.Time
	stopping  bool
}

// Run starts the master and returns when the server stops. A non-nil
// error means the server could not start, or a fatal condition stopped it.
func Run(o Options) error {
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	m := &Master{opts: o, children: map[int]*childProc{}, notify: o.Notifier}
	if m.notify == nil {
		m.notify = signals.SystemdNotifier()
	}
	// Signals are caught from the start: a USR1 arriving while children
	// spawn must not kill the master.
	events, stopEvents := signals.NotifyMaster(context.Background())
	defer stopEvents()
	sigchld, stopChld := childExits()
	defer stopChld()
	// First read: validate only, as Apache does.
	if _, err := m.load(1); err != nil {
		return err
	}
	gen, err := m.load(1)
	if err != nil {
		return err
	}
	if err := m.start(gen); err != nil {
		m.cleanup()
		return err
	}
	return m.loop(events, sigchld)
}

// load reads the configuration and builds generation number n, checking
// what the master needs: listen addresses and the child user.
func (m *Master) load(n int64) (*pipeline.Generation, error) {
	cfg, err := m.opts.ReadConfig()
	if err != nil {
		return nil, err
	}
	gen, err := pipeline.Build(cfg, n, m.log)
	if err != nil {
		return nil, err
	}
	if err := Check(gen); err != nil {
		return nil, err
	}
	return gen, nil
}

// Check verifies what the master needs of a generation beyond its
// directives: valid Listen addresses and a child user that exists and is
// not root. httpd -t runs it too.
func Check(gen *pipeline.Generation) error {
	if _, err := listenAddrs(gen); err != nil {
		return err
	}
	_, err := childCredential(gen.Process)
	return err
}

func listenAddrs(gen *pipeline.Generation) ([]listen.Addr, error) {
	p := gen.Process
	if len(p.Listen) == 0 {
		return nil, fmt.Errorf("%s: no Listen directive: no listening sockets available, shutting down", gen.Config.Main)
	}
	addrs := make([]listen.Addr, 0, len(p.Listen))
	for i, l := range p.Listen {
		a, err := listen.ParseAddr(l)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.ListenPos[i], err)
		}
		addrs = append(addrs, a)
	}
	return addrs, nil
}

// start brings up the first generation: logs, listeners, scoreboard,
// children, PidFile and the systemd READY notification.
func (m *Master) start(gen *pipeline.Generation) error {
	if err := m.openLogs(gen); err != nil {
		return err
	}
	cred, err := childCredential(gen.Process)
	if err != nil {
		return err
	}
	m.cred = cred
	if cred == nil {
		m.log.Warn("master is not running as root: children run as this user; User and Group are ignored",
			"uid", os.Getuid())
	}
	if err := m.postConfig(gen); err != nil {
		return err
	}
	addrs, _ := listenAddrs(gen)
	m.listeners = listen.NewSet(m.log)
	if err := m.listeners.AdoptSystemd(); err != nil {
		return err
	}
	if err := m.listeners.Reconcile(addrs, gen.Process.ListenBacklog); err != nil {
		return err
	}
	m.listeners.ApplyAcceptFilters(gen.Process.AcceptFilter)
	if err := m.createScoreboard(gen); err != nil {
		return err
	}
	if err := m.setGeneration(gen); err != nil {
		return err
	}
	r, w, err := os.Pipe() // both ends close-on-exec
	if err != nil {
		return fmt.Errorf("creating the death pipe: %w", err)
	}
	m.deathR, m.deathW = r, w
	if err := gen.RunServerHook(gen.Hooks.PreMPM); err != nil {
		return err
	}
	if pf := gen.Process.PidFile; pf != "" {
		if err := os.MkdirAll(filepath.Dir(pf), 0o755); err != nil {
			return fmt.Errorf("PidFile %s: %w", pf, err)
		}
		if err := signals.WritePidFile(pf, os.Getpid()); err != nil {
			return err
		}
	}
	for i := 0; i < gen.Process.StartServers; i++ {
		if err := m.spawn(); err != nil {
			if i == 0 {
				return err
			}
			m.log.Error("could not start a child", "error", err)
			break
		}
	}
	m.errLog.Notice("mpm", fmt.Sprintf("%s (Unix) configured -- resuming normal operations", pipeline.Banner()))
	if m.opts.StartupLogLevel != "" {
		// -e applied to start-up only: back to the configured LogLevel.
		if el, err := pipeline.NewErrorLog(m.logWriter(), gen.Process.LogLevel); err == nil {
			el.AttachHooks(gen.Hooks, gen.Main)
			m.errLog, m.log = el, el.Logger()
			gen.SetLog(m.log)
		}
	}
	m.notify.Ready(os.Getpid())
	return nil
}

// logWriter returns where the error log writes.
func (m *Master) logWriter() io.Writer {
	if m.logOut != nil {
		return m.logOut
	}
	return m.opts.Stderr
}

// openLogs opens the error log of gen (as root, before children start)
// and runs the open_logs hook.
func (m *Master) openLogs(gen *pipeline.Generation) error {
	p := gen.Process
	var out *os.File
	switch {
	case p.ErrorLog == "" || p.ErrorLog == "stderr":
	case p.ErrorLog[0] == '|':
		return fmt.Errorf("ErrorLog %q: piped error logs are not supported yet; log to a file or stderr", p.ErrorLog)
	default:
		if err := os.MkdirAll(filepath.Dir(p.ErrorLog), 0o755); err != nil {
			return fmt.Errorf("ErrorLog %s: %w", p.ErrorLog, err)
		}
		f, err := os.OpenFile(p.ErrorLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("ErrorLog: could not open %s: %w", p.ErrorLog, err)
		}
		out = f
	}
	var w io.Writer = m.opts.Stderr
	if out != nil {
		w = out
	}
	level := p.LogLevel
	if m.gen == nil && m.opts.StartupLogLevel != "" {
		level = m.opts.StartupLogLevel
	}
	el, err := pipeline.NewErrorLog(w, level)
	if err != nil {
		if out != nil {
			out.Close()
		}
		return err
	}
	if m.logOut != nil {
		m.logOut.Close()
	}
	m.logOut, m.errLog, m.log = out, el, el.Logger()
	gen.SetLog(m.log)
	el.AttachHooks(gen.Hooks, gen.Main)
	return gen.RunServerHook(gen.Hooks.OpenLogs)
}

func (m *Master) postConfig(gen *pipeline.Generation) error {
	return gen.RunServerHook(gen.Hooks.PostConfig)
}

func (m *Master) createScoreboard(gen *pipeline.Generation) error {
	p := gen.Process
	threads := p.ThreadsPerChild
	if p.Set["ThreadLimit"] && p.ThreadLimit > threads {
		threads = p.ThreadLimit
	}
	sb, err := scoreboard.Create(p.ServerLimit, threads)
	if err != nil {
		return fmt.Errorf("creating the scoreboard: %w", err)
	}
	now := time.Now()
	sb.Global().SetStartTime(now)
	sb.Global().SetRestartTime(now)
	m.sb = sb
	return nil
}

// setGeneration makes gen the running one: its snapshot memfd is what new
// children read.
func (m *Master) setGeneration(gen *pipeline.Generation) error {
	data, err := gen.Config.Snapshot.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encoding the configuration snapshot: %w", err)
	}
	fd, err := unix.MemfdCreate("gohttpd-config", unix.MFD_CLOEXEC)
	if err != nil {
		return fmt.Errorf("creating the configuration memfd: %w", err)
	}
	f := os.NewFile(uintptr(fd), "gohttpd-config")
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing the configuration memfd: %w", err)
	}
	if m.snapshot != nil {
		m.snapshot.Close()
	}
	m.snapshot = f
	m.gen = gen
	g := m.sb.Global()
	g.SetRunningGeneration(gen.Number)
	g.SetConfigGeneration(gen.Number)
	return nil
}

// limits returns the idle-maintenance limits of the running generation.
func (m *Master) limits() limits {
	p := m.gen.Process
	threads := max(1, min(p.ThreadsPerChild, m.sb.ThreadLimit()))
	maxChildren := min(p.MaxRequestWorkers/threads, p.ServerLimit, m.sb.ServerLimit())
	return limits{minSpare: p.MinSpareServers, maxSpare: p.MaxSpareServers, threadsPerChild: threads, maxChildren: max(1, maxChildren)}
}

func (m *Master) cleanup() {
	if m.gen != nil && m.gen.Process.PidFile != "" {
		signals.RemovePidFile(m.gen.Process.PidFile)
	}
	if m.listeners != nil {
		m.listeners.Close()
	}
}

// errStop is returned internally when the loop should end normally.
var errStop = errors.New("stop")

// childExits delivers SIGCHLD, which tells the reaper to collect.
func childExits() (<-chan os.Signal, func()) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, syscall.SIGCHLD)
	return ch, func() { signal.Stop(ch) }
}
