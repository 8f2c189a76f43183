// Package http is gohttpd's http module (Apache's http_module and the
// HTTP/1.x parts of the core): it speaks HTTP/1.0, HTTP/1.1 and HTTP/0.9
// on a connection. Its process_connection function (registered REALLY_LAST,
// so protocol modules registered earlier may take a connection first) runs
// the keep-alive loop: read a request with package h1, pick the virtual
// host, run post_read_request and the request phases, then wait for the
// next request under KeepAliveTimeout and MaxKeepAliveRequests. Request
// heads are read under the LimitRequest* of the server the connection's
// address selects (Apache's base server); chunk-size lines and trailers
// under those of the virtual host then chosen by Host. A refused request
// keeps the request line, method and URI Apache logs for it, and every
// request's Request.BytesRead is what it consumed of the connection (%I).
// "OPTIONS *" ends in map_to_storage, as in Apache's http module.
//
// It supplies the HTTP_HEADER output filter (status line, Date, Server,
// Content-Length when known, chunked or close-delimited bodies otherwise,
// Connection and Keep-Alive as Apache decides them, HEAD without a body,
// response header validation) and the HTTP_IN input filter (de-chunking,
// Content-Length, LimitRequestBody, "100 Continue" on the first read).
package http
