package listen

import (
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestBindAndAccept(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	require.Equal(t, []Addr{a}, s.Addrs())
	require.Len(t, s.Files(), 1)

	c := dial(t, a)
	roundTrip(t, c, acceptOne(t, s.Files()[0]), "hello")
}

func TestSocketOptions(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	f := s.Files()[0]

	require.NoError(t, withFD(f, func(fd int) error {
		v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR)
		require.NoError(t, err)
		assert.Equal(t, 1, v, "SO_REUSEADDR")
		v, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEPORT)
		require.NoError(t, err)
		assert.Equal(t, 0, v, "never SO_REUSEPORT")
		v, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN)
		require.NoError(t, err)
		assert.Equal(t, 1, v, "listening")
		fdFlags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		require.NoError(t, err)
		assert.NotZero(t, fdFlags&unix.FD_CLOEXEC, "close-on-exec")
		return nil
	}))

	// os/exec calls Fd for every ExtraFiles entry; the shared socket must
	// stay non-blocking for the children accepting on it.
	fd := int(f.Fd())
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	require.NoError(t, err)
	assert.NotZero(t, fl&unix.O_NONBLOCK, "non-blocking after Fd")
}

func TestReconcileKeepsSocketAndQueue(t *testing.T) {
	a, b, c := loopback(t), loopback(t), loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a, b}, 0))
	keptFile := s.Files()[0]
	keptFD := keptFile.Fd()

	// Connections that wait in the queues while the restart happens.
	waiting := dial(t, a)
	_, err := waiting.Write([]byte("queued"))
	require.NoError(t, err)
	doomed := dial(t, b)

	// Restart: a stays, b goes, c arrives, the protocol of a changes.
	a2 := a
	a2.Protocol = ProtocolHTTPS
	require.NoError(t, s.Reconcile([]Addr{c, a2}, 128))
	assert.Equal(t, []Addr{c, a2}, s.Addrs(), "configuration order")
	files := s.Files()
	require.Len(t, files, 2)
	assert.Same(t, keptFile, files[1], "a kept its socket")
	assert.Equal(t, keptFD, files[1].Fd(), "a kept its descriptor")

	// The connection queued before the restart is accepted after it.
	server := acceptOne(t, files[1])
	buf := make([]byte, len("queued"))
	_, err = server.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "queued", string(buf))
	roundTrip(t, waiting, server, "still here")

	// b is closed: new connections are refused, queued ones are reset.
	_, err = net.DialTimeout("tcp", b.String(), ioBound)
	assert.True(t, errors.Is(err, syscall.ECONNREFUSED), "dial removed address: %v", err)
	_, err = doomed.Read(buf)
	assert.Error(t, err, "a connection queued on a removed socket ends")

	// c is new and serves.
	roundTrip(t, dial(t, c), acceptOne(t, files[0]), "new")
}

func TestReconcileSameListIsNoOp(t *testing.T) {
	a, b := loopback(t), loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a, b}, 0))
	before := s.Files()
	for range 3 {
		require.NoError(t, s.Reconcile([]Addr{a, b}, 0))
	}
	after := s.Files()
	require.Len(t, after, 2)
	assert.Same(t, before[0], after[0])
	assert.Same(t, before[1], after[1])
}

func TestReconcileBindFailureKeepsOldSet(t *testing.T) {
	a, c := loopback(t), loopback(t)
	holder, err := net.Listen("tcp", "127.0.0.1:0") // another process's socket
	require.NoError(t, err)
	defer holder.Close()
	taken := Addr{Host: "127.0.0.1", Port: uint16(holder.Addr().(*net.TCPAddr).Port), Protocol: ProtocolHTTP}

	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	oldFile := s.Files()[0]

	for _, want := range [][]Addr{
		{a, c, taken}, // add two, one fails
		{c, taken},    // replace a; the new set fails
	} {
		err := s.Reconcile(want, 0)
		require.Error(t, err)
		assert.True(t, errors.Is(err, unix.EADDRINUSE))
		var be *BindError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, taken, be.Addr)
		assert.Contains(t, err.Error(), "(98)Address already in use: could not bind to address "+taken.String())
		assert.Contains(t, err.Error(), "change Listen", "says what to do")

		assert.Equal(t, []Addr{a}, s.Addrs(), "old set intact")
		assert.Same(t, oldFile, s.Files()[0])
		roundTrip(t, dial(t, a), acceptOne(t, s.Files()[0]), "serving")

		// The socket bound for c before the failure was closed again.
		l, err := net.Listen("tcp", c.String())
		require.NoError(t, err, "c must be free after the failed Reconcile")
		l.Close()
	}
}

