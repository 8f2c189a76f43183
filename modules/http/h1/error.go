package h1

import (
	"errors"
	"fmt"
)

// Error is a request the server must refuse: Status is the HTTP status
// Apache answers for the same input, Reason a one-line explanation for the
// error log, worded like Apache's. Err, when set, is the underlying cause
// (io.ErrUnexpectedEOF for a body cut short, for example).
//
// After an Error the connection's input is in an unknown state: the server
// answers Status and closes the connection.
type Error struct {
	Status int
	Reason string
	Err    error
}

// Error returns "<status> <reason>[: <cause>]".
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Reason, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Reason)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// StatusOf returns the HTTP status carried by err if it is (or wraps) an
// *Error, and 0 otherwise (for example for a connection that closed or timed
// out, which Apache does not answer).
func StatusOf(err error) int {
	var he *Error
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// HTTP statuses the parser answers.
const (
	statusBadRequest        = 400
	statusEntityTooLarge    = 413
	statusURITooLong        = 414
	statusExpectationFailed = 417
)

func badRequest(format string, args ...any) *Error {
	return &Error{Status: statusBadRequest, Reason: fmt.Sprintf(format, args...)}
}

// logName quotes at most 80 bytes of b for a reason string, as Apache's
// error log does with field names.
func logName(b []byte) string {
	const max = 80
	if len(b) > max {
		b = b[:max]
	}
	return fmt.Sprintf("%q", b)
}
