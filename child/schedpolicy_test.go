package child

import (
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"gohttpd/pipeline"
)

// threadPolicies returns the scheduling policy of every thread of the
// test process.
func threadPolicies(t *testing.T) map[int]uint32 {
	t.Helper()
	tasks, err := os.ReadDir("/proc/self/task")
	require.NoError(t, err)
	out := map[int]uint32{}
	for _, task := range tasks {
		tid, err := strconv.Atoi(task.Name())
		require.NoError(t, err)
		if attr, err := unix.SchedGetAttr(tid, 0); err == nil {
			out[tid] = attr.Policy
		}
	}
	return out
}

// onOwnThread runs fn on a thread of its own, which it keeps until stop
// is closed (the runtime then ends the thread), and returns its id.
func onOwnThread(t *testing.T, fn func(tid int)) (tid int, stop func()) {
	t.Helper()
	ready, done := make(chan int), make(chan struct{})
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		id := unix.Gettid()
		fn(id)
		ready <- id
		<-done
	}()
	return <-ready, func() { close(done) }
}

// restorePolicies puts every thread back on Linux's default policy.
func restorePolicies(t *testing.T) {
	require.NoError(t, setThreadsPolicy(unix.SCHED_NORMAL, func(uint32) bool { return true }))
}

func TestSchedulingPolicyNames(t *testing.T) {
	for name, want := range map[string]uint32{"batch": unix.SCHED_BATCH, "other": unix.SCHED_NORMAL, "idle": unix.SCHED_IDLE} {
		got, err := schedulingPolicy(name)
		require.NoError(t, err)
		assert.Equal(t, want, got, name)
	}
	_, err := schedulingPolicy("fifo")
	assert.ErrorContains(t, err, `unknown CPU scheduling policy "fifo"`)
}

func TestDefaultPolicyMovesEveryThreadToBatchAndKeepsNice(t *testing.T) {
	t.Cleanup(func() { restorePolicies(t) })
	niceTid, stop := onOwnThread(t, func(tid int) {
		require.NoError(t, unix.Setpriority(unix.PRIO_PROCESS, tid, 5))
	})
	defer stop()

	p := pipeline.DefaultProcessConfig("/srv")
	require.NoError(t, applySchedulingPolicy(&p))

	for tid, policy := range threadPolicies(t) {
		assert.Equal(t, uint32(unix.SCHED_BATCH), policy, "thread %d", tid)
	}
	attr, err := unix.SchedGetAttr(niceTid, 0)
	require.NoError(t, err)
	assert.Equal(t, int32(5), attr.Nice, "the nice value is kept")

	// A thread started afterwards inherits the policy.
	newTid, stopNew := onOwnThread(t, func(int) {})
	defer stopNew()
	attr, err = unix.SchedGetAttr(newTid, 0)
	require.NoError(t, err)
	assert.Equal(t, uint32(unix.SCHED_BATCH), attr.Policy, "a new thread inherits batch")
}

func TestDefaultPolicyLeavesAnInheritedPolicyAlone(t *testing.T) {
	t.Cleanup(func() { restorePolicies(t) })
	idleTid, stop := onOwnThread(t, func(tid int) {
		require.NoError(t, unix.SchedSetAttr(tid, &unix.SchedAttr{Policy: unix.SCHED_IDLE}, 0))
	})
	defer stop()

	p := pipeline.DefaultProcessConfig("/srv")
	require.NoError(t, applySchedulingPolicy(&p))
	assert.Equal(t, uint32(unix.SCHED_IDLE), threadPolicies(t)[idleTid], "the default replaces only Linux's default policy")

	p.Set["CPUSchedulingPolicy"] = true // written in the configuration
	require.NoError(t, applySchedulingPolicy(&p))
	assert.Equal(t, uint32(unix.SCHED_BATCH), threadPolicies(t)[idleTid], "an explicit policy replaces it")
}

func TestExplicitOtherPolicy(t *testing.T) {
	t.Cleanup(func() { restorePolicies(t) })
	require.NoError(t, setThreadsPolicy(unix.SCHED_BATCH, func(uint32) bool { return true }))

	p := pipeline.DefaultProcessConfig("/srv")
	p.CPUSchedulingPolicy = "other"
	p.Set["CPUSchedulingPolicy"] = true
	require.NoError(t, applySchedulingPolicy(&p))
	for tid, policy := range threadPolicies(t) {
		assert.Equal(t, uint32(unix.SCHED_NORMAL), policy, "thread %d", tid)
	}
}
