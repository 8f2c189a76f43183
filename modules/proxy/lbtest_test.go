package proxy

import "gohttpd/pipeline"

// lbtestModule stands in for the lbmethod modules (which import this
// package) in this package's tests: it registers byrequests and
// bybusyness as "first usable member".
var lbtestModule = &pipeline.Module{Name: "lbtest", Description: "test lbmethods"}

func init() {
	lbtestModule.RegisterHooks = func(h *pipeline.Hooks) {
		ph, ok := HooksOf(h)
		if !ok {
			return
		}
		first := LBMethodFunc(func(b *Balancer, _ *pipeline.Request) *Worker {
			for _, w := range b.Members {
				if !w.Params.Disabled && !w.InError() {
					return w
				}
			}
			return nil
		})
		ph.RegisterLBMethod("byrequests", first)
		ph.RegisterLBMethod("bybusyness", first)
	}
	pipeline.RegisterModule(lbtestModule)
}
