package listen

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/coreos/go-systemd/v22/activation"
	"golang.org/x/sys/unix"
)

// Environment variables of systemd's socket activation protocol
// (sd_listen_fds(3)).
const (
	envListenPID     = "LISTEN_PID"
	envListenFDs     = "LISTEN_FDS"
	envListenFDNames = "LISTEN_FDNAMES"
)

// FromSystemd returns the sockets systemd passed to this process by
// socket activation (fds 3 onwards, named by LISTEN_FDNAMES), or nil when
// there are none or they are meant for another process (LISTEN_PID).
//
// It always removes LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES from the
// environment, so children never see them, and marks the descriptors
// close-on-exec, so they reach children only through ExtraFiles. Only the
// master may call it, once, before it starts any other file.
func FromSystemd() ([]*os.File, error) {
	pid, fds := os.Getenv(envListenPID), os.Getenv(envListenFDs)
	if pid == strconv.Itoa(os.Getpid()) && fds != "" {
		if n, err := strconv.Atoi(fds); err != nil || n < 0 {
			unsetActivationEnv()
			return nil, fmt.Errorf("systemd socket activation: %s=%q is not a count of sockets; check the service's socket unit", envListenFDs, fds)
		}
	}
	return activation.Files(true), nil
}

func unsetActivationEnv() {
	for _, k := range []string{envListenPID, envListenFDs, envListenFDNames} {
		os.Unsetenv(k)
	}
}

// AdoptSystemd adopts the sockets FromSystemd returns; see Adopt.
func (s *Set) AdoptSystemd() error {
	files, err := FromSystemd()
	if err != nil {
		return err
	}
	return s.Adopt(files)
}

// Adopt takes sockets passed in by socket activation into the Set. Call
// it before the first Reconcile. Listening TCP sockets become activated
// listeners: Reconcile serves a Listen address from the one bound to that
// address (or, failing that, to its port) instead of binding, and keeps
// serving the others too. Anything else systemd passed (UDP, Unix
// sockets, files) is logged and closed.
//
// Adopt owns files from the call on: each is either adopted or closed.
// An activated listener's protocol is its LISTEN_FDNAMES name when that
// is "http" or "https" (FileDescriptorName= in the socket unit), else the
// default for its port.
func (s *Set) Adopt(files []*os.File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, f := range files {
		if s.closed {
			f.Close()
			continue
		}
		l, err := adoptOne(f)
		if errors.Is(err, errNotTCPListener) {
			s.log.Warn("ignoring a systemd socket that is not a listening TCP socket", "name", f.Name())
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.activated = append(s.activated, l)
		s.log.Debug("adopted a systemd socket", "address", l.local.String(), "name", f.Name())
	}
	if s.closed {
		return errors.New("listen: Adopt on a closed Set")
	}
	return errors.Join(errs...)
}

// errNotTCPListener marks an activated descriptor Adopt skips.
var errNotTCPListener = errors.New("not a listening TCP socket")

// adoptOne checks f and re-wraps a listening TCP socket as a Listener
// (errNotTCPListener for anything else). f is closed in every case; the
// Listener holds a duplicate.
func adoptOne(f *os.File) (*Listener, error) {
	defer f.Close()
	var nfd = -1
	err := withFD(f, func(fd int) error {
		var err error
		nfd, err = unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("systemd socket %s: dup: %w", f.Name(), err)
	}
	typ, err1 := unix.GetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_TYPE)
	acc, err2 := unix.GetsockoptInt(nfd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
	local, err3 := sockAddr(nfd)
	if err := errors.Join(err1, err2, err3); err != nil || typ != unix.SOCK_STREAM || acc != 1 {
		unix.Close(nfd)
		// Not ours to serve: systemd keeps its own copy open.
		return nil, errNotTCPListener
	}
	if p := f.Name(); p == ProtocolHTTP || p == ProtocolHTTPS {
		local.Protocol = p
	}
	nf, err := newSocketFile(nfd, "listen "+local.String()+" (systemd)")
	if err != nil {
		return nil, fmt.Errorf("systemd socket %s: %w", local, err)
	}
	return &Listener{addr: local, file: nf, activated: true, local: local}, nil
}
