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
	// Sleep waits; default time.Sleep. Tests inject a fake clock.
	Sleep func(time.Duration)
	// Poll is how often Alive is asked between steps; default 50ms.
	Poll time.Duration
}

// escalation is Apache's schedule for stopping children: TERM at once,
// again at 3, 5 and 7 seconds, KILL at 9.
var escalation = []struct {
	at  time.Duration
	sig syscall.Signal
}{
	{0, syscall.SIGTERM},
	{3 * time.Second, syscall.SIGTERM},
	{5 * time.Second, syscall.SIGTERM},
	{7 * time.Second, syscall.SIGTERM},
	{9 * time.Second, syscall.SIGKILL},
}

// Escalate stops processes on Apache's schedule and returns once none is
// alive, or right after the KILL step (whose effect is certain). It returns
// the signals it sent, in order, for logging.
func Escalate(o EscalateOptions) []syscall.Signal {
	if o.Kill == nil {
		o.Kill = syscall.Kill
	}
	if o.Sleep == nil {
		o.Sleep = time.Sleep
	}
	if o.Poll <= 0 {
		o.Poll = 50 * time.Millisecond
	}
	var sent []syscall.Signal
	var elapsed time.Duration
	for _, step := range escalation {
		for elapsed < step.at {
			if len(o.Alive()) == 0 {
				return sent
			}
			d := min(o.Poll, step.at-elapsed)
			o.Sleep(d)
			elapsed += d
		}
		pids := o.Alive()
		if len(pids) == 0 {
			return sent
		}
		for _, pid := range pids {
			_ = o.Kill(pid, step.sig)
		}
		sent = append(sent, step.sig)
	}
	// After KILL, give the kernel a moment to deliver and the caller's
	// reaper a chance to collect.
	for i := 0; i < 20 && len(o.Alive()) > 0; i++ {
		o.Sleep(o.Poll)
	}
	return sent
}
