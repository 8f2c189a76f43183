package listen

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// helperSystemd is a master started by socket activation: it adopts the
// sockets, reconciles with the Listen addresses in helperAddrsEnv, prints
// what it serves, and answers one connection per socket.
func helperSystemd() error {
	files, err := FromSystemd()
	if err != nil {
		return err
	}
	for _, k := range []string{envListenPID, envListenFDs, envListenFDNames} {
		if v, ok := os.LookupEnv(k); ok {
			return fmt.Errorf("%s=%s left in the environment for children", k, v)
		}
	}
	fmt.Printf("activated %d\n", len(files))
	want, err := helperAddrs()
	if err != nil {
		return err
	}
	s := NewSet(nil)
	defer s.Close()
	if err := s.Adopt(files); err != nil {
		return err
	}
	if err := s.Reconcile(want, 0); err != nil {
		return err
	}
	for _, l := range s.Listeners() {
		fmt.Printf("%s activated=%t\n", l.Addr().Directive(), l.Activated())
	}
	var ls []net.Listener
	for _, f := range s.Files() {
		l, err := net.FileListener(f)
		if err != nil {
			return err
		}
		defer l.Close()
		ls = append(ls, l)
	}
	fmt.Println("ready")
	return serveOnce(ls, s.Addrs())
}

func TestSocketActivationInChild(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh to set LISTEN_PID to the child's own pid")
	}
	named, extra := loopback(t), loopback(t)
	web, err := bindAddr(named, DefaultBacklog) // what systemd would pass
	require.NoError(t, err)
	defer web.Close()
	tls, err := bindAddr(extra, DefaultBacklog)
	require.NoError(t, err)
	defer tls.Close()
	udp := udpSocket(t)
	defer udp.Close()

	// sh sets LISTEN_PID to its own pid, then execs the helper in place,
	// as systemd does between fork and exec.
	c := startHelper(t, "systemd", []string{
		envListenFDs + "=3",
		envListenFDNames + "=web:https:dgram",
		helperAddrsEnv + "=" + named.Directive(),
	}, []*os.File{web, tls, udp}, "/bin/sh", "-c", `LISTEN_PID=$$; export LISTEN_PID; exec "$@"`, "sh")

	// The parent still holds both sockets, so binding either address in
	// the child would fail: serving them proves they were adopted.
	require.Equal(t, "activated 3", c.line(t))
	extra.Protocol = ProtocolHTTPS // from LISTEN_FDNAMES
	assert.Equal(t, named.Directive()+" activated=true", c.line(t))
	assert.Equal(t, extra.Directive()+" activated=true", c.line(t), "an activated socket no Listen names is served too")
	require.Equal(t, "ready", c.line(t))

	pid := c.cmd.Process.Pid
	assert.Equal(t, fmt.Sprintf("%d %s", pid, named.Directive()), answer(t, dial(t, named)))
	assert.Equal(t, fmt.Sprintf("%d %s", pid, extra.Directive()), answer(t, dial(t, extra)))
	c.wait(t)
}

// udpSocket returns a bound UDP socket, a kind of activated fd the Set
// must ignore.
func udpSocket(t *testing.T) *os.File {
	t.Helper()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	require.NoError(t, unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}))
	return os.NewFile(uintptr(fd), "udp")
}

func TestFromSystemdIgnoresOtherPID(t *testing.T) {
	t.Setenv(envListenPID, strconv.Itoa(os.Getpid()+1))
	t.Setenv(envListenFDs, "2")
	t.Setenv(envListenFDNames, "a:b")
	files, err := FromSystemd()
	require.NoError(t, err)
	assert.Empty(t, files)
	for _, k := range []string{envListenPID, envListenFDs, envListenFDNames} {
		_, ok := os.LookupEnv(k)
		assert.False(t, ok, "%s must be removed", k)
	}
}

