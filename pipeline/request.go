package pipeline

import (
	"io/fs"
	"time"
)

// Request is a request record (Apache's request_rec). The http module
// fills the head; the phases fill the mapping; the handler produces the
// response through the output filters.
type Request struct {
	Conn   *Conn
	Server *Server // the virtual host chosen for the request

	// Main is the parent of a sub-request; Prev the request an internal
	// redirect came from; Next the request it went to.
	Main, Prev, Next *Request

	Time         time.Time // when the request line arrived
	RequestLine  string    // "GET / HTTP/1.1" as received
	Method       string
	MethodNumber int    // MethodGet (also for HEAD), MethodPost, …; MethodInvalid when unknown
	URI          string // path part, decoded and normalised
	RawURI       string // request-target as received
	Args         string // query string, without '?'
	Protocol     string // "HTTP/1.1"
	ProtoNum     int    // 1001 for HTTP/1.1, 1000 for 1.0, 9 for 0.9
	Hostname     string
	HeaderOnly   bool // HEAD
	// ProxyReq is set when the request is answered by a proxy (Apache's
	// r->proxyreq): the response keeps the Date and Server headers the
	// origin server sent.
	ProxyReq bool
	// HTTP09 is set for an HTTP/0.9 request: the response is the bare
	// body (Apache's assbackwards).
	HTTP09 bool
	// Expect100 is set while the client waits for "100 Continue" before
	// sending its body; it is cleared once that interim response is sent.
	Expect100 bool

	HeadersIn       Table
	HeadersOut      Table
	ErrHeadersOut   Table // sent on errors too
	SubprocessEnv   Table
	Notes           Table
	ContentType     string
	ContentEncoding string
	Handler         string

	Filename string
	PathInfo string
	// Finfo describes Filename after map_to_storage; nil when nothing
	// exists there.
	Finfo fs.FileInfo

	// PerDir is the merged per-directory configuration in force.
	PerDir ConfigVector

	Status     int
	StatusLine string
	User       string // authenticated user
	AuthType   string
	// Allowed is the set of methods the resource allows, as bits
	// 1<<MethodNumber; the Allow header of 405, 501 and OPTIONS lists it.
	Allowed uint64

	// BytesSent counts the response body bytes passed to the network.
	BytesSent int64
	// BytesRead counts the bytes of the request read from the client
	// (request line, header fields and body, framing included; blank lines
	// before the request line too), as Apache's mod_logio counts them for
	// %I. The protocol module keeps it; it is exact when log_transaction
	// runs.
	BytesRead int64
	// HeadersSent is set by the protocol once the response head is out.
	HeadersSent bool
	// Modules may attach typed data keyed by their own key types.
	Values map[any]any

	outputFilters, protoOutputFilters *Filter
	inputFilters, protoInputFilters   *Filter

	eosSent bool
	wbuf    []byte         // ap_rwrite buffer, see Write
	bb      *Brigade       // reusable brigade for Write and Finalize
	depth   int            // internal redirect / sub-request nesting depth
	spare   []Filter       // preallocated filter records, see newFilter
	record  *requestRecord // the storage r came from, see ReleaseRequest
}

// IsMain reports whether r is neither a sub-request nor an internal
// redirect target.
func (r *Request) IsMain() bool { return r.Main == nil && r.Prev == nil }

// EOSSent reports whether the end of the response has been passed down
// the output filters.
func (r *Request) EOSSent() bool { return r.eosSent }

// Initial returns the first request of r's internal-redirect chain.
func (r *Request) Initial() *Request {
	for r.Prev != nil {
		r = r.Prev
	}
	return r
}

// Last returns the last request of r's internal-redirect chain.
func (r *Request) Last() *Request {
	for r.Next != nil {
		r = r.Next
	}
	return r
}
