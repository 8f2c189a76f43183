package logconfig

import (
	"sync"

	"gohttpd/pipeline"
)

// linePool holds line buffers.
var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// logTransaction is log_transaction: one line per log of the server that
// answered, for every request, whatever its fate.
func logTransaction(r *pipeline.Request) pipeline.Result {
	s := r.Server
	if s == nil {
		s = r.Conn.Base
	}
	if s == nil {
		return pipeline.Declined
	}
	cfg := serverConfigOf(s)
	if cfg == nil {
		return pipeline.Declined
	}
	main := s
	if s.Gen != nil && s.Gen.Main != nil {
		main = s.Gen.Main
	}
	cfg.state.bind(main)
	var lc logCtx
	io := connIOOf(r.Conn)
	if io != nil {
		lc.bytesIn, lc.bytesOut = io.counts(r.Conn)
		if r.BytesRead > 0 { // what the protocol read for this request, as Apache counts it
			lc.bytesIn = r.BytesRead
		}
	}
	final := r.Last()
	bp := linePool.Get().(*[]byte)
	for _, l := range cfg.logs {
		*bp = l.write(r, final, &lc, cfg.defaultFormat, (*bp)[:0])
	}
	for _, l := range cfg.mainLogs {
		if l.inherit || len(cfg.logs) == 0 {
			*bp = l.write(r, final, &lc, cfg.defaultFormat, (*bp)[:0])
		}
	}
	if cap(*bp) <= 64<<10 {
		linePool.Put(bp)
	}
	if io != nil {
		io.reset(r.Conn)
	}
	return pipeline.OK
}

// write renders and writes the line for one log, unless its env=
// condition excludes the request; it returns buf for reuse.
func (l *customLog) write(orig, final *pipeline.Request, lc *logCtx, def *Format, buf []byte) []byte {
	if l.w == nil {
		return buf
	}
	if l.envVar != "" {
		if _, set := orig.SubprocessEnv.Lookup(l.envVar); set == l.envNot {
			return buf
		}
	}
	buf = l.formatOr(def).appendLine(buf, lc, orig, final)
	if err := l.w.write(buf); err != nil && orig.Server != nil && orig.Server.Log != nil {
		orig.Server.Log.Warn(err.Error())
	}
	return buf
}
