package signals

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// NotifyMaster starts delivering the master's signals as events: TERM and
// INT → Stop, HUP → Restart, USR1 → Graceful, WINCH → GracefulStop. SIGPIPE
// is ignored from now on.
//
// Delivery ends, and the channel is closed, when ctx is done or stop is
// called; stop waits until the signal handlers are released and may be
// called more than once. Signals of one kind that arrive faster than the
// events are read coalesce, as Apache's restart_pending does.
//
// The master also wants SIGCHLD; it registers that on its own channel
// (os/signal delivers a signal to every channel that asked for it).
func NotifyMaster(ctx context.Context) (events <-chan Event, stop func()) {
	return watch(ctx, MasterEvent,
		[]os.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGWINCH},
		[]os.Signal{syscall.SIGPIPE})
}

// NotifyChild starts delivering a child's signals as events, the way
// Apache prefork's children treat them:
//
//   - TERM → Stop: exit now; writes in flight are abandoned.
//   - HUP → Stop: the master's restart; exit now like TERM.
//   - USR1 → Graceful: close the listeners, finish the request in
//     progress (answered with Connection: close), then exit.
//   - WINCH → Graceful: the master forwards its graceful stop as WINCH
//     (Apache's master sends USR1 instead); the child drains as for USR1.
//   - INT is ignored: Ctrl-C at a foreground server's terminal reaches the
//     whole process group, and the master follows with TERM.
//   - PIPE is ignored.
//
// Delivery ends and the channel is closed as for NotifyMaster.
func NotifyChild(ctx context.Context) (events <-chan Event, stop func()) {
	return watch(ctx, ChildEvent,
		[]os.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGWINCH},
		[]os.Signal{syscall.SIGPIPE, syscall.SIGINT})
}

// watcher turns signals into events on one goroutine.
type watcher struct {
	sigs     chan os.Signal
	sink     chan os.Signal // ignored signals land here and are dropped
	out      chan Event
	done     chan struct{}
	finished chan struct{}
	once     sync.Once
}

// watch registers for the signals in want (mapped by event) and for those
// in ignore. Ignored signals are caught and dropped rather than set to
// SIG_IGN, because SIG_IGN survives exec: CGI scripts and piped loggers
// started by the process would inherit it.
func watch(ctx context.Context, event func(syscall.Signal) (Event, bool), want, ignore []os.Signal) (<-chan Event, func()) {
	w := &watcher{
		sigs:     make(chan os.Signal, 16),
		sink:     make(chan os.Signal, 1),
		out:      make(chan Event, 16),
		done:     make(chan struct{}),
		finished: make(chan struct{}),
	}
	signal.Notify(w.sigs, want...)
	signal.Notify(w.sink, ignore...)
	go w.run(ctx, event)
	return w.out, w.stop
}

func (w *watcher) run(ctx context.Context, event func(syscall.Signal) (Event, bool)) {
	defer close(w.finished)
	defer close(w.out)
	defer signal.Stop(w.sink)
	defer signal.Stop(w.sigs)
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.done:
			return
		case s := <-w.sigs:
			sig, _ := s.(syscall.Signal)
			e, ok := event(sig)
			if !ok {
				continue
			}
			select {
			case w.out <- e:
			case <-ctx.Done():
				return
			case <-w.done:
				return
			}
		}
	}
}

func (w *watcher) stop() {
	w.once.Do(func() { close(w.done) })
	<-w.finished
}
