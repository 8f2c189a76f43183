package integration

import (
	"bufio"
	"bytes"
	"fmt"
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

// proxyRulesConf exercises the ProxyPass family against backend {B1}.
const proxyRulesConf = `
ProxyPass = [
  "/app/static !",
  "/app/ {B1}/ timeout=10 keepalive=On ttl=30",
  "/solo/ {B1}/solo/ disablereuse=On",
]
ProxyPassMatch = ['^/m/(.*)\.txt$ {B1}/match/$1']
ProxyPassReverse = ["/app/ {B1}/"]
ProxyPassReverseCookiePath = ["/ /app/"]
ProxyPassReverseCookieDomain = ["backend.internal public.example"]
ErrorDocument = ['404 "local not-found page"']

[[Location]]
Path              = "/loc"
ProxyPass         = "{B1}/inner"
ProxyPreserveHost = true

[[Location]]
Path               = "/eo"
ProxyPass          = "{B1}/status"
ProxyErrorOverride = "On 404"

[[Location]]
Path            = "/nofwd"
ProxyPass       = "{B1}/echo"
ProxyAddHeaders = false
`

func TestProxyPassRulesAndHeaders(t *testing.T) {
	b := newBackend(t, "b1")
	s := proxySite(t, proxyRulesConf, map[string]string{"{B1}": b.URL})
	require.NoError(t, os.MkdirAll(filepath.Join(s.dir, "htdocs", "app"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(s.dir, "htdocs", "app", "static"), []byte("local file\n"), 0o644))
	base := "http://" + s.addr()
	c := httpClient(false)

	t.Run("path, query and X-Forwarded headers", func(t *testing.T) {
		resp, data := fetch(t, c, "GET", base+"/app/echo/a%20b?x=1&y=%2F", nil, "X-Forwarded-For", "10.0.0.9")
		require.Equal(t, 200, resp.StatusCode)
		rep := decodeEcho(t, data)
		assert.Equal(t, "/echo/a%20b?x=1&y=%2F", rep.URI)
		assert.Equal(t, strings.TrimPrefix(b.URL, "http://"), rep.Host, "Host names the backend")
		assert.Equal(t, []string{"10.0.0.9, 127.0.0.1"}, rep.Header["X-Forwarded-For"])
		assert.Equal(t, []string{s.addr()}, rep.Header["X-Forwarded-Host"])
		assert.Equal(t, []string{"proxy.test"}, rep.Header["X-Forwarded-Server"])
		assert.Equal(t, "HTTP/1.1", rep.Proto)
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		assert.Equal(t, "b1", resp.Header.Get("X-Member"))
		assert.Equal(t, []string{"backend/b1"}, resp.Header.Values("Server"), "the origin's Server passes through, once")
		assert.Len(t, resp.Header.Values("Date"), 1)
	})
	t.Run("ProxyAddHeaders Off", func(t *testing.T) {
		_, data := fetch(t, c, "GET", base+"/nofwd", nil)
		rep := decodeEcho(t, data)
		assert.NotContains(t, rep.Header, "X-Forwarded-For")
		assert.NotContains(t, rep.Header, "X-Forwarded-Server")
	})
	t.Run("exclusion serves locally", func(t *testing.T) {
		resp, data := fetch(t, c, "GET", base+"/app/static", nil)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "local file\n", string(data))
		assert.Empty(t, resp.Header.Get("X-Member"))
	})
	t.Run("ProxyPassMatch substitutes", func(t *testing.T) {
		_, data := fetch(t, c, "GET", base+"/m/dir/file.txt", nil)
		assert.Equal(t, "/match/dir/file", decodeEcho(t, data).URI)
	})
	t.Run("Location form with ProxyPreserveHost", func(t *testing.T) {
		_, data := fetch(t, c, "GET", base+"/loc/more", nil, "Host", "front.example:81")
		rep := decodeEcho(t, data)
		assert.Equal(t, "/inner/more", rep.URI)
		assert.Equal(t, "front.example:81", rep.Host)
	})
	t.Run("ProxyPassReverse rewrites Location", func(t *testing.T) {
		resp, _ := fetch(t, c, "GET", base+"/app/redir", nil)
		assert.Equal(t, 302, resp.StatusCode)
		assert.Equal(t, "http://"+s.addr()+"/app/target?x=1", resp.Header.Get("Location"))
	})
	t.Run("cookie path and domain rewritten", func(t *testing.T) {
		resp, _ := fetch(t, c, "GET", base+"/app/cookie", nil)
		assert.Equal(t, []string{"s=1; Path=/app/; Domain=public.example; HttpOnly", "t=2; path=/app/sub/x"}, resp.Header.Values("Set-Cookie"))
	})
	t.Run("hop-by-hop headers removed both ways", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn, "GET /app/echo HTTP/1.1\r\nHost: x\r\nConnection: close, X-Private\r\nX-Private: secret\r\nKeep-Alive: 300\r\nTE: trailers\r\nX-Kept: 1\r\n\r\n")
		status, body := readResponse(t, bufio.NewReader(conn))
		require.Equal(t, 200, status)
		rep := decodeEcho(t, []byte(body))
		for _, h := range []string{"X-Private", "Keep-Alive", "Te", "Connection"} {
			assert.NotContains(t, rep.Header, h)
		}
		assert.Equal(t, []string{"1"}, rep.Header["X-Kept"])

		resp, _ := fetch(t, c, "GET", base+"/app/hop", nil)
		assert.Empty(t, resp.Header.Get("Proxy-Connection"))
		assert.NotEqual(t, "timeout=99", resp.Header.Get("Keep-Alive"))
		assert.Equal(t, "yes", resp.Header.Get("X-End-To-End"))
	})
	t.Run("ProxyErrorOverride answers with the local document", func(t *testing.T) {
		resp, data := fetch(t, c, "GET", base+"/eo/404", nil)
		assert.Equal(t, 404, resp.StatusCode)
		assert.Equal(t, "local not-found page", strings.TrimSpace(string(data)))
		resp, data = fetch(t, c, "GET", base+"/eo/500", nil)
		assert.Equal(t, 500, resp.StatusCode)
		assert.Equal(t, "backend says 500", string(data), "500 is not in the override list")
	})
	t.Run("HEAD keeps the backend's Content-Length", func(t *testing.T) {
		resp, data := fetch(t, c, "HEAD", base+"/app/big?n=5000", nil)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Empty(t, data)
	})
	t.Run("disablereuse and pooled keep-alive", func(t *testing.T) {
		kc := httpClient(true)
		c0, _ := b.counts()
		for i := 0; i < 10; i++ {
			resp, _ := fetch(t, kc, "GET", base+"/app/plain", nil)
			require.Equal(t, 200, resp.StatusCode)
		}
		c1, _ := b.counts()
		assert.LessOrEqual(t, c1-c0, 1, "one client connection is one child: its pooled backend connection is reused")
		for i := 0; i < 3; i++ {
			fetch(t, kc, "GET", base+"/solo/plain", nil)
		}
		c2, _ := b.counts()
		assert.Equal(t, 3, c2-c1, "disablereuse=On opens a connection per request")
	})
}

