package pipeline

// requestRecord is a request together with the first storage of its
// tables, allocated at once: a typical request never outgrows it, so it
// costs one allocation instead of one for every table that grows.
type requestRecord struct {
	r          Request
	headersIn  [12]Field
	headersOut [8]Field
	env        [4]Field
	notes      [2]Field
	filters    [2]Filter
}

// allocRequest returns a zero Request whose tables have inline storage.
func allocRequest() *Request { return (&requestRecord{}).init() }

// init points the record's request at the record's storage.
func (rec *requestRecord) init() *Request {
	r := &rec.r
	r.record = rec
	r.HeadersIn.fields = rec.headersIn[:0]
	r.HeadersOut.fields = rec.headersOut[:0]
	r.SubprocessEnv.fields = rec.env[:0]
	r.Notes.fields = rec.notes[:0]
	r.spare = rec.filters[:]
	return r
}

// newFilter returns a filter record for r, from its preallocated ones
// while they last.
func (r *Request) newFilter(reg *FilterReg, ctx any) *Filter {
	if len(r.spare) == 0 {
		return &Filter{Reg: reg, Ctx: ctx, Req: r, Conn: r.Conn}
	}
	f := &r.spare[0]
	r.spare = r.spare[1:]
	*f = Filter{Reg: reg, Ctx: ctx, Req: r, Conn: r.Conn}
	return f
}

// copyFrom replaces t's fields with src's, reusing t's storage.
func (t *Table) copyFrom(src *Table) {
	t.fields = append(t.fields[:0], src.fields...)
}

// ReleaseRequest gives the record of r, a request NewRequest made, back to
// its connection, whose next NewRequest reuses it instead of allocating
// (when the connection ends, the generation's next connection does).
// The protocol calls it once r is logged; nothing may use r, its tables
// or its filters afterwards. Sub-requests and internal redirects are not
// reused (a fast redirect shares their tables with the request).
func ReleaseRequest(r *Request) {
	if r == nil || r.record == nil || r.Main != nil || r.Prev != nil || r.Conn == nil {
		return
	}
	r.Conn.spareRequest = r.record
}

// ReleaseSubRequest gives the record of sr, a sub-request looked up with
// SubRequestLookupURI or SubRequestLookupFile, back to its connection,
// whose next sub-request reuses it (Apache's ap_destroy_sub_req). Call it
// once everything wanted from sr has been copied out (fields, tables,
// per-request values); nothing may use sr, its tables or its filters
// afterwards.
func ReleaseSubRequest(sr *Request) {
	if sr == nil || sr.record == nil || sr.Main == nil || sr.Conn == nil {
		return
	}
	sr.Conn.spareSubRequest = sr.record
}

// reuseRequest returns c's released record as a zero request, keeping the
// write buffers it had grown; else a record an earlier connection of the
// generation left (see recycleRecords); else nil.
func (c *Conn) reuseRequest() *Request {
	rec := c.spareRequest
	c.spareRequest = nil
	return c.orPooled(rec).reuse()
}

// reuseSubRequest is reuseRequest for the record ReleaseSubRequest kept.
func (c *Conn) reuseSubRequest() *Request {
	rec := c.spareSubRequest
	c.spareSubRequest = nil
	return c.orPooled(rec).reuse()
}

// orPooled returns rec, or if it is nil a record from the generation's
// pool (nil if that is empty).
func (c *Conn) orPooled(rec *requestRecord) *requestRecord {
	if rec != nil || c.Gen == nil {
		return rec
	}
	rec, _ = c.Gen.records.Get().(*requestRecord)
	return rec
}

// recycleRecords gives the records c kept for its next request and
// sub-request to the generation's pool when c ends, so that a connection
// per request does not allocate them each time.
func (c *Conn) recycleRecords() {
	if c.Gen == nil {
		return
	}
	for _, rec := range [...]*requestRecord{c.spareRequest, c.spareSubRequest} {
		if rec != nil {
			c.Gen.records.Put(rec)
		}
	}
	c.spareRequest, c.spareSubRequest = nil, nil
}

// reuse clears rec, keeping its request's write buffers, and returns its
// request; nil for a nil rec.
func (rec *requestRecord) reuse() *Request {
	if rec == nil {
		return nil
	}
	wbuf, bb := rec.r.wbuf[:0], rec.r.bb
	*rec = requestRecord{}
	r := rec.init()
	r.wbuf, r.bb = wbuf, bb
	return r
}
