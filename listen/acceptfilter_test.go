package listen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func deferAccept(t *testing.T, s *Set, i int) int {
	t.Helper()
	var secs int
	require.NoError(t, withFD(s.Files()[i], func(fd int) error {
		var err error
		secs, err = unix.GetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_DEFER_ACCEPT)
		return err
	}))
	return secs
}

func TestAcceptFiltersSetDeferAcceptByProtocol(t *testing.T) {
	httpAddr, httpsAddr := loopback(t), loopback(t)
	httpsAddr.Protocol = ProtocolHTTPS
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{httpAddr, httpsAddr}, 0))
	assert.Zero(t, deferAccept(t, s, 0), "a fresh socket has no filter")

	s.ApplyAcceptFilters(map[string]string{"http": "data", "https": "none"})
	assert.Positive(t, deferAccept(t, s, 0), "data: TCP_DEFER_ACCEPT")
	assert.Zero(t, deferAccept(t, s, 1), "none")

	s.ApplyAcceptFilters(map[string]string{"https": "httpready"})
	assert.Zero(t, deferAccept(t, s, 0), "a protocol without a filter gets none")
	assert.Positive(t, deferAccept(t, s, 1), "any filter but none turns it on")

	// A filtered socket still accepts a client that sends at once.
	c := dial(t, httpsAddr)
	_, err := c.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	require.NoError(t, err)
	sc := acceptOne(t, s.Files()[1])
	defer sc.Close()
	buf := make([]byte, 4)
	n, err := sc.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "GET ", string(buf[:n]))
}
