package core

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

const sc = configs.ScopeServerConfig

// serverInt declares an integer core setting of the server record.
func serverInt(name string, lo, hi int64, syntax, help string, field func(*pipeline.Server) *int) *configs.Directive {
	return directive(name, sc, configs.Int, syntax, help, intRange(lo, hi, func(c *configs.Cmd, n int) error {
		*field(server(c)) = n
		server(c).MarkSet(name)
		return nil
	}))
}

func serverDirectives() []*configs.Directive {
	seconds := func(field string, dst func(s *pipeline.Server) *time.Duration) func(*configs.Cmd, configs.Value) error {
		return func(c *configs.Cmd, v configs.Value) error {
			if v.Int < 0 {
				return fmt.Errorf("must not be negative")
			}
			*dst(server(c)) = time.Duration(v.Int) * time.Second
			server(c).MarkSet(field)
			return nil
		}
	}
	return []*configs.Directive{
		directive("ServerName", sc, configs.String, "[scheme://]domain-name|ip-address[:port]",
			"Hostname and port that the server uses to identify itself",
			func(c *configs.Cmd, v configs.Value) error {
				name := v.Str
				if i := strings.Index(name, "://"); i >= 0 {
					name = name[i+3:]
				}
				if host, port, ok := strings.Cut(name, ":"); ok && !strings.Contains(port, ":") {
					p, err := strconv.Atoi(port)
					if err != nil || p < 1 || p > 65535 {
						return fmt.Errorf("bad port in %q", v.Str)
					}
					server(c).Port = p
					name = host
				}
				if name == "" {
					return fmt.Errorf("empty server name")
				}
				server(c).ServerName = name
				server(c).MarkSet("ServerName")
				return nil
			}),
		directive("ServerAlias", configs.ScopeVirtualHost, configs.List, "hostname [hostname] ...",
			"Alternate names for a host used when matching requests to name-virtual hosts",
			func(c *configs.Cmd, v configs.Value) error {
				for _, it := range v.List {
					server(c).ServerAlias = append(server(c).ServerAlias, it.Args...)
				}
				return nil
			}),
		directive("ServerAdmin", sc, configs.String, "email-address|URL",
			"Email address that the server includes in error messages sent to the client",
			func(c *configs.Cmd, v configs.Value) error {
				server(c).ServerAdmin = v.Str
				server(c).MarkSet("ServerAdmin")
				return nil
			}),
		directive("DocumentRoot", sc, configs.String, "directory-path",
			"Directory that forms the main document tree visible from the web",
			func(c *configs.Cmd, v configs.Value) error {
				c.Server.(*ServerConfig).DocumentRoot = c.ResolvePath(v.Str)
				return nil
			}),
		directive("TraceEnable", sc, configs.String, "on|off|extended",
			"Whether TRACE requests are answered (default on; extended also allows request bodies)",
			func(c *configs.Cmd, v configs.Value) error {
				mode, err := oneOf(v.Str, "on", "off", "extended")
				if err != nil {
					return err
				}
				sc := c.Server.(*ServerConfig)
				sc.TraceEnable = map[string]TraceMode{"on": TraceOn, "off": TraceOff, "extended": TraceExtended}[mode]
				sc.traceSet = true
				return nil
			}),
		directive("Timeout", sc, configs.Int, "seconds",
			"Amount of time the server will wait for certain events before failing a request (default 60)",
			seconds("Timeout", func(s *pipeline.Server) *time.Duration { return &s.Timeout })),
		directive("KeepAlive", sc, configs.Flag, "On|Off",
			"Enables HTTP persistent connections (default On)",
			func(c *configs.Cmd, v configs.Value) error {
				server(c).KeepAlive = v.Bool
				server(c).MarkSet("KeepAlive")
				return nil
			}),
		directive("KeepAliveTimeout", sc, configs.Int, "seconds",
			"Amount of time the server will wait for subsequent requests on a persistent connection (default 5)",
			seconds("KeepAliveTimeout", func(s *pipeline.Server) *time.Duration { return &s.KeepAliveTimeout })),
		serverInt("MaxKeepAliveRequests", 0, 1<<31-1, "number",
			"Number of requests allowed on a persistent connection; 0 is unlimited (default 100)",
			func(s *pipeline.Server) *int { return &s.MaxKeepAliveRequests }),
		serverInt("LimitRequestLine", 1, 65536, "bytes",
			"Limit the size of the HTTP request line that will be accepted from the client (default 8190)",
			func(s *pipeline.Server) *int { return &s.LimitRequestLine }),
		serverInt("LimitRequestFieldSize", 1, 65536, "bytes",
			"Limits the size of the HTTP request header allowed from the client (default 8190)",
			func(s *pipeline.Server) *int { return &s.LimitRequestFieldSize }),
		serverInt("LimitRequestFields", 0, 32767, "number",
			"Limits the number of HTTP request header fields that will be accepted from the client; 0 is unlimited (default 100)",
			func(s *pipeline.Server) *int { return &s.LimitRequestFields }),
	}
}
