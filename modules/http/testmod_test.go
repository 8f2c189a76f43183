package http_test

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"gohttpd/pipeline"
)

// recorder collects what the test module saw; one per generation (it is
// the module's per-server record of the main server).
type recorder struct {
	mu     sync.Mutex
	events []string
	logged []logged
}

// logged is what log_transaction saw of a request, for the fields an
// access log prints.
type logged struct {
	Status    int
	Line      string
	Method    string
	URI       string
	Protocol  string
	BytesRead int64
}

// takeLogged waits (up to 2 s) for n logged requests and returns and
// clears them.
func (rc *recorder) takeLogged(n int) []logged {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		rc.mu.Lock()
		got := len(rc.logged)
		rc.mu.Unlock()
		if got >= n {
			break
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := rc.logged
	rc.logged = nil
	return out
}

func (rc *recorder) add(format string, args ...any) {
	rc.mu.Lock()
	rc.events = append(rc.events, fmt.Sprintf(format, args...))
	rc.mu.Unlock()
}

// take returns and clears the events. log_transaction runs after the
// response has been written, so when an event starting with
// "log_transaction" is expected, take waits (up to 2 s) for it.
func (rc *recorder) take() []string {
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		rc.mu.Lock()
		logged := false
		for _, e := range rc.events {
			logged = logged || strings.HasPrefix(e, "log_transaction")
		}
		rc.mu.Unlock()
		if logged {
			break
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := rc.events
	rc.events = nil
	return out
}

var testMod = &pipeline.Module{
	Name:               "testmod",
	Description:        "records the request phases; test handlers",
	CreateServerConfig: func(*pipeline.Server) any { return &recorder{} },
	MergeServerConfig:  func(base, _ any) any { return base },
}

func init() {
	testMod.RegisterHooks = registerTestHooks
	pipeline.RegisterModule(testMod)
}

func rec(r *pipeline.Request) *recorder {
	return pipeline.ModuleConfig[*recorder](r.Conn.Gen.Main.Config, testMod)
}

// recorderOf returns the recorder of a generation.
func recorderOf(ts *testServer) *recorder {
	return pipeline.ModuleConfig[*recorder](ts.g.Main.Config, testMod)
}

func traced(r *pipeline.Request) bool { return r.HeadersIn.Get("X-Trace") != "" }

func registerTestHooks(h *pipeline.Hooks) {
	phase := func(name string, res pipeline.Result) pipeline.RequestFunc {
		return func(r *pipeline.Request) pipeline.Result {
			if traced(r) && r.Main == nil {
				rec(r).add("%s", name)
			}
			return res
		}
	}
	h.CreateRequest.Register("testmod", phase("create_request", pipeline.OK), pipeline.Middle)
	h.PostReadRequest.Register("testmod", phase("post_read_request", pipeline.OK), pipeline.Middle)
	h.QuickHandler.Register("testmod", func(r *pipeline.Request, lookup bool) pipeline.Result {
		if traced(r) && r.Main == nil {
			rec(r).add("quick_handler")
		}
		return pipeline.Declined
	}, pipeline.Middle)
	// translate_name is RUN_FIRST: "/virtual/…" is answered here, so the
	// core's translation never runs for it.
	h.TranslateName.Register("testmod", func(r *pipeline.Request) pipeline.Result {
		if traced(r) && r.Main == nil {
			rec(r).add("translate_name")
		}
		if strings.HasPrefix(r.URI, "/virtual/") {
			r.Filename = filepath.Join(r.Conn.Gen.Process.ServerRoot, "htdocs", "file.txt")
			return pipeline.OK
		}
		return pipeline.Declined
	}, pipeline.First)
	h.MapToStorage.Register("testmod", phase("map_to_storage", pipeline.Declined), pipeline.First)
	h.HeaderParser.Register("testmod", phase("header_parser", pipeline.OK), pipeline.Middle)
	// access_checker is RUN_ALL: the second function refuses /deny, so
	// the third does not run for it.
	h.AccessChecker.Register("testmod", phase("access_checker", pipeline.OK), pipeline.First)
	h.AccessChecker.Register("testmod", func(r *pipeline.Request) pipeline.Result {
		if r.URI == "/deny" {
			return 403
		}
		return pipeline.Declined
	}, pipeline.Middle)
	h.AccessChecker.Register("testmod", phase("access_checker_3", pipeline.OK), pipeline.Last)
	// Authentication runs only when some auth is required: here, when
	// the client sends X-Auth.
	pipeline.PublishOptional(h.Optional, pipeline.OptSomeAuthRequired, func(r *pipeline.Request) bool {
		return r.HeadersIn.Get("X-Auth") != ""
	})
	// access_checker_ex (as authz_core's): no X-Auth, or "X-Ex: ok",
	// authorizes without authentication; "X-Ex: deny" refuses; otherwise
	// authentication runs. force_authn insists on it for "X-Force".
	h.AccessCheckerEx.Register("testmod", func(r *pipeline.Request) pipeline.Result {
		switch {
		case r.HeadersIn.Get("X-Ex") == "deny":
			return 403
		case r.HeadersIn.Get("X-Auth") == "" || r.HeadersIn.Get("X-Ex") == "ok":
			return pipeline.OK
		}
		return pipeline.Declined
	}, pipeline.Middle)
	h.ForceAuthn.Register("testmod", func(r *pipeline.Request) pipeline.Result {
		if r.HeadersIn.Get("X-Force") != "" {
			return pipeline.OK
		}
		return pipeline.Declined
	}, pipeline.Middle)
	h.CheckUserID.Register("testmod", phase("check_user_id", pipeline.OK), pipeline.Middle)
	h.AuthChecker.Register("testmod", phase("auth_checker", pipeline.OK), pipeline.Middle)
	h.TypeChecker.Register("testmod", phase("type_checker", pipeline.Declined), pipeline.First)
	h.Fixups.Register("testmod", phase("fixups", pipeline.OK), pipeline.Middle)
	h.InsertFilter.Register("testmod", phase("insert_filter", pipeline.OK), pipeline.Middle)
	h.InsertErrorFilter.Register("testmod", phase("insert_error_filter", pipeline.OK), pipeline.Middle)
	h.Handler.Register("testmod", testHandler, pipeline.Middle)
	h.LogTransaction.Register("testmod", func(r *pipeline.Request) pipeline.Result {
		last := r.Last()
		rec(r).add("log_transaction %d %s", last.Status, r.URI)
		rc := rec(r)
		rc.mu.Lock()
		rc.logged = append(rc.logged, logged{last.Status, r.RequestLine, r.Method, r.URI, r.Protocol, r.BytesRead})
		rc.mu.Unlock()
		return pipeline.OK
	}, pipeline.Middle)
}

func testHandler(r *pipeline.Request) pipeline.Result {
	if traced(r) && r.Main == nil {
		rec(r).add("handler")
	}
	switch r.Handler {
	case "noop":
		_, _ = r.WriteString("ok")
		return pipeline.OK
	case "echo":
		b, err := io.ReadAll(r.Body())
		if err != nil {
			return pipeline.ErrorStatus(err)
		}
		r.ContentType = "text/plain"
		_, _ = r.Write(b)
		return pipeline.OK
	case "proxied", "proxied-bare":
		// What mod_proxy leaves for the header filter: the origin's
		// headers in HeadersOut, on a proxied request.
		r.ProxyReq = true
		if r.Handler == "proxied" {
			r.HeadersOut.Set("Date", "Tue, 01 Jan 2030 00:00:00 GMT")
			r.HeadersOut.Set("Server", "origin/1.0")
		}
		_, _ = r.WriteString("from the origin")
		return pipeline.OK
	case "badheader":
		r.HeadersOut.Set("X-Bad", "evil\r\nInjected: yes")
		_, _ = r.WriteString("should not be seen")
		return pipeline.OK
	case "stream":
		_, _ = r.WriteString("part1,")
		_ = r.Flush()
		_, _ = r.WriteString("part2")
		return pipeline.OK
	case "redir":
		pipeline.InternalRedirect(r, "/file.txt?x=1")
		n := r.Next
		rec(r).add("redirect linked=%v env=%s url=%s", n != nil && n.Prev == r,
			n.SubprocessEnv.Get("REDIRECT_STATUS"), n.SubprocessEnv.Get("REDIRECT_URL"))
		return pipeline.Done
	case "headeronly":
		// A handler answering 204 or 304 (the query) with the content
		// headers a 200 would have.
		r.Status, _ = strconv.Atoi(r.Args)
		r.ContentType, r.ContentEncoding = "text/plain", "gzip"
		r.HeadersOut.Set("Content-Length", "5")
		r.HeadersOut.Set("Content-Encoding", "gzip")
		r.HeadersOut.Set("Content-Language", "en")
		r.HeadersOut.Set("ETag", `"kept"`)
		r.HeadersOut.Set("X-Kept", "yes")
		return pipeline.OK
	case "errbucket":
		var bb pipeline.Brigade
		bb.AppendError(503, nil)
		if err := r.PassBrigade(&bb); err != nil {
			return pipeline.Done
		}
		return pipeline.OK
	}
	return pipeline.Declined
}
