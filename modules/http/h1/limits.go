package h1

// Limits bounds what a client may send, as Apache's LimitRequest*
// directives do. A zero or negative Fields or Body means "no limit", as in
// Apache; RequestLine and FieldSize must be positive.
type Limits struct {
	// RequestLine is LimitRequestLine: the longest request line, in bytes
	// before its CRLF. A longer line is answered 414.
	RequestLine int
	// FieldSize is LimitRequestFieldSize: the longest header or trailer
	// line, the longest value after obs-fold joining and after merging
	// repeated fields, and the longest chunk-size line. A longer header is
	// answered 400, a longer chunk-size line 413.
	FieldSize int
	// Fields is LimitRequestFields: the most header (or trailer) fields in
	// one section. More are answered 400.
	Fields int
	// Body is LimitRequestBody: the most body bytes (chunk data, not
	// framing) one request may carry. More are answered 413.
	Body int64
}

// Apache 2.4's compiled-in defaults (include/httpd.h and, for the body
// limit raised from unlimited to 1 GiB in 2.4.53, server/core.c).
const (
	DefaultRequestLine = 8190
	DefaultFieldSize   = 8190
	DefaultFields      = 100
	DefaultBody        = 1 << 30
	// maxBlankLines is how many empty lines may precede a request line
	// (Apache's DEFAULT_LIMIT_BLANK_LINES).
	maxBlankLines = 10
)

// DefaultLimits returns Apache 2.4's default limits: LimitRequestLine 8190,
// LimitRequestFieldSize 8190, LimitRequestFields 100 and LimitRequestBody
// 1 GiB.
func DefaultLimits() Limits {
	return Limits{
		RequestLine: DefaultRequestLine,
		FieldSize:   DefaultFieldSize,
		Fields:      DefaultFields,
		Body:        DefaultBody,
	}
}
