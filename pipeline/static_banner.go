package pipeline

// Optional functions the core module publishes for server-generated text
// (Apache's ap_get_server_banner and ap_psignature).
const (
	// OptServerBanner names a ServerBannerFunc: the Server header value
	// under ServerTokens.
	OptServerBanner = "ap_get_server_banner"
	// OptSignature names a SignatureFunc: the ServerSignature footer of
	// error pages and listings.
	OptSignature = "ap_psignature"
)

// ServerBannerFunc is the type of the OptServerBanner function.
type ServerBannerFunc func() string

// SignatureFunc is the type of the OptSignature function: the footer for
// r, prefix first, or "" when ServerSignature is Off.
type SignatureFunc func(r *Request, prefix string) string

// ServerBanner returns the Server header value for r's generation: the
// core module's ServerTokens answer, or "gohttpd/<version> (Unix)".
func ServerBanner(r *Request) string {
	if r != nil && r.Conn != nil && r.Conn.Gen != nil {
		if fn, ok, _ := RetrieveOptional[ServerBannerFunc](r.Conn.Gen.Hooks.Optional, OptServerBanner); ok {
			return fn()
		}
	}
	return Banner() + " (Unix)"
}

// Signature returns the ServerSignature footer for r with prefix, or "".
func Signature(r *Request, prefix string) string {
	if r == nil || r.Conn == nil || r.Conn.Gen == nil {
		return ""
	}
	if fn, ok, _ := RetrieveOptional[SignatureFunc](r.Conn.Gen.Hooks.Optional, OptSignature); ok {
		return fn(r, prefix)
	}
	return ""
}