func TestReconcileRejectsBadLists(t *testing.T) {
	p := freePort(t)
	s := newSet(t)
	tests := []struct {
		name    string
		want    []Addr
		message string
	}{
		{"empty", nil, "no listening sockets available"},
		{"duplicate", []Addr{{Host: "127.0.0.1", Port: p}, {Host: "127.0.0.1", Port: p, Protocol: "https"}}, "given twice"},
		{"wildcard overlap", []Addr{{Port: p}, {Host: "127.0.0.1", Port: p}}, "overlap"},
		{"v4 wildcard overlap", []Addr{{Host: "127.0.0.1", Port: p}, {Host: "0.0.0.0", Port: p}}, "overlap"},
		{"port zero", []Addr{{Host: "127.0.0.1"}}, "port 0 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Reconcile(tt.want, 0)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)
			assert.Empty(t, s.Files(), "nothing bound")
		})
	}
}

func TestBindErrorMessages(t *testing.T) {
	a := Addr{Host: "127.0.0.1", Port: 80}
	err := &BindError{Addr: a, Op: "bind", Err: unix.EACCES, Hint: hintFor(unix.EACCES)}
	assert.Equal(t, "(13)Permission denied: could not bind to address 127.0.0.1:80: "+
		"ports below 1024 need root or CAP_NET_BIND_SERVICE; start the server as root or use a higher port", err.Error())
	assert.ErrorIs(t, err, unix.EACCES)

	err = &BindError{Addr: a, Op: "listen", Err: unix.EINVAL}
	assert.Equal(t, "(22)Invalid argument: could not listen on address 127.0.0.1:80", err.Error())

	// An address no interface has.
	_, bindErr := bindAddr(Addr{Host: "192.0.2.1", Port: freePort(t)}, DefaultBacklog)
	require.Error(t, bindErr)
	assert.ErrorIs(t, bindErr, unix.EADDRNOTAVAIL)
	assert.Contains(t, bindErr.Error(), "(99)Cannot assign requested address: could not bind to address 192.0.2.1:")
	assert.Contains(t, bindErr.Error(), "no network interface has this address")
}

func TestBindIPv6Loopback(t *testing.T) {
	a := Addr{Host: "::1", Port: freePort(t), Protocol: ProtocolHTTP}
	f, err := bindAddr(a, DefaultBacklog)
	if errors.Is(err, unix.EADDRNOTAVAIL) || errors.Is(err, unix.EAFNOSUPPORT) || errors.Is(err, unix.EADDRINUSE) {
		t.Skipf("no usable IPv6 loopback: %v", err)
	}
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, withFD(f, func(fd int) error {
		v, err := unix.GetsockoptInt(fd, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY)
		require.NoError(t, err)
		assert.Equal(t, 1, v)
		local, err := sockAddr(fd)
		require.NoError(t, err)
		assert.Equal(t, a, local)
		return nil
	}))
	roundTrip(t, dial(t, a), acceptOne(t, f), "v6")
}

func TestCloseIsFinal(t *testing.T) {
	a := loopback(t)
	s := NewSet(nil)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "idempotent")
	assert.Empty(t, s.Files())
	_, err := net.DialTimeout("tcp", a.String(), ioBound)
	assert.True(t, errors.Is(err, syscall.ECONNREFUSED), "dial after Close: %v", err)
	assert.Error(t, s.Reconcile([]Addr{a}, 0))
}

func BenchmarkSetFiles(b *testing.B) {
	s := newSet(b)
	require.NoError(b, s.Reconcile([]Addr{loopback(b), loopback(b)}, 0))
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Files()
		_ = s.Addrs()
	}
}
