package proxy

import (
	"fmt"
	"strings"
	"time"

	"gohttpd/pipeline"
)

// handle is the handler for "proxy-server" (Apache's proxy_handler): it
// finds the worker for r's URL, then — once per attempt — runs
// pre_request (a balancer picks a member), scheme_handler (the protocol
// module fetches and answers) and post_request. When the attempt left its
// worker unusable (a failed connect) and the balancer allows failover, it
// tries again with another worker.
func handle(r *pipeline.Request, ph *Hooks) pipeline.Result {
	if r.Handler != HandlerName || !strings.HasPrefix(r.Filename, FilenamePrefix) {
		return pipeline.Declined
	}
	st := stateOf(r)
	if st == nil {
		return pipeline.Declined
	}
	url := r.Filename[len(FilenamePrefix):]
	if i := strings.IndexByte(url, ':'); i <= 0 {
		return 400
	}
	d := &Dispatch{URL: url, Conf: ServerConfigOf(r.Server)}
	if st.alias != nil {
		d.Worker = st.alias.Worker
		d.Balancer = st.alias.Balancer
	}
	if d.Worker == nil && d.Balancer == nil {
		w, err := forwardWorker(url)
		if err != nil {
			logError(r, "proxy: bad URL", err)
			return 400
		}
		d.Worker = w
	}
	status := pipeline.Result(pipeline.Declined)
	for {
		if pr := ph.PreRequest.Run(func(f PreRequestFunc) pipeline.Result { return f(r, d) }); pr != pipeline.OK && pr != pipeline.Declined {
			return pr
		}
		if d.Worker == nil {
			logError(r, "proxy: no worker for "+d.URL, nil)
			return 503
		}
		status = ph.SchemeHandler.Run(func(f SchemeHandlerFunc) pipeline.Result { return f(r, d) })
		ph.PostRequest.Run(func(f PostRequestFunc) pipeline.Result { return f(r, d, status) })
		if status == pipeline.Declined {
			break
		}
		if d.Worker.Usable(time.Now()) || d.Attempt >= d.MaxAttempts || r.HeadersSent {
			break
		}
		d.Attempt++
		d.URL = url
		d.Worker = nil
		if st.alias != nil {
			d.Worker = st.alias.Worker
		}
	}
	if status == pipeline.Declined {
		logError(r, fmt.Sprintf("proxy: no protocol handler was valid for the URL %s; load the module for its scheme (proxy_http)", r.URI), nil)
		return 500
	}
	return status
}

// forwardWorker makes a worker for a forward-proxy URL: not pooled, not
// shared (Apache's default forward worker).
func forwardWorker(url string) (*Worker, error) {
	scheme, authority, _ := URLParts(url)
	p := defaultWorkerParams()
	p.DisableReuse = true
	p.Retry = 0
	return newWorker(scheme+"://"+authority, p)
}

func logError(r *pipeline.Request, msg string, err error) {
	if r.Server == nil || r.Server.Log == nil {
		return
	}
	if err != nil {
		r.Server.Log.Error(msg, "error", err, "client", r.Conn.RemoteAddr)
		return
	}
	r.Server.Log.Error(msg, "client", r.Conn.RemoteAddr)
}
