package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// threadPolicies returns the scheduling policy of each thread of pid.
func threadPolicies(t testing.TB, pid int) map[int]uint32 {
	t.Helper()
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
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

// TestChildrenRunBatchSchedulingUnlessConfigured checks CPUSchedulingPolicy:
// by default every thread of every child runs SCHED_BATCH and the master
// keeps Linux's default; after a graceful restart with
// CPUSchedulingPolicy = "other" the new children run the default policy.
func TestChildrenRunBatchSchedulingUnlessConfigured(t *testing.T) {
	requireRoot(t)
	dir, port := site(t, processConf)
	s := start(t, dir, port)
	kids := waitChildren(t, s, 3)
	status, _ := get(t, s.addr(), "/")
	require.Equal(t, 200, status)

	for tid, policy := range threadPolicies(t, s.pid()) {
		assert.Equal(t, uint32(unix.SCHED_NORMAL), policy, "master thread %d", tid)
	}
	for _, kid := range kids {
		for tid, policy := range threadPolicies(t, kid) {
			assert.Equal(t, uint32(unix.SCHED_BATCH), policy, "child %d thread %d", kid, tid)
		}
	}

	conf := filepath.Join(dir, "httpd.toml")
	data, err := os.ReadFile(conf)
	require.NoError(t, err)
	other := strings.Replace(string(data), "KeepAliveTimeout = 5\n", "KeepAliveTimeout = 5\nCPUSchedulingPolicy = \"other\"\n", 1)
	require.NoError(t, os.WriteFile(conf, []byte(other), 0o644))
	s.signal(syscall.SIGUSR1)
	var fresh []int
	require.True(t, eventually(10*time.Second, func() bool {
		fresh = childrenOf(s.pid())
		if len(fresh) != 3 {
			return false
		}
		for _, k := range fresh {
			if slices.Contains(kids, k) {
				return false
			}
		}
		return true
	}), "a new generation of children, have %v\n%s", fresh, errorLog(t, dir))
	status, _ = get(t, s.addr(), "/")
	require.Equal(t, 200, status)
	for _, kid := range fresh {
		for tid, policy := range threadPolicies(t, kid) {
			assert.Equal(t, uint32(unix.SCHED_NORMAL), policy, "child %d thread %d", kid, tid)
		}
	}
	assert.NotContains(t, errorLog(t, dir), "keeping the inherited CPU scheduling policy")
}
