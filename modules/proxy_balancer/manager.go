package proxybalancer

import (
	"fmt"
	"html"
	"strings"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// manager is the "balancer-manager" handler: a read-only view of every
// balancer and member, as all children see it (the counters live in the
// shared worker segment). "?auto" answers one plain-text line per member.
func manager(r *pipeline.Request, ph *proxy.Hooks) pipeline.Result {
	if r.Handler != ManagerHandler {
		return pipeline.Declined
	}
	if r.MethodNumber != pipeline.MethodGet {
		r.Allowed |= 1 << pipeline.MethodGet
		return 405
	}
	auto := r.Args == "auto"
	var b strings.Builder
	if auto {
		r.ContentType = "text/plain; charset=utf-8"
		for _, bal := range ph.Balancers() {
			for _, w := range bal.Members {
				sent, read := w.Traffic()
				fmt.Fprintf(&b, "%s %s route=%s factor=%d status=%s elected=%d busy=%d lbstatus=%d to=%d from=%d\n",
					bal.Name, w.Name, w.Params.Route, w.Params.LBFactor, strings.ReplaceAll(w.StatusString(), " ", ","),
					w.Elected(), w.Busy(), w.LBStatus(), sent, read)
			}
		}
	} else {
		r.ContentType = "text/html; charset=utf-8"
		b.WriteString("<!DOCTYPE html>\n<html><head><title>Balancer Manager</title></head><body>\n<h1>Load Balancer Manager</h1>\n")
		for _, bal := range ph.Balancers() {
			fmt.Fprintf(&b, "<h3>%s</h3>\n<p>lbmethod %s, stickysession %s, maxattempts %d</p>\n",
				html.EscapeString(bal.Name), html.EscapeString(bal.Params.LBMethod),
				html.EscapeString(strings.Join(bal.Params.StickySession, "|")), bal.MaxAttempts())
			b.WriteString("<table border=\"1\"><tr><th>Worker URL</th><th>Route</th><th>Factor</th><th>Status</th><th>Elected</th><th>Busy</th><th>Load</th><th>To</th><th>From</th></tr>\n")
			for _, w := range bal.Members {
				sent, read := w.Traffic()
				fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td></tr>\n",
					html.EscapeString(w.Name), html.EscapeString(w.Params.Route), w.Params.LBFactor, w.StatusString(),
					w.Elected(), w.Busy(), w.LBStatus(), sent, read)
			}
			b.WriteString("</table>\n")
		}
		b.WriteString("</body></html>\n")
	}
	r.SetContentLength(int64(b.Len()))
	if !r.HeaderOnly {
		_, _ = r.WriteString(b.String())
	}
	return pipeline.OK
}
