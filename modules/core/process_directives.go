package core

import (
	"fmt"
	"strings"
	"time"

	"gohttpd/configs"
)

const top = configs.ScopeServer

// processDirectives are the directives of the process model: listeners,
// user, PidFile, error log and the MPM limits (Apache's core, mod_unixd
// and mpm_prefork/mpm_worker directives).
func processDirectives() []*configs.Directive {
	limit := func(name string, lo, hi int64, dst func(c *configs.Cmd) *int) *configs.Directive {
		return directive(name, top, configs.Int, "number", processHelp[name],
			intRange(lo, hi, func(c *configs.Cmd, n int) error {
				*dst(c) = n
				process(c).Set[name] = true
				return nil
			}))
	}
	maxWorkers := func(c *configs.Cmd) *int { return &process(c).MaxRequestWorkers }
	maxConns := func(c *configs.Cmd) *int { return &process(c).MaxConnectionsPerChild }
	return []*configs.Directive{
		directive("ServerRoot", top, configs.String, "directory-path",
			"Base directory for the server installation; relative paths in the configuration are resolved against it",
			func(c *configs.Cmd, v configs.Value) error {
				// The reader already used it to resolve Include; record it.
				process(c).ServerRoot = c.ServerRoot
				return nil
			}),
		directive("Listen", top, configs.List, "[IP-address:]portnumber [protocol]",
			"IP addresses and ports that the server listens to (repeatable)",
			func(c *configs.Cmd, v configs.Value) error {
				for _, it := range v.List {
					if len(it.Args) < 1 || len(it.Args) > 2 {
						return fmt.Errorf("%q: want [IP-address:]portnumber [protocol]", it.Raw)
					}
					p := process(c)
					p.Listen = append(p.Listen, strings.Join(it.Args, " "))
					p.ListenPos = append(p.ListenPos, c.Pos.String())
				}
				return nil
			}),
		directive("AcceptFilter", top, configs.List, "protocol accept_filter",
			"Holds back a connection of a Listen protocol until its client sends data (any filter but none: TCP_DEFER_ACCEPT; default http data, https data) (repeatable)",
			func(c *configs.Cmd, v configs.Value) error {
				for _, it := range v.List {
					if len(it.Args) != 2 {
						return fmt.Errorf("%q: want protocol accept_filter", it.Raw)
					}
					process(c).AcceptFilter[strings.ToLower(it.Args[0])] = strings.ToLower(it.Args[1])
				}
				return nil
			}),
		limit("ListenBacklog", 1, 1<<20, func(c *configs.Cmd) *int { return &process(c).ListenBacklog }),
		directive("User", top, configs.String, "unix-userid",
			"The user the children run as when the master starts as root (default nobody)",
			func(c *configs.Cmd, v configs.Value) error {
				process(c).User = v.Str
				return nil
			}),
		directive("Group", top, configs.String, "unix-group",
			"The group the children run as when the master starts as root (default: the User's primary group)",
			func(c *configs.Cmd, v configs.Value) error {
				process(c).Group = v.Str
				return nil
			}),
		directive("PidFile", top, configs.String, "filename",
			"File where the master records its process ID (default logs/httpd.pid)",
			func(c *configs.Cmd, v configs.Value) error {
				process(c).PidFile = c.ResolvePath(v.Str)
				return nil
			}),
		directive("ErrorLog", top, configs.String, "file-path|\"|command\"|stderr",
			"Where the server logs errors (default logs/error_log)",
			func(c *configs.Cmd, v configs.Value) error {
				if err := onlyMain(c); err != nil {
					return err
				}
				dst := v.Str
				if !strings.HasPrefix(dst, "|") && dst != "stderr" && dst != "syslog" && !strings.HasPrefix(dst, "syslog:") {
					dst = c.ResolvePath(dst)
				}
				process(c).ErrorLog = dst
				return nil
			}),
		directive("LogLevel", top, configs.Args, "[module:]level [module:level] ...",
			"Controls the verbosity of the error log: emerg alert crit error warn notice info debug trace1-8",
			func(c *configs.Cmd, v configs.Value) error {
				for _, a := range v.Args {
					lvl := a
					if _, l, ok := strings.Cut(a, ":"); ok {
						lvl = l
					}
					if _, err := oneOf(lvl, logLevels...); err != nil {
						return err
					}
				}
				process(c).LogLevel = strings.Join(v.Args, " ")
				return nil
			}),
		limit("StartServers", 1, 1<<16, func(c *configs.Cmd) *int { return &process(c).StartServers }),
		limit("MinSpareServers", 1, 1<<16, func(c *configs.Cmd) *int { return &process(c).MinSpareServers }),
		limit("MaxSpareServers", 1, 1<<16, func(c *configs.Cmd) *int { return &process(c).MaxSpareServers }),
		limit("MinSpareThreads", 1, 1<<20, func(c *configs.Cmd) *int { return &process(c).MinSpareServers }),
		limit("MaxSpareThreads", 1, 1<<20, func(c *configs.Cmd) *int { return &process(c).MaxSpareServers }),
		limit("MaxRequestWorkers", 1, 1<<20, maxWorkers),
		limit("MaxClients", 1, 1<<20, maxWorkers),
		limit("ServerLimit", 1, 20000, func(c *configs.Cmd) *int { return &process(c).ServerLimit }),
		limit("ThreadsPerChild", 1, 1<<14, func(c *configs.Cmd) *int { return &process(c).ThreadsPerChild }),
		limit("ThreadLimit", 1, 1<<14, func(c *configs.Cmd) *int { return &process(c).ThreadLimit }),
		limit("MaxConnectionsPerChild", 0, 1<<31-1, maxConns),
		limit("MaxRequestsPerChild", 0, 1<<31-1, maxConns),
		directive("GracefulShutdownTimeout", top, configs.Int, "seconds",
			"Seconds a graceful stop waits for requests in progress; 0 waits for ever (default 0)",
			func(c *configs.Cmd, v configs.Value) error {
				if v.Int < 0 {
					return fmt.Errorf("must not be negative")
				}
				process(c).GracefulShutdownTimeout = time.Duration(v.Int) * time.Second
				return nil
			}),
		directive("CPUSchedulingPolicy", top, configs.String, "batch|other|idle",
			"Linux scheduling policy of the children's threads, as systemd's CPUSchedulingPolicy= (default batch: a child woken by a request does not preempt the task running on its CPU)",
			func(c *configs.Cmd, v configs.Value) error {
				if strings.EqualFold(v.Str, "fifo") || strings.EqualFold(v.Str, "rr") {
					return fmt.Errorf("%q: real-time policies are not supported (batch, other or idle)", v.Str)
				}
				policy, err := oneOf(v.Str, "batch", "other", "idle")
				if err != nil {
					return err
				}
				process(c).CPUSchedulingPolicy = policy
				process(c).Set["CPUSchedulingPolicy"] = true
				return nil
			}),
	}
}

