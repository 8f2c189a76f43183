package pipeline

import (
	"regexp"
	"time"

	"github.com/hashicorp/go-hclog"

	"gohttpd/configs"
)

// ConfigVector holds one configuration record per compiled-in module,
// indexed by Module.Index (Apache's ap_conf_vector_t). Modules that are not
// loaded, or have no record of that kind, have nil.
type ConfigVector []any

func newConfigVector() ConfigVector { return make(ConfigVector, moduleCount()) }

// Get returns m's record, or nil.
func (v ConfigVector) Get(m *Module) any {
	if m.index < len(v) {
		return v[m.index]
	}
	return nil
}

// ModuleConfig returns m's record in v as a T; the zero T when absent.
func ModuleConfig[T any](v ConfigVector, m *Module) T {
	t, _ := v.Get(m).(T)
	return t
}

// Server is a server record (Apache's server_rec): the main server or one
// virtual host, with the core settings every phase reads and each module's
// per-server record. Virtual hosts inherit unset core settings and have
// their module records merged over the main server's.
type Server struct {
	Gen       *Generation
	Pos       configs.Position // where the VirtualHost section starts; the main file for the main server
	IsVirtual bool
	Addrs     []string // VirtualHost addresses as written ("*:80")

	ServerName  string
	ServerAlias []string
	ServerAdmin string
	Port        int

	Timeout               time.Duration
	KeepAlive             bool
	KeepAliveTimeout      time.Duration
	MaxKeepAliveRequests  int
	LimitRequestLine      int
	LimitRequestFieldSize int
	LimitRequestFields    int

	Log hclog.Logger

	// Config holds each module's per-server record.
	Config ConfigVector
	// DirDefaults holds each module's per-directory record for this
	// server's top level (Apache's lookup_defaults): the base every
	// per-directory merge starts from.
	DirDefaults ConfigVector

	// Directory, Files and Location sections that apply to this server,
	// in Apache's merge order (see Walk).
	DirSections  []*Section
	FileSections []*Section
	URLSections  []*Section
	// ProxySections are the Proxy and ProxyMatch sections, in
	// configuration order (see ProxyWalk).
	ProxySections []*Section

	// Next is the next virtual host; the main server's Next is the first.
	Next *Server

	set map[string]bool // core fields set explicitly, for vhost inheritance
}

// MarkSet records that a core field was set explicitly by a directive, so
// virtual hosts do not inherit the main server's value over it.
func (s *Server) MarkSet(field string) {
	if s.set == nil {
		s.set = map[string]bool{}
	}
	s.set[field] = true
}

// Section is one Directory, DirectoryMatch, Location, LocationMatch, Files,
// FilesMatch, Proxy or ProxyMatch section with its per-directory records.
type Section struct {
	Kind   configs.SectionKind
	Path   string         // resolved directory path, URL prefix, file name or pattern
	Regex  *regexp.Regexp // for the Match kinds, and Directory "~" forms
	Pos    configs.Position
	Config ConfigVector
	// Files are Files sections nested in a Directory section; they apply
	// when this section does.
	Files []*Section
	depth int // path components, for Directory ordering
	order int // position in the configuration, for stable ordering
}

// defaultServer returns a server with Apache's defaults for the core
// settings.
func defaultServer(g *Generation) *Server {
	return &Server{
		Gen:                   g,
		Port:                  0,
		Timeout:               60 * time.Second,
		KeepAlive:             true,
		KeepAliveTimeout:      5 * time.Second,
		MaxKeepAliveRequests:  100,
		LimitRequestLine:      8190,
		LimitRequestFieldSize: 8190,
		LimitRequestFields:    100,
		Log:                   g.Log,
		Config:                newConfigVector(),
		DirDefaults:           newConfigVector(),
	}
}

// inheritable lists the core settings a virtual host inherits from the
// main server when it does not set them, by directive name.
var inheritable = map[string]func(dst, src *Server){
	"ServerName":            func(d, s *Server) { d.ServerName = s.ServerName },
	"ServerAdmin":           func(d, s *Server) { d.ServerAdmin = s.ServerAdmin },
	"Timeout":               func(d, s *Server) { d.Timeout = s.Timeout },
	"KeepAlive":             func(d, s *Server) { d.KeepAlive = s.KeepAlive },
	"KeepAliveTimeout":      func(d, s *Server) { d.KeepAliveTimeout = s.KeepAliveTimeout },
	"MaxKeepAliveRequests":  func(d, s *Server) { d.MaxKeepAliveRequests = s.MaxKeepAliveRequests },
	"LimitRequestLine":      func(d, s *Server) { d.LimitRequestLine = s.LimitRequestLine },
	"LimitRequestFieldSize": func(d, s *Server) { d.LimitRequestFieldSize = s.LimitRequestFieldSize },
	"LimitRequestFields":    func(d, s *Server) { d.LimitRequestFields = s.LimitRequestFields },
}

// inheritCore copies into vhost s every core setting it did not set.
func (s *Server) inheritCore(main *Server) {
	for name, inherit := range inheritable {
		if !s.set[name] {
			inherit(s, main)
		}
	}
}

// VirtualHosts returns the virtual hosts in configuration order.
func (s *Server) VirtualHosts() []*Server {
	var out []*Server
	for v := s.Next; v != nil; v = v.Next {
		out = append(out, v)
	}
	return out
}
