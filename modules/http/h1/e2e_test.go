package h1_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/all"
	"gohttpd/modules/http/h1"
	"gohttpd/pipeline"
)

// serveLikeApache serves a document tree like the recording Apache's
// (testdata/apache.conf.in) through the whole server: hooks, phases and
// filters of every compiled-in module.
func serveLikeApache(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	docs := filepath.Join(dir, "htdocs")
	require.NoError(t, os.MkdirAll(filepath.Join(docs, "small"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "index.html"), []byte("<html><body>index</body></html>\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "file.txt"), []byte("hello\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(docs, "small", "index.html"), []byte("small\n"), 0o644))
	conf := `
Listen = ["127.0.0.1:0"]
ServerName = "localhost"
DocumentRoot = "htdocs"
Timeout = 3

[[Location]]
Path = "/small/"
LimitRequestBody = 100
`
	cfg, err := configs.ReadBytes("e2e.toml", []byte(conf), configs.ReadOptions{ServerRoot: dir})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, nil)
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		var id int64
		for {
			nc, err := l.Accept()
			if err != nil {
				return
			}
			id++
			go pipeline.ServeConnection(g, nc, g.Main, id, pipeline.NopWorkerSlot{}, nil)
		}
	}()
	return l.Addr().String()
}

// TestApacheCasesEndToEnd sends every raw request of the Apache table to
// the whole server and compares the final statuses with Apache's,
// including those decided after parsing (404, 405, 501, ...).
func TestApacheCasesEndToEnd(t *testing.T) {
	data, err := os.ReadFile(h1.RecordedFile)
	require.NoError(t, err)
	apache := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if name, st, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
			apache[name] = st
		}
	}
	addr := serveLikeApache(t)
	agree := 0
	for _, c := range h1.ApacheCases() {
		got, err := h1.SendRaw(addr, []byte(c.Raw))
		require.NoError(t, err, c.Name)
		want := apache[c.Name]
		if why, ok := knownDifferences[c.Name]; ok {
			assert.NotEqual(t, want, strings.Join(got, ","), "%s now agrees with Apache: drop it from knownDifferences (%s)", c.Name, why)
			continue
		}
		if assert.Equal(t, want, strings.Join(got, ","), c.Name) {
			agree++
		}
	}
	t.Logf("%d of %d cases answered as Apache 2.4.71; %d known differences", agree, len(h1.ApacheCases()), len(knownDifferences))
}

// knownDifferences are the cases where the server's final answer differs
// from Apache's, with the reason.
var knownDifferences = map[string]string{
	"chunk/small-declared-over-limit-truncated": "deliberate: 413 as soon as an announced chunk passes LimitRequestBody; Apache reads on and answers 400 when the data is cut short",
}
