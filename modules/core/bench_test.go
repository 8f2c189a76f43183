package core_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// benchConf is the default module set serving a document root with a
// Directory section, as configs/bench.toml does.
const benchConf = `
KeepAliveTimeout = 5
MaxKeepAliveRequests = 0
DocumentRoot = "htdocs"

[[Directory]]
Path = "htdocs"
`

// BenchmarkStatic1KiB measures one keep-alive GET of a 1 KiB file through
// the whole chain — h1 parse, every hook of the default module set, the
// default handler, BYTERANGE, HTTP_HEADER and the network filter — over an
// in-memory connection.
func BenchmarkStatic1KiB(b *testing.B) {
	benchStatic(b, "GET /index.html HTTP/1.1\r\nHost: bench\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n")
}

// BenchmarkStatic1KiBNotModified is the same request answered 304.
func BenchmarkStatic1KiBNotModified(b *testing.B) {
	benchStatic(b, "GET /index.html HTTP/1.1\r\nHost: bench\r\nIf-None-Match: *\r\n\r\n")
}

// BenchmarkStatic1KiBRange is the same request for one byte range.
func BenchmarkStatic1KiBRange(b *testing.B) {
	benchStatic(b, "GET /index.html HTTP/1.1\r\nHost: bench\r\nRange: bytes=100-199\r\n\r\n")
}

// benchGeneration builds benchConf over a document root holding a 1 KiB
// index.html.
func benchGeneration(b *testing.B) *pipeline.Generation {
	root := b.TempDir()
	docs := filepath.Join(root, "htdocs")
	require.NoError(b, os.MkdirAll(docs, 0o755))
	index := filepath.Join(docs, "index.html")
	require.NoError(b, os.WriteFile(index, bytes.Repeat([]byte("x"), 1024), 0o644))
	// A file changed an hour ago, as a served site's are: its ETag is
	// strong from the first request (one changed within the last second
	// gets a weak one, made again for every request).
	hourAgo := time.Now().Add(-time.Hour)
	require.NoError(b, os.Chtimes(index, hourAgo, hourAgo))
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(benchConf), configs.ReadOptions{ServerRoot: root})
	require.NoError(b, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(b, err)
	return g
}

func benchStatic(b *testing.B, request string) {
	g := benchGeneration(b)
	srv, cli := socketPair(b)
	done := make(chan struct{})
	go func() {
		pipeline.ServeConnection(g, srv, g.Main, 1, pipeline.NopWorkerSlot{}, nil)
		close(done)
	}()
	req := []byte(request)
	br := bufio.NewReader(cli)
	body := make([]byte, 2048)
	readResp := func() {
		length := 0
		for {
			line, err := br.ReadSlice('\n')
			require.NoError(b, err)
			if len(line) == 2 {
				break
			}
			if bytes.HasPrefix(line, []byte("Content-Length: ")) {
				length, _ = strconv.Atoi(string(bytes.TrimSpace(line[16:])))
			}
		}
		if bytes.Contains(req, []byte("If-None-Match")) {
			length = 0
		}
		_, err := io.ReadFull(br, body[:length])
		require.NoError(b, err)
	}
	go func() { _, _ = cli.Write(req) }()
	readResp()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		errc := make(chan error, 1)
		go func() { _, err := cli.Write(req); errc <- err }()
		readResp()
		require.NoError(b, <-errc)
	}
	b.StopTimer()
	_ = cli.Close()
	<-done
}

// socketPair returns the two ends of a connected Unix socket pair: an
// in-memory connection that, unlike net.Pipe, is a real socket, so file
// bodies go out with sendfile as they do to TCP clients.
func socketPair(b *testing.B) (net.Conn, net.Conn) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	require.NoError(b, err)
	conn := func(fd int, name string) net.Conn {
		f := os.NewFile(uintptr(fd), name)
		defer f.Close()
		c, err := net.FileConn(f)
		require.NoError(b, err)
		return c
	}
	return conn(fds[0], "server"), conn(fds[1], "client")
}

// BenchmarkServeMemory measures the server's own CPU per request for the
// request compare.sh sends ("/", answered through DirectoryIndex): one
// keep-alive connection whose reads return one request each and whose
// writes are discarded, so no syscall or client work is counted.
func BenchmarkServeMemory(b *testing.B) {
	serveMemory(b, benchGeneration(b))
}

// BenchmarkServeMemoryChild is BenchmarkServeMemory after child_init, as
// in a child: the stat answers come from the stat cache.
func BenchmarkServeMemoryChild(b *testing.B) {
	g := benchGeneration(b)
	runServerHook := func(h *pipeline.Hook[pipeline.ServerFunc]) {
		h.Run(func(f pipeline.ServerFunc) pipeline.Result { f(g.Main); return pipeline.OK })
	}
	runServerHook(g.Hooks.ChildInit)
	defer runServerHook(g.Hooks.ChildExit)
	serveMemory(b, g)
}

func serveMemory(b *testing.B, g *pipeline.Generation) {
	conn := &memConn{req: []byte("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"), left: b.N + 1}
	b.ReportAllocs()
	b.ResetTimer()
	pipeline.ServeConnection(g, conn, g.Main, 1, pipeline.NopWorkerSlot{}, nil)
	b.StopTimer()
	require.Equal(b, b.N+1, conn.responses, "every request answered")
}

// memConn is a net.Conn that reads the same request left times, then EOF,
// and counts the responses written (one write per response: the cached
// small file goes out with the head in one gathered write).
type memConn struct {
	req       []byte
	left      int
	responses int
}

func (c *memConn) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	c.left--
	return copy(p, c.req), nil
}

func (c *memConn) Write(p []byte) (int, error) {
	if bytes.HasPrefix(p, []byte("HTTP/1.1 200 ")) {
		c.responses++
	}
	return len(p), nil
}

func (c *memConn) Close() error                     { return nil }
func (c *memConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80} }
func (c *memConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000} }
func (c *memConn) SetDeadline(time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(time.Time) error { return nil }

// BenchmarkServeMemoryClose is BenchmarkServeMemory with a new connection
// per request ("Connection: close"): the per-connection work of the
// connection hooks and the http module.
func BenchmarkServeMemoryClose(b *testing.B) {
	g := benchGeneration(b)
	req := []byte("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\nConnection: close\r\n\r\n")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		conn := &memConn{req: req, left: 1}
		pipeline.ServeConnection(g, conn, g.Main, int64(i), pipeline.NopWorkerSlot{}, nil)
		if conn.responses != 1 {
			b.Fatalf("request %d not answered", i)
		}
	}
}
