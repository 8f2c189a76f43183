package logconfig

import (
	"strconv"
	"time"

	"gohttpd/pipeline"
)

// logCtx is what the items of one transaction share: the moment logging
// began (taken once, when a format first needs it, so every log and item
// agree) and the connection's byte counts for the request. Items get it
// by value, so that rendering does not allocate.
type logCtx struct {
	end      time.Time
	bytesIn  int64
	bytesOut int64
}

// AppendLine appends the log line f describes for the transaction r
// belongs to (any request of an internal redirect chain), ending with a
// newline. %I, %O and %S read the connection's byte counters when the
// module keeps them for r's connection, else 0.
func (f *Format) AppendLine(dst []byte, r *pipeline.Request) []byte {
	var lc logCtx
	if io := connIOOf(r.Conn); io != nil {
		lc.bytesIn, lc.bytesOut = io.counts(r.Conn)
		if r.BytesRead > 0 { // what the protocol read for this request, as Apache counts it
			lc.bytesIn = r.BytesRead
		}
	}
	return f.appendLine(dst, &lc, r.Initial(), r.Last())
}

// appendLine renders every item: an item with status conditions that the
// final status does not meet reads "-".
func (f *Format) appendLine(dst []byte, lc *logCtx, orig, final *pipeline.Request) []byte {
	if f.needEnd && lc.end.IsZero() {
		lc.end = time.Now()
	}
	for i := range f.items {
		it := &f.items[i]
		if it.render == nil {
			dst = append(dst, it.lit...)
			continue
		}
		if len(it.conds) > 0 && !it.wanted(final.Status) {
			dst = append(dst, '-')
			continue
		}
		r := final
		if it.orig {
			r = orig
		}
		dst = it.render(dst, *lc, r, it.arg)
	}
	return dst
}

// wanted reports whether an item with status conditions is rendered for
// status: listed, or not listed when negated.
func (it *item) wanted(status int) bool {
	listed := false
	for _, c := range it.conds {
		if c == status {
			listed = true
			break
		}
	}
	return listed != it.negate
}

func renderBytesIn(dst []byte, lc logCtx, _ *pipeline.Request, _ string) []byte {
	return strconv.AppendInt(dst, lc.bytesIn, 10)
}

func renderBytesOut(dst []byte, lc logCtx, _ *pipeline.Request, _ string) []byte {
	return strconv.AppendInt(dst, lc.bytesOut, 10)
}

func renderBytesInOut(dst []byte, lc logCtx, _ *pipeline.Request, _ string) []byte {
	return strconv.AppendInt(dst, lc.bytesIn+lc.bytesOut, 10)
}
