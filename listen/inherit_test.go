package listen

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInheritInChild(t *testing.T) {
	a := loopback(t)
	b := loopback(t)
	b.Protocol = ProtocolHTTPS
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a, b}, 0))

	// Queued before any child exists: the child accepts it from the
	// shared queue.
	early := dial(t, a)

	c := startHelper(t, "inherit", []string{helperAddrsEnv + "=" + directives(s.Addrs())}, s.Files())
	require.Equal(t, "ready", c.line(t))
	late := dial(t, b)

	pid := c.cmd.Process.Pid
	assert.Equal(t, fmt.Sprintf("%d %s", pid, a.Directive()), answer(t, early))
	assert.Equal(t, fmt.Sprintf("%d %s", pid, b.Directive()), answer(t, late))
	c.wait(t)

	// The master's sockets are untouched by the child's exit.
	roundTrip(t, dial(t, a), acceptOne(t, s.Files()[0]), "master still holds it")
}

func TestInheritSharedByTwoChildren(t *testing.T) {
	a := loopback(t)
	s := newSet(t)
	require.NoError(t, s.Reconcile([]Addr{a}, 0))
	env := []string{helperAddrsEnv + "=" + directives(s.Addrs())}

	c1 := startHelper(t, "inherit", env, s.Files())
	c2 := startHelper(t, "inherit", env, s.Files())
	require.Equal(t, "ready", c1.line(t))
	require.Equal(t, "ready", c2.line(t))

	// Each child accepts exactly one connection from the one queue, so
	// two connections reach both children.
	got := map[string]bool{answer(t, dial(t, a)): true, answer(t, dial(t, a)): true}
	want := map[string]bool{
		fmt.Sprintf("%d %s", c1.cmd.Process.Pid, a.Directive()): true,
		fmt.Sprintf("%d %s", c2.cmd.Process.Pid, a.Directive()): true,
	}
	assert.Equal(t, want, got)
	c1.wait(t)
	c2.wait(t)
}

func TestInheritChecksLayout(t *testing.T) {
	a := loopback(t)
	f, err := bindAddr(a, DefaultBacklog)
	require.NoError(t, err)
	other := a
	other.Port++

	_, err = Inherit([]*os.File{f}, []Addr{other})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is bound to "+a.String()+", not Listen "+other.String())
	assert.Equal(t, ^uintptr(0), f.Fd(), "Inherit closes the files it was given")

	f, err = bindAddr(a, DefaultBacklog)
	require.NoError(t, err)
	_, err = Inherit([]*os.File{f}, nil)
	assert.ErrorContains(t, err, "inherited 1 listening sockets for 0 Listen addresses")

	f, err = bindAddr(a, DefaultBacklog)
	require.NoError(t, err)
	ls, err := Inherit([]*os.File{f}, []Addr{a})
	require.NoError(t, err)
	require.Len(t, ls, 1)
	defer ls[0].Close()
	assert.Equal(t, a.String(), ls[0].Addr().String())
	c := dial(t, a)
	sc, err := ls[0].Accept()
	require.NoError(t, err)
	defer sc.Close()
	roundTrip(t, c, sc, "in-process")
}

func TestInheritPendingSeesTheAcceptQueue(t *testing.T) {
	a := loopback(t)
	f, err := bindAddr(a, DefaultBacklog)
	require.NoError(t, err)
	ls, err := Inherit([]*os.File{f}, []Addr{a})
	require.NoError(t, err)
	defer ls[0].Close()
	pc, ok := ls[0].(interface{ Pending() bool })
	require.True(t, ok, "Inherit's listeners tell whether a connection waits")

	assert.False(t, pc.Pending(), "nothing queued")
	c := dial(t, a)
	assert.Eventually(t, pc.Pending, 5*time.Second, time.Millisecond, "a connection is queued")
	assert.True(t, pc.Pending(), "looking does not take it")
	sc, err := ls[0].Accept()
	require.NoError(t, err)
	defer sc.Close()
	assert.False(t, pc.Pending(), "accepted")
	roundTrip(t, c, sc, "the connection Pending saw")
}
