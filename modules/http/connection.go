package http

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"gohttpd/modules/http/h1"
	"gohttpd/pipeline"
)

// hconn is the http module's per-connection state. One request is in
// flight at a time, so the per-request protocol state lives here too and
// is reset for each request.
type hconn struct {
	c    *pipeline.Conn
	regs *regs
	src  countingReader // the connection's input, counted
	br   *bufio.Reader  // reads src ahead
	rd   *h1.Reader
	hreq h1.Request

	// headLimits are the LimitRequest* of the connection's address-based
	// default server, under which every request head is read.
	headLimits h1.Limits
	// mark is what had been consumed from the connection when the request
	// in flight began (see consumed).
	mark int64

	resp respState
	in   inState

	head  []byte // response head buffer
	dates dateCache

	// vhostFor and vhost cache scoreboardVHost for the last server.
	vhostFor *pipeline.Server
	vhost    string
}

// scoreboardVHost is scoreboardVHost(hc.c, s), remembered for the last
// server: a connection's requests usually go to the same one.
func (hc *hconn) scoreboardVHost(s *pipeline.Server) string {
	if s != hc.vhostFor || hc.vhostFor == nil {
		hc.vhostFor, hc.vhost = s, scoreboardVHost(hc.c, s)
	}
	return hc.vhost
}

// connKey is the Conn.Notes key of the hconn.
const connKey = "http"

// serve is process_connection: the keep-alive loop.
func serve(c *pipeline.Conn, rg *regs) pipeline.Result {
	hc := newHconn(c, rg)
	defer hc.release()
	if c.Notes == nil {
		c.Notes = map[string]any{}
	}
	c.Notes[connKey] = hc
	for first := true; ; first = false {
		if !hc.waitForRequest(first) {
			return pipeline.OK
		}
		r := hc.readRequest()
		if r == nil {
			return pipeline.OK
		}
		if r.Status != 200 { // answered while reading
			c.Worker.EndRequest(chainBytes(r))
			return pipeline.OK
		}
		c.Worker.SetState(pipeline.StateWriting)
		pipeline.ProcessRequest(r)
		c.Worker.EndRequest(chainBytes(r))
		closing := c.MustClose || !c.Keepalive || c.Aborted
		if closing {
			c.ClientDone = hc.clientDone(r)
		}
		pipeline.ReleaseRequest(r) // for the next request, or the generation's next connection
		if closing {
			return pipeline.OK
		}
	}
}

// clientDone reports whether the client can send nothing more after r:
// it asked for the connection to close (or spoke HTTP/1.0 without
// keep-alive), and its request, body included, was read whole with
// nothing after it. The connection then needs no lingering close.
func (hc *hconn) clientDone(r *pipeline.Request) bool {
	q := &hc.hreq
	asked := q.ConnClose || r.ProtoNum < 1001 && !q.ConnKeepAlive
	bodyRead := !hc.in.hasBody || hc.in.complete
	return asked && bodyRead && !hc.c.Aborted && hc.br.Buffered() == 0
}

// newHconn returns the http state of a new connection, reusing what a
// finished connection of this generation left (its 8 KiB read buffer,
// parser and response-head storage).
func newHconn(c *pipeline.Conn, rg *regs) *hconn {
	hc, _ := rg.conns.Get().(*hconn)
	if hc == nil {
		hc = &hconn{regs: rg}
		hc.br = bufio.NewReaderSize(&hc.src, 8192)
		hc.rd = h1.NewReader(hc.br, h1.DefaultLimits())
	}
	hc.c = c
	hc.src = countingReader{r: c.InputFilters()}
	hc.br.Reset(&hc.src)
	hc.headLimits = headLimits(c)
	hc.rd.SetLimits(hc.headLimits)
	hc.mark = 0
	hc.vhostFor, hc.vhost = nil, ""
	return hc
}

// release gives hc back to the generation's pool once its connection is
// done with HTTP (process_connection returns only after every handler,
// tunnels included, has finished with the connection).
func (hc *hconn) release() {
	delete(hc.c.Notes, connKey)
	hc.c, hc.src = nil, countingReader{}
	hc.br.Reset(&hc.src)
	hc.resp = respState{out: hc.resp.out}
	hc.regs.conns.Put(hc)
}

// chainBytes adds the body bytes of r and its redirect targets.
func chainBytes(r *pipeline.Request) int64 {
	var n int64
	for x := r; x != nil; x = x.Next {
		n += x.BytesSent
	}
	return n
}

