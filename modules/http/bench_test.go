package http_test

import (
	"bufio"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// BenchmarkRequestNoopHandler measures one keep-alive request through the
// whole chain — h1 parse, every request hook, a handler writing "ok", the
// header filter and the network filter — over an in-memory connection.
func BenchmarkRequestNoopHandler(b *testing.B) {
	root := b.TempDir()
	require.NoError(b, os.MkdirAll(filepath.Join(root, "htdocs"), 0o755))
	conf := "KeepAliveTimeout = 5\nMaxKeepAliveRequests = 0\n[[Location]]\nPath = \"/noop\"\nSetHandler = \"noop\"\n"
	cfg, err := configs.ReadBytes(filepath.Join(root, "httpd.toml"), []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(b, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(b, err)
	srv, cli := net.Pipe()
	done := make(chan struct{})
	go func() {
		pipeline.ServeConnection(g, srv, g.Main, 1, nil, nil)
		close(done)
	}()
	req := []byte("GET /noop HTTP/1.1\r\nHost: bench\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
	br := bufio.NewReader(cli)
	// Each response is the same size; learn it once.
	readResp := func() int {
		n := 0
		for {
			line, err := br.ReadSlice('\n')
			require.NoError(b, err)
			n += len(line)
			if len(line) == 2 {
				break
			}
		}
		body := make([]byte, 2)
		_, err := io.ReadFull(br, body)
		require.NoError(b, err)
		return n + 2
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
