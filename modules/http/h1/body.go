package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// LengthReader reads a body of a known Content-Length. Its zero value is
// unusable; make one with NewLengthReader or Reset.
type LengthReader struct {
	br        *bufio.Reader
	declared  int64
	remaining int64
	limit     int64
	started   bool
	err       error
}

// NewLengthReader returns a reader of the n-byte body that follows in br.
// A limit above zero is LimitRequestBody: a larger n fails the first Read
// with a 413 *Error, before any byte is read.
func NewLengthReader(br *bufio.Reader, n, limit int64) *LengthReader {
	l := new(LengthReader)
	l.Reset(br, n, limit)
	return l
}

// Reset makes l read a new n-byte body from br.
func (l *LengthReader) Reset(br *bufio.Reader, n, limit int64) {
	*l = LengthReader{br: br, declared: n, remaining: n, limit: limit}
}

// Read reads body bytes; it returns io.EOF once n bytes were read, and an
// *Error with status 400 wrapping io.ErrUnexpectedEOF if the connection
// ends first.
func (l *LengthReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if !l.started {
		l.started = true
		if l.limit > 0 && l.declared > l.limit {
			l.err = &Error{Status: statusEntityTooLarge, Reason: fmt.Sprintf(
				"Requested content-length of %d is larger than the configured limit of %d", l.declared, l.limit)}
			return 0, l.err
		}
	}
	if l.remaining == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.remaining {
		p = p[:l.remaining]
	}
	n, err := l.br.Read(p)
	l.remaining -= int64(n)
	if err != nil && l.remaining > 0 {
		l.err = bodyReadError(err)
		return n, l.err
	}
	return n, nil
}

// bodyReadError wraps a read failure in the middle of a body: the end of
// input is a 400 *Error (what Apache answers for a truncated body), other
// failures (timeouts) are passed on wrapped.
func bodyReadError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Status: statusBadRequest, Reason: "request body ends before its announced length", Err: io.ErrUnexpectedEOF}
	}
	return fmt.Errorf("reading request body: %w", err)
}
