package authz_groupfile

import (
	"bufio"
	"bytes"
	"errors"

	"gohttpd/configs"
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_authz_groupfile.
var Module = &pipeline.Module{
	Name:            "authz_groupfile",
	Description:     "Require group, with groups from a text file (AuthGroupFile)",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig: func(base, add any) any {
		if a := add.(*DirConfig); a.file != nil {
			return a
		}
		return base
	},
	Directives: []*configs.Directive{{
		Name: "AuthGroupFile", Scope: configs.ScopeDirConfig, Type: configs.String,
		Syntax: "file-path",
		Help:   "Text file of groups and their members for Require group",
		Set: func(c *configs.Cmd, v configs.Value) error {
			if v.Str == "" {
				return c.Errorf("AuthGroupFile wants a file path")
			}
			c.Dir.(*DirConfig).file = auth.NewWatchedFile(c.ResolvePath(v.Str), parseGroups)
			return nil
		},
	}},
}

// DirConfig is authz_groupfile's per-directory record.
type DirConfig struct {
	file *auth.WatchedFile[groups]
}

func init() {
	pipeline.RegisterModule(Module)
	auth.RegisterAuthzProvider(Module.Name, "group", auth.AuthzProviderFunc(parseRequireGroup))
}

// groups maps a user to the set of groups listing it.
type groups map[string]map[string]bool

func parseGroups(data []byte) (groups, error) {
	g := groups{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		name, members, _ := bytes.Cut(line, []byte{':'})
		group := string(name)
		args, err := configs.SplitArgs(string(members))
		if err != nil {
			args = splitFields(members)
		}
		for _, u := range args {
			if g[u] == nil {
				g[u] = map[string]bool{}
			}
			g[u][group] = true
		}
	}
	return g, sc.Err()
}

func splitFields(b []byte) []string {
	var out []string
	for _, f := range bytes.Fields(b) {
		out = append(out, string(f))
	}
	return out
}

func parseRequireGroup(args []string) (auth.AuthzCheck, error) {
	if len(args) == 0 {
		return nil, errors.New("'Require group' wants group names")
	}
	want := append([]string(nil), args...)
	return func(r *pipeline.Request) auth.AuthzStatus {
		if r.User == "" {
			return auth.AuthzDeniedNoUser
		}
		d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
		if d == nil || d.file == nil {
			auth.LogError(r, Module.Name, "AH01664: No group file was specified in the configuration")
			return auth.AuthzDenied
		}
		g, err := d.file.Get()
		if err != nil {
			auth.LogError(r, Module.Name, "AH01667: Could not open group file: %s: %v", d.file.Path(), err)
			return auth.AuthzGeneralError
		}
		mine := g[r.User]
		if len(mine) == 0 {
			auth.LogError(r, Module.Name, "AH01665: Authorization of user %s to access %s failed, reason: user doesn't appear in group file (%s).", r.User, r.URI, d.file.Path())
			return auth.AuthzDenied
		}
		for _, w := range want {
			if mine[w] {
				return auth.AuthzGranted
			}
		}
		auth.LogError(r, Module.Name, "AH01666: Authorization of user %s to access %s failed, reason: user is not part of the 'require'ed group(s).", r.User, r.URI)
		return auth.AuthzDenied
	}, nil
}