func TestProxyBodiesStreamBothWays(t *testing.T) {
	b := newBackend(t, "b1")
	s := proxySite(t, `ProxyPass = ["/ {B1}/"]`+"\n", map[string]string{"{B1}": b.URL})
	base := "http://" + s.addr()
	c := httpClient(true)

	t.Run("0 B", func(t *testing.T) {
		resp, data := fetch(t, c, "GET", base+"/empty", nil)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, int64(0), resp.ContentLength)
		assert.Empty(t, data)
		resp, data = fetch(t, c, "GET", base+"/big?n=0", nil)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Empty(t, data)
	})
	t.Run("1 MiB download without Content-Length is chunked", func(t *testing.T) {
		resp, data := fetch(t, c, "GET", base+"/big?n=1048576", nil)
		require.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, []string{"chunked"}, resp.TransferEncoding)
		assert.Equal(t, patternSHA(1<<20), sha(data))
	})
	t.Run("Content-Length upload", func(t *testing.T) {
		body := make([]byte, 1<<20)
		pattern(body, 0)
		resp, data := fetch(t, c, "POST", base+"/echo", bytes.NewReader(body))
		require.Equal(t, 200, resp.StatusCode)
		rep := decodeEcho(t, data)
		assert.Equal(t, int64(1<<20), rep.CL)
		assert.Equal(t, int64(1<<20), rep.BodyLen)
		assert.Equal(t, patternSHA(1<<20), rep.BodySHA)
	})
	t.Run("chunked upload beyond the prefetch stays chunked", func(t *testing.T) {
		body := make([]byte, 1<<20)
		pattern(body, 0)
		resp, data := fetch(t, c, "PUT", base+"/echo", io.MultiReader(bytes.NewReader(body))) // unknown length: chunked
		require.Equal(t, 200, resp.StatusCode)
		rep := decodeEcho(t, data)
		assert.Equal(t, []string{"chunked"}, rep.TE)
		assert.Equal(t, patternSHA(1<<20), rep.BodySHA)
	})
	t.Run("small chunked upload gets a Content-Length", func(t *testing.T) {
		resp, data := fetch(t, c, "POST", base+"/echo", io.MultiReader(strings.NewReader("hello world")))
		require.Equal(t, 200, resp.StatusCode)
		rep := decodeEcho(t, data)
		assert.Equal(t, int64(11), rep.CL)
		assert.Empty(t, rep.TE)
	})
	t.Run("Expect: 100-continue is forwarded", func(t *testing.T) {
		conn, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReader(conn)
		fmt.Fprintf(conn, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		require.Equal(t, "HTTP/1.1 100 Continue\r\n", line)
		blank, _ := br.ReadString('\n')
		require.Equal(t, "\r\n", blank)
		io.WriteString(conn, "abcde")
		status, body := readResponse(t, br)
		require.Equal(t, 200, status)
		rep := decodeEcho(t, []byte(body))
		assert.Equal(t, int64(5), rep.BodyLen)
		assert.Equal(t, []string{"100-continue"}, rep.Header["Expect"])

		// A backend that answers without wanting the body: the client
		// gets that answer and no 100 Continue.
		conn2, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
		require.NoError(t, err)
		defer conn2.Close()
		conn2.SetDeadline(time.Now().Add(10 * time.Second))
		fmt.Fprintf(conn2, "POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
		status, body = readResponse(t, bufio.NewReader(conn2))
		assert.Equal(t, 403, status)
		assert.Equal(t, "no body wanted", body)
	})
}

// TestProxyRetriesOnceWhenPooledConnectionWasClosed uses a raw backend that
// answers the first request on each connection with keep-alive and then
// closes the connection on the next request without answering: the proxy
// must retry that request once on a new connection, and the client must
// see no error.
func TestProxyRetriesOnceWhenPooledConnectionWasClosed(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	type stats struct{ conns, requests int }
	statc := make(chan stats, 1)
	statc <- stats{}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			st := <-statc
			st.conns++
			statc <- st
			go func(c net.Conn) {
				defer c.Close()
				c.SetDeadline(time.Now().Add(20 * time.Second))
				br := bufio.NewReader(c)
				for n := 0; n < 2; n++ {
					for {
						line, err := br.ReadString('\n')
						if err != nil {
							return
						}
						if line == "\r\n" {
							break
						}
					}
					st := <-statc
					st.requests++
					statc <- st
					if n == 1 {
						return // close instead of answering the second request
					}
					io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
				}
			}(c)
		}
	}()
	s := proxySite(t, `ProxyPass = ["/ http://{ADDR}/"]`+"\n", map[string]string{"{ADDR}": l.Addr().String()})

	// Two requests on one client connection reach one child, whose pool
	// holds the backend connection from the first.
	conn, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	br := bufio.NewReader(conn)
	for i := 0; i < 2; i++ {
		fmt.Fprintf(conn, "GET /x%d HTTP/1.1\r\nHost: x\r\n\r\n", i)
		status, body := readResponse(t, br)
		require.Equal(t, 200, status, "request %d", i)
		require.Equal(t, "ok", body)
	}
	st := <-statc
	statc <- st
	assert.Equal(t, 2, st.conns, "the retry opened one new connection")
	assert.Equal(t, 3, st.requests, "the second request was sent twice: once on the dead connection, once more")
}

