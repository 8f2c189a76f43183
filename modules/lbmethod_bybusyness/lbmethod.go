// Package lbmethodbybusyness is mod_lbmethod_bybusyness: the
// "bybusyness" load-balancing method, which sends each request to the
// balancer member with the fewest requests in flight (counted across
// every child), breaking ties by lbfactor-weighted credit.
package lbmethodbybusyness

import (
	"time"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// Module is mod_lbmethod_bybusyness.
var Module = &pipeline.Module{
	Name:        "lbmethod_bybusyness",
	Description: "bybusyness load balancing for mod_proxy_balancer: fewest requests in flight",
}

func init() {
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		if ph, ok := proxy.RequireHooks(h, "lbmethod_bybusyness"); ok {
			ph.RegisterLBMethod("bybusyness", proxy.LBMethodFunc(Pick))
		}
	}
	pipeline.RegisterModule(Module)
}

// Pick chooses the usable member of b with the fewest requests in flight;
// among equally busy members the one with the most lbfactor-weighted
// credit wins and pays the total earned. Hot-standby members are
// considered only when no other member is usable. It runs under b's
// lock.
func Pick(b *proxy.Balancer, _ *pipeline.Request) *proxy.Worker {
	now := time.Now()
	for _, standby := range [2]bool{false, true} {
		var best *proxy.Worker
		var total int64
		for _, w := range b.Members {
			if w.Params.HotStandby != standby || !w.Usable(now) {
				continue
			}
			w.AddLBStatus(int64(w.Params.LBFactor))
			total += int64(w.Params.LBFactor)
			if best == nil || w.Busy() < best.Busy() ||
				w.Busy() == best.Busy() && w.LBStatus() > best.LBStatus() {
				best = w
			}
		}
		if best != nil {
			best.AddLBStatus(-total)
			return best
		}
	}
	return nil
}
