package core

import (
	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Module is the core module.
var Module = &pipeline.Module{
	Name:               "core",
	Description:        "core directives: addresses, users, limits, process model, DocumentRoot, Options",
	CreateServerConfig: func(*pipeline.Server) any { return &ServerConfig{} },
	MergeServerConfig:  mergeServerConfig,
	CreateDirConfig:    func(string) any { return &DirConfig{staticDir: newStaticDir()} },
	MergeDirConfig:     mergeDirConfig,
}

func init() {
	Module.RegisterHooks = RegisterHooks
	Module.Directives = append(append(append([]*configs.Directive{}, serverDirectives()...), processDirectives()...), dirDirectives()...)
	Module.Directives = append(append(Module.Directives, staticDirDirectives()...), staticServerDirectives()...)
	pipeline.RegisterModule(Module)
}

// ServerConfig is core's per-server record.
type ServerConfig struct {
	// DocumentRoot is absolute once configured; "" means unset (the
	// default, ServerRoot/htdocs, is applied when serving).
	DocumentRoot string
	// TraceEnable is TraceOn (default), TraceOff or TraceExtended.
	TraceEnable TraceMode
	traceSet    bool
	// Tokens is ServerTokens; only the main server's counts.
	Tokens TokensMode

	walks *walkCache // set by check_config
}

// TraceMode is a TraceEnable setting.
type TraceMode int

const (
	TraceOn TraceMode = iota
	TraceOff
	TraceExtended
)

func mergeServerConfig(base, add any) any {
	b, a := base.(*ServerConfig), add.(*ServerConfig)
	out := *a
	if out.DocumentRoot == "" {
		out.DocumentRoot = b.DocumentRoot
	}
	if !a.traceSet {
		out.TraceEnable = b.TraceEnable
	}
	return &out
}

// ServerConfigOf returns core's per-server record of s.
func ServerConfigOf(s *pipeline.Server) *ServerConfig {
	return pipeline.ModuleConfig[*ServerConfig](s.Config, Module)
}

// DirConfigOf returns core's per-directory record in v.
func DirConfigOf(v pipeline.ConfigVector) *DirConfig {
	return pipeline.ModuleConfig[*DirConfig](v, Module)
}
