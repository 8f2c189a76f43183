// Package h1 is the HTTP/1.x wire layer of the http module: it reads request
// heads and request bodies off a connection the way Apache httpd 2.4 does
// with its default "HttpProtocolOptions Strict LenientMethods Allow0.9".
//
// A Reader parses one request head at a time from a *bufio.Reader into a
// reusable Request, leaving any bytes that follow (a body, or the next
// pipelined request) in the bufio.Reader. It checks the request line
// (single SP separators, CRLF line ends, token methods, HTTP/1.x versions,
// HTTP/0.9 simple GET requests), the header fields (token names, no control
// bytes, obs-fold joined with a space), the Host, Content-Length,
// Transfer-Encoding and Expect fields, and the LimitRequestLine,
// LimitRequestFieldSize and LimitRequestFields limits. The body of the
// request is then read with Reader.Body, which decodes the chunked transfer
// coding (chunk extensions and trailers included) or counts Content-Length
// bytes, and enforces LimitRequestBody.
//
// Every refusal is an *Error carrying the status Apache answers for the same
// bytes (400, 413, 414, 417) and a reason worded like Apache's error log.
// What the head does not decide (unknown but well-formed methods answered
// 501, missing files, methods a resource refuses) is left to the server.
//
// The package owns no connection and no goroutine; it allocates nothing per
// request once a Request's storage has grown to fit the traffic.
package h1
