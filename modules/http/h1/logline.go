package h1

import "bytes"

// lineState says what ReadRequest made of the request line.
type lineState uint8

const (
	lineNone    lineState = iota // no line: none began, or it was cut short
	lineRaw                      // refused as read: too long, bare LF, NUL
	lineRefused                  // read whole, refused by the parser
	lineParsed                   // read and parsed
)

// Line returns the request line as Apache records it for the access log
// (its the_request, logged by %r), also for a refused request:
//
//   - a line that parsed is returned as received;
//   - a line that was read whole but refused is rebuilt from its first
//     three words (method, target, protocol) joined by single spaces:
//     whitespace around them is dropped, and so is anything after the
//     visible characters of the protocol;
//   - a line longer than LimitRequestLine is cut to LimitRequestLine+1
//     bytes, a line ended by a bare LF keeps its LF, and a line holding a
//     NUL byte stops before it;
//   - it is empty when no line was read (the input ended or timed out
//     first, or only blank lines came).
func (r *Request) Line() string {
	if r.line == lineNone {
		return ""
	}
	return string(r.arena[r.lineOff:r.lineEnd])
}

// LineBytes is Line without the copy: the bytes are valid until the next
// ReadRequest.
func (r *Request) LineBytes() []byte {
	if r.line == lineNone {
		return nil
	}
	return r.arena[r.lineOff:r.lineEnd]
}

// HasLine reports whether ReadRequest read a request line whole and split
// it into method, target and protocol (even if it then refused it): Apache
// then knows the request's method and URI. It is false when the line was
// cut short (the input ended or timed out in it: Apache then neither
// answers nor, on a reused connection, logs anything) and when it was
// refused as read (too long, bare LF, NUL byte: no method, no URI).
func (r *Request) HasLine() bool { return r.line >= lineRefused }

// recordBadLine records a request line that could not be read whole.
func (r *Request) recordBadLine(err error, limit int) {
	r.lineOff = 0
	switch err {
	case errLineTooLong:
		r.line, r.lineEnd = lineRaw, min(len(r.arena), limit+1)
	case errBareLF:
		r.arena = append(r.arena, '\n')
		r.line, r.lineEnd = lineRaw, len(r.arena)
	case errNULByte:
		r.line, r.lineEnd = lineRaw, bytes.IndexByte(r.arena, 0)
	default:
		r.line = lineNone
	}
}

// refuseLine records what Apache keeps of a request line that was read but
// refused: the method (the first word) and the target (the second), so the
// refusal is logged like Apache's, and the rebuilt line for Line.
func (r *Request) refuseLine(n int) {
	line := r.arena[:n]
	mOff, mEnd := wordAt(line, 0)
	uOff, uEnd := wordAt(line, mEnd)
	pOff := skipSpace(line, uEnd)
	pEnd := pOff
	for pEnd < n && isVchar(line[pEnd]) {
		pEnd++
	}
	r.Method = internMethod(line[mOff:mEnd])
	r.lineOff = len(r.arena)
	r.arena = append(r.arena, line[mOff:mEnd]...)
	if uEnd > uOff {
		r.arena = append(r.arena, ' ')
		r.arena = append(r.arena, r.arena[uOff:uEnd]...)
		if pEnd > pOff {
			r.arena = append(r.arena, ' ')
			r.arena = append(r.arena, r.arena[pOff:pEnd]...)
		}
	}
	r.line, r.lineEnd = lineRefused, len(r.arena)
	r.URI = r.arena[uOff:uEnd:uEnd]
}

// wordAt returns the bounds of the first word at or after i: whitespace
// skipped, then everything up to the next whitespace.
func wordAt(line []byte, i int) (start, end int) {
	start = skipSpace(line, i)
	return start, wordEnd(line, start)
}

func skipSpace(line []byte, i int) int {
	for i < len(line) && isSpace(line[i]) {
		i++
	}
	return i
}
