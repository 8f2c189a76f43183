package scoreboard

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStatusLettersAndNumbers(t *testing.T) {
	tests := []struct {
		s      Status
		num    uint32
		letter byte
		name   string
	}{
		{Dead, 0, '.', "Dead"},
		{Starting, 1, 'S', "Starting"},
		{Ready, 2, '_', "Ready"},
		{BusyRead, 3, 'R', "BusyRead"},
		{BusyWrite, 4, 'W', "BusyWrite"},
		{BusyKeepalive, 5, 'K', "BusyKeepalive"},
		{BusyLog, 6, 'L', "BusyLog"},
		{BusyDNS, 7, 'D', "BusyDNS"},
		{Closing, 8, 'C', "Closing"},
		{Graceful, 9, 'G', "Graceful"},
		{IdleKill, 10, 'I', "IdleKill"},
	}
	assert.Len(t, tests, NumStatus)
	for _, tt := range tests {
		assert.Equal(t, tt.num, uint32(tt.s), tt.name)
		assert.Equal(t, string(tt.letter), string(tt.s.Letter()), tt.name)
		assert.Equal(t, tt.name, tt.s.String())
		assert.NotEmpty(t, tt.s.Description(), tt.name)
		assert.True(t, tt.s.Valid(), tt.name)
	}

	bad := Status(NumStatus)
	assert.False(t, bad.Valid())
	assert.Equal(t, byte('?'), bad.Letter())
	assert.Equal(t, "Status(11)", bad.String())
	assert.Empty(t, bad.Description())
	assert.False(t, bad.Alive())
	assert.False(t, bad.Busy())
}

func TestStatusClasses(t *testing.T) {
	busy := map[Status]bool{BusyRead: true, BusyWrite: true, BusyKeepalive: true, BusyLog: true, BusyDNS: true, Closing: true}
	for s := range Status(NumStatus) {
		assert.Equal(t, busy[s], s.Busy(), s.String())
		assert.Equal(t, s != Dead, s.Alive(), s.String())
	}
}

func TestProcStateString(t *testing.T) {
	assert.Equal(t, "Free", ProcFree.String())
	assert.Equal(t, "Starting", ProcStarting.String())
	assert.Equal(t, "Running", ProcRunning.String())
	assert.Equal(t, "Stopping", ProcStopping.String())
	assert.Equal(t, "ProcState(9)", ProcState(9).String())
}
