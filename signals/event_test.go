package signals

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// next waits (boundedly) for one event.
func next(t *testing.T, events <-chan Event) Event {
	t.Helper()
	select {
	case e, ok := <-events:
		require.True(t, ok, "events channel closed")
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10s")
		return 0
	}
}

func TestMasterEventsFromRealSignals(t *testing.T) {
	events, stop := NotifyMaster(context.Background())
	defer stop()
	for _, tc := range []struct {
		sig  syscall.Signal
		want Event
	}{
		{syscall.SIGTERM, Stop},
		{syscall.SIGINT, Stop},
		{syscall.SIGHUP, Restart},
		{syscall.SIGUSR1, Graceful},
		{syscall.SIGWINCH, GracefulStop},
	} {
		require.NoError(t, syscall.Kill(os.Getpid(), tc.sig))
		assert.Equal(t, tc.want, next(t, events), tc.sig.String())
	}
}

func TestChildEventsFromRealSignals(t *testing.T) {
	events, stop := NotifyChild(context.Background())
	defer stop()
	for _, tc := range []struct {
		sig  syscall.Signal
		want Event
	}{
		{syscall.SIGTERM, Stop},
		{syscall.SIGHUP, Stop},
		{syscall.SIGUSR1, Graceful},
		{syscall.SIGWINCH, Graceful},
	} {
		require.NoError(t, syscall.Kill(os.Getpid(), tc.sig))
		assert.Equal(t, tc.want, next(t, events), tc.sig.String())
	}
}

// TestChildIgnoresIntAndPipe runs NotifyChild in a helper process: INT
// must not end it, and a write to a closed stdout must fail with EPIPE
// instead of killing it with SIGPIPE.
func TestChildIgnoresIntAndPipe(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		want Event
	}{
		{syscall.SIGTERM, Stop},
		{syscall.SIGHUP, Stop},
		{syscall.SIGUSR1, Graceful},
		{syscall.SIGWINCH, Graceful},
	} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			h := startHelper(t, "child")
			require.Equal(t, "ready", h.line(t))
			require.NoError(t, h.pipe.Close())
			require.NoError(t, syscall.Kill(h.pid(), syscall.SIGINT))
			require.NoError(t, syscall.Kill(h.pid(), tc.sig))
			require.NoError(t, h.wait(), "helper stderr: %s", h.stderr)
			assert.Contains(t, h.stderr.String(), "event "+tc.want.String()+"\n")
			assert.Contains(t, h.stderr.String(), "EPIPE")
		})
	}
}

func TestNotifyEndsWithContextAndStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	events, stop := NotifyMaster(ctx)
	cancel()
	for range events { // ends when the channel closes
	}
	stop()
	stop() // idempotent

	events, stop = NotifyChild(context.Background())
	stop()
	_, ok := <-events
	assert.False(t, ok, "stop closes the channel")
}

func TestEventMappings(t *testing.T) {
	for sig, want := range map[syscall.Signal]Event{
		syscall.SIGTERM: Stop, syscall.SIGINT: Stop, syscall.SIGHUP: Restart,
		syscall.SIGUSR1: Graceful, syscall.SIGWINCH: GracefulStop,
	} {
		got, ok := MasterEvent(sig)
		assert.True(t, ok, sig.String())
		assert.Equal(t, want, got, sig.String())
	}
	for sig, want := range map[syscall.Signal]Event{
		syscall.SIGTERM: Stop, syscall.SIGHUP: Stop,
		syscall.SIGUSR1: Graceful, syscall.SIGWINCH: Graceful,
	} {
		got, ok := ChildEvent(sig)
		assert.True(t, ok, sig.String())
		assert.Equal(t, want, got, sig.String())
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGPIPE, syscall.SIGCHLD} {
		_, ok := ChildEvent(sig)
		assert.False(t, ok, sig.String())
	}
	_, ok := MasterEvent(syscall.SIGPIPE)
	assert.False(t, ok)
}

func TestEventNamesAndCommands(t *testing.T) {
	for _, tc := range []struct {
		e    Event
		name string
		sig  syscall.Signal
	}{
		{Stop, "stop", syscall.SIGTERM},
		{Restart, "restart", syscall.SIGHUP},
		{Graceful, "graceful", syscall.SIGUSR1},
		{GracefulStop, "graceful-stop", syscall.SIGWINCH},
	} {
		assert.Equal(t, tc.name, tc.e.String())
		assert.Equal(t, tc.sig, tc.e.Signal())
		e, err := ParseCommand(tc.name)
		require.NoError(t, err)
		assert.Equal(t, tc.e, e)
		sig, err := CommandSignal(tc.name)
		require.NoError(t, err)
		assert.Equal(t, tc.sig, sig)
	}
	assert.Equal(t, "Event(0)", Event(0).String())
	assert.Equal(t, syscall.Signal(0), Event(0).Signal())
	_, err := ParseCommand("reload")
	assert.ErrorContains(t, err, "unknown command")
	_, err = ParseCommand("start")
	assert.ErrorContains(t, err, "not a signal")
}

func BenchmarkMasterEvent(b *testing.B) {
	b.ReportAllocs()
	for range b.N {
		MasterEvent(syscall.SIGUSR1)
	}
}
