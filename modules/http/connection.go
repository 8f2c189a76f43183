package http

import (
	"bufio"
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
	br   *bufio.Reader
	rd   *h1.Reader
	hreq h1.Request

	resp respState
	in   inState

	head  []byte // response head buffer
	dates dateCache
}

// connKey is the Conn.Notes key of the hconn.
const connKey = "http"

// serve is process_connection: the keep-alive loop.
func serve(c *pipeline.Conn, rg *regs) pipeline.Result {
	limits := h1.DefaultLimits()
	if s := c.Base; s != nil {
		limits.RequestLine, limits.FieldSize, limits.Fields = s.LimitRequestLine, s.LimitRequestFieldSize, s.LimitRequestFields
	}
	hc := &hconn{c: c, regs: rg, br: bufio.NewReaderSize(c.InputFilters(), 8192)}
	hc.rd = h1.NewReader(hc.br, limits)
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
		if c.MustClose || !c.Keepalive || c.Aborted {
			return pipeline.OK
		}
	}
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
	hc.setReadDeadline(c.Base.Timeout)
	c.Keepalive = false
	r := pipeline.NewRequest(c)
	if st := c.Gen.Hooks.CreateRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) }); st != pipeline.OK {
		return nil
	}
	err := hc.rd.ReadRequest(&hc.hreq)
	hc.fillRequest(r)
	if err != nil {
		status := h1.StatusOf(err)
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case status > 0:
		case isTimeout(err):
			status = 408 // a partial request: its first byte had arrived
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
	c.Worker.StartRequest(c.RemoteAddr, scoreboardVHost(c, r.Server), r.RequestLine, "http/1.1")
	r.AddInputFilterReg(hc.regs.in, hc)
	hc.in.reset(hc.hreq.HasBody())
	if st := c.Gen.Hooks.PostReadRequest.Run(func(f pipeline.RequestFunc) pipeline.Result { return f(r) }); st != pipeline.OK {
		hc.answerEarly(r, st, nil)
		return r
	}
	return r
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
	hc.c.Worker.StartRequest(hc.c.RemoteAddr, scoreboardVHost(hc.c, r.Server), r.RequestLine, "http/1.1")
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
	r.SetURI(string(q.URI))
	var line strings.Builder
	line.Grow(len(q.Method) + len(q.URI) + len(q.Proto) + 2)
	line.WriteString(q.Method)
	line.WriteByte(' ')
	line.Write(q.URI)
	if !r.HTTP09 && q.Proto != "" {
		line.WriteByte(' ')
		line.WriteString(q.Proto)
	}
	r.RequestLine = line.String()
	for i := range q.Fields {
		r.HeadersIn.Add(string(q.Fields[i].Name), string(q.Fields[i].Value))
	}
	r.Hostname = canonicalHost(q.Host)
	r.Expect100 = q.Expect100 && r.ProtoNum >= 1001
}

// canonicalHost lower-cases a Host value and drops its port and a
// trailing dot (Apache's fix_hostname).
func canonicalHost(h []byte) string {
	if len(h) == 0 {
		return ""
	}
	s := string(h)
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
	hc.resp = respState{hc: hc}
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
