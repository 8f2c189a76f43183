package proxybalancer

import (
	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// Module is mod_proxy_balancer.
var Module = &pipeline.Module{
	Name:        "proxy_balancer",
	Description: "balancer:// URLs for mod_proxy: sticky sessions, load-balancing methods, failover, balancer-manager",
}

func init() {
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// ManagerHandler is the handler name of the balancer status page.
const ManagerHandler = "balancer-manager"

func registerHooks(h *pipeline.Hooks) {
	ph, ok := proxy.RequireHooks(h, "proxy_balancer")
	if !ok {
		return
	}
	ph.PreRequest.Register("proxy_balancer", func(r *pipeline.Request, d *proxy.Dispatch) pipeline.Result {
		return preRequest(r, d, ph)
	}, pipeline.First)
	ph.PostRequest.Register("proxy_balancer", postRequest, pipeline.First)
	ph.CanonHandler.Register("proxy_balancer", func(r *pipeline.Request, url string) pipeline.Result {
		return proxy.Canonicalize(r, url, proxy.BalancerScheme)
	}, pipeline.First)
	h.Handler.Register("proxy_balancer", func(r *pipeline.Request) pipeline.Result {
		return manager(r, ph)
	}, pipeline.Middle)
}
