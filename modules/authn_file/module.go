package authn_file

import (
	"gohttpd/configs"
	"gohttpd/modules/auth"
	"gohttpd/pipeline"
)

// Module is mod_authn_file.
var Module = &pipeline.Module{
	Name:            "authn_file",
	Description:     "the \"file\" authentication provider: htpasswd files (AuthUserFile)",
	CreateDirConfig: func(string) any { return &DirConfig{} },
	MergeDirConfig: func(base, add any) any {
		if a := add.(*DirConfig); a.file != nil {
			return a
		}
		return base
	},
	Directives: []*configs.Directive{{
		Name: "AuthUserFile", Scope: configs.ScopeDirConfig, Type: configs.String,
		Syntax: "file-path",
		Help:   "htpasswd file of users and password hashes for the \"file\" provider",
		Set: func(c *configs.Cmd, v configs.Value) error {
			if v.Str == "" {
				return c.Errorf("AuthUserFile wants a file path")
			}
			c.Dir.(*DirConfig).file = auth.NewWatchedFile(c.ResolvePath(v.Str), parseUserFile)
			return nil
		},
	}},
}

// DirConfig is authn_file's per-directory record.
type DirConfig struct {
	file *auth.WatchedFile[*userFile]
}

// UserFile returns the AuthUserFile path in force, or "".
func (d *DirConfig) UserFile() string {
	if d == nil || d.file == nil {
		return ""
	}
	return d.file.Path()
}

func init() {
	pipeline.RegisterModule(Module)
	auth.RegisterAuthnProvider(Module.Name, "file", auth.AuthnProviderFunc(checkPassword))
}

// checkPassword is the "file" provider.
func checkPassword(r *pipeline.Request, user, password string) auth.AuthnStatus {
	d := pipeline.ModuleConfig[*DirConfig](r.PerDir, Module)
	if d == nil || d.file == nil {
		auth.LogError(r, Module.Name, "AH01620: Could not open password file: (none; set AuthUserFile)")
		return auth.AuthGeneralError
	}
	uf, err := d.file.Get()
	if err != nil {
		auth.LogError(r, Module.Name, "AH01620: Could not open password file: %s: %v", d.file.Path(), err)
		return auth.AuthGeneralError
	}
	root := topRequest(r)
	if m, ok := root.Values[memoKey{}].(*memo); ok && m.uf == uf && m.user == user && m.password == password {
		return m.status
	}
	st := auth.AuthDenied
	switch ok, found := uf.check(user, password); {
	case !found:
		st = auth.AuthUserNotFound
	case ok:
		st = auth.AuthGranted
	}
	if root.Values == nil {
		root.Values = map[any]any{}
	}
	root.Values[memoKey{}] = &memo{uf: uf, user: user, password: password, status: st}
	return st
}

// memo remembers the last check made for a request, so that its
// sub-requests and internal redirects (DirectoryIndex, ErrorDocument),
// which authenticate again from the same header, do not pay for a second
// hash of the same password against the same file contents.
type memo struct {
	uf             *userFile
	user, password string
	status         auth.AuthnStatus
}

type memoKey struct{}

// topRequest returns the request r descends from by sub-requests and
// internal redirects.
func topRequest(r *pipeline.Request) *pipeline.Request {
	for {
		switch {
		case r.Main != nil:
			r = r.Main
		case r.Prev != nil:
			r = r.Prev
		default:
			return r
		}
	}
}
