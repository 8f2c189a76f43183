package proxyhttp

import (
	"errors"
	"net"
	"strings"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// canon is canon_handler for http:// and ws:// URLs.
func canon(r *pipeline.Request, url string) pipeline.Result {
	return proxy.Canonicalize(r, url, "http", "ws")
}

// outcome says what became of one attempt.
type outcome int

const (
	done  outcome = iota // answered (or failed for good): return status
	retry                // a reused connection was found closed: try once more
)

// handle is scheme_handler (Apache's proxy_http_handler): the six steps,
// with one retry on a fresh connection when a reused one turns out to
// have been closed by the backend before it sent anything.
func handle(r *pipeline.Request, d *proxy.Dispatch, ph *proxy.Hooks) pipeline.Result {
	scheme, _, target := proxy.URLParts(d.URL)
	if scheme != "http" && scheme != "ws" {
		return pipeline.Declined
	}
	w := d.Worker
	// Step one: whom to connect to, and what to send.
	x := &exchange{r: r, d: d, ph: ph, w: w, target: target, body: bodyOf(r),
		timeout: proxy.Timeout(r, w)}
	x.upgrade = upgradeProtocol(r, w)
	x.expect = r.Expect100 && x.body.has && !x.body.prefetched

	// Prefetch the body before a connection is taken, so that the
	// backend does not wait on a slow client with an idle connection.
	if !x.expect {
		if err := x.body.prefetch(r); err != nil {
			errorf(r, w, err, "reading the request body")
			return pipeline.ErrorStatus(err)
		}
	}

	max := 1
	if r.Server != nil && r.Server.Gen != nil {
		max = r.Server.Gen.Process.ThreadsPerChild
	}
	status := pipeline.Result(503)
	for attempt := 0; attempt < 2; attempt++ {
		// Step two: a connection, from the pool or new.
		bc, err := w.Acquire(proxy.AcquireOptions{Max: max, Timeout: x.timeout, Fresh: attempt > 0})
		if err != nil {
			errorf(r, w, err, "no connection to the backend")
			return 503
		}
		// Steps three to five: send the request, receive the response.
		var out outcome
		status, out = x.run(bc)
		ph.DetachBackend.Run(func(f proxy.DetachBackendFunc) pipeline.Result { return f(r, bc) })
		w.AddTraffic(x.sent, 0)
		x.sent = 0
		// Step six: release the connection (pooled only when clean).
		if status != pipeline.OK {
			bc.Close = true
		}
		w.Release(bc)
		if out != retry {
			break
		}
		if r.Server != nil && r.Server.Log != nil {
			r.Server.Log.Info("proxy_http: pooled backend connection was closed before the response; retrying on a new one",
				"worker", w.Name)
		}
	}
	return status
}

// run sends the request on bc and relays the response.
func (x *exchange) run(bc *proxy.BackendConn) (pipeline.Result, outcome) {
	r := x.r
	canRetry := func(got bool, err error) bool {
		return bc.Reused && !got && x.body.replayable() && proxy.IsClosedBeforeResponse(err)
	}
	if err := x.sendHead(bc); err != nil {
		if canRetry(false, err) {
			return 503, retry
		}
		errorf(r, x.w, err, "sending the request")
		return 502, done
	}
	if !x.expect {
		if err := x.sendBody(bc); err != nil {
			return x.sendFailed(bc, err)
		}
	}
	var h respHead
	for {
		_ = bc.Conn.SetReadDeadline(deadline(x.timeout))
		got, err := readHead(bc.R, &h)
		if err != nil {
			if canRetry(got, err) {
				return 503, retry
			}
			return x.headFailed(err), done
		}
		if h.status >= 200 || h.status == 101 {
			break
		}
		if h.status == 100 && x.expect {
			x.expect = false
			if err := x.sendBody(bc); err != nil {
				return x.sendFailed(bc, err)
			}
			continue
		}
		if h.status != 100 {
			x.interim(&h)
		}
	}
	if x.expect {
		// The backend answered without asking for the body: it stays
		// unread, and the client connection closes after the response.
		bc.Close = true
	}
	if h.status == 101 {
		return x.tunnel(bc, &h), done
	}
	return x.relay(bc, &h), done
}

// sendFailed answers a failure to send the body: the client's own error
// status when its body could not be read, else 502.
func (x *exchange) sendFailed(bc *proxy.BackendConn, err error) (pipeline.Result, outcome) {
	bc.Close = true
	var ce *errClientBody
	if errors.As(err, &ce) {
		errorf(x.r, x.w, err, "reading the request body")
		st := pipeline.ErrorStatus(ce.err)
		if st == 500 {
			st = 400
		}
		return st, done
	}
	errorf(x.r, x.w, err, "sending the request body")
	return 502, done
}

// headFailed maps a failure to read the response head to Apache's status:
// 504 on timeout, 502 otherwise.
func (x *exchange) headFailed(err error) pipeline.Result {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		errorf(x.r, x.w, err, "timeout reading the response head (%s)", x.timeout)
		return 504
	}
	errorf(x.r, x.w, err, "error reading the response head")
	return 502
}

// upgradeProtocol returns the protocol the client asks to switch to when
// the worker allows it (upgrade=), else "".
func upgradeProtocol(r *pipeline.Request, w *proxy.Worker) string {
	if w.Params.Upgrade == "" || r.Method != "GET" || r.ProtoNum < 1001 {
		return ""
	}
	if !hasToken(strings.Join(r.HeadersIn.Values("Connection"), ","), "upgrade") {
		return ""
	}
	want := strings.TrimSpace(r.HeadersIn.Get("Upgrade"))
	if want == "" {
		return ""
	}
	allowed := w.Params.Upgrade
	if allowed == "*" || strings.EqualFold(allowed, "any") || hasToken(allowed, want) {
		return want
	}
	return ""
}
