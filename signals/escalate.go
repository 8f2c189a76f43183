package signals

import (
	"syscall"
	"time"
)

// EscalateOptions configure Escalate. Only Alive is required.
type EscalateOptions struct {
	// Alive returns the pids still to be stopped (reaping exited ones as
	// a side effect is fine); Escalate ends when it returns none.
	Alive func() []int
	// Kill sends a signal; default syscall.Kill.
	Kill func(pid int, sig syscall.Signal) error
	// Now and Sleep are the clock; default time.Now and time.Sleep. Tests
	// inject a fake clock whose Sleep advances Now.
	Now   func() time.Time
	Sleep func(time.Duration)
	// Poll is how often Alive is asked between steps; default 50ms.
	Poll time.Duration
	// Notice, if set, is told of every step after the first, before its
	// signal goes out, so the caller can log as Apache does ("child
	// process 1234 still did not exit, sending a SIGTERM"), and finally of
	// the pids still alive when Escalate gives up (sig 0).
	Notice func(at time.Duration, sig syscall.Signal, pids []int)
}

// escalation is Apache's schedule for stopping children
// (ap_reclaim_child_processes): TERM at once, again at 3, 5 and 7 seconds,
// KILL at 9, and give up at 10.
var escalation = [...]struct {
	at  time.Duration
	sig syscall.Signal // 0: give up
}{
	{0, syscall.SIGTERM},
	{3 * time.Second, syscall.SIGTERM},
	{5 * time.Second, syscall.SIGTERM},
	{7 * time.Second, syscall.SIGTERM},
	{9 * time.Second, syscall.SIGKILL},
	{10 * time.Second, 0},
}

// Escalate stops processes on Apache's schedule: TERM to every pid Alive
// returns at 0 s, again at 3, 5 and 7 s, KILL at 9 s. It returns as soon as
// Alive returns none, and at 10 s at the latest. It returns the signals it
// sent, in order, for logging.
func Escalate(o EscalateOptions) []syscall.Signal {
	if o.Kill == nil {
		o.Kill = syscall.Kill
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = time.Sleep
	}
	if o.Poll <= 0 {
		o.Poll = 50 * time.Millisecond
	}
	start := o.Now()
	var sent []syscall.Signal
	for i, step := range escalation {
		pids := o.Alive()
		for len(pids) > 0 {
			wait := step.at - o.Now().Sub(start)
			if wait <= 0 {
				break
			}
			o.Sleep(min(o.Poll, wait))
			pids = o.Alive()
		}
		if len(pids) == 0 {
			return sent
		}
		if i > 0 && o.Notice != nil {
			o.Notice(step.at, step.sig, pids)
		}
		if step.sig == 0 {
			break
		}
		for _, pid := range pids {
			_ = o.Kill(pid, step.sig)
		}
		sent = append(sent, step.sig)
	}
	return sent
}
