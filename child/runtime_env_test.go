package child

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRuntimeEnv(t *testing.T) {
	assert.Equal(t, []string{"PATH=/bin", "GODEBUG=" + schedtraceEnv}, RuntimeEnv([]string{"PATH=/bin"}))
	assert.Equal(t, []string{"GODEBUG=madvdontneed=1," + schedtraceEnv}, RuntimeEnv([]string{"GODEBUG=madvdontneed=1"}))
	assert.Equal(t, []string{"GODEBUG=" + schedtraceEnv}, RuntimeEnv([]string{"GODEBUG="}))
	assert.Equal(t, []string{"GODEBUG=schedtrace=1000"}, RuntimeEnv([]string{"GODEBUG=schedtrace=1000"}), "the operator's own trace is kept")
}

func TestIsSchedTrace(t *testing.T) {
	assert.True(t, IsSchedTrace([]byte("SCHED 0ms: gomaxprocs=1 idleprocs=0 threads=5 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [0 0]\n")))
	assert.False(t, IsSchedTrace([]byte("panic: runtime error: index out of range\n")))
	assert.False(t, IsSchedTrace([]byte("SCHEDULE\n")))
}
