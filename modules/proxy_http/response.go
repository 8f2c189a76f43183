package proxyhttp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// Limits on a backend's response head: a line as long as Apache's
// default field size, and as many fields as a request may carry.
const (
	maxHeadLine   = 8192
	maxHeadFields = 100
)

// errBadHead marks a malformed response head (502).
var errBadHead = errors.New("invalid response head from the backend")

// respHead is a parsed response head.
type respHead struct {
	major, minor int
	status       int
	reason       string
	fields       pipeline.Table
}

// statusLine returns "NNN Reason" for r.StatusLine.
func (h *respHead) statusLine() string {
	if h.reason == "" {
		return pipeline.StatusLine(h.status)
	}
	return strconv.Itoa(h.status) + " " + h.reason
}

// keepAlive reports whether the backend lets the connection carry another
// request after this response.
func (h *respHead) keepAlive() bool {
	conn := strings.Join(h.fields.Values("Connection"), ",")
	if hasToken(conn, "close") {
		return false
	}
	if h.major == 1 && h.minor == 0 {
		return hasToken(conn, "keep-alive")
	}
	return true
}

// readHead reads a response head. got reports whether any byte arrived,
// which decides whether a failed reused connection may be retried.
func readHead(br *bufio.Reader, h *respHead) (got bool, err error) {
	line, err := readLine(br)
	if len(line) > 0 {
		got = true
	}
	if err != nil {
		return got, err
	}
	if err := parseStatusLine(line, h); err != nil {
		return true, err
	}
	h.fields.Reset()
	for n := 0; ; n++ {
		line, err := readLine(br)
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = fmt.Errorf("%w: connection closed inside the head", errBadHead)
			}
			return true, err
		}
		if len(line) == 0 {
			return true, nil
		}
		if n >= maxHeadFields {
			return true, fmt.Errorf("%w: more than %d header fields", errBadHead, maxHeadFields)
		}
		if line[0] == ' ' || line[0] == '\t' {
			// obs-fold: continue the previous field's value.
			fs := h.fields.Fields()
			if len(fs) == 0 {
				return true, fmt.Errorf("%w: continuation line before any field", errBadHead)
			}
			kept := append([]pipeline.Field(nil), fs...)
			kept[len(kept)-1].Value += " " + strings.TrimSpace(string(line))
			h.fields.Reset()
			for _, f := range kept {
				h.fields.Add(f.Name, f.Value)
			}
			continue
		}
		i := bytes.IndexByte(line, ':')
		if i <= 0 || bytes.ContainsAny(line[:i], " \t") {
			return true, fmt.Errorf("%w: bad field line %q", errBadHead, clip(line))
		}
		h.fields.Add(string(line[:i]), string(bytes.TrimSpace(line[i+1:])))
	}
}

// readLine reads one line without its CRLF (or bare LF).
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(line) > maxHeadLine {
		return nil, fmt.Errorf("%w: line longer than %d bytes", errBadHead, maxHeadLine)
	}
	if err != nil {
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return line, io.ErrUnexpectedEOF
		}
		return line, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

func parseStatusLine(line []byte, h *respHead) error {
	s := string(line)
	if len(s) < 12 || !strings.HasPrefix(s, "HTTP/") || s[6] != '.' || s[8] != ' ' ||
		s[5] < '0' || s[5] > '9' || s[7] < '0' || s[7] > '9' {
		return fmt.Errorf("%w: bad status line %q", errBadHead, clip(line))
	}
	h.major, h.minor = int(s[5]-'0'), int(s[7]-'0')
	code, err := strconv.Atoi(s[9:12])
	if err != nil || code < 100 || code > 599 || len(s) > 12 && s[12] != ' ' {
		return fmt.Errorf("%w: bad status code in %q", errBadHead, clip(line))
	}
	h.status = code
	h.reason = ""
	if len(s) > 13 {
		h.reason = s[13:]
	}
	return nil
}

func clip(b []byte) string {
	if len(b) > 80 {
		return string(b[:80]) + "…"
	}
	return string(b)
}

// hasToken reports whether the comma-separated list holds token,
// ignoring case.
func hasToken(list, token string) bool {
	for _, t := range strings.Split(list, ",") {
		if strings.EqualFold(strings.TrimSpace(t), token) {
			return true
		}
	}
	return false
}

// bodyReader reads a response body and knows when it has ended.
type bodyReader interface {
	io.Reader
	// done reports whether the body has been read completely.
	done() bool
	// delimited reports whether the body's end is marked in the stream
	// (not by the connection closing), so the connection may be reused.
	delimited() bool
}

// noBody is the body of HEAD, 1xx, 204 and 304 responses.
type noBody struct{}

