package proxyhttp

import (
	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// Module is mod_proxy_http.
var Module = &pipeline.Module{
	Name:        "proxy_http",
	Description: "HTTP/1.1 (and WebSocket) backends for mod_proxy: pooled keep-alive connections, streamed bodies",
}

func init() {
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// registerHooks registers on mod_proxy's private hooks, as Apache's
// ap_proxy_http_register_hook does: scheme_handler and canon_handler,
// both FIRST. Without mod_proxy loaded there is nothing to register on.
func registerHooks(h *pipeline.Hooks) {
	ph, ok := proxy.RequireHooks(h, "proxy_http")
	if !ok {
		return
	}
	ph.SchemeHandler.Register("proxy_http", func(r *pipeline.Request, d *proxy.Dispatch) pipeline.Result {
		return handle(r, d, ph)
	}, pipeline.First)
	ph.CanonHandler.Register("proxy_http", canon, pipeline.First)
}
