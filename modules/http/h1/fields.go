package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// readFields reads a header (or trailer) section up to and including its
// empty line, appending the field lines to arena and their positions to
// spans. what names the section in reasons ("header" or "trailer").
//
// It follows Apache's strict parser: each line may hold lim.FieldSize+1
// bytes; trailing SP/HT is dropped; a line starting with SP or HT continues
// the previous field and is joined to it with one space, the joined field
// staying under lim.FieldSize-1 bytes; a field name is a token directly
// followed by ':'; a value holds no control byte but HT; at most lim.Fields
// fields. Every violation is a 400 *Error. The end of input before the
// empty line is a 400 *Error wrapping io.ErrUnexpectedEOF.
func readFields(br *bufio.Reader, lim Limits, arena []byte, spans []span, what string) ([]byte, []span, error) {
	last := -1 // arena offset of the field line being accumulated
	fields := 0
	for {
		start := len(arena)
		var err error
		arena, err = appendLine(arena, br, lim.FieldSize)
		if err != nil {
			return arena, spans, fieldLineError(err, what, arena[start:])
		}
		end := len(arena)
		for end-start > 1 && (arena[end-1] == ' ' || arena[end-1] == '\t') {
			end--
		}
		arena = arena[:end]

		if end > start && (arena[start] == ' ' || arena[start] == '\t') {
			if last < 0 {
				return arena, spans, badRequest("Line folding encountered before first %s line", what)
			}
			if end-start == 1 {
				return arena, spans, badRequest("Empty folded line encountered")
			}
			skip := 0
			for arena[start+skip+1] == ' ' || arena[start+skip+1] == '\t' {
				skip++
			}
			if (start-last)+(end-start-skip)+1 >= lim.FieldSize {
				return arena, spans, &Error{Status: statusBadRequest, Reason: fmt.Sprintf(
					"Request %s exceeds LimitRequestFieldSize after folding: %s", what, logName(fieldName(arena[last:start])))}
			}
			n := copy(arena[start:], arena[start+skip:end])
			arena[start] = ' '
			arena = arena[:start+n]
			continue
		}
		if last >= 0 {
			fields++
			if lim.Fields > 0 && fields > lim.Fields {
				return arena, spans, badRequest("Number of request %ss exceeds LimitRequestFields", what)
			}
			s, err := parseField(arena, last, start, what)
			if err != nil {
				return arena, spans, err
			}
			spans = append(spans, s)
		}
		if end == start {
			return arena, spans, nil
		}
		last = start
	}
}

// parseField locates name and value in the complete field line
// arena[off:end].
func parseField(arena []byte, off, end int, what string) (span, error) {
	i := off
	for i < end && isToken(arena[i]) {
		i++
	}
	if i == off || i == end || arena[i] != ':' {
		return span{}, badRequest("Request %s field name is malformed: %s", what, logName(arena[off:end]))
	}
	s := span{nameOff: off, nameEnd: i}
	i++
	for i < end && (arena[i] == ' ' || arena[i] == '\t') {
		i++
	}
	s.valOff, s.valEnd = i, end
	for ; i < end; i++ {
		if isCtl(arena[i]) {
			return span{}, badRequest("Request %s value is malformed: %s", what, logName(arena[s.valOff:end]))
		}
	}
	return s, nil
}

// fieldName returns the part of a field line before its colon, for logs.
func fieldName(line []byte) []byte {
	for i, c := range line {
		if c == ':' {
			return line[:i]
		}
	}
	return line
}

// fieldLineError maps a failure of appendLine inside a field section.
func fieldLineError(err error, what string, partial []byte) error {
	switch {
	case errors.Is(err, errLineTooLong):
		return &Error{Status: statusBadRequest, Reason: fmt.Sprintf(
			"Request %s exceeds LimitRequestFieldSize: %s", what, logName(fieldName(partial)))}
	case errors.Is(err, errBareLF), errors.Is(err, errNULByte):
		return &Error{Status: statusBadRequest, Reason: fmt.Sprintf(
			"Failed to read request %s line %s", what, logName(partial)), Err: err}
	case errors.Is(err, io.EOF):
		return &Error{Status: statusBadRequest, Reason: fmt.Sprintf(
			"Failed to read request %s line: connection closed", what), Err: io.ErrUnexpectedEOF}
	default:
		return fmt.Errorf("reading request %s line: %w", what, err)
	}
}
