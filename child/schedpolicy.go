package child

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"

	"gohttpd/pipeline"
)

// A child's Go runtime parks its threads whenever the child runs out of
// work, and a busy server's child does so thousands of times a second:
// far more often than an event loop such as nginx's, which finds the next
// event ready. Under Linux's default policy each wake-up preempts the task
// on the CPU it lands on, often the client or the other children, and the
// machine's time goes to switching. SCHED_BATCH wakes a thread without
// preempting (it runs when the CPU's current task yields or its slice
// ends), and changes nothing else: nice values and CPU shares still apply.
// Measured (README, Performance): a third more requests per second with
// the client on the same two CPUs.

// schedulingPolicy returns Linux's policy for a CPUSchedulingPolicy value.
func schedulingPolicy(name string) (uint32, error) {
	switch name {
	case "batch":
		return unix.SCHED_BATCH, nil
	case "other":
		return unix.SCHED_NORMAL, nil
	case "idle":
		return unix.SCHED_IDLE, nil
	}
	return 0, fmt.Errorf("unknown CPU scheduling policy %q", name)
}

// applySchedulingPolicy moves the child's threads to the process
// configuration's CPUSchedulingPolicy. Threads in a real-time policy keep
// it. The default (batch, not set in the configuration) replaces only
// Linux's default policy, so a service started with a policy of its own
// (systemd's CPUSchedulingPolicy=) keeps that one.
func applySchedulingPolicy(p *pipeline.ProcessConfig) error {
	policy, err := schedulingPolicy(p.CPUSchedulingPolicy)
	if err != nil {
		return err
	}
	replace := func(current uint32) bool {
		return current == unix.SCHED_NORMAL || current == unix.SCHED_BATCH || current == unix.SCHED_IDLE
	}
	if !p.Set["CPUSchedulingPolicy"] {
		replace = func(current uint32) bool { return current == unix.SCHED_NORMAL }
	}
	return setThreadsPolicy(policy, replace)
}

// setThreadsPolicy sets policy on every thread of the process whose
// current policy replace accepts, keeping its nice value. A thread the
// runtime starts later inherits the policy of the thread that starts it;
// one started during a pass could have missed it, so the threads are
// listed again until a pass changes none.
func setThreadsPolicy(policy uint32, replace func(current uint32) bool) error {
	for range 8 {
		changed, err := setThreadsPolicyOnce(policy, replace)
		if err != nil || changed == 0 {
			return err
		}
	}
	return nil
}

func setThreadsPolicyOnce(policy uint32, replace func(current uint32) bool) (changed int, err error) {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 0, fmt.Errorf("listing the threads: %w", err)
	}
	for _, task := range tasks {
		tid, err := strconv.Atoi(task.Name())
		if err != nil {
			continue
		}
		attr, err := unix.SchedGetAttr(tid, 0)
		if errors.Is(err, unix.ESRCH) {
			continue // the thread exited
		}
		if err != nil {
			return changed, fmt.Errorf("thread %d: sched_getattr: %w", tid, err)
		}
		if attr.Policy == policy || !replace(attr.Policy) {
			continue
		}
		next := unix.SchedAttr{Policy: policy, Nice: attr.Nice, Flags: attr.Flags & unix.SCHED_FLAG_RESET_ON_FORK}
		if err := unix.SchedSetAttr(tid, &next, 0); err != nil && !errors.Is(err, unix.ESRCH) {
			return changed, fmt.Errorf("thread %d: sched_setattr: %w", tid, err)
		}
		changed++
	}
	return changed, nil
}
