package mime

import (
	"gohttpd/pipeline"
)

// Module is mod_mime.
var Module = &pipeline.Module{
	Name:               "mime",
	Description:        "media types, charsets, encodings, languages and handlers from file name extensions",
	CreateServerConfig: func(*pipeline.Server) any { return &ServerConfig{} },
	MergeServerConfig:  mergeServer,
	CreateDirConfig:    func(string) any { return &DirConfig{} },
	MergeDirConfig:     mergeDir,
}

func init() {
	Module.Directives = directives()
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		h.CheckConfig.Register("mime", loadDefaultTypes, pipeline.Middle)
		h.TypeChecker.Register("mime", typeChecker, pipeline.Middle)
	}
	pipeline.RegisterModule(Module)
}

// ServerConfig is mod_mime's per-server record: the types table, which
// only the main server's TypesConfig sets.
type ServerConfig struct {
	// TypesConfig is the file the table was read from; "" for the
	// built-in table.
	TypesConfig string
	types       map[string]string // lower-case extension → media type
}

func mergeServer(base, add any) any {
	b, a := base.(*ServerConfig), add.(*ServerConfig)
	out := *a
	if out.types == nil {
		out.TypesConfig, out.types = b.TypesConfig, b.types
	}
	return &out
}

// TypeOf returns the media type the types table of s gives extension ext
// (without the dot, any case), or "".
func TypeOf(s *pipeline.Server, ext string) string {
	sc := pipeline.ModuleConfig[*ServerConfig](s.Config, Module)
	if sc == nil {
		return ""
	}
	return sc.types[lower(ext)]
}

// loadDefaultTypes reads /etc/mime.types (or takes the built-in table)
// for every server record TypesConfig left without a table.
func loadDefaultTypes(main *pipeline.Server) pipeline.Result {
	var def map[string]string
	for s := main; s != nil; s = s.Next {
		sc := pipeline.ModuleConfig[*ServerConfig](s.Config, Module)
		if sc == nil || sc.types != nil {
			continue
		}
		if def == nil {
			def = defaultTypes()
		}
		sc.types = def
	}
	return pipeline.OK
}
