package h1

import (
	"bufio"
	"bytes"
	"errors"
)

// Why a line could not be read; the callers turn these into the status
// Apache answers in their context (a long request line is 414, a long
// header line 400, a long chunk-size line 413).
var (
	errLineTooLong = errors.New("line too long")
	errBareLF      = errors.New("line not terminated by CRLF")
	errNULByte     = errors.New("NUL byte in line")
)

// appendLine reads one line from br and appends it to dst without its line
// end. The line may hold limit+1 bytes before its CRLF, as with Apache
// (whose buffer is limit+2 bytes and lets the final LF overrun it). It
// returns the grown dst and:
//   - errLineTooLong once the line is known to be longer; the rest of the
//     line is then read and dropped up to its LF (or the end of input), as
//     Apache's line reader consumes it, so the bytes read from the client
//     are the same;
//   - errBareLF for a line ended by LF alone (HttpProtocolOptions Strict);
//   - errNULByte for a line holding a NUL byte;
//   - the reader's error (io.EOF, a timeout) if the input ends first; dst
//     then holds what was read.
func appendLine(dst []byte, br *bufio.Reader, limit int) ([]byte, error) {
	start := len(dst)
	max := limit + 3 // content, CR, LF
	for {
		chunk, err := br.ReadSlice('\n')
		if room := max - (len(dst) - start); len(chunk) > room {
			dst = append(dst, chunk[:room]...)
			skipLine(br, err)
			return dst, errLineTooLong
		}
		dst = append(dst, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return dst, err
		}
		break
	}
	line := dst[start:]
	n := len(line) - 1 // drop LF
	crlf := n > 0 && line[n-1] == '\r'
	if crlf {
		n--
	}
	dst = dst[:start+n]
	if n > limit+1 {
		return dst, errLineTooLong
	}
	if !crlf {
		return dst, errBareLF
	}
	if bytes.IndexByte(dst[start:], 0) >= 0 {
		return dst, errNULByte
	}
	return dst, nil
}

// skipLine drops the rest of a line whose last read returned err, up to
// and including its LF; a read error ends it silently.
func skipLine(br *bufio.Reader, err error) {
	for err == bufio.ErrBufferFull {
		_, err = br.ReadSlice('\n')
	}
}
