package pipeline

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReleasedRequestIsReusedZeroed(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a, &Server{}, 1)

	r := NewRequest(c)
	r.Method, r.URI = "GET", "/old"
	r.HeadersIn.Add("Host", "example")
	r.HeadersOut.Set("X-Old", "1")
	r.Notes.Set("note", "1")
	r.Values = map[any]any{"k": 1}
	ReleaseRequest(r)

	n := NewRequest(c)
	assert.Same(t, r, n, "the released record is reused")
	assert.Equal(t, "", n.Method)
	assert.Equal(t, "", n.URI)
	assert.Equal(t, 0, n.HeadersIn.Len())
	assert.Equal(t, 0, n.HeadersOut.Len())
	assert.Equal(t, 0, n.Notes.Len())
	assert.Nil(t, n.Values)
	assert.Equal(t, 200, n.Status)
	assert.Same(t, c, n.Conn)

	third := NewRequest(c)
	assert.NotSame(t, n, third, "a record is reused once per release")
}

func TestSubRequestsAndRedirectsAreNotReleased(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a, &Server{}, 1)
	r := NewRequest(c)

	sub := allocRequest()
	sub.Conn, sub.Main = c, r
	ReleaseRequest(sub)
	redirect := allocRequest()
	redirect.Conn, redirect.Prev = c, r
	ReleaseRequest(redirect)
	ReleaseRequest(&Request{Conn: c}) // not from NewRequest

	n := NewRequest(c)
	require.NotSame(t, sub, n)
	require.NotSame(t, redirect, n)
}

func TestInlineTableStorageGrows(t *testing.T) {
	r := allocRequest()
	for i := 0; i < 40; i++ {
		r.HeadersIn.Add("X", "v")
	}
	assert.Equal(t, 40, r.HeadersIn.Len())
	other := allocRequest()
	other.HeadersIn.copyFrom(&r.HeadersIn)
	other.HeadersIn.Set("X", "w")
	assert.Equal(t, "v", r.HeadersIn.Get("X"), "a copied table does not share storage")
}

// connOf returns a connection of a generation without modules.
func connOf(t *testing.T, g *Generation) *Conn {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	c := NewConn(a, &Server{}, 1)
	c.Gen = g
	return c
}

func TestReleasedSubRequestIsReusedByTheNext(t *testing.T) {
	c := connOf(t, &Generation{Hooks: NewHooks()})
	r := NewRequest(c)
	r.URI = "/dir/"

	sr := SubRequestLookupURI(r, "index.html")
	assert.Equal(t, "/dir/index.html", sr.URI)
	sr.Notes.Set("note", "1")
	sr.HeadersOut.Set("X-Old", "1")
	ReleaseSubRequest(sr)

	again := SubRequestLookupURI(r, "index.htm")
	assert.Same(t, sr, again, "the released record is reused")
	assert.Equal(t, "/dir/index.htm", again.URI)
	assert.Same(t, r, again.Main)
	assert.Equal(t, 0, again.Notes.Len())
	assert.Equal(t, 0, again.HeadersOut.Len())

	ReleaseSubRequest(r) // not a sub-request: ignored
	third := SubRequestLookupURI(r, "x")
	assert.NotSame(t, again, third, "a record is reused once per release")
	assert.NotSame(t, r, third)
}

func TestEndedConnectionsLeaveTheirRecordsToTheGeneration(t *testing.T) {
	g := &Generation{Hooks: NewHooks()}
	// The pool may drop what it holds at any time (a collection); ask a
	// few times.
	reused := false
	for i := 0; i < 10 && !reused; i++ {
		first := connOf(t, g)
		r := NewRequest(first)
		ReleaseRequest(r)
		first.recycleRecords()
		assert.Nil(t, first.spareRequest)

		next := NewRequest(connOf(t, g))
		reused = next == r
	}
	assert.True(t, reused, "a new connection's request reuses an ended connection's record")
}