// waitForRequest waits for the first byte of the next request: up to
// Timeout for the first request, up to KeepAliveTimeout (giving up early
// on a graceful stop) between requests. It reports false when the
// connection should close silently.
func (hc *hconn) waitForRequest(first bool) bool {
	c := hc.c
	if hc.br.Buffered() > 0 {
		return true // pipelined
	}
	if first {
		c.Worker.SetState(pipeline.StateReading)
		hc.setReadDeadline(c.Base.Timeout)
		_, err := hc.br.Peek(1)
		return err == nil
	}
	// An idle keep-alive connection is not closed early on a graceful
	// stop: a request may already be on its way, and closing would lose
	// it. The next request is served (with "Connection: close", since the
	// process is draining) or the connection times out as usual.
	c.Worker.SetState(pipeline.StateKeepalive)
	_ = c.Net.SetReadDeadline(time.Now().Add(c.Base.KeepAliveTimeout))
	_, err := hc.br.Peek(1)
	return err == nil
}

// headBuffered reports whether a whole request head is already buffered,
// so reading it cannot block and needs no new deadline (the body reader
// sets its own).
func (hc *hconn) headBuffered() bool {
	b, _ := hc.br.Peek(hc.br.Buffered())
	return bytes.Contains(b, headEnd) || bytes.Contains(b, headEndLF)
}

var headEnd, headEndLF = []byte("\n\r\n"), []byte("\n\n")

func (hc *hconn) setReadDeadline(d time.Duration) {
	if d > 0 {
		_ = hc.c.Net.SetReadDeadline(time.Now().Add(d))
	} else {
		_ = hc.c.Net.SetReadDeadline(time.Time{})
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// readRequest reads one request head (Apache's ap_read_request). It
// returns nil when the connection should close silently, a request with a
// status other than 200 when the request was refused and answered, or a
// request ready for ProcessRequest.
func (hc *hconn) readRequest() *pipeline.Request {
	c := hc.c
	c.Worker.SetState(pipeline.StateReading)
	if !hc.headBuffered() {
		hc.setReadDeadline(c.Base.Timeout)
	}
	c.Keepalive = false
	r := pipeline.NewRequest(c)
	if st := c.Gen.Hooks.CreateRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) }); st != pipeline.OK {
		return nil
	}
	hc.mark = hc.consumed()
	hc.rd.SetLimits(hc.headLimits)
	err := hc.rd.ReadRequest(&hc.hreq)
	hc.fillRequest(r)
	if err != nil {
		status := h1.StatusOf(err)
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case status > 0:
		case isTimeout(err) && !hc.hreq.HasLine():
			hc.logTimedOutLine(r)
			return nil
		case isTimeout(err):
			status = 408 // a partial head: its request line had arrived
		default:
			return nil
		}
		c.MustClose = true
		if r.Protocol == "" {
			r.ProtoNum = 1000
		}
		hc.answerEarly(r, pipeline.Result(status), err)
		return r
	}
	r.Server = selectVirtualHost(c, r.Hostname)
	c.Worker.StartRequest(c.RemoteAddr, hc.scoreboardVHost(r.Server), r.RequestLine, "http/1.1")
	r.AddInputFilterReg(hc.regs.in, hc)
	hc.in.reset(hc.hreq.HasBody())
	if st := c.Gen.Hooks.PostReadRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) }); st != pipeline.OK {
		hc.answerEarly(r, st, nil)
		return r
	}
	return r
}

// logTimedOutLine handles a connection that timed out in the middle of a
// request line (or of the blank lines before one) as Apache does: nothing
// is answered, and the request is logged as a 408 without a request line,
// but only on the connection's first request.
func (hc *hconn) logTimedOutLine(r *pipeline.Request) {
	c := hc.c
	c.MustClose = true
	if c.Keepalives > 0 {
		return
	}
	r.Server = c.Base
	r.Status = 408
	c.Worker.StartRequest(c.RemoteAddr, hc.scoreboardVHost(r.Server), "", "http/1.1")
	pipeline.LogTransaction(r)
}

// answerEarly answers a request refused before the phases ran, and logs
// it.
func (hc *hconn) answerEarly(r *pipeline.Request, status pipeline.Result, cause error) {
	if cause != nil && r.Server != nil && r.Server.Log != nil {
		r.Server.Log.Info("request failed", "client", hc.c.RemoteAddr, "error", cause)
	}
	if r.Server == nil {
		r.Server = hc.c.Base
	}
	hc.c.Worker.StartRequest(hc.c.RemoteAddr, hc.scoreboardVHost(r.Server), r.RequestLine, "http/1.1")
	hc.c.Worker.SetState(pipeline.StateWriting)
	r.Status = 200
	pipeline.Die(r, status)
	if r.Status == 200 {
		r.Status = int(status)
	}
	pipeline.LogTransaction(r)
}

