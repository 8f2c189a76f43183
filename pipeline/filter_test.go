package pipeline

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func names(f *Filter) []string {
	var out []string
	for ; f != nil; f = f.Next {
		out = append(out, f.Reg.Name)
	}
	return out
}

func TestFilterOrderingByType(t *testing.T) {
	c := &Conn{}
	reg := func(name string, typ FilterType) *FilterReg {
		return &FilterReg{Name: name, Type: typ, Output: func(f *Filter, bb *Brigade) error { return f.Next.Pass(bb) }}
	}
	c.AddOutputFilterReg(reg("network", FilterNetwork), nil)
	c.AddOutputFilterReg(reg("tls", FilterConnection), nil)
	r := NewRequest(c)
	r.AddOutputFilterReg(reg("header", FilterProtocol), nil)
	r.AddOutputFilterReg(reg("deflate", FilterContent), nil)
	r.AddOutputFilterReg(reg("includes", FilterResource), nil)
	r.AddOutputFilterReg(reg("chunk", FilterProtocol), nil) // after "header": insertion order within a type
	r.AddOutputFilterReg(reg("other-content", FilterContent), nil)
	assert.Equal(t, []string{"includes", "deflate", "other-content", "header", "chunk", "tls", "network"}, names(r.OutputFilters()))
	assert.Equal(t, "header", r.ProtoOutputFilters().Reg.Name)
	// Connection-level filters are shared by the connection's requests.
	assert.Equal(t, []string{"tls", "network"}, names(c.OutputFilters()))
}

// tcpPair returns both ends of a loopback TCP connection.
func tcpPair(t *testing.T) (server, client net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	done := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- nil
			return
		}
		done <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	server = <-done
	require.NotNil(t, server)
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

func TestNetworkFilterWritevAndSendfile(t *testing.T) {
	srv, cli := tcpPair(t)
	file := filepath.Join(t.TempDir(), "data")
	content := strings.Repeat("0123456789", 100000) // 1 MB
	require.NoError(t, os.WriteFile(file, []byte(content), 0o644))
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()

	c := NewConn(srv, &Server{Timeout: 10 * time.Second}, 1)
	c.AddOutputFilterReg(&FilterReg{Name: CoreOutputFilterName, Type: FilterNetwork, Output: CoreOutputFilter}, nil)
	var bb Brigade
	bb.AppendString("head;")
	bb.AppendString("more;")
	bb.AppendFile(f, 10, 500000)
	bb.AppendString(";tail")
	bb.AppendEOS()

	got := make(chan string, 1)
	go func() {
		_ = cli.SetReadDeadline(time.Now().Add(10 * time.Second))
		b, _ := io.ReadAll(cli)
		got <- string(b)
	}()
	require.NoError(t, c.OutputFilters().Pass(&bb))
	require.NoError(t, srv.(*net.TCPConn).CloseWrite())
	want := "head;more;" + content[10:500010] + ";tail"
	assert.Equal(t, want, <-got)
	assert.Equal(t, int64(len(want)), c.BytesSent)
	// The file's own offset is untouched by sendfile.
	off, err := f.Seek(0, io.SeekCurrent)
	require.NoError(t, err)
	assert.Zero(t, off)
}

func TestNetworkFilterOverPipe(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	file := filepath.Join(t.TempDir(), "data")
	require.NoError(t, os.WriteFile(file, []byte("filedata"), 0o644))
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	c := NewConn(a, &Server{}, 1)
	c.AddOutputFilterReg(&FilterReg{Name: CoreOutputFilterName, Type: FilterNetwork, Output: CoreOutputFilter}, nil)
	var bb Brigade
	bb.AppendString("x")
	bb.AppendFile(f, 4, 4)
	got := make(chan string, 1)
	go func() {
		buf := make([]byte, 5)
		_, _ = io.ReadFull(b, buf)
		got <- string(buf)
	}()
	require.NoError(t, c.OutputFilters().Pass(&bb))
	assert.Equal(t, "xdata", <-got)
}

func TestNormalizePath(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		st      Result
	}{
		{"/", "/", OK},
		{"/a/b", "/a/b", OK},
		{"/a//b", "/a/b", OK},
		{"/a/./b", "/a/b", OK},
		{"/a/../b", "/b", OK},
		{"/a/b/..", "/a/", OK},
		{"/a/.", "/a/", OK},
		{"/..", "", 400},
		{"/%2E%2e/x", "", 400},
		{"/a%2fb", "", 404},
		{"/a%00b", "", 404},
		{"/a%2", "", 400},
		{"/a%zzb", "", 400},
		{"/caf%C3%A9", "/caf\xc3\xa9", OK},
		{"/%7euser", "/~user", OK},
		{"a/b", "", 400},
	} {
		out, st := NormalizePath(tc.in)
		assert.Equal(t, tc.st, st, tc.in)
		assert.Equal(t, tc.out, out, tc.in)
	}
}

func TestBrigade(t *testing.T) {
	var bb Brigade
	bb.AppendString("ab")
	bb.AppendString("")
	bb.AppendFlush()
	bb.Prepend(Bucket{Kind: BucketBytes, Data: []byte("x")})
	assert.Equal(t, int64(3), bb.Len())
	assert.False(t, bb.HasEOS())
	bb.AppendEOS()
	assert.True(t, bb.HasEOS())
	assert.Equal(t, BucketBytes, bb.Buckets[0].Kind)
	bb.Reset()
	assert.True(t, bb.Empty())
}

func TestStatusHelpers(t *testing.T) {
	assert.Equal(t, "413 Request Entity Too Large", StatusLine(413))
	assert.Equal(t, "299 Unknown Reason", StatusLine(299))
	r := &Request{}
	r.Allow(MethodGet, MethodPost)
	assert.Equal(t, "OPTIONS,HEAD,GET,POST", r.AllowHeader())
	assert.Equal(t, MethodInvalid, MethodNumber("FOO"))
	assert.Equal(t, MethodGet, MethodNumber("HEAD"))
}
