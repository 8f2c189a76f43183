package child

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"

	"gohttpd/configs"
	"gohttpd/listen"
	"gohttpd/pipeline"
	"gohttpd/scoreboard"
	"gohttpd/signals"
)

// Main runs a re-executed child whose manifest is manifestJSON (the value
// of ManifestEnv) and returns its exit status.
func Main(manifestJSON string) int {
	// Catch signals at once: a graceful restart may come while starting.
	events, _ := signals.NotifyChild(context.Background())
	m, err := DecodeManifest(manifestJSON)
	if err != nil {
		fmt.Fprintf(os.Stderr, "httpd child: %v\n", err)
		return ExitChildFatal
	}
	errOut := io.Writer(os.Stderr)
	for i, name := range m.Files {
		if name == "ErrorLog" {
			errOut = fileAt(m.sharedFileFD(i), name)
		}
	}
	fatal := func(format string, args ...any) int {
		fmt.Fprintf(errOut, "[%s] [core:emerg] [pid %d] child in slot %d: %s\n",
			time.Now().Format("Mon Jan 02 15:04:05.000000 2006"), os.Getpid(), m.Slot, fmt.Sprintf(format, args...))
		return ExitChildFatal
	}
	if m.SwitchUser != nil {
		if err := switchUser(m.SwitchUser); err != nil {
			return fatal("switching to uid %d: %v", m.SwitchUser.UID, err)
		}
	}
	if os.Geteuid() == 0 || os.Getuid() == 0 {
		return fatal("refusing to serve as root: set User to an unprivileged user")
	}

	// The death pipe: EOF (or any error) means the master is gone.
	death := &deathWatch{}
	go death.watch(fileAt(FDDeathPipe, "death-pipe"))

	sb, err := scoreboard.Open(fileAt(FDScoreboard, "scoreboard"))
	if err != nil {
		return fatal("mapping the scoreboard: %v", err)
	}
	snapFile := fileAt(FDConfig, "config-snapshot")
	data, err := io.ReadAll(io.NewSectionReader(snapFile, 0, 1<<30))
	snapFile.Close()
	if err != nil {
		return fatal("reading the configuration snapshot: %v", err)
	}
	snap, err := configs.UnmarshalSnapshot(data)
	if err != nil {
		return fatal("decoding the configuration snapshot: %v", err)
	}
	cfg, err := configs.ReadSnapshot(snap)
	if err != nil {
		return fatal("parsing the configuration snapshot: %v", err)
	}
	errLog, err := pipeline.NewErrorLog(errOut, "warn")
	if err != nil {
		return fatal("%v", err)
	}
	gen, err := pipeline.Build(cfg, m.Generation, errLog.Logger())
	if err != nil {
		return fatal("building the configuration: %v", err)
	}
	if lvl := gen.Process.LogLevel; lvl != "" {
		if l, err := pipeline.NewErrorLog(errOut, lvl); err == nil {
			errLog = l
			gen.SetLog(l.Logger())
		}
	}
	errLog.AttachHooks(gen.Hooks, gen.Main)
	if err := applySchedulingPolicy(&gen.Process); err != nil {
		gen.Log.Warn("keeping the inherited CPU scheduling policy", "CPUSchedulingPolicy", gen.Process.CPUSchedulingPolicy, "error", err)
	}
	for i, name := range m.Files {
		if name != "ErrorLog" {
			gen.ShareFile(name, fileAt(m.sharedFileFD(i), name))
		}
	}

	files := make([]*os.File, len(m.Listeners))
	gates := make([]*os.File, len(m.Listeners))
	addrs := make([]listen.Addr, len(m.Listeners))
	for i, directive := range m.Listeners {
		if addrs[i], err = listen.ParseAddr(directive); err != nil {
			return fatal("listener %d: %v", i, err)
		}
		files[i] = fileAt(m.listenerFD(i), "listener "+directive)
		gates[i] = fileAt(m.gateFD(i), "accept gate "+directive)
	}
	// One-thread children are many, and each would wake for every new
	// connection in the Go poller: they wait in EPOLLEXCLUSIVE sets, one
	// at a time per socket (the accept gates), and serve with blocking
	// calls (listen.Conn). A few threaded children cost less with the Go
	// poller's cheaper accept path.
	var listeners []net.Listener
	if gen.Process.ThreadsPerChild == 1 {
		listeners, err = listen.InheritExclusive(files, addrs, gates)
	} else {
		for _, g := range gates {
			g.Close()
		}
		listeners, err = listen.Inherit(files, addrs)
	}
	if err != nil {
		return fatal("inheriting the listeners: %v", err)
	}

	srv := &Server{Gen: gen, Scoreboard: sb, Slot: m.Slot, Listeners: listeners, Log: gen.Log, MasterPid: os.Getppid()}
	if gen.Process.ThreadsPerChild > 1 {
		srv.balance = newConnBalance(sb, m.Slot, m.Generation)
	}
	share := newCPUShare(sb, m.Generation, gen.Process.ThreadsPerChild, srv.servesInline())
	share.update()
	watchSignals(srv, events)
	go watchGeneration(srv, sb, m.Generation, share)
	death.srv.Store(srv)
	if err := srv.Serve(); err != nil {
		gen.Log.Error("child stopped with an error", "error", err)
		srv.Exit(1)
	}
	srv.Exit(0)
	return 0
}

// watchSignals maps the master's signals to the child (signals.NotifyChild):
// TERM and HUP stop at once, USR1 and WINCH drain gracefully.
func watchSignals(srv *Server, events <-chan signals.Event) {
	go func() {
		for ev := range events {
			if ev == signals.Graceful {
				srv.Drain()
				continue
			}
			srv.Exit(0)
		}
	}()
}

// watchGeneration drains the child once the master's running generation
// moves past its own (a graceful restart whose signal it missed), and
// keeps the child's CPU share and list of siblings current.
func watchGeneration(srv *Server, sb *scoreboard.Scoreboard, gen int64, share *cpuShare) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for range t.C {
		share.update()
		if srv.balance != nil {
			srv.balance.refresh()
		}
		if sb.Global().RunningGeneration() > gen {
			srv.Drain()
			return
		}
	}
}

// deathWatch ends the child when the master is gone (EOF on the death
// pipe), running child_exit once the server exists.
type deathWatch struct{ srv atomic.Pointer[Server] }

func (d *deathWatch) watch(pipe *os.File) {
	var b [1]byte
	for {
		if _, err := pipe.Read(b[:]); err != nil {
			if srv := d.srv.Load(); srv != nil {
				srv.Exit(0)
			}
			os.Exit(0)
		}
	}
}
