package pipeline

import (
	"path"
	"strconv"
	"strings"
)

// SetURI sets the request-target of r (RawURI) and its query (Args).
func (r *Request) SetURI(raw string) {
	r.RawURI = raw
	r.Args = ""
	if i := strings.IndexByte(raw, '?'); i >= 0 {
		r.Args = raw[i+1:]
	}
	r.URI = ""
}

// InternalRedirect serves uri instead of r on the same connection
// (Apache's ap_internal_redirect): a new request inherits r's head, status
// and protocol filters, links to r through Prev/Next, gets r's environment
// renamed with a REDIRECT_ prefix plus REDIRECT_STATUS, REDIRECT_URL and
// REDIRECT_QUERY_STRING, and runs the phases and the handler; its outcome
// answers the client. More than LimitInternalRecursion nested redirects
// answer 500.
func InternalRedirect(r *Request, uri string) {
	nr := newRedirect(r, uri)
	if nr == nil {
		return
	}
	h := r.hooks()
	st := h.QuickHandler.Run(func(f QuickHandlerFunc) Result { return f(nr, false) })
	if st == Declined {
		st = ProcessRequestInternal(nr)
		if st == OK {
			st = InvokeHandler(nr)
		}
	}
	Die(nr, st)
}

func newRedirect(r *Request, uri string) *Request {
	if r.depth >= LimitInternalRecursion {
		logf(r, "Request exceeded the limit of %d internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary.", LimitInternalRecursion)
		Die(r, 500)
		return nil
	}
	nr := allocRequest()
	nr.Conn, nr.Server, nr.Main, nr.Prev = r.Conn, r.Server, r.Main, r
	nr.Time, nr.RequestLine = r.Time, r.RequestLine
	nr.Method, nr.MethodNumber = r.Method, r.MethodNumber
	nr.Protocol, nr.ProtoNum, nr.Hostname = r.Protocol, r.ProtoNum, r.Hostname
	nr.HeaderOnly, nr.HTTP09, nr.Expect100 = r.HeaderOnly, r.HTTP09, r.Expect100
	nr.HeadersIn.copyFrom(&r.HeadersIn)
	nr.ErrHeadersOut.copyFrom(&r.ErrHeadersOut)
	nr.Status, nr.Allowed, nr.User, nr.AuthType = r.Status, r.Allowed, r.User, r.AuthType
	nr.PerDir, nr.depth = r.Server.DirDefaults, r.depth+1
	r.Next = nr
	r.eosSent = true // the response is nr's now
	nr.SetURI(uri)
	for _, f := range r.SubprocessEnv.Fields() {
		nr.SubprocessEnv.Add("REDIRECT_"+f.Name, f.Value)
	}
	nr.SubprocessEnv.Set("REDIRECT_STATUS", strconv.Itoa(r.Status))
	nr.SubprocessEnv.Set("REDIRECT_URL", r.URI)
	if r.Args != "" {
		nr.SubprocessEnv.Set("REDIRECT_QUERY_STRING", r.Args)
	}
	// The new request takes over the protocol filters; r's content
	// filters are dropped with r.
	nr.outputFilters, nr.protoOutputFilters = r.protoOutputFilters, r.protoOutputFilters
	nr.inputFilters, nr.protoInputFilters = r.protoInputFilters, r.protoInputFilters
	setFilterRequest(nr.protoOutputFilters, r, nr)
	setFilterRequest(nr.protoInputFilters, r, nr)
	r.hooks().CreateRequest.Run(func(f RequestFunc) Result { return f(nr) })
	return nr
}

// subreqCore passes a sub-request's output into its parent's response,
// dropping the sub-request's EOS (Apache's SUBREQ_CORE filter).
var subreqCore = &FilterReg{Name: "SUBREQ_CORE", Module: "core", Type: FilterContent,
	Output: func(f *Filter, bb *Brigade) error {
		out := bb.Buckets[:0]
		for _, b := range bb.Buckets {
			if b.Kind != BucketEOS {
				out = append(out, b)
			}
		}
		bb.Buckets = out
		if len(out) == 0 {
			return nil
		}
		return f.Next.Pass(bb)
	}}

