package master

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"gohttpd/scoreboard"
)

func tally(idle int) scoreboard.Tally { return scoreboard.Tally{Idle: idle} }

var preforkLimits = limits{minSpare: 5, maxSpare: 10, threadsPerChild: 1, maxChildren: 256}

func TestSpawnRateDoublesWhileShortAndResets(t *testing.T) {
	m := &maintainer{}
	var spawned []int
	for i := 0; i < 8; i++ {
		spawned = append(spawned, m.tick(tally(0), 10, preforkLimits).spawn)
	}
	assert.Equal(t, []int{1, 2, 4, 8, 16, 32, 32, 32}, spawned, "1→32 doubling, capped")

	d := m.tick(tally(7), 10, preforkLimits)
	assert.Zero(t, d.spawn)
	assert.False(t, d.killOneIdle)
	assert.Equal(t, 1, m.tick(tally(0), 10, preforkLimits).spawn, "rate reset to 1 once satisfied")
}

func TestExcessIdleDrainsOneChildPerTick(t *testing.T) {
	m := &maintainer{}
	for i := 0; i < 3; i++ {
		d := m.tick(tally(20), 20, preforkLimits)
		assert.True(t, d.killOneIdle)
		assert.Zero(t, d.spawn)
	}
	assert.False(t, m.tick(tally(10), 10, preforkLimits).killOneIdle, "MaxSpare itself is fine")
}

func TestStartingCountsAsIdle(t *testing.T) {
	m := &maintainer{}
	d := m.tick(scoreboard.Tally{Idle: 2, Starting: 3}, 5, preforkLimits)
	assert.Zero(t, d.spawn)
}

func TestMaxRequestWorkersStopsSpawningAndReportsOnce(t *testing.T) {
	m := &maintainer{}
	l := limits{minSpare: 5, maxSpare: 10, threadsPerChild: 1, maxChildren: 4}
	d := m.tick(tally(0), 3, l)
	assert.Equal(t, 1, d.spawn)
	d = m.tick(tally(0), 3, l)
	assert.Equal(t, 1, d.spawn, "never beyond the child limit")
	d = m.tick(tally(0), 4, l)
	assert.Zero(t, d.spawn)
	assert.True(t, d.maxedOut)
	d = m.tick(tally(0), 4, l)
	assert.False(t, d.maxedOut, "logged once")
}

func TestHoldOffAfterGracefulRestart(t *testing.T) {
	m := &maintainer{}
	m.gracefulRestarted()
	for i := 0; i < holdOffTicks-1; i++ {
		assert.Equal(t, 1, m.tick(tally(0), 1, preforkLimits).spawn, "tick %d", i)
	}
	assert.Equal(t, 1, m.tick(tally(0), 1, preforkLimits).spawn)
	assert.Equal(t, 2, m.tick(tally(0), 1, preforkLimits).spawn, "doubling resumes after the hold-off")
}

func TestStartupDeathsPreventForkStorm(t *testing.T) {
	m := &maintainer{spawnRate: 16, startupDeaths: 3}
	assert.Equal(t, 1, m.tick(tally(0), 1, preforkLimits).spawn)
}
