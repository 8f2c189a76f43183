package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// patternReader yields n bytes of the test pattern.
type patternReader struct{ off, n int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	if rem := p.n - p.off; int64(len(b)) > rem {
		b = b[:rem]
	}
	pattern(b, p.off)
	p.off += int64(len(b))
	return len(b), nil
}

// peakRSS returns a process's peak resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", pid)
	return 0
}

// TestProxyLargeBodiesKeepMemoryFlat streams 1 GiB each way through the
// proxy and checks that no child's peak memory grew anywhere near the
// body size: bodies are streamed, never held whole.
func TestProxyLargeBodiesKeepMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 2 GiB through the proxy")
	}
	const size = 1 << 30
	const bound = 64 << 20 // a child holding a body would need > 1 GiB
	b := newBackend(t, "big")
	s := proxySite(t, `ProxyPass = ["/ {B1}/"]`+"\n", map[string]string{"{B1}": b.URL})
	c := httpClient(true)
	want := patternSHA(size)

	resp, err := c.Get("http://" + s.addr() + "/big?n=" + strconv.Itoa(size))
	require.NoError(t, err)
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int64(size), n)
	assert.Equal(t, want, hex.EncodeToString(h.Sum(nil)))

	req, err := http.NewRequest("PUT", "http://"+s.addr()+"/echo", &patternReader{n: size})
	require.NoError(t, err)
	req.ContentLength = size
	resp, data := func() (*http.Response, []byte) {
		resp, err := c.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, data
	}()
	require.Equal(t, 200, resp.StatusCode)
	rep := decodeEcho(t, data)
	assert.Equal(t, int64(size), rep.BodyLen)
	assert.Equal(t, want, rep.BodySHA)

	kids := childrenOf(s.pid())
	require.NotEmpty(t, kids)
	for _, pid := range kids {
		peak := peakRSS(t, pid)
		t.Logf("child %d: peak RSS %.1f MiB after 2 x %d MiB streamed", pid, float64(peak)/(1<<20), size>>20)
		assert.Less(t, peak, int64(bound), "child %d peak RSS", pid)
	}
}