// newSubRequest returns a sub-request of r with Apache's inheritance: the
// head and headers of r, method GET, no body, output into r's protocol
// filters.
func newSubRequest(r *Request) *Request {
	sr := r.Conn.reuseSubRequest()
	if sr == nil {
		sr = allocRequest()
	}
	sr.Conn, sr.Server, sr.Main = r.Conn, r.Server, r
	sr.Time, sr.RequestLine = r.Time, r.RequestLine
	sr.Method, sr.MethodNumber = "GET", MethodGet
	sr.Protocol, sr.ProtoNum, sr.Hostname = r.Protocol, r.ProtoNum, r.Hostname
	sr.HeadersIn.copyFrom(&r.HeadersIn)
	sr.Status, sr.User, sr.AuthType = 200, r.User, r.AuthType
	sr.PerDir, sr.depth = r.Server.DirDefaults, r.depth+1
	sr.SubprocessEnv.copyFrom(&r.SubprocessEnv)
	sr.protoOutputFilters = r.protoOutputFilters
	sr.outputFilters = sr.newFilter(subreqCore, nil)
	sr.outputFilters.Next = r.protoOutputFilters
	// A sub-request has no body to read.
	sr.inputFilters, sr.protoInputFilters = nil, nil
	r.hooks().CreateRequest.Run(func(f RequestFunc) Result { return f(sr) })
	return sr
}

// SubRequestLookupURI maps uri (relative URIs resolve against r's
// directory) through the phases up to fixups without running the handler
// (Apache's ap_sub_req_lookup_uri); DirectoryIndex and ErrorDocument checks
// use it. The result's Status is 200 when the resource may be served, or
// the error status. Serve it with RunSubRequest.
func SubRequestLookupURI(r *Request, uri string) *Request {
	sr := newSubRequest(r)
	if !strings.HasPrefix(uri, "/") {
		dir := r.URI
		if !strings.HasSuffix(dir, "/") {
			dir = path.Dir(dir) + "/"
		}
		uri = dir + uri
	}
	sr.SetURI(uri)
	runSubPhases(sr)
	return sr
}

// SubRequestLookupFile maps file (relative names resolve against the
// directory of r.Filename) like SubRequestLookupURI, skipping
// translate_name (Apache's ap_sub_req_lookup_file).
func SubRequestLookupFile(r *Request, file string) *Request {
	sr := newSubRequest(r)
	dir := r.Filename
	if r.Finfo == nil || !r.Finfo.IsDir() {
		dir = path.Dir(dir)
	}
	uriDir := r.URI
	if !strings.HasSuffix(uriDir, "/") {
		uriDir = path.Dir(uriDir) + "/"
	}
	if path.IsAbs(file) {
		sr.Filename = path.Clean(file)
		sr.URI = uriDir + path.Base(file)
	} else {
		sr.Filename = path.Join(dir, file)
		sr.URI = uriDir + file
	}
	sr.RawURI = sr.URI
	runSubPhases(sr)
	return sr
}

func runSubPhases(sr *Request) {
	if sr.depth > LimitInternalRecursion {
		logf(sr, "Request exceeded the limit of %d subrequest nesting levels due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary.", LimitInternalRecursion)
		sr.Status = 500
		return
	}
	h := sr.hooks()
	if st := h.QuickHandler.Run(func(f QuickHandlerFunc) Result { return f(sr, true) }); st != Declined {
		if st != OK && st != Done {
			sr.Status = int(st)
		}
		return
	}
	if st := ProcessRequestInternal(sr); st != OK && st != Done {
		sr.Status = int(resultStatus(st))
	}
}

func resultStatus(st Result) Result {
	if st.IsHTTPStatus() {
		return st
	}
	return 500
}

// RunSubRequest runs the handler of a sub-request made by
// SubRequestLookupURI or SubRequestLookupFile, its output going into the
// parent's response (Apache's ap_run_sub_req). It returns the handler's
// result (OK when it served, or an error status).
func RunSubRequest(sr *Request) Result {
	if sr.Status != 200 {
		return Result(sr.Status)
	}
	st := sr.hooks().QuickHandler.Run(func(f QuickHandlerFunc) Result { return f(sr, false) })
	if st == Declined {
		st = InvokeHandler(sr)
	}
	if st == OK || st == Done {
		finalizeRequestProtocol(sr)
		return OK
	}
	return st
}
