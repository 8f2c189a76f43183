package autoindex

import (
	"gohttpd/pipeline"
)

// Module is mod_autoindex.
var Module = &pipeline.Module{
	Name:            "autoindex",
	Description:     "directory listings (Options Indexes): sortable, plain, fancy or as a table, with icons, descriptions, header and readme files",
	CreateDirConfig: newConfig,
	MergeDirConfig:  merge,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		h.Handler.Register("autoindex", handler, pipeline.Middle)
	}
	pipeline.RegisterModule(Module)
}
