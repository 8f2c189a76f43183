package h1

import (
	"bufio"
	"fmt"
	"io"
)

// ChunkedReader decodes a body in the chunked transfer coding (RFC 9112
// section 7.1) with Apache's strict rules: a chunk-size line is hex digits
// (leading zeros free, the value below 2^63, else 413), up to ten SP/HT,
// optional chunk extensions of non-control bytes, CRLF; chunk data is
// followed by CRLF; the last chunk is followed by a trailer section read
// like a header section. A chunk-size line longer than the FieldSize limit
// is 413, chunk data beyond the Body limit is 413, any other fault is 400,
// and so is the end of input before the end of the body.
//
// Its zero value is unusable; make one with NewChunkedReader or Reset.
type ChunkedReader struct {
	br     *bufio.Reader
	limits Limits
	state  chunkState
	left   int64 // data bytes left in the current chunk
	used   int64 // data bytes read so far
	err    error

	arena    []byte
	spans    []span
	trailers []Field
}

type chunkState uint8

const (
	chunkSize chunkState = iota // before a chunk-size line
	chunkData                   // inside chunk data
	chunkDone                   // trailers read: io.EOF
)

// NewChunkedReader returns a decoder of the chunked body that follows in br.
func NewChunkedReader(br *bufio.Reader, limits Limits) *ChunkedReader {
	c := new(ChunkedReader)
	c.Reset(br, limits)
	return c
}

// Reset makes c decode a new body from br, keeping its trailer storage.
func (c *ChunkedReader) Reset(br *bufio.Reader, limits Limits) {
	*c = ChunkedReader{
		br:       br,
		limits:   limits,
		arena:    c.arena[:0],
		spans:    c.spans[:0],
		trailers: c.trailers[:0],
	}
}

// Trailers returns the trailer fields, once Read has returned io.EOF. They
// alias storage of c, valid until its next Reset.
func (c *ChunkedReader) Trailers() []Field { return c.trailers }

// Read reads decoded body bytes. It returns io.EOF after the trailer
// section, an *Error for a malformed or oversized body.
func (c *ChunkedReader) Read(p []byte) (int, error) {
	for c.err == nil {
		switch c.state {
		case chunkSize:
			c.err = c.readSizeLine()
		case chunkData:
			if len(p) == 0 {
				return 0, nil
			}
			return c.readData(p)
		case chunkDone:
			return 0, io.EOF
		}
	}
	return 0, c.err
}

func (c *ChunkedReader) readData(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	if err != nil {
		c.err = bodyReadError(err)
		return n, c.err
	}
	if c.left == 0 {
		if err := c.readDataEnd(); err != nil {
			c.err = err
			return n, nil // the error follows on the next Read
		}
		c.state = chunkSize
	}
	return n, nil
}

// readDataEnd reads the CRLF that ends chunk data.
func (c *ChunkedReader) readDataEnd() error {
	b, err := c.br.ReadByte()
	if err != nil {
		return bodyReadError(err)
	}
	if b == '\r' {
		if b, err = c.br.ReadByte(); err != nil {
			return bodyReadError(err)
		}
		if b == '\n' {
			return nil
		}
	}
	return chunkError("CRLF expected after chunk data")
}

// readSizeLine reads a chunk-size line and, after the last chunk, the
// trailer section.
func (c *ChunkedReader) readSizeLine() error {
	const (
		sDigits = iota // hex digits
		sBWS           // SP/HT after the digits
		sExt           // chunk extension
		sCR            // CR seen, LF expected
	)
	var (
		size   int64
		sig    int // significant digits
		bws    int
		state  = sDigits
		length int
	)
	for first := true; ; first = false {
		b, err := c.br.ReadByte()
		if err != nil {
			return bodyReadError(err)
		}
		length++
		if length > c.limits.FieldSize {
			return &Error{Status: statusEntityTooLarge, Reason: "Error reading/parsing chunk (overflow): chunk-size line exceeds LimitRequestFieldSize"}
		}
		if first && !isHex(b) {
			return chunkError("invalid chunk size")
		}
		switch {
		case b == '\n':
			if state != sCR {
				return chunkError("CR missing before LF")
			}
			return c.startChunk(size)
		case state == sCR:
			return chunkError("LF expected after CR")
		case b == '\r':
			state = sCR
		case b == ';':
			state = sExt
		case state == sExt:
			if isCtl(b) {
				return chunkError("control byte in chunk extension")
			}
		case b == ' ' || b == '\t':
			state = sBWS
			if bws++; bws > 10 {
				return chunkError("too much whitespace after chunk size")
			}
		case state == sBWS:
			return chunkError("';', CR or LF expected after chunk size")
		case size == 0 && b == '0':
			// leading zeros are free
		case isHex(b):
			sig++
			size = size<<4 | int64(unhex(b))
			if sig > 16 || size < 0 {
				return &Error{Status: statusEntityTooLarge, Reason: "Error reading/parsing chunk (overflow): chunk size too large"}
			}
		default:
			return chunkError("invalid chunk size")
		}
	}
}

// startChunk moves to the data of a chunk of the given size, or reads the
// trailers after the last chunk.
func (c *ChunkedReader) startChunk(size int64) error {
	if size > 0 {
		if c.limits.Body > 0 && size > c.limits.Body-c.used {
			return &Error{Status: statusEntityTooLarge, Reason: fmt.Sprintf(
				"Read content length of %d is larger than the configured limit of %d", c.used+size, c.limits.Body)}
		}
		c.used += size
		c.left = size
		c.state = chunkData
		return nil
	}
	var err error
	c.arena, c.spans, err = readFields(c.br, c.limits, c.arena, c.spans, "trailer")
	c.trailers = fieldsFromSpans(c.trailers, c.spans, c.arena)
	if err != nil {
		return fmt.Errorf("reading HTTP trailer: %w", err)
	}
	c.state = chunkDone
	return nil
}

func chunkError(reason string) *Error {
	return &Error{Status: statusBadRequest, Reason: "Error reading/parsing chunk: " + reason}
}

func unhex(b byte) byte {
	switch {
	case '0' <= b && b <= '9':
		return b - '0'
	case 'a' <= b && b <= 'f':
		return b - 'a' + 10
	default:
		return b - 'A' + 10
	}
}
