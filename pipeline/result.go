package pipeline

import "strconv"

// Result is what a hook function returns, with Apache's meaning.
type Result int

const (
	// OK means the function did its work; RunFirst hooks stop here, RunAll
	// hooks continue.
	OK Result = 0
	// Declined means the function had nothing to do with this input.
	Declined Result = -1
	// Done means the function completed the whole request or connection;
	// later phases are skipped.
	Done Result = -2
)

// IsHTTPStatus reports whether r is an HTTP status code (100-599).
func (r Result) IsHTTPStatus() bool { return r >= 100 && r <= 599 }

// String returns "OK", "DECLINED", "DONE" or the status number.
func (r Result) String() string {
	switch r {
	case OK:
		return "OK"
	case Declined:
		return "DECLINED"
	case Done:
		return "DONE"
	}
	return strconv.Itoa(int(r))
}
