package proxy

import (
	"gohttpd/pipeline"
)

// Module is mod_proxy.
var Module = &pipeline.Module{
	Name:               "proxy",
	Description:        "reverse proxy: ProxyPass and friends, workers with connection pools, balancers, the proxy hooks",
	CreateServerConfig: createServerConfig,
	MergeServerConfig:  mergeServerConfig,
	CreateDirConfig:    createDirConfig,
	MergeDirConfig:     mergeDirConfig,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = registerHooks
	pipeline.RegisterModule(Module)
}

// registerHooks creates the generation's proxy hook set, publishes it,
// and registers mod_proxy's request and server functions.
func registerHooks(h *pipeline.Hooks) {
	ph := NewHooks()
	ph.attach(h)

	h.PostReadRequest.Register("proxy", detectForward, pipeline.First)
	h.TranslateName.Register("proxy", translate, pipeline.First)
	h.MapToStorage.Register("proxy", mapToStorage, pipeline.First)
	h.Fixups.Register("proxy", func(r *pipeline.Request) pipeline.Result { return fixup(r, ph) }, pipeline.Middle)
	h.Handler.Register("proxy", func(r *pipeline.Request) pipeline.Result { return handle(r, ph) }, pipeline.First)

	h.CheckConfig.Register("proxy", func(s *pipeline.Server) pipeline.Result {
		if err := ph.checkBalancers(); err != nil {
			if s.Log != nil {
				s.Log.Error("proxy: " + err.Error())
			}
			return 500
		}
		return pipeline.OK
	}, pipeline.Middle)
	h.PostConfig.Register("proxy", func(s *pipeline.Server) pipeline.Result {
		return shareWorkerState(s, ph)
	}, pipeline.Middle)
	h.ChildInit.Register("proxy", func(s *pipeline.Server) pipeline.Result {
		attachWorkerState(s, ph)
		return pipeline.OK
	}, pipeline.Middle)
}

// shareWorkerState is post_config (master): it creates the shared worker
// segment and shares it with the generation's children.
func shareWorkerState(s *pipeline.Server, ph *Hooks) pipeline.Result {
	if ph.reg.slots() == 0 || s.Gen == nil {
		return pipeline.OK
	}
	f, err := ph.reg.createSharedFile()
	if err != nil {
		if s.Log != nil {
			s.Log.Error("proxy: worker state cannot be shared between children; each child keeps its own", "error", err)
		}
		return pipeline.OK
	}
	s.Gen.ShareFile(SharedFileName, f)
	return pipeline.OK
}

// attachWorkerState is child_init: it maps the shared worker segment, or
// private memory when the master shared none.
func attachWorkerState(s *pipeline.Server, ph *Hooks) {
	if ph.reg.slots() == 0 || ph.reg.attached() {
		return
	}
	var err error
	if s.Gen != nil {
		if f := s.Gen.SharedFile(SharedFileName); f != nil {
			if err = ph.reg.attachFile(f); err == nil {
				return
			}
		}
	}
	if err != nil && s.Log != nil {
		s.Log.Error("proxy: cannot map the shared worker state; this child keeps its own", "error", err)
	}
	if err := ph.reg.attachFile(nil); err != nil && s.Log != nil {
		s.Log.Error("proxy: worker state", "error", err)
	}
}
