package userdir

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// Module is mod_userdir.
var Module = &pipeline.Module{
	Name:               "userdir",
	Description:        "user-specific directories: /~user/ maps to a directory of the user's (UserDir)",
	CreateServerConfig: func(*pipeline.Server) any { return newServerConfig() },
	MergeServerConfig:  mergeServerConfig,
}

func init() {
	Module.Directives = []*configs.Directive{{
		Name: "UserDir", Scope: configs.ScopeServerConfig, Type: configs.List,
		Syntax: "directory [directory] ... | disabled [user ...] | enabled [user ...]",
		Help:   "Directories (relative to the user's home, absolute with * for the user name, or a redirect URL) that /~user/ maps to, or users for whom the mapping is disabled or enabled (root is disabled unless enabled by name)",
		Set:    setUserDir,
	}}
	Module.RegisterHooks = func(h *pipeline.Hooks) {
		h.TranslateName.Register("userdir", translate, pipeline.Middle, pipeline.After("alias"), pipeline.Before("vhost_alias"))
	}
	pipeline.RegisterModule(Module)
}

// Global switch values of ServerConfig.
const (
	switchDefault = iota
	switchEnabled
	switchDisabled
)

// ServerConfig is mod_userdir's per-server record.
type ServerConfig struct {
	// Dirs are the words of the last UserDir naming directories; nil
	// when none was given (the mapping is off).
	Dirs     []string
	global   int             // switchDefault, switchEnabled or switchDisabled
	enabled  map[string]bool // UserDir enabled user…
	disabled map[string]bool // UserDir disabled user…
	// homeDir returns a user's home directory from the passwd database.
	homeDir func(name string) (string, error)
}

func newServerConfig() *ServerConfig {
	return &ServerConfig{enabled: map[string]bool{}, disabled: map[string]bool{}, homeDir: lookupHome}
}

// mergeServerConfig is Apache's: a virtual host keeps its own
// directories and switch when it set them, and its own user lists.
func mergeServerConfig(base, add any) any {
	b, a := base.(*ServerConfig), add.(*ServerConfig)
	out := *a
	if out.global == switchDefault {
		out.global = b.global
	}
	if out.Dirs == nil {
		out.Dirs = b.Dirs
	}
	return &out
}

func lookupHome(name string) (string, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return "", err
	}
	return u.HomeDir, nil
}

func setUserDir(c *configs.Cmd, v configs.Value) error {
	sc := c.Server.(*ServerConfig)
	for _, it := range v.List {
		if err := sc.apply(it.Args); err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
	}
	return nil
}

// apply applies one UserDir line.
func (sc *ServerConfig) apply(args []string) error {
	if len(args) == 0 {
		return errors.New("UserDir requires an argument: directories, \"disabled [user…]\" or \"enabled [user…]\"")
	}
	kw := strings.ToLower(args[0])
	switch kw {
	case "disable", "disabled":
		if len(args) == 1 {
			sc.global = switchDisabled
		}
		for _, u := range args[1:] {
			sc.disabled[u] = true
		}
		return nil
	case "enable", "enabled":
		if len(args) == 1 {
			sc.global = switchEnabled
		}
		for _, u := range args[1:] {
			sc.enabled[u] = true
		}
		return nil
	}
	for _, d := range args {
		if strings.Count(d, "*") > 1 {
			return fmt.Errorf("%q has more than one '*'; the user name replaces a single '*'", d)
		}
		if !strings.HasPrefix(d, "/") && !strings.Contains(d, "*") && strings.Contains(d, ":") && !strings.Contains(d, "://") {
			return fmt.Errorf("%q is neither a directory nor a URL (scheme://host/path)", d)
		}
	}
	sc.Dirs = append([]string(nil), args...)
	return nil
}

// allowed reports whether the mapping applies to user name.
func (sc *ServerConfig) allowed(name string) bool {
	if sc.disabled[name] {
		return false
	}
	if name == "root" && !sc.enabled[name] {
		return false
	}
	return sc.global != switchDisabled || sc.enabled[name]
}

// translate maps "/~user/rest" (Apache's translate_userdir).
func translate(r *pipeline.Request) pipeline.Result {
	uri := r.URI
	if len(uri) < 2 || uri[0] != '/' || uri[1] != '~' {
		return pipeline.Declined
	}
	sc := pipeline.ModuleConfig[*ServerConfig](r.Server.Config, Module)
	if sc == nil || sc.Dirs == nil {
		return pipeline.Declined
	}
	name, rest := uri[2:], ""
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name, rest = name[:i], name[i:]
	}
	if name == "" || name == "." || name == ".." || !sc.allowed(name) {
		return pipeline.Declined
	}
	for i, d := range sc.Dirs {
		last := i == len(sc.Dirs)-1
		filename, redirect := sc.resolve(d, name, rest)
		if redirect != "" {
			r.HeadersOut.Set("Location", redirect)
			return 302
		}
		if filename == "" {
			continue
		}
		if last || exists(filename) {
			r.Filename = filename + rest
			r.Notes.Set("mod_userdir_user", name)
			return pipeline.OK
		}
	}
	return pipeline.Declined
}

// resolve applies one UserDir word to user name: a directory (without
// rest), or a redirect URL (with rest), or neither when the user has no
// home directory.
func (sc *ServerConfig) resolve(d, name, rest string) (filename, redirect string) {
	absolute := strings.HasPrefix(d, "/")
	if before, after, star := strings.Cut(d, "*"); star {
		if !absolute && strings.Contains(before, ":") {
			return "", before + name + after + rest
		}
		if absolute || before == "" {
			return before + name + after, ""
		}
	} else if absolute {
		return d + "/" + name, ""
	} else if strings.Contains(d, ":") {
		return "", d + "/" + name + rest
	}
	home, err := sc.homeDir(name)
	if err != nil || home == "" {
		return "", ""
	}
	return home + "/" + d, ""
}

func exists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}
