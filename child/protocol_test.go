package child

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The fd layout the master's spawn builds: listening sockets, then their
// accept gates, then the shared files.
func TestManifestFDLayout(t *testing.T) {
	m := Manifest{Listeners: []string{"127.0.0.1:80", "127.0.0.1:443 https"}, Files: []string{"ErrorLog", "logs/access_log"}}
	assert.Equal(t, []int{6, 7}, []int{m.listenerFD(0), m.listenerFD(1)})
	assert.Equal(t, []int{8, 9}, []int{m.gateFD(0), m.gateFD(1)})
	assert.Equal(t, []int{10, 11}, []int{m.sharedFileFD(0), m.sharedFileFD(1)})
}
