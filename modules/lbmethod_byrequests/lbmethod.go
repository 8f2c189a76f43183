// Package lbmethodbyrequests is mod_lbmethod_byrequests: the "byrequests"
// load-balancing method, which gives each balancer member a share of
// requests proportional to its lbfactor (Apache's weighted request
// counting).
package lbmethodbyrequests

import (
	"time"

	"gohttpd/modules/proxy"
	"gohttpd/pipeline"
)

// Module is mod_lbmethod_byrequests.
var Module = &pipeline.Module{
	Name:        "lbmethod_byrequests",
	Description: "byrequests load balancing for mod_proxy_balancer: requests shared by lbfactor",
}

func init() {
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		if ph, ok := proxy.RequireHooks(h, "lbmethod_byrequests"); ok {
			ph.RegisterLBMethod("byrequests", proxy.LBMethodFunc(Pick))
		}
	}
	pipeline.RegisterModule(Module)
}

// Pick chooses a member of b: every usable member earns its lbfactor in
// credit, the one with the most credit wins and pays the total earned.
// Hot-standby members are considered only when no other member is
// usable. It runs under b's lock.
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
			if best == nil || w.LBStatus() > best.LBStatus() {
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