func TestFromSystemdBadCount(t *testing.T) {
	t.Setenv(envListenPID, strconv.Itoa(os.Getpid()))
	t.Setenv(envListenFDs, "two")
	files, err := FromSystemd()
	require.Error(t, err)
	assert.Empty(t, files)
	assert.Contains(t, err.Error(), `LISTEN_FDS="two" is not a count of sockets`)
	_, ok := os.LookupEnv(envListenFDs)
	assert.False(t, ok)
}

func TestFromSystemdNone(t *testing.T) {
	t.Setenv(envListenPID, "")
	os.Unsetenv(envListenPID)
	files, err := FromSystemd()
	require.NoError(t, err)
	assert.Empty(t, files)
}

func TestAdoptMatchesListen(t *testing.T) {
	exact, byPort, unnamed := loopback(t), loopback(t), loopback(t)
	s := newSet(t)
	adoptBound(t, s, exact, "")
	adoptBound(t, s, byPort, "")
	adoptBound(t, s, unnamed, "https")

	// Listen 127.0.0.2:<port> has no exact match; the socket on its port
	// serves it, as with Apache's mod_systemd.
	viaPort := Addr{Host: "127.0.0.2", Port: byPort.Port, Protocol: ProtocolHTTP}
	bound := loopback(t) // not provided by systemd: bound here
	require.NoError(t, s.Reconcile([]Addr{bound, exact, viaPort}, 0))

	ls := s.Listeners()
	require.Len(t, ls, 4)
	assert.Equal(t, bound, ls[0].Addr())
	assert.False(t, ls[0].Activated())
	assert.Equal(t, exact, ls[1].Addr())
	assert.True(t, ls[1].Activated())
	assert.Equal(t, viaPort, ls[2].Addr())
	assert.True(t, ls[2].Activated())
	unnamed.Protocol = ProtocolHTTPS
	assert.Equal(t, unnamed, ls[3].Addr(), "unclaimed activated socket served under its own address")
	assert.True(t, ls[3].Activated())

	for i, a := range []Addr{bound, exact, byPort, unnamed} {
		roundTrip(t, dial(t, a), acceptOne(t, ls[i].File()), "activated "+a.String())
	}

	// Dropping every Listen keeps the activated sockets: systemd owns them.
	activatedFiles := []*os.File{ls[1].File(), ls[2].File(), ls[3].File()}
	require.NoError(t, s.Reconcile(nil, 0))
	ls = s.Listeners()
	require.Len(t, ls, 3)
	for i, l := range ls {
		assert.True(t, l.Activated())
		assert.Same(t, activatedFiles[i], l.File())
	}
	assert.Equal(t, exact, ls[0].Addr())
	assert.Equal(t, byPort, ls[1].Addr(), "back to the socket's own address")
	_, err := net.DialTimeout("tcp", bound.String(), ioBound)
	assert.Error(t, err, "the address bound by the Set is closed")
	roundTrip(t, dial(t, byPort), acceptOne(t, ls[1].File()), "still served")
}

func TestAdoptIgnoresOtherKinds(t *testing.T) {
	s := newSet(t)
	devnull, err := os.Open(os.DevNull)
	require.NoError(t, err)
	udp := udpSocket(t)
	unbound, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(t, err)
	require.NoError(t, s.Adopt([]*os.File{devnull, udp, os.NewFile(uintptr(unbound), "not listening")}))
	assert.Empty(t, s.Files())
	assert.Equal(t, ^uintptr(0), udp.Fd(), "Adopt closes what it ignores")
	assert.Equal(t, ^uintptr(0), devnull.Fd())
}

// adoptBound binds a, as systemd would, and adopts it under name.
func adoptBound(t *testing.T, s *Set, a Addr, name string) {
	t.Helper()
	f, err := bindAddr(a, DefaultBacklog)
	require.NoError(t, err)
	if name != "" {
		// Re-wrap under systemd's name; Adopt closes it either way.
		fd, err := unix.Dup(int(f.Fd()))
		require.NoError(t, err)
		f.Close()
		f = os.NewFile(uintptr(fd), name)
	}
	require.NoError(t, s.Adopt([]*os.File{f}))
	assert.Equal(t, ^uintptr(0), f.Fd(), "Adopt owns the file")
}
