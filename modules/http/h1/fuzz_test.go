package h1

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzParseRequest feeds arbitrary bytes to a Reader as a server would
// (head, body, next request). It must never panic, must give the same
// answers whatever the bufio size, and whatever it accepts must be sane.
func FuzzParseRequest(f *testing.F) {
	for _, c := range apacheCases {
		if len(c.raw) < 4096 {
			f.Add([]byte(c.raw))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		small := fuzzRun(t, data, 16)
		large := fuzzRun(t, data, 4096)
		if small != large {
			t.Fatalf("bufio size changes the outcome: %q vs %q", small, large)
		}
	})
}

// fuzzRun reads up to 8 requests from data and returns their outcomes.
func fuzzRun(t *testing.T, data []byte, size int) string {
	p := NewReader(bufio.NewReaderSize(bytes.NewReader(data), size), DefaultLimits())
	var r Request
	var out []string
	for range 8 {
		err := p.ReadRequest(&r)
		if err == nil {
			checkSane(t, &r)
			_, err = io.Copy(io.Discard, p.Body(&r))
		}
		if err != nil {
			checkError(t, err)
			if s := StatusOf(err); s != 0 {
				out = append(out, err.Error())
			}
			break
		}
		out = append(out, "ok "+r.Method+" "+string(r.URI))
	}
	return strings.Join(out, "|")
}

func checkError(t *testing.T, err error) {
	var he *Error
	if !errors.As(err, &he) {
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		return
	}
	switch he.Status {
	case 400, 413, 414, 417:
	default:
		t.Fatalf("unexpected status %d: %v", he.Status, err)
	}
	if he.Reason == "" {
		t.Fatalf("error without reason: %v", err)
	}
}

// checkSane verifies what a successful ReadRequest promises.
func checkSane(t *testing.T, r *Request) {
	if r.Method == "" {
		t.Fatal("empty method")
	}
	for i := 0; i < len(r.Method); i++ {
		if !isToken(r.Method[i]) {
			t.Fatalf("method %q is not a token", r.Method)
		}
	}
	if len(r.URI) == 0 {
		t.Fatal("empty URI")
	}
	for _, c := range r.URI {
		if !isVchar(c) {
			t.Fatalf("URI %q holds %q", r.URI, c)
		}
	}
	switch {
	case r.ProtoMajor == 0:
		if r.Proto != "HTTP/0.9" || r.Method != "GET" || len(r.Fields) != 0 || !r.MustClose {
			t.Fatalf("bad HTTP/0.9 request %+v", r)
		}
	case r.ProtoMajor < 1 || r.ProtoMajor > 9 || r.ProtoMinor < 0 || r.ProtoMinor > 9:
		t.Fatalf("bad version %d.%d", r.ProtoMajor, r.ProtoMinor)
	}
	if len(r.Fields) > DefaultFields {
		t.Fatalf("%d fields", len(r.Fields))
	}
	for _, f := range r.Fields {
		if len(f.Name) == 0 {
			t.Fatal("empty field name")
		}
		for _, c := range f.Name {
			if !isToken(c) {
				t.Fatalf("field name %q", f.Name)
			}
		}
		for _, c := range f.Value {
			if isCtl(c) {
				t.Fatalf("field value %q", f.Value)
			}
		}
		if n := len(f.Value); n > 0 && (f.Value[0] == ' ' || f.Value[0] == '\t' || f.Value[n-1] == ' ' || f.Value[n-1] == '\t') {
			t.Fatalf("field value %q not trimmed", f.Value)
		}
		if len(f.Name)+len(f.Value) > DefaultFieldSize+1 {
			t.Fatalf("field %q longer than the limit", f.Name)
		}
	}
	if r.ContentLength < -1 || r.Chunked && r.ContentLength != -1 {
		t.Fatalf("content length %d, chunked %v", r.ContentLength, r.Chunked)
	}
	if r.atLeast11() && len(r.Host) == 0 && !r.uriHost {
		t.Fatal("HTTP/1.1 request without host")
	}
	if r.ProtoMajor == 1 && r.ProtoMinor == 1 && r.Count("Host") == 0 {
		t.Fatal("HTTP/1.1 request without Host field")
	}
}

// FuzzChunked decodes arbitrary bytes as a chunked body. It must never
// panic, never produce more bytes than it read, and decode the same way
// whether its input arrives whole or byte by byte.
func FuzzChunked(f *testing.F) {
	for _, c := range apacheCases {
		if _, body, ok := strings.Cut(c.raw, "Transfer-Encoding: chunked\r\n\r\n"); ok && len(body) < 4096 {
			f.Add([]byte(body), int64(c.bodyLimit))
		}
	}
	f.Add([]byte("5\r\nhello\r\n0\r\n\r\n"), int64(3))
	f.Fuzz(func(t *testing.T, data []byte, limit int64) {
		lim := DefaultLimits()
		lim.Body = limit
		whole, errWhole := decodeAll(bufio.NewReader(bytes.NewReader(data)), lim)
		if len(whole) > len(data) {
			t.Fatalf("decoded %d bytes from %d", len(whole), len(data))
		}
		if limit > 0 && int64(len(whole)) > limit {
			t.Fatalf("decoded %d bytes over the limit %d", len(whole), limit)
		}
		if errWhole != nil {
			checkError(t, errWhole)
		}
		bytewise, errBytewise := decodeAll(bufio.NewReaderSize(iotest.OneByteReader(bytes.NewReader(data)), 16), lim)
		if !bytes.Equal(whole, bytewise) || StatusOf(errWhole) != StatusOf(errBytewise) {
			t.Fatalf("outcome depends on read sizes: %q/%v vs %q/%v", whole, errWhole, bytewise, errBytewise)
		}
	})
}

func decodeAll(br *bufio.Reader, lim Limits) ([]byte, error) {
	c := NewChunkedReader(br, lim)
	var out []byte
	buf := make([]byte, 7)
	for range 1 << 16 {
		n, err := c.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			for _, f := range c.Trailers() {
				if len(f.Name) == 0 {
					return out, errors.New("empty trailer name")
				}
			}
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
	return out, errors.New("decoder did not finish")
}
