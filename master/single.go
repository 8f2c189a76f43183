package master

import (
	"context"
	"fmt"
	"net"
	"os"

	"gohttpd/child"
	"gohttpd/listen"
	"gohttpd/signals"
)

// RunSingle is -X: the master loads the configuration, binds the
// listeners and serves in its own process with one child.Server, without
// children, user switching or idle maintenance. TERM or INT stops it;
// restart signals are ignored with a warning.
func RunSingle(o Options) error {
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	m := &Master{opts: o, children: map[int]*childProc{}}
	if _, err := m.load(1); err != nil {
		return err
	}
	gen, err := m.load(1)
	if err != nil {
		return err
	}
	if err := m.openLogs(gen); err != nil {
		return err
	}
	if err := m.postConfig(gen); err != nil {
		return err
	}
	addrs, _ := listenAddrs(gen)
	m.listeners = listen.NewSet(m.log)
	if err := m.listeners.Reconcile(addrs, gen.Process.ListenBacklog); err != nil {
		return err
	}
	m.listeners.ApplyAcceptFilters(gen.Process.AcceptFilter)
	defer m.listeners.Close()
	if err := m.createScoreboard(gen); err != nil {
		return err
	}
	if err := m.setGeneration(gen); err != nil {
		return err
	}
	if err := gen.RunServerHook(gen.Hooks.PreMPM); err != nil {
		return err
	}
	var ls []net.Listener
	for i, f := range m.listeners.Files() {
		l, err := net.FileListener(f)
		if err != nil {
			return fmt.Errorf("listener %s: %w", m.listeners.Addrs()[i], err)
		}
		ls = append(ls, l)
	}
	m.sb.Process(0).Reserve(gen.Number)
	m.sb.Process(0).SetPid(os.Getpid())
	srv := &child.Server{Gen: gen, Scoreboard: m.sb, Slot: 0, Listeners: ls, Log: m.log, MasterPid: os.Getpid()}
	events, stopEvents := signals.NotifyMaster(context.Background())
	defer stopEvents()
	go func() {
		for ev := range events {
			if ev == signals.Stop {
				m.errLog.Notice("mpm", "caught SIGTERM, shutting down")
				srv.Drain()
				srv.Exit(0)
			}
			m.log.Warn(fmt.Sprintf("%s ignored in single-process mode (-X)", ev))
		}
	}()
	m.log.Info("single-process mode (-X): serving in the master")
	return srv.Serve()
}