// fillRequest copies the parsed head into the request record.
func (hc *hconn) fillRequest(r *pipeline.Request) {
	q := &hc.hreq
	r.Method = q.Method
	r.MethodNumber = pipeline.MethodNumber(q.Method)
	r.HeaderOnly = q.Method == "HEAD"
	r.Protocol = q.Proto
	r.HTTP09 = q.IsHTTP09()
	switch {
	case r.HTTP09:
		r.ProtoNum = 9
	case q.Proto != "":
		r.ProtoNum = q.ProtoMajor*1000 + q.ProtoMinor
	}
	// One string holds the target, the Host and every field, so that the
	// head costs one allocation however many fields it has.
	line := q.LineBytes()
	n := len(line) + len(q.URI) + len(q.Host)
	for i := range q.Fields {
		n += len(q.Fields[i].Name) + len(q.Fields[i].Value)
	}
	var sb strings.Builder
	sb.Grow(n)
	sb.Write(line)
	sb.Write(q.URI)
	sb.Write(q.Host)
	for i := range q.Fields {
		sb.Write(q.Fields[i].Name)
		sb.Write(q.Fields[i].Value)
	}
	all := sb.String()
	next := func(n int) string {
		s := all[:n]
		all = all[n:]
		return s
	}
	r.RequestLine = next(len(line))
	r.SetURI(next(len(q.URI)))
	if q.HasLine() {
		r.URI = r.TargetPath() // Apache's r->uri until the phases normalise it
	}
	host := next(len(q.Host))
	for i := range q.Fields {
		name := next(len(q.Fields[i].Name))
		r.HeadersIn.Add(name, next(len(q.Fields[i].Value)))
	}
	r.Hostname = canonicalHost(host)
	r.Expect100 = q.Expect100 && r.ProtoNum >= 1001
}

// canonicalHost lower-cases a Host value and drops its port and a
// trailing dot (Apache's fix_hostname).
func canonicalHost(s string) string {
	if s == "" {
		return ""
	}
	if strings.HasPrefix(s, "[") {
		if i := strings.IndexByte(s, ']'); i > 0 {
			s = s[:i+1]
		}
	} else if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	return strings.ToLower(s)
}

// createRequest gives the initial request of a connection its protocol
// filters (Apache's http_create_request).
func createRequest(r *pipeline.Request, rg *regs) pipeline.Result {
	if r.Main != nil || r.Prev != nil {
		return pipeline.OK
	}
	hc, ok := r.Conn.Notes[connKey].(*hconn)
	if !ok {
		return pipeline.OK
	}
	hc.resp = respState{hc: hc, out: hc.resp.out} // the brigade's storage is kept
	r.AddOutputFilterReg(rg.header, &hc.resp)
	return pipeline.OK
}

// scoreboardVHost is what the scoreboard shows as a request's virtual
// host: "name:port" as Apache records it, with the local address when no
// ServerName is set. The protocol column is the connection's protocol,
// "http/1.1" (Apache's ap_get_protocol), whatever the request's version.
func scoreboardVHost(c *pipeline.Conn, s *pipeline.Server) string {
	name := s.ServerName
	if name == "" {
		name = c.LocalAddr
	}
	port := s.Port
	if port == 0 {
		port = c.LocalPort
	}
	return name + ":" + strconv.Itoa(port)
}

// countingReader counts the bytes read from the connection.
type countingReader struct {
	r io.Reader
	n int64
}

func (cr *countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.n += int64(n)
	return n, err
}

// consumed returns how many bytes of the connection's input the requests
// have used: what was read minus what is still buffered ahead.
func (hc *hconn) consumed() int64 {
	return hc.src.n - int64(hc.br.Buffered())
}

// countBytesRead is log_transaction, run before the logging modules: it
// sets r.BytesRead to what the request consumed of the connection — blank
// lines before it, its head and as much of its body as was read — which
// is what Apache's mod_logio reports as %I.
func countBytesRead(r *pipeline.Request) pipeline.Result {
	if hc, ok := r.Conn.Notes[connKey].(*hconn); ok {
		r.BytesRead = hc.consumed() - hc.mark
	}
	return pipeline.OK
}

// headLimits returns the LimitRequestLine, LimitRequestFieldSize and
// LimitRequestFields under which c's request heads are read: those of
// the server the connection's address selects before any Host is known
// (the first VirtualHost for that address, or the main server), as
// Apache reads heads under its connection's base server. The virtual host
// then chosen by name governs the chunk-size lines and trailers of the
// body (see inputFilter).
func headLimits(c *pipeline.Conn) h1.Limits {
	l := h1.DefaultLimits()
	if c.Base == nil {
		return l
	}
	s := selectVirtualHost(c, "")
	l.RequestLine, l.FieldSize, l.Fields = s.LimitRequestLine, s.LimitRequestFieldSize, s.LimitRequestFields
	return l
}
