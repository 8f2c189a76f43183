package master

import "gohttpd/scoreboard"

// maxSpawnRate is Apache prefork's MAX_SPAWN_RATE: the most children
// spawned in one maintenance tick.
const maxSpawnRate = 32

// holdOffTicks is how many ticks after a graceful restart the spawn rate
// is not doubled (Apache's hold_off_on_exponential_spawning).
const holdOffTicks = 10

// limits are the idle-maintenance settings in worker slots.
type limits struct {
	minSpare, maxSpare int // idle worker slots wanted
	threadsPerChild    int
	maxChildren        int // MaxRequestWorkers / ThreadsPerChild, capped by ServerLimit
}

// maintainer holds Apache prefork's idle-maintenance state between ticks.
type maintainer struct {
	spawnRate     int
	holdOff       int
	reportedMaxed bool
	startupDeaths int // children that died before they became ready, recently
}

// decision is what one tick asks the master to do.
type decision struct {
	spawn       int  // children to start now
	killOneIdle bool // ask one idle child to leave
	maxedOut    bool // MaxRequestWorkers reached while more were wanted (log once)
}

// tick applies Apache prefork's rule to the tally of the current
// generation: above MaxSpare, one idle child leaves; below MinSpare, spawn
// the current rate (1, 2, 4 … 32), doubling each tick while still short
// (not during the hold-off after a graceful restart), back to 1 when
// satisfied; never beyond the child limit. children is the number of live
// children of the current generation.
func (m *maintainer) tick(t scoreboard.Tally, children int, l limits) decision {
	if m.spawnRate == 0 {
		m.spawnRate = 1
	}
	if m.holdOff > 0 {
		m.holdOff--
	}
	idle := t.MaintenanceIdle()
	var d decision
	switch {
	case idle > l.maxSpare:
		d.killOneIdle = true
		m.spawnRate = 1
	case idle < l.minSpare:
		room := l.maxChildren - children
		if room <= 0 {
			if !m.reportedMaxed {
				d.maxedOut = true
				m.reportedMaxed = true
			}
			m.spawnRate = 1
			return d
		}
		rate := m.spawnRate
		if m.startupDeaths > 0 {
			// Children die at start-up: no fork storm, one a tick.
			rate = 1
		}
		d.spawn = min(rate, room)
		if m.holdOff == 0 && m.spawnRate < maxSpawnRate {
			m.spawnRate *= 2
		}
	default:
		m.spawnRate = 1
		m.reportedMaxed = false
	}
	return d
}

// gracefulRestarted starts the hold-off period.
func (m *maintainer) gracefulRestarted() {
	m.holdOff = holdOffTicks
	m.spawnRate = 1
}
