package master

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gohttpd/child"
	"gohttpd/pipeline"
	"gohttpd/scoreboard"
	"gohttpd/signals"
)

// childCredential returns the credential children start with: nil when
// the master is not root (children run as the master's user), else the
// User and Group of p with the user's supplementary groups. Running
// children as root is refused.
func childCredential(p pipeline.ProcessConfig) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := lookupUser(p.User)
	if err != nil {
		return nil, fmt.Errorf("User %s: %w", p.User, err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	if uid == 0 {
		return nil, fmt.Errorf("User %s: children would serve requests as root; set User to an unprivileged user", p.User)
	}
	if p.Group != "" {
		g, err := lookupGroup(p.Group)
		if err != nil {
			return nil, fmt.Errorf("Group %s: %w", p.Group, err)
		}
		gid, _ = strconv.ParseUint(g.Gid, 10, 32)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if n, err := strconv.ParseUint(id, 10, 32); err == nil && n != 0 {
				cred.Groups = append(cred.Groups, uint32(n))
			}
		}
	}
	if len(cred.Groups) == 0 {
		cred.Groups = []uint32{uint32(gid)}
	}
	return cred, nil
}

// lookupUser accepts a name or Apache's "#uid" form.
func lookupUser(name string) (*user.User, error) {
	if id, ok := strings.CutPrefix(name, "#"); ok {
		return user.LookupId(id)
	}
	return user.Lookup(name)
}

func lookupGroup(name string) (*user.Group, error) {
	if id, ok := strings.CutPrefix(name, "#"); ok {
		return user.LookupGroupId(id)
	}
	return user.LookupGroup(name)
}

// spawn starts one child of the running generation in a free slot.
func (m *Master) spawn() error {
	lim := m.limits()
	slot, ok := m.sb.FreeSlot(m.sb.ServerLimit())
	if !ok || m.liveChildren(m.gen.Number) >= lim.maxChildren {
		return fmt.Errorf("no free scoreboard slot (ServerLimit %d)", m.sb.ServerLimit())
	}
	proc := m.sb.Process(slot)
	proc.Reserve(m.gen.Number)

	exe := m.opts.Executable
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			proc.Release()
			return fmt.Errorf("finding the server binary to re-execute: %w", err)
		}
	}
	man := child.Manifest{Slot: slot, Generation: m.gen.Number}
	files := []*os.File{m.sb.File(), m.snapshot, m.deathR}
	for i, f := range m.listeners.Files() {
		files = append(files, f)
		man.Listeners = append(man.Listeners, m.listeners.Addrs()[i].Directive())
	}
	files = append(files, m.listeners.Gates()...)
	if m.logOut != nil {
		files = append(files, m.logOut)
		man.Files = append(man.Files, "ErrorLog")
	}
	names, shared := m.gen.SharedFiles()
	files = append(files, shared...)
	man.Files = append(man.Files, names...)
	stderr, err := m.childStderr()
	if err != nil {
		proc.Release()
		return err
	}
	cmd := &exec.Cmd{
		Path:        exe,
		Args:        []string{os.Args[0]},
		Env:         append(child.RuntimeEnv(signals.ChildEnv(os.Environ())), child.ManifestEnv+"="+man.Encode()),
		ExtraFiles:  files,
		Stdout:      os.Stdout,
		Stderr:      stderr,
		SysProcAttr: &syscall.SysProcAttr{Credential: m.cred},
	}
	if m.selfSwitch && m.cred != nil {
		man.SwitchUser = &child.Credential{UID: m.cred.Uid, GID: m.cred.Gid, Groups: m.cred.Groups}
		cmd.SysProcAttr.Credential = nil
		cmd.Env[len(cmd.Env)-1] = child.ManifestEnv + "=" + man.Encode()
	}
	err = cmd.Start()
	if err != nil && errors.Is(err, os.ErrPermission) && m.cred != nil && !m.selfSwitch {
		// The User cannot execute the binary (its directory is private,
		// as under `go run`): start children as root and let them switch
		// to the User themselves before anything else.
		m.log.Warn(fmt.Sprintf("%s is not executable by uid %d; children start as root and switch to it before reading anything", exe, m.cred.Uid))
		m.selfSwitch = true
		proc.Release()
		return m.spawn()
	}
	if err != nil {
		proc.Release()
		m.maint.startupDeaths++
		return fmt.Errorf("starting a child: %w", err)
	}
	pid := cmd.Process.Pid
	// The reaper collects children with wait4(-1); drop the handle (and
	// its pidfd) so nothing else ever waits for this pid.
	cmd.Process.Release()
	proc.SetPid(pid)
	m.children[pid] = &childProc{pid: pid, slot: slot, gen: m.gen.Number, started: time.Now()}
	m.runChildStatus(pipeline.ChildEvent{Status: pipeline.ChildStarted, Pid: pid, Slot: slot, Generation: m.gen.Number})
	return nil
}

