package http_test

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// BenchmarkRequestNoopHandler measures one keep-alive request through the
// whole chain — h1 parse, every request hook of the compiled-in modules, a
// handler writing "ok", the header filter and the network filter — with
// no goroutine, pipe or socket per request: ServeConnection runs in the
// benchmark's goroutine on a connection that hands it one request per
// read, b.N times, and discards the responses.
func BenchmarkRequestNoopHandler(b *testing.B) {
	root := b.TempDir()
	require.NoError(b, os.MkdirAll(filepath.Join(root, "htdocs"), 0o755))
	conf := "KeepAliveTimeout = 5\nMaxKeepAliveRequests = 0\n[[Location]]\nPath = \"/noop\"\nSetHandler = \"noop\"\n"
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(b, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(b, err)
	req := []byte("GET /noop HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")

	// One request first, to learn the response and warm the caches.
	warm := &loopConn{req: req, left: 1}
	pipeline.ServeConnection(g, warm, g.Main, 1, nil, nil)
	require.True(b, bytes.HasPrefix(warm.out.Bytes(), []byte("HTTP/1.1 200 OK\r\n")), warm.out.String())
	require.True(b, bytes.HasSuffix(warm.out.Bytes(), []byte("\r\n\r\nok")), warm.out.String())

	conn := &loopConn{req: req, left: b.N, discard: true}
	b.ReportAllocs()
	b.ResetTimer()
	pipeline.ServeConnection(g, conn, g.Main, 2, nil, nil)
	b.StopTimer()
	require.Zero(b, conn.left)
	require.Equal(b, int64(b.N)*int64(warm.out.Len()), conn.written)
}

// loopConn is a net.Conn that delivers req left times, one per Read, then
// the end of input; what is written is kept, or only counted.
type loopConn struct {
	req     []byte
	left    int
	off     int // of req, for a Read with less room than a request
	discard bool
	out     bytes.Buffer
	written int64
}

func (c *loopConn) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.req[c.off:])
	if c.off += n; c.off == len(c.req) {
		c.off = 0
		c.left--
	}
	return n, nil
}

func (c *loopConn) Write(p []byte) (int, error) {
	c.written += int64(len(p))
	if !c.discard {
		c.out.Write(p)
	}
	return len(p), nil
}

var benchAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}

func (c *loopConn) Close() error                     { return nil }
func (c *loopConn) LocalAddr() net.Addr              { return benchAddr }
func (c *loopConn) RemoteAddr() net.Addr             { return benchAddr }
func (c *loopConn) SetDeadline(time.Time) error      { return nil }
func (c *loopConn) SetReadDeadline(time.Time) error  { return nil }
func (c *loopConn) SetWriteDeadline(time.Time) error { return nil }
