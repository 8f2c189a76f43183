package configs

import "strings"

// Error is a configuration error at a place in a file. Every error
// returned by Read, ReadBytes and ReadSnapshot is an *Error (possibly
// wrapped), so a caller can show "file:line: Directive: message".
type Error struct {
	Pos       Position // where the offending key, section or include is
	Directive string   // the key or section name involved; may be empty
	Err       error    // what is wrong
}

// Error returns "file:line: Directive: message", leaving out the parts
// that are empty.
func (e *Error) Error() string {
	var b strings.Builder
	if p := e.Pos.String(); p != "" {
		b.WriteString(p)
	}
	if e.Directive != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Directive)
	}
	if e.Err != nil {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
