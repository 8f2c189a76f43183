// Package authtest runs gohttpd's access phases (access_checker,
// check_user_id, auth_checker) over a TOML configuration without sockets
// or processes, for the tests of auth modules and of third-party
// providers:
//
//	s := authtest.New(t, `
//	[[Location]]
//	Path    = "/private"
//	Require = ["weekday Sat Sun"]
//	`)
//	st, r := s.Do(authtest.Req{URI: "/private/x"})
//
// The test binary must link the modules the configuration uses (import
// them for their side effects); the core module is linked here.
package authtest

import (
	"encoding/base64"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/stretchr/testify/require"

	"gohttpd/configs"
	_ "gohttpd/modules/core" // translate_name and map_to_storage
	"gohttpd/pipeline"
)

// Server is one configuration generation built for a test.
type Server struct {
	Gen *pipeline.Generation
}

// New builds conf with ServerRoot set to a fresh temporary directory
// (DocumentRoot defaults to "htdocs" under it). log receives the error
// log; nil discards it.
func New(t testing.TB, conf string) *Server {
	return NewWithLog(t, conf, nil)
}

// NewWithLog is New with an error-log logger.
func NewWithLog(t testing.TB, conf string, log hclog.Logger) *Server {
	t.Helper()
	return NewIn(t, t.TempDir(), conf, log)
}

// NewIn is New with the given ServerRoot.
func NewIn(t testing.TB, root, conf string, log hclog.Logger) *Server {
	t.Helper()
	cfg, err := configs.ReadBytes("authtest.toml", []byte(conf), configs.ReadOptions{ServerRoot: root})
	require.NoError(t, err)
	g, err := pipeline.Build(cfg, 1, log)
	require.NoError(t, err)
	return &Server{Gen: g}
}

// Req describes a request.
type Req struct {
	Method string // "" is GET
	URI    string
	// From is the client address; "" is 127.0.0.1.
	From string
	// Authorization is the header's value; "" sends none. User and
	// Password, when User is set, send Basic credentials instead.
	Authorization  string
	User, Password string
}

// Do runs the request through the mapping and access phases
// (pipeline.ProcessRequestInternal) and returns its result — OK when it
// may be served — and the request record.
func (s *Server) Do(q Req) (pipeline.Result, *pipeline.Request) {
	from := q.From
	if from == "" {
		from = "127.0.0.1"
	}
	c := &pipeline.Conn{Base: s.Gen.Main, Gen: s.Gen, RemoteAddr: from, RemotePort: 40000,
		LocalAddr: "127.0.0.1", LocalPort: 80, Worker: pipeline.NopWorkerSlot{}}
	r := pipeline.NewRequest(c)
	r.Method = q.Method
	if r.Method == "" {
		r.Method = "GET"
	}
	r.MethodNumber = pipeline.MethodNumber(r.Method)
	r.Protocol, r.ProtoNum = "HTTP/1.1", 1001
	r.Hostname = "localhost"
	r.SetURI(q.URI)
	switch {
	case q.User != "":
		r.HeadersIn.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(q.User+":"+q.Password)))
	case q.Authorization != "":
		r.HeadersIn.Set("Authorization", q.Authorization)
	}
	return pipeline.ProcessRequestInternal(r), r
}
