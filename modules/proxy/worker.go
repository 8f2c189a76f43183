package proxy

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Worker is one backend as ProxyPass or BalancerMember names it
// (Apache's proxy_worker): its address, parameters, state shared by every
// process of the generation, and this process's connection pool.
type Worker struct {
	// Name is the URL as configured, e.g. "http://127.0.0.1:8081/app".
	Name   string
	Scheme string // "http", "ws", …
	Host   string // host name or address, without brackets
	Port   int
	// Path is the URL path of the worker ("/app"), possibly empty.
	Path   string
	Params WorkerParams
	// Balancer is the balancer the worker is a member of; nil otherwise.
	Balancer *Balancer

	hostPort string // Host header value, see HostPort
	addr     string // dial address, see Addr

	index int   // slot in the shared segment; -1 for ad-hoc workers
	st    *slot // shared state; private memory until the segment is attached

	poolOnce sync.Once
	pool     *connPool
}

// Errors a worker reports when it cannot give a connection; both call
// for 503 Service Unavailable.
var (
	// ErrWorkerInError: the worker failed recently and its retry
	// interval has not passed.
	ErrWorkerInError = errors.New("worker is in error state")
	// ErrPoolExhausted: every connection of this process to the worker
	// is busy and none freed up within the worker's timeout.
	ErrPoolExhausted = errors.New("no free connection to the worker")
)

// newWorker parses a worker URL.
func newWorker(raw string, params WorkerParams) (*Worker, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("worker URL %q: %w", raw, err)
	}
	if u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("worker URL %q: want scheme://host[:port][/path]", raw)
	}
	w := &Worker{Name: raw, Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Hostname()),
		Path: u.EscapedPath(), Params: params, index: -1, st: new(slot)}
	if p := u.Port(); p != "" {
		w.Port, err = strconv.Atoi(p)
		if err != nil || w.Port <= 0 || w.Port > 65535 {
			return nil, fmt.Errorf("worker URL %q: bad port %q", raw, p)
		}
	} else {
		w.Port = DefaultPort(w.Scheme)
	}
	w.addr = net.JoinHostPort(w.Host, strconv.Itoa(w.Port))
	w.hostPort = w.Host
	if strings.Contains(w.Host, ":") {
		w.hostPort = "[" + w.Host + "]"
	}
	if w.Port != DefaultPort(w.Scheme) {
		w.hostPort += ":" + strconv.Itoa(w.Port)
	}
	if w.Params.Upgrade == "" && (w.Scheme == "ws" || w.Scheme == "wss") {
		w.Params.Upgrade = "websocket"
	}
	return w, nil
}

// DefaultPort returns the well-known port of a scheme (80 for http and
// ws, 443 for https and wss), or 0.
func DefaultPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	}
	return 0
}

// Addr returns "host:port" for dialing.
func (w *Worker) Addr() string { return w.addr }

// HostPort returns the value of a Host header naming the worker: the port
// is left out when it is the scheme's default.
func (w *Worker) HostPort() string { return w.hostPort }

// Index returns the worker's slot in the shared segment, or -1.
func (w *Worker) Index() int { return w.index }

// InError reports whether the worker is in error state.
func (w *Worker) InError() bool { return w.st.status.Load()&workerInError != 0 }

// ErrorTime returns when the worker last entered error state.
func (w *Worker) ErrorTime() time.Time {
	n := w.st.errorTime.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

// SetError puts the worker in error state as of now: it is not used again
// until its retry interval has passed (ap_proxy_connect_backend's
// PROXY_WORKER_IN_ERROR).
func (w *Worker) SetError(now time.Time) {
	w.st.errorTime.Store(now.UnixNano())
	for {
		old := w.st.status.Load()
		if w.st.status.CompareAndSwap(old, old|workerInError) {
			return
		}
	}
}

// ClearError takes the worker out of error state.
func (w *Worker) ClearError() {
	for {
		old := w.st.status.Load()
		if old&workerInError == 0 || w.st.status.CompareAndSwap(old, old&^workerInError) {
			return
		}
	}
}

// Usable reports whether the worker may be used now: not disabled, and
// not in error state — or in error state for longer than its retry
// interval, in which case it is put back in service (Apache's
// PROXY_WORKER_IS_USABLE after ap_proxy_retry_worker).
func (w *Worker) Usable(now time.Time) bool {
	if w.Params.Disabled {
		return false
	}
	if !w.InError() {
		return true
	}
	if now.Sub(w.ErrorTime()) >= w.Params.Retry {
		w.ClearError()
		return true
	}
	return false
}

// Busy returns the requests in flight on the worker in every process.
func (w *Worker) Busy() int64 { return w.st.busy.Load() }

// AddBusy adds delta to the busy count.
func (w *Worker) AddBusy(delta int64) { w.st.busy.Add(delta) }

// Elected returns how many times the worker was chosen.
func (w *Worker) Elected() int64 { return w.st.elected.Load() }

// AddElected counts one more election.
func (w *Worker) AddElected() { w.st.elected.Add(1) }

// LBStatus returns the load-balancer credit of the worker.
func (w *Worker) LBStatus() int64 { return w.st.lbstatus.Load() }

// AddLBStatus adds delta to the load-balancer credit.
func (w *Worker) AddLBStatus(delta int64) { w.st.lbstatus.Add(delta) }

// AddTraffic counts bytes sent to and read from the backend.
func (w *Worker) AddTraffic(sent, read int64) {
	if sent != 0 {
		w.st.sent.Add(sent)
	}
	if read != 0 {
		w.st.read.Add(read)
	}
}

// Traffic returns the bytes sent to and read from the backend.
func (w *Worker) Traffic() (sent, read int64) { return w.st.sent.Load(), w.st.read.Load() }

// StatusString returns Apache's balancer-manager status words: "Ok",
// "Err", "Dis", "Stby".
func (w *Worker) StatusString() string {
	var parts []string
	if w.Params.Disabled {
		parts = append(parts, "Dis")
	}
	if w.Params.HotStandby {
		parts = append(parts, "Stby")
	}
	if w.InError() {
		parts = append(parts, "Err")
	}
	if len(parts) == 0 {
		return "Ok"
	}
	return strings.Join(parts, " ")
}

// key identifies a worker: scheme, host and port lower-cased, the path
// without its trailing slash.
func workerKey(balancer, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return balancer + "|" + raw
	}
	return balancer + "|" + strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + strings.TrimSuffix(u.EscapedPath(), "/")
}
