package logconfig

import (
	"sync/atomic"

	"gohttpd/pipeline"
)

// ioNote is the Conn.Notes key of a connection's byte counters.
const ioNote = "log_config.io"

// ioFilterName is the connection input filter that counts the bytes read
// (Apache's LOG_INPUT_OUTPUT).
const ioFilterName = "LOG_INPUT_OUTPUT"

// connIO counts a connection's bytes for %I, %O and %S (Apache's
// mod_logio): bytes read from the client since the last logged request,
// and the connection's bytes-sent total when that request was logged.
type connIO struct {
	in      atomic.Int64
	outBase int64
}

// connIOOf returns c's counters, or nil when no format needs them.
func connIOOf(c *pipeline.Conn) *connIO {
	if c == nil || c.Notes == nil {
		return nil
	}
	io, _ := c.Notes[ioNote].(*connIO)
	return io
}

// counts returns the bytes read and written for the request being logged.
func (io *connIO) counts(c *pipeline.Conn) (in, out int64) {
	return io.in.Load(), c.BytesSent - io.outBase
}

// reset starts counting the next request.
func (io *connIO) reset(c *pipeline.Conn) {
	io.in.Store(0)
	io.outBase = c.BytesSent
}

// countInput is the LOG_INPUT_OUTPUT input filter: it passes reads
// through and counts the bytes.
func countInput(f *pipeline.Filter, p []byte) (int, error) {
	n, err := f.Next.Read(p)
	if n > 0 {
		f.Ctx.(*connIO).in.Add(int64(n))
	}
	return n, err
}

// trackConnection is pre_connection: when some format needs byte counts,
// the connection gets counters and the counting filter.
func trackConnection(c *pipeline.Conn, reg *pipeline.FilterReg) pipeline.Result {
	st := stateOf(c.Gen)
	if st == nil || !st.needIO {
		return pipeline.Declined
	}
	io := &connIO{outBase: c.BytesSent}
	if c.Notes == nil {
		c.Notes = map[string]any{}
	}
	c.Notes[ioNote] = io
	c.AddInputFilterReg(reg, io)
	return pipeline.OK
}
