package listen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestParseAddrValid(t *testing.T) {
	tests := []struct {
		in   string
		want Addr
		key  string
	}{
		{"8080", Addr{"", 8080, "http"}, "*:8080"},
		{"*:8080", Addr{"", 8080, "http"}, "*:8080"},
		{"  8080  ", Addr{"", 8080, "http"}, "*:8080"},
		{"127.0.0.1:8080", Addr{"127.0.0.1", 8080, "http"}, "127.0.0.1:8080"},
		{"0.0.0.0:80", Addr{"0.0.0.0", 80, "http"}, "0.0.0.0:80"},
		{"[::1]:8080", Addr{"::1", 8080, "http"}, "[::1]:8080"},
		{"[::]:80", Addr{"::", 80, "http"}, "[::]:80"},
		{"[0:0:0:0:0:0:0:1]:8080", Addr{"::1", 8080, "http"}, "[::1]:8080"},
		{"[::ffff:127.0.0.1]:8080", Addr{"127.0.0.1", 8080, "http"}, "127.0.0.1:8080"},
		{"[fe80::1%lo]:8080", Addr{"fe80::1%lo", 8080, "http"}, "[fe80::1%lo]:8080"},
		{"443", Addr{"", 443, "https"}, "*:443"},
		{"443 http", Addr{"", 443, "http"}, "*:443"},
		{"127.0.0.1:8443 https", Addr{"127.0.0.1", 8443, "https"}, "127.0.0.1:8443"},
		{"127.0.0.1:8443 HTTPS", Addr{"127.0.0.1", 8443, "https"}, "127.0.0.1:8443"},
		{"1", Addr{"", 1, "http"}, "*:1"},
		{"65535", Addr{"", 65535, "http"}, "*:65535"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseAddr(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.key, got.String())

			back, err := ParseAddr(got.Directive())
			require.NoError(t, err, "Directive must read back")
			assert.Equal(t, got, back)
		})
	}
}

func TestParseAddrInvalid(t *testing.T) {
	tests := []struct {
		in      string
		message string
	}{
		{"", "Listen: empty address"},
		{"99999", "Listen: port 99999 out of range (1-65535)"},
		{"0", "Listen: port 0 out of range"},
		{"127.0.0.1:0", "port 0 out of range"},
		{"65536", "port 65536 out of range"},
		{"99999999999999999999", "out of range"},
		{"http", `port "http" is not a number`},
		{"+80", `port "+80" is not a number`},
		{"-1", `port "-1" is not a number`},
		{"127.0.0.1:", "port missing"},
		{"127.0.0.1", `port "127.0.0.1" is not a number`},
		{":8080", "address missing before ':'"},
		{"localhost:8080", `"localhost" is not an IP address`},
		{"256.1.1.1:80", "is not an IP address"},
		{"::1:8080", "put an IPv6 address in brackets"},
		{"[::1]", "port missing"},
		{"[::1]8080", "want ':' and a port"},
		{"[::1:8080", "missing ']'"},
		{"[127.0.0.1]:80", "brackets are for IPv6 addresses only"},
		{"[*]:80", "is not an IP address"},
		{"8080 ftp", `unknown protocol "ftp": want http or https`},
		{"8080 http extra", "too many words"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseAddr(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.message)
			assert.Contains(t, err.Error(), "Listen")
		})
	}
}

func TestAddrStringUnparsedHost(t *testing.T) {
	// Hand-built Addrs render canonically where they can.
	assert.Equal(t, "127.0.0.1:80", Addr{Host: "127.0.0.1", Port: 80}.String())
	assert.Equal(t, "[::1]:80", Addr{Host: "0::1", Port: 80}.String())
	assert.Equal(t, "127.0.0.1:80", Addr{Host: "::ffff:127.0.0.1", Port: 80}.String())
	assert.Equal(t, "example:80", Addr{Host: "example", Port: 80}.String())
	assert.Equal(t, "*:443 https", Addr{Port: 443}.Directive())
}

func TestAddrCovers(t *testing.T) {
	mk := func(s string) Addr {
		a, err := ParseAddr(s)
		require.NoError(t, err)
		return a
	}
	assert.True(t, mk("80").covers(mk("127.0.0.1:80")))
	assert.True(t, mk("80").covers(mk("[::1]:80")))
	assert.True(t, mk("0.0.0.0:80").covers(mk("127.0.0.1:80")))
	assert.True(t, mk("[::]:80").covers(mk("[::1]:80")))

	assert.False(t, mk("0.0.0.0:80").covers(mk("[::]:80")), "v4 and v6 wildcards coexist")
	assert.False(t, mk("[::]:80").covers(mk("0.0.0.0:80")))
	assert.False(t, mk("0.0.0.0:80").covers(mk("[::1]:80")))
	assert.False(t, mk("80").covers(mk("81")))
	assert.False(t, mk("80").covers(mk("80")), "equal is a duplicate, not a cover")
	assert.False(t, mk("127.0.0.1:80").covers(mk("127.0.0.2:80")))
}

func TestSpecsFor(t *testing.T) {
	all, err := specsFor(Addr{Port: 8080})
	require.NoError(t, err)
	require.Len(t, all, 2, "all addresses: dual-stack IPv6, then IPv4 fallback")
	assert.Equal(t, unix.AF_INET6, all[0].family)
	assert.Equal(t, 0, all[0].v6only, "the IPv6 wildcard accepts v4-mapped connections")
	assert.Equal(t, &unix.SockaddrInet6{Port: 8080}, all[0].sa)
	assert.Equal(t, unix.AF_INET, all[1].family)
	assert.Equal(t, &unix.SockaddrInet4{Port: 8080}, all[1].sa)

	v6any, err := specsFor(Addr{Host: "::", Port: 80})
	require.NoError(t, err)
	require.Len(t, v6any, 1)
	assert.Equal(t, 1, v6any[0].v6only, "explicit [::] is IPv6 only")

	v4, err := specsFor(Addr{Host: "127.0.0.1", Port: 80})
	require.NoError(t, err)
	require.Len(t, v4, 1)
	assert.Equal(t, &unix.SockaddrInet4{Port: 80, Addr: [4]byte{127, 0, 0, 1}}, v4[0].sa)
	assert.Equal(t, -1, v4[0].v6only)

	zoned, err := specsFor(Addr{Host: "fe80::1%1", Port: 80})
	require.NoError(t, err)
	assert.Equal(t, uint32(1), zoned[0].sa.(*unix.SockaddrInet6).ZoneId)

	_, err = specsFor(Addr{Host: "fe80::1%no-such-interface0", Port: 80})
	assert.ErrorContains(t, err, `no network interface "no-such-interface0"`)
	_, err = specsFor(Addr{Host: "example", Port: 80})
	assert.Error(t, err)
}

func BenchmarkParseAddr(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseAddr("[::1]:8443 https"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddrString(b *testing.B) {
	a := Addr{Host: "127.0.0.1", Port: 8080, Protocol: "http"}
	b.ReportAllocs()
	for b.Loop() {
		_ = a.String()
	}
}