func TestProxyBackendDownThenRecovers(t *testing.T) {
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s := proxySite(t, `ProxyPass = ["/down/ http://{ADDR}/ retry=3"]`+"\n", map[string]string{"{ADDR}": addr})
	c := httpClient(false)
	url := "http://" + s.addr() + "/down/x"

	resp, _ := fetch(t, c, "GET", url, nil)
	require.Equal(t, 503, resp.StatusCode)

	// The backend comes up at once, but the worker stays in error state
	// for retry= seconds in every child: the state is shared.
	l, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go serveText(l, "up")
	resp, _ = fetch(t, c, "GET", url, nil)
	assert.Equal(t, 503, resp.StatusCode, "within retry=3 the worker is not tried")
	assert.Contains(t, errorLog(t, s.dir), "worker is in error state")

	ok := eventually(10*time.Second, func() bool {
		resp, data := fetch(t, c, "GET", url, nil)
		return resp.StatusCode == 200 && string(data) == "up"
	})
	assert.True(t, ok, "after retry= the worker is used again")
}

// serveText answers every request on l with body text, keep-alive.
func serveText(l net.Listener, text string) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			br := bufio.NewReader(c)
			for {
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					if line == "\r\n" {
						break
					}
				}
				fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(text), text)
			}
		}(c)
	}
}

func TestProxySlowBackendTimesOut(t *testing.T) {
	b := newBackend(t, "slow")
	s := proxySite(t, "ProxyTimeout = 1\n"+`ProxyPass = ["/ {B1}/"]`+"\n", map[string]string{"{B1}": b.URL})
	resp, _ := fetch(t, httpClient(false), "GET", "http://"+s.addr()+"/slow", nil)
	assert.Equal(t, 504, resp.StatusCode)
	assert.Contains(t, errorLog(t, s.dir), "timeout reading the response head")
}

