package pipeline

import "strconv"

// statusLines are Apache 2.4's status lines (http_protocol.c).
var statusLines = map[int]string{
	100: "100 Continue", 101: "101 Switching Protocols", 102: "102 Processing", 103: "103 Early Hints",
	200: "200 OK", 201: "201 Created", 202: "202 Accepted", 203: "203 Non-Authoritative Information",
	204: "204 No Content", 205: "205 Reset Content", 206: "206 Partial Content", 207: "207 Multi-Status",
	208: "208 Already Reported", 226: "226 IM Used",
	300: "300 Multiple Choices", 301: "301 Moved Permanently", 302: "302 Found", 303: "303 See Other",
	304: "304 Not Modified", 305: "305 Use Proxy", 307: "307 Temporary Redirect", 308: "308 Permanent Redirect",
	400: "400 Bad Request", 401: "401 Unauthorized", 402: "402 Payment Required", 403: "403 Forbidden",
	404: "404 Not Found", 405: "405 Method Not Allowed", 406: "406 Not Acceptable",
	407: "407 Proxy Authentication Required", 408: "408 Request Timeout", 409: "409 Conflict",
	410: "410 Gone", 411: "411 Length Required", 412: "412 Precondition Failed",
	413: "413 Request Entity Too Large", 414: "414 Request-URI Too Long", 415: "415 Unsupported Media Type",
	416: "416 Requested Range Not Satisfiable", 417: "417 Expectation Failed", 421: "421 Misdirected Request",
	422: "422 Unprocessable Entity", 423: "423 Locked", 424: "424 Failed Dependency", 425: "425 Too Early",
	426: "426 Upgrade Required", 428: "428 Precondition Required", 429: "429 Too Many Requests",
	431: "431 Request Header Fields Too Large", 451: "451 Unavailable For Legal Reasons",
	500: "500 Internal Server Error", 501: "501 Not Implemented", 502: "502 Bad Gateway",
	503: "503 Service Unavailable", 504: "504 Gateway Timeout", 505: "505 HTTP Version Not Supported",
	506: "506 Variant Also Negotiates", 507: "507 Insufficient Storage", 508: "508 Loop Detected",
	510: "510 Not Extended", 511: "511 Network Authentication Required",
}

// StatusLine returns Apache's status line for code without the protocol
// ("404 Not Found"); a code Apache does not know reads "NNN Unknown
// Reason".
func StatusLine(code int) string {
	if s, ok := statusLines[code]; ok {
		return s
	}
	return strconv.Itoa(code) + " Unknown Reason"
}

// IsHeaderOnlyStatus reports a status whose response never has a body
// (1xx, 204, 304).
func IsHeaderOnlyStatus(code int) bool {
	return code < 200 || code == 204 || code == 304
}

// StatusDropsConnection reports a status after which Apache closes the
// connection (ap_status_drops_connection).
func StatusDropsConnection(code int) bool {
	switch code {
	case 400, 408, 411, 413, 414, 500, 501, 503:
		return true
	}
	return false
}

// Method numbers (Apache's M_*). HEAD has MethodGet's number, with
// Request.HeaderOnly set.
const (
	MethodGet = iota
	MethodPut
	MethodPost
	MethodDelete
	MethodConnect
	MethodOptions
	MethodTrace
	MethodPatch
	MethodPropfind
	MethodProppatch
	MethodMkcol
	MethodCopy
	MethodMove
	MethodLock
	MethodUnlock
	MethodInvalid = 63
)

var methodNumbers = map[string]int{
	"GET": MethodGet, "HEAD": MethodGet, "PUT": MethodPut, "POST": MethodPost,
	"DELETE": MethodDelete, "CONNECT": MethodConnect, "OPTIONS": MethodOptions,
	"TRACE": MethodTrace, "PATCH": MethodPatch, "PROPFIND": MethodPropfind,
	"PROPPATCH": MethodProppatch, "MKCOL": MethodMkcol, "COPY": MethodCopy,
	"MOVE": MethodMove, "LOCK": MethodLock, "UNLOCK": MethodUnlock,
}

// MethodNumber returns the method number of a method name (case-sensitive,
// as HTTP methods are), or MethodInvalid.
func MethodNumber(method string) int {
	if n, ok := methodNumbers[method]; ok {
		return n
	}
	return MethodInvalid
}

// allowOrder is the order the Allow header lists methods in, the order
// Apache 2.4 prints the standard ones.
var allowOrder = []struct {
	name string
	num  int
}{
	{"OPTIONS", MethodOptions}, {"HEAD", MethodGet}, {"GET", MethodGet}, {"POST", MethodPost},
	{"PUT", MethodPut}, {"DELETE", MethodDelete}, {"PATCH", MethodPatch}, {"CONNECT", MethodConnect},
	{"PROPFIND", MethodPropfind}, {"PROPPATCH", MethodProppatch}, {"MKCOL", MethodMkcol},
	{"COPY", MethodCopy}, {"MOVE", MethodMove}, {"LOCK", MethodLock}, {"UNLOCK", MethodUnlock},
	{"TRACE", MethodTrace},
}

// Allow adds methods to the request's allowed set (ap_allow_methods with
// MERGE_ALLOW).
func (r *Request) Allow(methods ...int) {
	for _, m := range methods {
		r.Allowed |= 1 << uint(m)
	}
}

// AllowHeader returns the Allow header value for r's allowed methods
// (Apache's make_allow); OPTIONS is always allowed.
func (r *Request) AllowHeader() string {
	mask := r.Allowed | 1<<MethodOptions
	b := make([]byte, 0, 48)
	for _, m := range allowOrder {
		if mask&(1<<uint(m.num)) != 0 {
			if len(b) > 0 {
				b = append(b, ',')
			}
			b = append(b, m.name...)
		}
	}
	return string(b)
}
