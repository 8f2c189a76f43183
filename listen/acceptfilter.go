package listen

import (
	"golang.org/x/sys/unix"
)

// deferAcceptSecs is how long the kernel holds back a connection whose
// client has sent nothing when an accept filter is on (Apache's value).
const deferAcceptSecs = 30

// AcceptFilterNone is the AcceptFilter argument that turns filtering off.
const AcceptFilterNone = "none"

// ApplyAcceptFilters sets the accept filter of every socket from filters,
// which maps a Listen protocol to Apache's AcceptFilter argument for it.
// On Linux any argument but "none" turns TCP_DEFER_ACCEPT on: the kernel
// passes a connection to accept(2) only once its client has sent data (or
// after deferAcceptSecs), so the server's first read finds the request
// instead of waiting for it. A protocol missing from filters gets none,
// as Apache gives protocols it has no default for. A socket that refuses
// the option keeps serving; the failure is logged.
func (s *Set) ApplyAcceptFilters(filters map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.current {
		secs := 0
		if f, ok := filters[l.addr.Protocol]; ok && f != AcceptFilterNone {
			secs = deferAcceptSecs
		}
		err := withFD(l.file, func(fd int) error {
			return unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT, secs)
		})
		if err != nil {
			s.log.Warn("could not set the accept filter", "address", l.addr.String(), "protocol", l.addr.Protocol, "error", err)
		}
	}
}