func (m *Master) runChildStatus(ev pipeline.ChildEvent) {
	m.gen.Hooks.ChildStatus.Run(func(f pipeline.ChildStatusFunc) pipeline.Result { f(m.gen.Main, ev); return pipeline.OK })
}

// liveChildren counts children of generation gen that are not stopping.
func (m *Master) liveChildren(gen int64) int {
	n := 0
	for _, c := range m.children {
		if c.gen == gen && !c.stopping {
			n++
		}
	}
	return n
}

// reap collects every exited child without blocking, frees its slot and
// runs child_status. It reports a fatal child exit.
func (m *Master) reap() error {
	var fatal error
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return fatal
		}
		c, ok := m.children[pid]
		if !ok {
			continue
		}
		delete(m.children, pid)
		// A child killed while it waited for connections for its
		// siblings must not leave them parked.
		m.listeners.ReleaseWaiter(pid)
		// A child that never marked its workers ready died starting up.
		diedStarting := m.sb.Worker(c.slot, 0).Status() == scoreboard.Starting
		m.sb.Process(c.slot).Release()
		code := ws.ExitStatus()
		if ws.Signaled() {
			code = -1
			if !c.stopping {
				m.log.Warn(fmt.Sprintf("child pid %d exit signal %s", pid, ws.Signal()), "slot", c.slot)
			}
		}
		if code == child.ExitChildFatal {
			fatal = fmt.Errorf("child pid %d (slot %d) could not start and said why in the error log; shutting down", pid, c.slot)
		}
		switch {
		case c.stopping || c.gen != m.gen.Number || fatal != nil:
		case diedStarting:
			// Died young: idle maintenance replaces it, one a second at
			// most, so a child that cannot start is no fork storm.
			m.maint.startupDeaths++
		default:
			// A crash (or MaxConnectionsPerChild): replace it now.
			if err := m.spawn(); err != nil {
				m.log.Error("could not replace a child", "error", err)
			}
		}
		m.runChildStatus(pipeline.ChildEvent{Status: pipeline.ChildExited, Pid: pid, Slot: c.slot, Generation: c.gen, ExitCode: code})
		if c.gen != m.gen.Number && m.countGen(c.gen) == 0 {
			m.runChildStatus(pipeline.ChildEvent{Status: pipeline.ChildGenerationDone, Generation: c.gen})
		}
	}
}

func (m *Master) countGen(gen int64) int {
	n := 0
	for _, c := range m.children {
		if c.gen == gen {
			n++
		}
	}
	return n
}

// signalChildren sends sig to every child matching keep.
func (m *Master) signalChildren(sig syscall.Signal, keep func(*childProc) bool) {
	for pid, c := range m.children {
		if keep == nil || keep(c) {
			_ = syscall.Kill(pid, sig)
		}
	}
}

func (m *Master) childPids() []int {
	pids := make([]int, 0, len(m.children))
	for pid := range m.children {
		pids = append(pids, pid)
	}
	return pids
}
