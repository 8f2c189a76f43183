package signals

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// helperEnv selects a helper role when the test binary is re-executed.
const helperEnv = "GOHTTPD_SIGNALS_HELPER"

// TestMain runs the test binary as a helper process when helperEnv is set.
func TestMain(m *testing.M) {
	if role := os.Getenv(helperEnv); role != "" {
		os.Exit(runHelper(role))
	}
	os.Exit(m.Run())
}

// runHelper plays one role:
//
//	master  NotifyMaster; print "ready"; print the first event's name; exit
//	child   NotifyChild; print "ready"; report the first event on stderr,
//	        then write to stdout (whose reader the test has closed) and
//	        report EPIPE instead of dying of SIGPIPE
//	sleep   wait to be killed
//	exit    exit at once
func runHelper(role string) int {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch role {
	case "master":
		events, stop := NotifyMaster(ctx)
		defer stop()
		fmt.Println("ready")
		e, ok := <-events
		if !ok {
			return 2
		}
		fmt.Println(e)
		return 0
	case "child":
		events, stop := NotifyChild(ctx)
		defer stop()
		fmt.Println("ready")
		e, ok := <-events
		if !ok {
			return 2
		}
		fmt.Fprintln(os.Stderr, "event", e)
		for range 1000 {
			if _, err := os.Stdout.Write([]byte("x\n")); errors.Is(err, syscall.EPIPE) {
				fmt.Fprintln(os.Stderr, "EPIPE")
				return 0
			}
		}
		return 3
	case "sleep":
		<-ctx.Done()
		return 0
	case "exit":
		return 0
	}
	return 4
}

// helper is a re-executed test binary playing a role.
type helper struct {
	cmd    *exec.Cmd
	stdout *bufio.Reader
	pipe   *os.File // read end of stdout
	stderr *bytes.Buffer
	waited bool
}

// startHelper starts a helper in role; it is killed after 30 s at the
// latest, and killed and collected when the test ends.
func startHelper(t *testing.T, role string) *helper {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	h := &helper{stdout: bufio.NewReader(r), pipe: r, stderr: &bytes.Buffer{}}
	h.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	h.cmd.Env = append(os.Environ(), helperEnv+"="+role)
	if os.Getenv("GORACE") == "" {
		// Under -race a process sleeps 1 s at exit unless told not to.
		h.cmd.Env = append(h.cmd.Env, "GORACE=atexit_sleep_ms=0")
	}
	h.cmd.Stdout = w
	h.cmd.Stderr = h.stderr
	err = h.cmd.Start()
	w.Close()
	if err != nil {
		cancel()
		r.Close()
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		if !h.waited {
			_ = h.cmd.Process.Kill()
			_ = h.cmd.Wait()
		}
		r.Close()
		cancel()
	})
	return h
}

// line reads one line of the helper's stdout (EOF if it died).
func (h *helper) line(t *testing.T) string {
	t.Helper()
	s, err := h.stdout.ReadString('\n')
	require.NoError(t, err, "helper stderr: %s", h.stderr)
	return s[:len(s)-1]
}

// wait collects the helper and returns its exit error.
func (h *helper) wait() error {
	h.waited = true
	return h.cmd.Wait()
}

func (h *helper) pid() int { return h.cmd.Process.Pid }
