package child

import (
	"encoding/json"
	"fmt"
	"os"
)

// The private fd protocol between the master and its children. Every fd
// is created close-on-exec by the master and passed only through
// exec.Cmd.ExtraFiles, which places ExtraFiles[i] at fd 3+i:
//
//	fd 3   scoreboard memfd (shared, read-write mapping)
//	fd 4   configuration snapshot memfd (the exact bytes this generation read)
//	fd 5   death pipe, read end: EOF means the master is gone
//	fd 6…  listening sockets, in Manifest.Listeners order
//	then   shared files (logs opened by the master), in Manifest.Files order
//
// The manifest travels in the environment variable ManifestEnv as JSON.
const (
	ManifestEnv     = "GOHTTPD_CHILD"
	FDScoreboard    = 3
	FDConfig        = 4
	FDDeathPipe     = 5
	FDFirstListener = 6
)

// ExitChildFatal is the exit status of a child that cannot work at all
// (bad scoreboard, unreadable snapshot, running as root); the master stops
// the server rather than respawning it into a fork storm, as Apache does
// for APEXIT_CHILDFATAL.
const ExitChildFatal = 3

// Manifest tells a child who it is and what its inherited fds are.
type Manifest struct {
	Slot       int      `json:"slot"`       // process slot in the scoreboard
	Generation int64    `json:"generation"` // MPM generation the child belongs to
	Listeners  []string `json:"listeners"`  // listener addresses, fd FDFirstListener+i
	Files      []string `json:"files"`      // shared file names, after the listeners
}

// Encode returns the manifest as the value of ManifestEnv.
func (m Manifest) Encode() string {
	b, _ := json.Marshal(m)
	return string(b)
}

// DecodeManifest parses ManifestEnv's value.
func DecodeManifest(s string) (Manifest, error) {
	var m Manifest
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return m, fmt.Errorf("decoding %s: %w", ManifestEnv, err)
	}
	return m, nil
}

// fileAt wraps an inherited fd.
func fileAt(fd int, name string) *os.File { return os.NewFile(uintptr(fd), name) }