func TestProxyToSecondGohttpd(t *testing.T) {
	dir, port := site(t, strings.Replace(proxyBaseConf, "ServerName      = \"proxy.test\"", "ServerName = \"origin.test\"", 1))
	big := make([]byte, 3<<20)
	pattern(big, 0)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "htdocs", "big.bin"), big, 0o644))
	origin := start(t, dir, port)

	s := proxySite(t, `ProxyPass = ["/o/ http://{ORIGIN}/"]`+"\n"+`ProxyPassReverse = ["/o/ http://{ORIGIN}/"]`+"\n",
		map[string]string{"{ORIGIN}": origin.addr()})
	c := httpClient(true)
	base := "http://" + s.addr() + "/o/"
	resp, data := fetch(t, c, "GET", base+"index.html", nil)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "<h1>hello</h1>\n", string(data))
	resp, data = fetch(t, c, "GET", base+"big.bin", nil)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, int64(len(big)), resp.ContentLength, "the origin's Content-Length passes through")
	assert.Equal(t, sha(big), sha(data))
	resp, _ = fetch(t, c, "GET", base+"missing", nil)
	assert.Equal(t, 404, resp.StatusCode)
}

// [[Proxy]] sections hold any per-directory directive for the proxied
// URLs they match (Apache's <Proxy> and <ProxyMatch>): access control,
// response headers, beside BalancerMember.
func TestProxySectionsHoldPerDirectoryDirectives(t *testing.T) {
	b := newBackend(t, "b1")
	conf := `ProxyPass = ["/open/ {B1}/echo/", "/closed/ {B1}/echo/closed/", "/local/ {B1}/echo/local/", "/m/ {B1}/match/"]

[[Proxy]]
Path = "{B1}/echo/closed/"
Require = ["all denied"]

[[Proxy]]
Path = "{B1}/echo/local/"
Require = ["ip 127.0.0.1"]
Header = ["set X-Section local"]

[[ProxyMatch]]
Path = "/match/"
Header = ["set X-Section matched"]
`
	s := proxySite(t, conf, map[string]string{"{B1}": b.URL})
	c := httpClient(false)
	base := "http://" + s.addr()

	resp, _ := fetch(t, c, "GET", base+"/open/x", nil)
	assert.Equal(t, 200, resp.StatusCode, "no section applies")
	assert.Empty(t, resp.Header.Get("X-Section"))

	resp, _ = fetch(t, c, "GET", base+"/closed/x", nil)
	assert.Equal(t, 403, resp.StatusCode, "Require all denied in the matching [[Proxy]]")

	resp, _ = fetch(t, c, "GET", base+"/local/x", nil)
	assert.Equal(t, 200, resp.StatusCode, "Require ip 127.0.0.1 lets loopback through")
	assert.Equal(t, "local", resp.Header.Get("X-Section"))

	resp, _ = fetch(t, c, "GET", base+"/m/x", nil)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "matched", resp.Header.Get("X-Section"), "a [[ProxyMatch]] expression matches the target URL")
}

// ProxyVia adds this server to Via on proxied requests and their
// responses (On, Full with the version), or takes Via off requests
// (Block), as Apache does.
func TestProxyVia(t *testing.T) {
	b := newBackend(t, "b1")
	for _, tc := range []struct{ mode, wantReq, wantResp string }{
		{"Off", "1.0 client", ""},
		{"On", "1.0 client, 1.1 proxy.test:PORT", "1.1 proxy.test:PORT"},
		{"Full", "1.0 client, 1.1 proxy.test:PORT (gohttpd/", "1.1 proxy.test:PORT (gohttpd/"},
		{"Block", "", ""},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			s := proxySite(t, "ProxyVia = \""+tc.mode+"\"\nProxyPass = [\"/ {B1}/\"]\n", map[string]string{"{B1}": b.URL})
			port := s.addr()[strings.LastIndexByte(s.addr(), ':')+1:]
			resp, data := fetch(t, httpClient(false), "GET", "http://"+s.addr()+"/echo/x", nil, "Via", "1.0 client")
			require.Equal(t, 200, resp.StatusCode)
			got := strings.Join(decodeEcho(t, data).Header["Via"], ", ")
			wantReq := strings.ReplaceAll(tc.wantReq, "PORT", port)
			if strings.HasSuffix(wantReq, "(gohttpd/") {
				assert.True(t, strings.HasPrefix(got, wantReq), "request Via %q", got)
			} else {
				assert.Equal(t, wantReq, got, "request Via")
			}
			wantResp := strings.ReplaceAll(tc.wantResp, "PORT", port)
			assert.True(t, strings.HasPrefix(resp.Header.Get("Via"), wantResp) && (wantResp != "" || resp.Header.Get("Via") == ""),
				"response Via %q", resp.Header.Get("Via"))
		})
	}
}
