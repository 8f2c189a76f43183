package auth

import (
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/pipeline"
)

func TestParseIPSpec(t *testing.T) {
	for in, want := range map[string]string{
		"10.1.2.3":                  "10.1.2.3/32",
		"10.1":                      "10.1.0.0/16",
		"10.1.":                     "10.1.0.0/16",
		"10":                        "10.0.0.0/8",
		"172.20.3":                  "172.20.3.0/24",
		"10.1.0.0/16":               "10.1.0.0/16",
		"10.1.2.3/16":               "10.1.0.0/16",
		"10.0.0.0/255.0.0.0":        "10.0.0.0/8",
		"2001:db8::a00:20ff:fea7:1": "2001:db8::a00:20ff:fea7:1/128",
		"2001:db8::/48":             "2001:db8::/48",
	} {
		p, err := ParseIPSpec(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, p.String(), in)
		}
	}
	for _, bad := range []string{"", "10.1.2.300", "localhost", "1.2.3.4/33", "10.0.0.0/255.0.255.0", "1.2.3.4.5", "::1/129", "a.b"} {
		_, err := ParseIPSpec(bad)
		assert.Error(t, err, bad)
	}
}

func TestInDomain(t *testing.T) {
	assert.True(t, InDomain("www.example.com", "example.com"))
	assert.True(t, InDomain("www.example.com", ".example.com"))
	assert.True(t, InDomain("Example.COM", "example.com"))
	assert.False(t, InDomain("badexample.com", "example.com"))
	assert.False(t, InDomain("com", "example.com"))
}

func TestClientAddrUnmapsIPv4(t *testing.T) {
	r := &pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: "::ffff:10.1.2.3"}}
	a, ok := ClientAddr(r)
	require.True(t, ok)
	assert.Equal(t, netip.MustParseAddr("10.1.2.3"), a)
	assert.True(t, IsLocal(&pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: "127.0.0.9"}}))
	assert.True(t, IsLocal(&pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: "::1"}}))
	assert.True(t, IsLocal(&pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: "192.0.2.1", LocalAddr: "192.0.2.1"}}))
	assert.False(t, IsLocal(&pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: "192.0.2.1", LocalAddr: "192.0.2.2"}}))
}

func TestRemoteHostLoopback(t *testing.T) {
	r := &pipeline.Request{Conn: &pipeline.Conn{RemoteAddr: "127.0.0.1"}}
	assert.Equal(t, "localhost", RemoteHost(r), "127.0.0.1 is localhost in /etc/hosts, both ways")
	assert.Equal(t, "localhost", r.Conn.Notes[remoteHostNote], "cached for the connection")
	assert.True(t, ResolvesTo("localhost", netip.MustParseAddr("127.0.0.1")))
}

func TestWatchedFileReloadsOnlyOnChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(path, []byte("one"), 0o644))
	reads := 0
	w := NewWatchedFile(path, func(b []byte) (string, error) { reads++; return string(b), nil })
	for range 3 {
		v, err := w.Get()
		require.NoError(t, err)
		assert.Equal(t, "one", v)
	}
	assert.Equal(t, 1, reads, "an unchanged file is read once")

	require.NoError(t, os.WriteFile(path, []byte("two!"), 0o644))
	v, err := w.Get()
	require.NoError(t, err)
	assert.Equal(t, "two!", v)
	assert.Equal(t, 2, reads)

	// Same size, new contents: the change time moves.
	time.Sleep(10 * time.Millisecond)
	require.NoError(t, os.WriteFile(path, []byte("six!"), 0o644))
	v, _ = w.Get()
	assert.Equal(t, "six!", v)

	require.NoError(t, os.Remove(path))
	_, err = w.Get()
	assert.Error(t, err, "a vanished file is an error, not the old contents")
}

func TestWatchedFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(path, []byte("x"), 0o644))
	w := NewWatchedFile(path, func(b []byte) (string, error) { return string(b), nil })
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				v, err := w.Get()
				assert.NoError(t, err)
				assert.Equal(t, "x", v)
			}
		}()
	}
	wg.Wait()
}

func TestRegistryPanicsOnDuplicates(t *testing.T) {
	p := AuthnProviderFunc(func(*pipeline.Request, string, string) AuthnStatus { return AuthDenied })
	RegisterAuthnProvider("m", "dup-test", p)
	assert.Panics(t, func() { RegisterAuthnProvider("m2", "dup-test", p) })
	got, mod, ok := LookupAuthnProvider("dup-test")
	assert.True(t, ok)
	assert.Equal(t, "m", mod)
	assert.NotNil(t, got)
	assert.Contains(t, AuthnProviderNames(), "dup-test")
}

func BenchmarkWatchedFileGet(b *testing.B) {
	path := filepath.Join(b.TempDir(), "f")
	require.NoError(b, os.WriteFile(path, []byte("x"), 0o644))
	w := NewWatchedFile(path, func(b []byte) (string, error) { return string(b), nil })
	b.ReportAllocs()
	for b.Loop() {
		w.Get()
	}
}