var logLevels = []string{"emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
	"trace1", "trace2", "trace3", "trace4", "trace5", "trace6", "trace7", "trace8"}

var processHelp = map[string]string{
	"ListenBacklog":          "Maximum length of the queue of pending connections (default 511)",
	"StartServers":           "Number of child processes created at start-up (default 5)",
	"MinSpareServers":        "Minimum number of idle workers; more children are spawned below it (default 5)",
	"MaxSpareServers":        "Maximum number of idle workers; idle children are stopped above it (default 10)",
	"MinSpareThreads":        "MinSpareServers under the threaded MPMs' name (idle worker threads)",
	"MaxSpareThreads":        "MaxSpareServers under the threaded MPMs' name (idle worker threads)",
	"MaxRequestWorkers":      "Maximum number of connections served at once (default 256)",
	"MaxClients":             "Old name of MaxRequestWorkers",
	"ServerLimit":            "Upper limit on the number of child processes (default 256)",
	"ThreadsPerChild":        "Worker slots per child process; 1 is prefork (default 1)",
	"ThreadLimit":            "Upper limit on ThreadsPerChild (default 64)",
	"MaxConnectionsPerChild": "Connections a child serves before it exits; 0 is unlimited (default 0)",
	"MaxRequestsPerChild":    "Old name of MaxConnectionsPerChild",
}
