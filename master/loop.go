package master

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"gohttpd/pipeline"
	"gohttpd/scoreboard"
	"gohttpd/signals"
)

// loop is the master's main loop: signals, child exits and the
// once-a-second maintenance tick, until a stop.
func (m *Master) loop(events <-chan signals.Event, sigchld <-chan os.Signal) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-sigchld:
			if err := m.reap(); err != nil {
				m.log.Error(err.Error())
				m.stop()
				return err
			}
		case ev := <-events:
			switch ev {
			case signals.Stop:
				m.errLog.Notice("mpm", "caught SIGTERM, shutting down")
				m.stop()
				return nil
			case signals.Restart:
				m.restart()
			case signals.Graceful:
				m.graceful()
			case signals.GracefulStop:
				m.errLog.Notice("mpm", "caught SIGWINCH, shutting down gracefully")
				m.gracefulStop(events)
				return nil
			}
		case <-tick.C:
			if err := m.reap(); err != nil {
				m.log.Error(err.Error())
				m.stop()
				return err
			}
			m.maintain()
		}
	}
}

// maintain runs one idle-maintenance tick, records history for the status
// page, runs the monitor hook every 10th tick and tells systemd the status.
func (m *Master) maintain() {
	m.ticks++
	t := m.sb.Tally(m.gen.Number)
	lim := m.limits()
	d := m.maint.tick(t, m.liveChildren(m.gen.Number), lim)
	if d.maxedOut {
		m.log.Error("server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting")
	}
	if d.spawn >= 8 && m.maint.startupDeaths == 0 {
		m.log.Info(fmt.Sprintf("server seems busy, (you may need to increase StartServers, or Min/MaxSpareServers), spawning %d children, there are %d idle, and %d total children",
			d.spawn, t.MaintenanceIdle(), len(m.children)))
	}
	m.maint.startupDeaths = 0
	for i := 0; i < d.spawn; i++ {
		if err := m.spawn(); err != nil {
			m.log.Error("could not start a child", "error", err)
			break
		}
	}
	if d.killOneIdle {
		m.killOneIdle()
	}
	m.sb.Global().AppendHistory(scoreboard.Sample{
		UnixSec:       time.Now().Unix(),
		TotalAccesses: t.TotalAccesses,
		TotalBytes:    t.TotalBytes,
		Busy:          t.Busy + t.Graceful,
		Idle:          t.Idle,
	})
	if m.ticks%10 == 0 {
		m.gen.RunServerHook(m.gen.Hooks.Monitor)
	}
	m.notify.Status(fmt.Sprintf("Total requests: %d; Idle/Busy workers %d/%d; Children %d",
		t.TotalAccesses, t.Idle, t.Busy, len(m.children)))
}

// killOneIdle asks the highest-slot child of the running generation whose
// workers are all idle to exit gracefully.
func (m *Master) killOneIdle() {
	var pick *childProc
	threads := m.limits().threadsPerChild
	for _, c := range m.children {
		if c.gen != m.gen.Number || c.stopping {
			continue
		}
		idle := true
		for t := 0; t < threads; t++ {
			if m.sb.Worker(c.slot, t).Status() != scoreboard.Ready {
				idle = false
				break
			}
		}
		if idle && (pick == nil || c.slot > pick.slot) {
			pick = c
		}
	}
	if pick == nil {
		return
	}
	pick.stopping = true
	m.sb.Process(pick.slot).SetQuiescing(true)
	_ = syscall.Kill(pick.pid, syscall.SIGUSR1)
}

// reload reads the configuration for the next generation; on failure the
// running generation keeps serving and the error is logged.
func (m *Master) reload(kind string) (*pipeline.Generation, bool) {
	gen, err := m.load(m.gen.Number + 1)
	if err != nil {
		m.log.Error(fmt.Sprintf("%s: configuration error, still serving the previous configuration: %v", kind, err))
		return nil, false
	}
	return gen, true
}

