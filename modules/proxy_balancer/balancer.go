package proxybalancer

import (
	"strings"
	"time"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// preRequest resolves a balancer:// URL to a member (Apache's
// proxy_balancer_pre_request): the sticky route's member when it is
// usable, else the lbmethod's choice. It answers 503 when no member is
// usable (or the sticky member is not and nofailover is on).
func preRequest(r *pipeline.Request, d *proxy.Dispatch, ph *proxy.Hooks) pipeline.Result {
	if !proxy.IsBalancerURL(d.URL) {
		return pipeline.Declined
	}
	b, ok := ph.Balancer(d.URL)
	if !ok {
		logf(r, "proxy_balancer: no balancer for "+d.URL)
		return 500
	}
	method, found := ph.LBMethod(b.Params.LBMethod)
	if !found {
		logf(r, "proxy_balancer: lbmethod "+b.Params.LBMethod+" is not loaded")
		return 500
	}
	route := stickyRoute(r, b)
	now := time.Now()

	unlock := b.Lock()
	var w *proxy.Worker
	if route != "" {
		if m := b.Member(route); m != nil {
			if m.Usable(now) {
				w = m
			} else if b.Params.NoFailover {
				unlock()
				logf(r, "proxy_balancer: sticky member "+m.Name+" of "+b.Name+" is unusable and nofailover is on")
				return 503
			}
		}
	}
	routeChanged := route != "" && w == nil
	if w == nil {
		w = method.Pick(b, r)
	}
	if w != nil {
		w.AddBusy(1)
		w.AddElected()
	}
	unlock()

	if w == nil {
		logf(r, "proxy_balancer: all workers of "+b.Name+" are in error state")
		return 503
	}
	if d.Attempt == 0 {
		d.MaxAttempts = b.MaxAttempts()
	}
	d.Worker, d.Balancer = w, b
	d.URL = strings.TrimSuffix(w.Name, "/") + d.URL[len(b.Name):]
	r.SubprocessEnv.Set("BALANCER_NAME", b.Name)
	r.SubprocessEnv.Set("BALANCER_WORKER_NAME", w.Name)
	if w.Params.Route != "" {
		r.SubprocessEnv.Set("BALANCER_WORKER_ROUTE", w.Params.Route)
	}
	if route != "" {
		r.SubprocessEnv.Set("BALANCER_SESSION_ROUTE", route)
	}
	if routeChanged {
		r.SubprocessEnv.Set("BALANCER_ROUTE_CHANGED", "1")
	}
	return pipeline.OK
}

// postRequest ends the member's busy period.
func postRequest(r *pipeline.Request, d *proxy.Dispatch, _ pipeline.Result) pipeline.Result {
	if d.Balancer == nil || d.Worker == nil || d.Worker.Balancer != d.Balancer {
		return pipeline.Declined
	}
	d.Worker.AddBusy(-1)
	return pipeline.OK
}

// stickyRoute returns the route of r's sticky session: for each name of
// stickysession=, a path parameter (";name=value"), a query parameter or
// a cookie; the route is what follows the first '.' of the value.
func stickyRoute(r *pipeline.Request, b *proxy.Balancer) string {
	for _, name := range b.Params.StickySession {
		v := pathParam(r.RawPath(), name)
		if v == "" {
			v = queryParam(r.Args, name)
		}
		if v == "" {
			v = cookie(r, name)
		}
		if i := strings.IndexByte(v, '.'); i >= 0 && i+1 < len(v) {
			return v[i+1:]
		}
	}
	return ""
}

func pathParam(path, name string) string {
	for _, seg := range strings.Split(path, ";")[1:] {
		if k, v, ok := strings.Cut(seg, "="); ok && k == name {
			if i := strings.IndexAny(v, "/?&"); i >= 0 {
				v = v[:i]
			}
			return v
		}
	}
	return ""
}

func queryParam(q, name string) string {
	for _, kv := range strings.Split(q, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			return v
		}
	}
	return ""
}

func cookie(r *pipeline.Request, name string) string {
	for _, h := range r.HeadersIn.Values("Cookie") {
		for _, c := range strings.Split(h, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(c), "="); ok && k == name {
				return strings.Trim(v, `"`)
			}
		}
	}
	return ""
}

func logf(r *pipeline.Request, msg string) {
	if r.Server != nil && r.Server.Log != nil {
		r.Server.Log.Error(msg, "client", r.Conn.RemoteAddr)
	}
}
