package scoreboard

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// childEnv makes the test binary act as a child process that maps the
// scoreboard from descriptor 3 (see runChild).
const childEnv = "GOHTTPD_SCOREBOARD_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		if err := runChild(); err != nil {
			fmt.Fprintln(os.Stderr, "scoreboard test child:", err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runChild plays a child process: it maps the inherited scoreboard, reads
// what the master published and writes its own worker record.
func runChild() error {
	sb, err := Open(os.NewFile(3, "inherited-scoreboard"))
	if err != nil {
		return err
	}
	gen := sb.Global().RunningGeneration()
	w := sb.Worker(1, 2)
	w.Bind(os.Getpid(), unix.Gettid(), gen)
	w.SetStatus(Ready)
	w.SetStatus(BusyWrite)
	w.IncrementAccess(4321)
	w.SetRequest("198.51.100.7", "child.example:8080", "GET /from-child HTTP/1.1", "http/1.1")
	sb.Process(1).SetNotAccepting(true)
	return sb.Close()
}

func TestCrossProcessChildWritesParentReads(t *testing.T) {
	sb := newScoreboard(t, 2, 3)
	sb.Global().SetRunningGeneration(11)
	sb.Process(1).Reserve(11)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.ExtraFiles = []*os.File{sb.File()}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "child output: %s", out)

	got := sb.Worker(1, 2).Load()
	assert.Equal(t, cmd.Process.Pid, got.Pid)
	assert.NotZero(t, got.TID)
	assert.Equal(t, int64(11), got.Generation, "the child read the generation the parent wrote")
	assert.Equal(t, BusyWrite, got.Status)
	assert.Equal(t, uint64(1), got.AccessCount)
	assert.Equal(t, uint64(4321), got.BytesServed)
	assert.Equal(t, RequestInfo{"198.51.100.7", "child.example:8080", "GET /from-child HTTP/1.1", "http/1.1"}, got.RequestInfo)
	assert.False(t, got.LastUsed.IsZero())
	assert.True(t, sb.Process(1).NotAccepting())
	assert.Equal(t, Starting, sb.Worker(1, 0).Status(), "the child wrote only its own worker record")
}