// graceful is USR1: a new generation starts at once while the old
// children finish what they are doing and exit.
func (m *Master) graceful() {
	m.errLog.Notice("mpm", "SIGUSR1 received.  Doing graceful restart")
	m.notify.Reloading()
	defer m.notify.Ready(os.Getpid())
	gen, ok := m.reload("graceful restart")
	if !ok {
		return
	}
	if !m.switchGeneration(gen) {
		return
	}
	for _, c := range m.children {
		if c.gen != gen.Number {
			c.stopping = true
			m.sb.Process(c.slot).SetQuiescing(true)
			_ = syscall.Kill(c.pid, syscall.SIGUSR1)
		}
	}
	m.maint.gracefulRestarted()
	for i := 0; i < gen.Process.StartServers; i++ {
		if err := m.spawn(); err != nil {
			m.log.Error("could not start a child", "error", err)
			break
		}
	}
}

// switchGeneration opens gen's logs, reconciles the listeners (kept ones
// keep their sockets) and makes gen the running generation.
func (m *Master) switchGeneration(gen *pipeline.Generation) bool {
	addrs, _ := listenAddrs(gen)
	if err := m.listeners.Reconcile(addrs, gen.Process.ListenBacklog); err != nil {
		m.log.Error("restart: still serving the previous configuration", "error", err)
		return false
	}
	m.listeners.ApplyAcceptFilters(gen.Process.AcceptFilter)
	if err := m.openLogs(gen); err != nil {
		gen.CloseSharedFiles()
		m.log.Error("restart: still serving the previous configuration", "error", err)
		return false
	}
	if err := m.postConfig(gen); err != nil {
		gen.CloseSharedFiles()
		m.log.Error("restart: post_config failed", "error", err)
		return false
	}
	if cred, err := childCredential(gen.Process); err == nil {
		m.cred = cred
	}
	old := m.gen
	if err := m.setGeneration(gen); err != nil {
		m.log.Error("restart", "error", err)
		return false
	}
	// Children of the old generation hold their own copies.
	old.CloseSharedFiles()
	g := m.sb.Global()
	g.AddRestart()
	g.SetRestartTime(time.Now())
	gen.RunServerHook(gen.Hooks.PreMPM)
	return true
}

// restart is HUP: children are stopped now, the scoreboard is zeroed, the
// configuration is read again and new children start; the listeners stay
// open throughout, so connections wait in the accept queue.
func (m *Master) restart() {
	m.errLog.Notice("mpm", "SIGHUP received.  Attempting to restart")
	m.notify.Reloading()
	defer m.notify.Ready(os.Getpid())
	gen, ok := m.reload("restart")
	if !ok {
		return
	}
	m.terminateChildren()
	m.sb.Reset()
	if !m.switchGeneration(gen) {
		// The old generation's config is still in force: serve it again.
		gen = m.gen
	}
	m.maint = maintainer{}
	for i := 0; i < gen.Process.StartServers; i++ {
		if err := m.spawn(); err != nil {
			m.log.Error("could not start a child", "error", err)
			break
		}
	}
}

// terminateChildren sends TERM to every child, repeating it at 3, 5 and
// 7 s and sending KILL at 9 s, until all are reaped.
func (m *Master) terminateChildren() {
	for _, c := range m.children {
		c.stopping = true
	}
	signals.Escalate(signals.EscalateOptions{
		Alive: func() []int { m.reap(); return m.childPids() },
	})
	m.reap()
}

// stop is TERM/INT: children are terminated, the PidFile removed.
func (m *Master) stop() {
	m.notify.Stopping()
	m.terminateChildren()
	m.cleanup()
}

// gracefulStop is WINCH: the listeners close, children finish their
// requests and exit; after GracefulShutdownTimeout (0 = no limit) the rest
// are terminated.
func (m *Master) gracefulStop(events <-chan signals.Event) {
	m.notify.Stopping()
	m.listeners.Close()
	for _, c := range m.children {
		c.stopping = true
	}
	m.signalChildren(syscall.SIGWINCH, nil)
	timeout := m.gen.Process.GracefulShutdownTimeout
	var deadline <-chan time.Time
	if timeout > 0 {
		deadline = time.After(timeout)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for len(m.children) > 0 {
		select {
		case ev := <-events:
			if ev == signals.Stop {
				m.terminateChildren()
			}
			m.reap()
		case <-tick.C:
			m.reap()
		case <-deadline:
			m.log.Warn("GracefulShutdownTimeout reached; terminating the remaining children")
			m.terminateChildren()
		}
	}
	m.cleanup()
}
