package http_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSmokeStaticFile(t *testing.T) {
	ts := startServer(t, baseConf, map[string]string{"htdocs/file.txt": "hello\n"})
	resp, body := ts.roundTrip("GET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n")
	require.Equal(t, 200, resp.StatusCode, body)
	assert.Equal(t, "hello\n", body)
	assert.Equal(t, "6", resp.Header.Get("Content-Length"))
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	assert.Equal(t, "gohttpd/0.1.0 (Unix)", resp.Header.Get("Server"))
}
