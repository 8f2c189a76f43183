package h1

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// browserGET is what a current desktop browser sends for a page.
const browserGET = "GET /articles/2024/how-to-parse-http.html?ref=home HTTP/1.1\r\n" +
	"Host: www.example.com\r\n" +
	"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
	"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n" +
	"Accept-Language: en-US,en;q=0.5\r\n" +
	"Accept-Encoding: gzip, deflate, br, zstd\r\n" +
	"Referer: https://www.example.com/\r\n" +
	"Connection: keep-alive\r\n" +
	"Cookie: session=0123456789abcdef0123456789abcdef; theme=dark; consent=yes; _ga=GA1.2.1234567890.1700000000\r\n" +
	"Upgrade-Insecure-Requests: 1\r\n" +
	"Sec-Fetch-Dest: document\r\n" +
	"Sec-Fetch-Mode: navigate\r\n" +
	"Sec-Fetch-Site: same-origin\r\n" +
	"Sec-Fetch-User: ?1\r\n" +
	"Priority: u=0, i\r\n" +
	"\r\n"

func BenchmarkParseBrowserGET(b *testing.B) {
	raw := []byte(browserGET)
	src := bytes.NewReader(raw)
	br := bufio.NewReader(src)
	p := NewReader(br, DefaultLimits())
	var r Request
	b.ReportAllocs()
	b.SetBytes(int64(len(browserGET)))
	for b.Loop() {
		src.Reset(raw)
		br.Reset(src)
		if err := p.ReadRequest(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseBrowserGETAllocs(t *testing.T) {
	raw := []byte(browserGET)
	src := bytes.NewReader(raw)
	br := bufio.NewReader(src)
	p := NewReader(br, DefaultLimits())
	var r Request
	allocs := testing.AllocsPerRun(100, func() {
		src.Reset(raw)
		br.Reset(src)
		if err := p.ReadRequest(&r); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per request, want 0", allocs)
	}
}

func chunkedBody(total, chunk int) []byte {
	var b bytes.Buffer
	data := strings.Repeat("x", chunk)
	for left := total; left > 0; left -= chunk {
		n := min(chunk, left)
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, data[:n])
	}
	b.WriteString("0\r\n\r\n")
	return b.Bytes()
}

func BenchmarkChunkedDecode(b *testing.B) {
	for _, chunk := range []int{256, 4096} {
		b.Run(fmt.Sprintf("chunk=%d", chunk), func(b *testing.B) {
			body := chunkedBody(64<<10, chunk)
			src := bytes.NewReader(body)
			br := bufio.NewReaderSize(src, 16<<10)
			c := NewChunkedReader(br, DefaultLimits())
			buf := make([]byte, 32<<10)
			b.ReportAllocs()
			b.SetBytes(64 << 10)
			for b.Loop() {
				src.Reset(body)
				br.Reset(src)
				c.Reset(br, DefaultLimits())
				for {
					_, err := c.Read(buf)
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
