package signals

import (
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// fakeClock is a clock whose Sleep advances Now at once.
type fakeClock struct {
	start, now time.Time
}

func newFakeClock() *fakeClock {
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return &fakeClock{start: t, now: t}
}

func (c *fakeClock) Now() time.Time         { return c.now }
func (c *fakeClock) Sleep(d time.Duration)  { c.now = c.now.Add(d) }
func (c *fakeClock) elapsed() time.Duration { return c.now.Sub(c.start) }
func (c *fakeClock) opts(o EscalateOptions) EscalateOptions {
	o.Now, o.Sleep = c.Now, c.Sleep
	return o
}

type sent struct {
	at  time.Duration
	pid int
	sig syscall.Signal
}

func TestEscalationFollowsApacheSchedule(t *testing.T) {
	c := newFakeClock()
	var log []sent
	var notices []sent
	sigs := Escalate(c.opts(EscalateOptions{
		Alive: func() []int { return []int{42} }, // never dies
		Kill: func(pid int, sig syscall.Signal) error {
			log = append(log, sent{c.elapsed(), pid, sig})
			return nil
		},
		Notice: func(at time.Duration, sig syscall.Signal, pids []int) {
			assert.Equal(t, at, c.elapsed())
			notices = append(notices, sent{at, pids[0], sig})
		},
	}))
	assert.Equal(t, []sent{
		{0, 42, syscall.SIGTERM},
		{3 * time.Second, 42, syscall.SIGTERM},
		{5 * time.Second, 42, syscall.SIGTERM},
		{7 * time.Second, 42, syscall.SIGTERM},
		{9 * time.Second, 42, syscall.SIGKILL},
	}, log)
	assert.Equal(t, []syscall.Signal{syscall.SIGTERM, syscall.SIGTERM, syscall.SIGTERM, syscall.SIGTERM, syscall.SIGKILL}, sigs)
	assert.Equal(t, []sent{
		{3 * time.Second, 42, syscall.SIGTERM},
		{5 * time.Second, 42, syscall.SIGTERM},
		{7 * time.Second, 42, syscall.SIGTERM},
		{9 * time.Second, 42, syscall.SIGKILL},
		{10 * time.Second, 42, 0}, // gave up
	}, notices)
	assert.Equal(t, 10*time.Second, c.elapsed(), "gives up at 10 s")
}

func TestEscalationStopsWhenAllAreGone(t *testing.T) {
	c := newFakeClock()
	var log []sent
	sigs := Escalate(c.opts(EscalateOptions{
		Alive: func() []int {
			switch {
			case c.elapsed() >= 4*time.Second:
				return nil
			case c.elapsed() >= 3*time.Second:
				return []int{2} // 1 left after the first TERM
			}
			return []int{1, 2}
		},
		Kill: func(pid int, sig syscall.Signal) error {
			log = append(log, sent{c.elapsed(), pid, sig})
			return nil
		},
	}))
	assert.Equal(t, []sent{
		{0, 1, syscall.SIGTERM},
		{0, 2, syscall.SIGTERM},
		{3 * time.Second, 2, syscall.SIGTERM},
	}, log)
	assert.Equal(t, []syscall.Signal{syscall.SIGTERM, syscall.SIGTERM}, sigs)
	assert.Equal(t, 4*time.Second, c.elapsed(), "returns at the first poll that finds none")
}

func TestEscalationWithNothingToStop(t *testing.T) {
	c := newFakeClock()
	sigs := Escalate(c.opts(EscalateOptions{
		Alive: func() []int { return nil },
		Kill: func(int, syscall.Signal) error {
			t.Fatal("nothing to kill")
			return nil
		},
	}))
	assert.Empty(t, sigs)
	assert.Zero(t, c.elapsed())
}

func TestEscalationPollsAtTheGivenInterval(t *testing.T) {
	c := newFakeClock()
	Escalate(c.opts(EscalateOptions{
		Alive: func() []int {
			if c.elapsed() > 0 {
				return nil
			}
			return []int{7}
		},
		Kill: func(int, syscall.Signal) error { return nil },
		Poll: time.Second,
	}))
	assert.Equal(t, time.Second, c.elapsed(), "one poll interval after the first TERM")
}
