package child

import (
	"encoding/json"
	"fmt"
	"os"
	"syscall"
)

// The private fd protocol between the master and its children. Every fd
// is created close-on-exec by the master and passed only through
// exec.Cmd.ExtraFiles, which places ExtraFiles[i] at fd 3+i:
//
//	fd 3   scoreboard memfd (shared, read-write mapping)
//	fd 4   configuration snapshot memfd (the exact bytes this generation read)
//	fd 5   death pipe, read end: EOF means the master is gone
//	fd 6…  listening sockets, in Manifest.Listeners order
//	then   their accept gates (listen.Set.Gates), in the same order
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
	// SwitchUser, when set, makes the child switch to this user itself
	// before anything else: the master uses it when the binary cannot be
	// executed by the User directly (for example under `go run`, whose
	// build directory only root can enter).
	SwitchUser *Credential `json:"switch_user,omitempty"`
}

// Credential is a user a child switches to.
type Credential struct {
	UID    uint32   `json:"uid"`
	GID    uint32   `json:"gid"`
	Groups []uint32 `json:"groups"`
}

// switchUser drops root for c in every thread of the process.
func switchUser(c *Credential) error {
	groups := make([]int, len(c.Groups))
	for i, g := range c.Groups {
		groups[i] = int(g)
	}
	if err := syscall.Setgroups(groups); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if err := syscall.Setgid(int(c.GID)); err != nil {
		return fmt.Errorf("setgid %d: %w", c.GID, err)
	}
	if err := syscall.Setuid(int(c.UID)); err != nil {
		return fmt.Errorf("setuid %d: %w", c.UID, err)
	}
	return nil
}

// listenerFD is the fd of listening socket i.
func (m Manifest) listenerFD(i int) int { return FDFirstListener + i }

// gateFD is the fd of listening socket i's accept gate.
func (m Manifest) gateFD(i int) int { return FDFirstListener + len(m.Listeners) + i }

// sharedFileFD is the fd of shared file i (Files[i]).
func (m Manifest) sharedFileFD(i int) int { return FDFirstListener + 2*len(m.Listeners) + i }

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
