package proxyhttp

import (
	"errors"
	"io"
	"strings"
	"time"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// tunnel completes a protocol switch (a 101 answer to an Upgrade request,
// such as a WebSocket handshake): the 101 head goes to the client, then
// bytes are copied both ways until either side closes or nothing moves
// for the worker's timeout (Apache's ap_proxy_tunnel_run). The client
// connection closes afterwards.
func (x *exchange) tunnel(bc *proxy.BackendConn, h *respHead) pipeline.Result {
	r := x.r
	c := r.Conn
	got := strings.TrimSpace(h.fields.Get("Upgrade"))
	if x.upgrade == "" || !strings.EqualFold(got, x.upgrade) {
		bc.Close = true
		errorf(r, x.w, nil, "backend switched protocols to %q, which was not asked for (%q)", got, x.upgrade)
		return 502
	}
	bc.Close = true
	head := append([]byte(nil), "HTTP/1.1 "...)
	head = append(head, h.statusLine()...)
	head = append(head, "\r\n"...)
	for _, f := range h.fields.Fields() {
		if !responseHopByHop(f.Name) {
			head = appendField(head, f.Name, f.Value)
		}
	}
	head = appendField(head, "Upgrade", got)
	head = appendField(head, "Connection", "Upgrade")
	head = append(head, "\r\n"...)
	var bb pipeline.Brigade
	bb.AppendBytes(head)
	bb.AppendFlush()
	r.Status, r.StatusLine = 101, h.statusLine()
	r.HeadersSent = true
	c.MustClose = true
	if err := c.OutputFilters().Pass(&bb); err != nil {
		return pipeline.OK
	}

	idle := x.timeout
	toClient := make(chan struct{})
	go func() {
		defer close(toClient)
		var out pipeline.Brigade
		buf := make([]byte, 32<<10)
		for {
			_ = bc.Conn.SetReadDeadline(deadline(idle))
			n, err := bc.R.Read(buf)
			if n > 0 {
				out.AppendBytes(buf[:n])
				out.AppendFlush()
				perr := c.OutputFilters().Pass(&out)
				out.Reset()
				if perr != nil {
					return
				}
			}
			if err != nil {
				closeWrite(c.Net)
				return
			}
		}
	}()
	toBackend := make(chan struct{})
	go func() {
		defer close(toBackend)
		// Bytes the protocol module read ahead after the request head
		// belong to the tunnel.
		var in io.Reader = c.InputFilters()
		if rd, ok, _ := pipeline.RetrieveOptional[func(*pipeline.Conn) io.Reader](c.Gen.Hooks.Optional, pipeline.OptConnReader); ok {
			in = rd(c)
		}
		buf := bc.Buf
		for {
			_ = c.Net.SetReadDeadline(deadline(idle))
			n, err := in.Read(buf)
			if n > 0 {
				_ = bc.Conn.SetWriteDeadline(deadline(idle))
				if _, werr := bc.Conn.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				if errors.Is(err, io.EOF) {
					closeWrite(bc.Conn)
				}
				return
			}
		}
	}()
	select {
	case <-toClient:
		// The backend is done: stop reading from the client.
		_ = c.Net.SetReadDeadline(time.Now())
		<-toBackend
	case <-toBackend:
		// The client is done: let the backend finish within the timeout.
		<-toClient
	}
	c.Aborted = true // the connection carries no more HTTP
	return pipeline.OK
}

func closeWrite(c any) {
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}
