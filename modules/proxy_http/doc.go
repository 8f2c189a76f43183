// Package proxyhttp is mod_proxy_http: the scheme handler that fetches
// http:// (and ws://) URLs for mod_proxy.
//
// It registers scheme_handler and canon_handler on mod_proxy's private
// hooks (see proxy.HooksOf) and runs Apache's six steps for each request:
// determine whom to connect to, prefetch the request body (so
// Content-Length or chunked is decided before a backend connection is
// taken), take a connection from the worker's pool (or connect), send the
// request, receive the response, release the connection. A reused pooled
// connection that the backend closed before sending any byte of a response
// is retried once on a new connection.
//
// Bodies stream both ways: the request body is read from the request's
// input filters (r.Body) and written to the backend as it arrives, with
// Content-Length when known and chunked otherwise; the response body is
// passed down the output filters one backend read at a time, each pass
// ending with a flush. Hop-by-hop headers are removed in both directions;
// X-Forwarded-For, -Host and -Server are added (ProxyAddHeaders).
// "Expect: 100-continue" is forwarded: the client is told to continue only
// when the backend says so. A 101 answer to an "Upgrade" request the
// worker allows (upgrade=, websocket for ws:// workers) turns the
// connection into a tunnel.
//
// Errors are answered as Apache does: 503 when no connection to the
// backend can be had (the worker then stays in error state for retry=
// seconds), 504 when the backend does not answer within the timeout, 502
// for anything else the backend gets wrong.
package proxyhttp
