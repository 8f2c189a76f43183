package master

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChildStderrDropsOnlySchedulerTraces(t *testing.T) {
	long := strings.Repeat("x", 100<<10) + "\n" // longer than the reader's buffer
	in := "goroutine 1 [running]:\n" +
		"SCHED 0ms: gomaxprocs=1 idleprocs=1 threads=4 spinningthreads=0 needspinning=0 idlethreads=1 runqueue=0 [0]\n" +
		long + "panic: boom\nno newline at the end"
	var out bytes.Buffer
	copyChildStderr(io.NopCloser(strings.NewReader(in)), &out)
	assert.Equal(t, "goroutine 1 [running]:\n"+long+"panic: boom\nno newline at the end", out.String())
}
