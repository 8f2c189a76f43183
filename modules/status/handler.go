package status

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"gohttpd/pipeline"
	"gohttpd/scoreboard"
)

// view is what the query string asks for.
type view struct {
	auto, notable, json, metrics bool
	refresh                      string // Refresh header value; "" for none
}

// parseView reads the query string as Apache's mod_status does: each of
// "refresh", "notable" and "auto" counts wherever it appears (refresh may
// be followed by "=N"; N < 1 means 10). "json" and "metrics" must be whole
// keys of the query.
func parseView(args string) view {
	var v view
	if i := strings.Index(args, "refresh"); i >= 0 {
		n := 0
		if rest := args[i+len("refresh"):]; strings.HasPrefix(rest, "=") {
			n = atol(rest[1:])
		}
		if n < 1 {
			n = 10
		}
		v.refresh = strconv.Itoa(n)
	}
	v.notable = strings.Contains(args, "notable")
	v.auto = strings.Contains(args, "auto")
	for _, kv := range strings.FieldsFunc(args, func(r rune) bool { return r == '&' || r == ';' }) {
		key, _, _ := strings.Cut(kv, "=")
		switch key {
		case "json":
			v.json = true
		case "metrics":
			v.metrics = true
		}
	}
	return v
}

// atol is C's atol: leading digits, 0 when there are none. It saturates
// instead of overflowing.
func atol(s string) int {
	n := 0
	for i := 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > 1<<30 {
			return n
		}
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// handle is the server-status handler.
func handle(r *pipeline.Request) pipeline.Result {
	if r.Handler != Handler {
		return pipeline.Declined
	}
	r.Allow(pipeline.MethodGet)
	if r.MethodNumber != pipeline.MethodGet {
		return 405
	}
	if err := pipeline.DiscardRequestBody(r); err != nil {
		return pipeline.ErrorStatus(err)
	}
	g := r.Server.Gen
	fn, ok, err := pipeline.RetrieveOptional[func() *scoreboard.Scoreboard](g.Hooks.Optional, scoreboard.OptionalFunc)
	var sb *scoreboard.Scoreboard
	if ok {
		sb = fn()
	}
	if sb == nil {
		r.Server.Log.Error("server status unavailable: this process has no scoreboard", "error", err)
		return 500
	}
	rep := Collect(sb.Snapshot(), Inputs{
		ServerName:       serverName(r),
		LocalAddr:        r.Conn.LocalAddr,
		ServerVersion:    pipeline.Banner(),
		ServerBuilt:      pipeline.Built(),
		Now:              time.Now(),
		ConfigGeneration: g.Number,
		ThreadsPerChild:  g.Process.ThreadsPerChild,
		Load:             loadAverage(),
		ExtendedStatus:   extendedStatus(g),
		MasterPid:        masterPid(g),
	})

	v := parseView(r.Args)
	var body bytes.Buffer
	switch {
	case v.metrics:
		r.ContentType = metricsContentType
		err = rep.WriteMetrics(&body)
	case v.json:
		r.ContentType = "application/json"
		err = rep.WriteJSON(&body)
	case v.auto:
		r.ContentType = "text/plain; charset=ISO-8859-1"
		err = rep.WriteAuto(&body)
	default:
		r.ContentType = "text/html; charset=utf-8"
		err = rep.WriteHTML(&body, v.notable)
	}
	if err != nil {
		r.Server.Log.Error("server status: rendering failed", "error", err)
		return 500
	}
	if v.refresh != "" {
		r.HeadersOut.Set("Refresh", v.refresh)
	}
	r.SetContentLength(int64(body.Len()))
	if !r.HeaderOnly {
		if _, err := r.Write(body.Bytes()); err != nil {
			return pipeline.Done
		}
	}
	return pipeline.OK
}

// serverName is Apache's ap_get_server_name with UseCanonicalName Off:
// the host the client asked for, else the server's name, else the local
// address.
func serverName(r *pipeline.Request) string {
	switch {
	case r.Hostname != "":
		return r.Hostname
	case r.Server.ServerName != "":
		return r.Server.ServerName
	}
	return r.Conn.LocalAddr
}

// masterPid asks the process model for the master's pid (published by the
// child, or by the master itself under -X).
func masterPid(g *pipeline.Generation) int {
	if fn, ok, _ := pipeline.RetrieveOptional[func() int](g.Hooks.Optional, scoreboard.OptionalMasterPid); ok {
		return fn()
	}
	return 0
}
