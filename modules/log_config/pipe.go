package logconfig

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/sys/unix"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// respawnDelay is the shortest time between two starts of a piped log
// program, so that one that dies at once is no fork storm.
const respawnDelay = time.Second

// pipedLog is a "|program" log run by the master (Apache's piped_log). The
// master keeps both ends of the pipe: the program reads the one end, the
// children write the other, and when the program dies the master starts it
// again on the same pipe, so that lines written meanwhile wait in the pipe
// and no child needs to know.
//
// The master's reaper collects the program's exit (it owns wait4(-1)); the
// pipedLog only watches a pidfd of the program to learn that it exited.
type pipedLog struct {
	target string   // "|program" as configured
	argv   []string // the command to run
	name   string   // SharedFileName(target)
	gen    *pipeline.Generation
	r, w   *os.File

	stop chan struct{}
	done chan struct{}

	mu      sync.Mutex
	pid     int
	started time.Time
}

// programArgv reads a piped log target as Apache 2.4 does: "|program
// args" and "||program args" run the program directly, "|$command" runs
// the command through /bin/sh.
func programArgv(target string) ([]string, error) {
	prog := strings.TrimPrefix(target, "|")
	prog = strings.TrimPrefix(prog, "|")
	if cmd, ok := strings.CutPrefix(prog, "$"); ok {
		return []string{"/bin/sh", "-c", cmd}, nil
	}
	argv, err := configs.SplitArgs(prog)
	if err != nil {
		return nil, fmt.Errorf("piped log %q: %w", target, err)
	}
	if len(argv) == 0 {
		return nil, fmt.Errorf("piped log %q: no program named", target)
	}
	return argv, nil
}

// startPipedLog makes the pipe, starts the program on it and watches it.
func startPipedLog(g *pipeline.Generation, target string) (*pipedLog, error) {
	argv, err := programArgv(target)
	if err != nil {
		return nil, err
	}
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return nil, fmt.Errorf("piped log %q: creating the pipe: %w", target, err)
	}
	p := &pipedLog{
		target: target, argv: argv, name: SharedFileName(target), gen: g,
		r:    os.NewFile(uintptr(fds[0]), target+" (read end)"),
		w:    os.NewFile(uintptr(fds[1]), target),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	pidfd, err := p.spawn()
	if err != nil {
		p.r.Close()
		p.w.Close()
		return nil, err
	}
	go p.watch(pidfd)
	return p, nil
}

// spawn starts the program reading the pipe, with the master's stderr as
// its stdout and stderr, and returns a pidfd for it.
func (p *pipedLog) spawn() (int, error) {
	path, err := exec.LookPath(p.argv[0])
	if err != nil {
		return -1, fmt.Errorf("unable to start piped log program %q: %w", p.target[1:], err)
	}
	cmd := &exec.Cmd{Path: path, Args: p.argv, Stdin: p.r, Stdout: os.Stderr, Stderr: os.Stderr}
	if err := cmd.Start(); err != nil {
		return -1, fmt.Errorf("unable to start piped log program %q: %w", p.target[1:], err)
	}
	pid := cmd.Process.Pid
	pidfd, err := unix.PidfdOpen(pid, 0)
	// The master's reaper collects the exit; drop Go's handle so that
	// nothing else waits for it.
	cmd.Process.Release()
	if err != nil {
		pidfd = -1 // already gone (and reaped): watch treats it as dead
	}
	p.mu.Lock()
	p.pid, p.started = pid, time.Now()
	p.mu.Unlock()
	return pidfd, nil
}

// watch waits for the program to exit and starts it again, as long as the
// generation still shares the pipe (the master closes shared files when
// the generation is replaced; then the program ends at EOF once the last
// child of the generation is gone, and is not restarted).
func (p *pipedLog) watch(pidfd int) {
	defer close(p.done)
	var logged bool
	for {
		if !p.waitExit(pidfd) {
			return
		}
		if p.gen.SharedFile(p.name) != p.w {
			p.r.Close()
			return
		}
		p.mu.Lock()
		wait := respawnDelay - time.Since(p.started)
		p.mu.Unlock()
		p.logger().Error(fmt.Sprintf("piped log program '%s' failed unexpectedly", p.target[1:]))
		for {
			if wait > 0 {
				select {
				case <-p.stop:
					return
				case <-time.After(wait):
				}
			}
			var err error
			if pidfd, err = p.spawn(); err == nil {
				logged = false
				break
			}
			if !logged {
				p.logger().Error("piped_log_maintenance: unable to respawn; trying again every second", "error", err)
				logged = true
			}
			wait = respawnDelay
		}
	}
}

// waitExit blocks until the program behind pidfd exits (true) or stop is
// closed (false). It then reaps the program if the master's reaper has not
// yet (waitid on the pidfd touches no other process), and closes pidfd.
func (p *pipedLog) waitExit(pidfd int) bool {
	if pidfd < 0 {
		return true
	}
	defer unix.Close(pidfd)
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	for {
		select {
		case <-p.stop:
			return false
		default:
		}
		n, err := unix.Poll(fds, 500)
		if err != nil && !errors.Is(err, unix.EINTR) {
			return true
		}
		if n > 0 {
			_ = unix.Waitid(unix.P_PIDFD, pidfd, nil, unix.WEXITED|unix.WNOHANG, nil)
			return true
		}
	}
}

func (p *pipedLog) logger() hclog.Logger { return p.gen.Log }

// currentPid returns the pid of the program last started.
func (p *pipedLog) currentPid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pid
}

// close stops watching, ends the program (SIGTERM, then SIGKILL after
// five seconds), collects it and closes the read end. The write end
// belongs to the generation's shared files. The master never needs it (a
// replaced generation's program ends at EOF); it is for the start-up
// error path and for tests.
func (p *pipedLog) close() {
	close(p.stop)
	<-p.done
	if pid := p.currentPid(); pid > 0 {
		if fd, err := unix.PidfdOpen(pid, 0); err == nil {
			_ = unix.PidfdSendSignal(fd, unix.SIGTERM, nil, 0)
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			if n, _ := unix.Poll(fds, 5000); n <= 0 {
				_ = unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
			}
			_ = unix.Waitid(unix.P_PIDFD, fd, nil, unix.WEXITED, nil)
			unix.Close(fd)
		}
	}
	p.r.Close()
}