func (noBody) Read([]byte) (int, error) { return 0, io.EOF }
func (noBody) done() bool               { return true }
func (noBody) delimited() bool          { return true }

// lengthBody reads exactly n bytes.
type lengthBody struct {
	br *bufio.Reader
	n  int64
}

func (b *lengthBody) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	n, err := b.br.Read(p)
	b.n -= int64(n)
	if errors.Is(err, io.EOF) {
		if b.n > 0 {
			return n, io.ErrUnexpectedEOF
		}
		err = nil
	}
	return n, err
}

func (b *lengthBody) done() bool      { return b.n <= 0 }
func (b *lengthBody) delimited() bool { return true }

// closeBody reads until the backend closes the connection.
type closeBody struct {
	br  *bufio.Reader
	eof bool
}

func (b *closeBody) Read(p []byte) (int, error) {
	n, err := b.br.Read(p)
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

func (b *closeBody) done() bool      { return b.eof }
func (b *closeBody) delimited() bool { return false }

// chunkedBody decodes a chunked body and drops its trailer.
type chunkedBody struct {
	br   *bufio.Reader
	left int64 // bytes left in the current chunk
	crlf bool  // the current chunk's CRLF is still to be read
	end  bool  // last chunk and trailer read
}

func (b *chunkedBody) Read(p []byte) (int, error) {
	if b.end {
		return 0, io.EOF
	}
	if b.left == 0 {
		if err := b.next(); err != nil {
			return 0, err
		}
		if b.end {
			return 0, io.EOF
		}
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.br.Read(p)
	b.left -= int64(n)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err == nil && b.left == 0 {
		b.crlf = true
		// Read the next chunk header now when it is already buffered, so
		// the end of the body is seen without another wait.
		if buf, _ := b.br.Peek(b.br.Buffered()); bytes.Count(buf, []byte{'\n'}) >= 2 {
			if err := b.next(); err != nil {
				return n, err
			}
		}
	}
	return n, err
}

// next reads the CRLF ending the previous chunk and the next chunk-size
// line; for the last chunk it reads the trailer too.
func (b *chunkedBody) next() error {
	if b.crlf {
		line, err := readLine(b.br)
		if err != nil {
			return chunkErr(err)
		}
		if len(line) != 0 {
			return fmt.Errorf("%w: chunk data longer than its size", errBadHead)
		}
		b.crlf = false
	}
	line, err := readLine(b.br)
	if err != nil {
		return chunkErr(err)
	}
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 15 {
		return fmt.Errorf("%w: bad chunk size %q", errBadHead, clip(line))
	}
	size, err := strconv.ParseInt(string(line), 16, 64)
	if err != nil || size < 0 {
		return fmt.Errorf("%w: bad chunk size %q", errBadHead, clip(line))
	}
	if size > 0 {
		b.left = size
		return nil
	}
	for n := 0; ; n++ {
		line, err := readLine(b.br)
		if err != nil {
			return chunkErr(err)
		}
		if len(line) == 0 {
			b.end = true
			return nil
		}
		if n >= maxHeadFields {
			return fmt.Errorf("%w: trailer too long", errBadHead)
		}
	}
}

func chunkErr(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (b *chunkedBody) done() bool      { return b.end }
func (b *chunkedBody) delimited() bool { return true }

// newBodyReader picks the body framing of a response to method (Apache's
// and RFC 9112's rules): none for HEAD, 1xx, 204 and 304; chunked when
// the last transfer coding is chunked; else Content-Length; else until
// close. A bad Content-Length is an error.
func newBodyReader(br *bufio.Reader, method string, h *respHead) (bodyReader, error) {
	if method == "HEAD" || h.status < 200 || h.status == 204 || h.status == 304 {
		return noBody{}, nil
	}
	if te := h.fields.Values("Transfer-Encoding"); len(te) > 0 {
		codings := strings.Split(strings.ToLower(strings.Join(te, ",")), ",")
		if strings.TrimSpace(codings[len(codings)-1]) == "chunked" {
			return &chunkedBody{br: br}, nil
		}
		return &closeBody{br: br}, nil
	}
	if cls := h.fields.Values("Content-Length"); len(cls) > 0 {
		n, err := strconv.ParseInt(strings.TrimSpace(cls[0]), 10, 64)
		for _, v := range cls[1:] {
			if strings.TrimSpace(v) != strings.TrimSpace(cls[0]) {
				err = errors.New("differing values")
			}
		}
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%w: bad Content-Length %q", errBadHead, strings.Join(cls, ", "))
		}
		return &lengthBody{br: br, n: n}, nil
	}
	return &closeBody{br: br}, nil
}
