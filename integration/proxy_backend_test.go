package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// proxyBaseConf is the process part of every proxy test configuration;
// tests append their ProxyPass lines. {B1}, {B2}, … are backend URLs
// substituted by proxySite.
const proxyBaseConf = `
ServerRoot      = "{ROOT}"
Listen          = ["127.0.0.1:{PORT}"]
DocumentRoot    = "htdocs"
ServerName      = "proxy.test"
User            = "nobody"
Group           = "nogroup"
ErrorLog        = "logs/error_log"
LogLevel        = "info"
StartServers    = 2
MinSpareServers = 1
MaxSpareServers = 16
ThreadsPerChild = 4
KeepAliveTimeout = 5
`

// proxySite writes a site whose configuration is proxyBaseConf plus conf,
// with each key of backends (such as "{B1}") replaced by its value, and
// starts it.
func proxySite(t *testing.T, conf string, backends map[string]string) *server {
	t.Helper()
	full := proxyBaseConf + conf
	for k, v := range backends {
		full = strings.ReplaceAll(full, k, v)
	}
	dir, port := site(t, full)
	return start(t, dir, port)
}

// echoReply is what the echo backend reports about a request.
type echoReply struct {
	Method  string              `json:"method"`
	URI     string              `json:"uri"`
	Host    string              `json:"host"`
	Header  map[string][]string `json:"header"`
	TE      []string            `json:"te"`
	CL      int64               `json:"cl"`
	BodyLen int64               `json:"body_len"`
	BodySHA string              `json:"body_sha"`
	Proto   string              `json:"proto"`
}

// backend is a Go test server with handlers for the proxy tests and
// counters of what it saw.
type backend struct {
	*httptest.Server
	name string

	mu       sync.Mutex
	conns    int // connections accepted
	requests int
	hold     chan struct{} // /hold blocks until closed
	entered  chan struct{} // /hold signals arrival
}

// newBackend starts a backend named name (returned in X-Member).
func newBackend(t testing.TB, name string) *backend {
	b := &backend{name: name, hold: make(chan struct{}), entered: make(chan struct{}, 16)}
	b.Server = httptest.NewUnstartedServer(http.HandlerFunc(b.serve))
	b.Server.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			b.mu.Lock()
			b.conns++
			b.mu.Unlock()
		}
	}
	b.Server.Start()
	t.Cleanup(func() {
		b.release()
		b.Server.CloseClientConnections()
		b.Server.Close()
	})
	return b
}

func (b *backend) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-b.hold:
	default:
		close(b.hold)
	}
}

func (b *backend) counts() (conns, requests int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.conns, b.requests
}

// pattern returns n bytes of the deterministic test pattern starting at
// offset off.
func pattern(p []byte, off int64) {
	for i := range p {
		p[i] = byte((off + int64(i)) % 251)
	}
}

func sha(p []byte) string {
	h := sha256.Sum256(p)
	return hex.EncodeToString(h[:])
}

func patternSHA(n int64) string {
	h := sha256.New()
	buf := make([]byte, 64<<10)
	for off := int64(0); off < n; {
		m := int64(len(buf))
		if n-off < m {
			m = n - off
		}
		pattern(buf[:m], off)
		h.Write(buf[:m])
		off += m
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (b *backend) serve(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	b.requests++
	b.mu.Unlock()
	w.Header().Set("X-Member", b.name)
	w.Header().Set("Server", "backend/"+b.name)
	path := r.URL.Path
	switch {
	case strings.HasPrefix(path, "/echo") || strings.HasPrefix(path, "/match") || strings.HasPrefix(path, "/inner"):
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		rep := echoReply{Method: r.Method, URI: r.RequestURI, Host: r.Host, Header: r.Header,
			TE: r.TransferEncoding, CL: r.ContentLength, BodyLen: n, BodySHA: hex.EncodeToString(h.Sum(nil)), Proto: r.Proto}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(rep)
	case path == "/redir":
		w.Header().Set("Location", b.URL+"/target?x=1")
		w.WriteHeader(http.StatusFound)
	case path == "/cookie":
		w.Header().Add("Set-Cookie", "s=1; Path=/; Domain=backend.internal; HttpOnly")
		w.Header().Add("Set-Cookie", "t=2; path=/sub/x")
		io.WriteString(w, "cookies")
	case strings.HasPrefix(path, "/status/"):
		code, _ := strconv.Atoi(strings.TrimPrefix(path, "/status/"))
		if code == 401 {
			w.Header().Set("WWW-Authenticate", `Basic realm="backend"`)
		}
		w.WriteHeader(code)
		fmt.Fprintf(w, "backend says %d", code)
	case path == "/empty":
		w.Header().Set("Content-Length", "0")
	case path == "/big":
		n, _ := strconv.ParseInt(r.URL.Query().Get("n"), 10, 64)
		buf := make([]byte, 32<<10)
		fl, _ := w.(http.Flusher)
		for off := int64(0); off < n; {
			m := int64(len(buf))
			if n-off < m {
				m = n - off
			}
			pattern(buf[:m], off)
			if _, err := w.Write(buf[:m]); err != nil {
				return
			}
			off += m
			if fl != nil && off%(1<<20) == 0 {
				fl.Flush()
			}
		}
	case path == "/hop":
		w.Header().Set("Keep-Alive", "timeout=99")
		w.Header().Set("Proxy-Connection", "keep-alive")
		w.Header().Set("X-End-To-End", "yes")
		io.WriteString(w, "hop")
	case path == "/slow":
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		case <-b.hold:
		}
		io.WriteString(w, "late")
	case path == "/hold":
		b.entered <- struct{}{}
		select {
		case <-b.hold:
		case <-time.After(10 * time.Second):
		}
		io.WriteString(w, "held")
	case path == "/reject":
		// Answer without reading the body (an Expect: 100-continue
		// client must not be told to send it).
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, "no body wanted")
	default:
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "%s %s", b.name, r.URL.RequestURI())
	}
}

// httpClient returns a client that talks to the proxy only, with or
// without keep-alive, never following redirects.
func httpClient(keepAlive bool) *http.Client {
	return &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{DisableKeepAlives: !keepAlive, DisableCompression: true, MaxIdleConnsPerHost: 1},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// fetch GETs url and returns the response with its body read.
func fetch(t testing.TB, c *http.Client, method, url string, body io.Reader, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		if strings.EqualFold(hdr[i], "Host") {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, data
}

func decodeEcho(t testing.TB, data []byte) echoReply {
	t.Helper()
	var rep echoReply
	require.NoError(t, json.Unmarshal(data, &rep), "backend reply: %s", data)
	return rep
}
