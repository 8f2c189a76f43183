package logconfig

import (
	"errors"
	"fmt"
	"strings"

	"gohttpd/configs"
)

func directiveList() []*configs.Directive {
	return []*configs.Directive{
		{
			Name: "LogFormat", Scope: configs.ScopeServerConfig, Type: configs.List,
			Syntax: `'"format" [nickname]' ...`,
			Help:   "log formats: with a nickname, define it; alone, the default format of TransferLog (a format or a nickname)",
			Set:    setLogFormat,
		},
		{
			Name: "CustomLog", Scope: configs.ScopeServerConfig, Type: configs.List,
			Syntax: `'file|"|program" format|nickname [env=[!]VAR]' ...`,
			Help:   "access logs: where (a file, or |program), which format or nickname, and an optional env= condition",
			Set:    func(c *configs.Cmd, v configs.Value) error { return addLogs(c, v, false) },
		},
		{
			Name: "GlobalLog", Scope: configs.ScopeServer, Type: configs.List,
			Syntax: `'file|"|program" format|nickname [env=[!]VAR]' ...`,
			Help:   "as CustomLog, and virtual hosts with logs of their own log here too",
			Set:    func(c *configs.Cmd, v configs.Value) error { return addLogs(c, v, true) },
		},
		{
			Name: "TransferLog", Scope: configs.ScopeServerConfig, Type: configs.List,
			Syntax: `file|"|program" ...`,
			Help:   "access logs in the default format (the last one-argument LogFormat, else common)",
			Set:    addTransferLogs,
		},
		{
			Name: "BufferedLogs", Scope: configs.ScopeServerConfig, Type: configs.Flag,
			Syntax: "true|false",
			Help:   "gather access log lines in memory (up to 4 KiB per log and process) and write them together",
			Set: func(c *configs.Cmd, v configs.Value) error {
				c.Server.(*serverConfig).state.buffered = v.Bool
				return nil
			},
		},
	}
}

func setLogFormat(c *configs.Cmd, v configs.Value) error {
	cfg := c.Server.(*serverConfig)
	for _, it := range v.List {
		switch len(it.Args) {
		case 1:
			if _, err := ParseFormat(it.Args[0]); err != nil {
				return err
			}
			cfg.defaultSpec = it.Args[0]
		case 2:
			if _, err := ParseFormat(it.Args[0]); err != nil {
				return err
			}
			cfg.formats[strings.ToLower(it.Args[1])] = it.Args[0]
		default:
			return fmt.Errorf("%q: wants a format and an optional nickname", it.Raw)
		}
	}
	return nil
}

func addLogs(c *configs.Cmd, v configs.Value, global bool) error {
	cfg := c.Server.(*serverConfig)
	for _, it := range v.List {
		if len(it.Args) < 2 || len(it.Args) > 3 {
			return fmt.Errorf("%q: wants a file or |program, a format or nickname, and an optional env= clause", it.Raw)
		}
		l := &customLog{target: logTarget(c, it.Args[0]), formatArg: it.Args[1], inherit: global, pos: c.Pos}
		if _, err := ParseFormat(l.formatArg); err != nil {
			return err
		}
		if len(it.Args) == 3 {
			if err := l.setCondition(it.Args[2]); err != nil {
				return err
			}
		}
		cfg.logs = append(cfg.logs, l)
	}
	return nil
}

func addTransferLogs(c *configs.Cmd, v configs.Value) error {
	cfg := c.Server.(*serverConfig)
	for _, it := range v.List {
		if len(it.Args) != 1 {
			return fmt.Errorf("%q: wants one file or |program", it.Raw)
		}
		cfg.logs = append(cfg.logs, &customLog{target: logTarget(c, it.Args[0]), pos: c.Pos})
	}
	return nil
}

// logTarget resolves a file name against ServerRoot; "|program" stays.
func logTarget(c *configs.Cmd, arg string) string {
	if strings.HasPrefix(arg, "|") {
		return arg
	}
	return c.ResolvePath(arg)
}

// setCondition reads "env=VAR" or "env=!VAR".
func (l *customLog) setCondition(clause string) error {
	switch {
	case len(clause) >= 4 && strings.EqualFold(clause[:4], "env="):
		name := clause[4:]
		if strings.HasPrefix(name, "!") {
			l.envNot = true
			name = name[1:]
		}
		if name == "" {
			return errors.New("missing environment variable name")
		}
		l.envVar = name
		return nil
	case len(clause) >= 5 && strings.EqualFold(clause[:5], "expr="):
		return fmt.Errorf("%q: expr= conditions are not supported; use env=VAR or env=!VAR (set VAR with SetEnvIf)", clause)
	}
	return fmt.Errorf("%q: error in condition clause (want env=VAR or env=!VAR)", clause)
}
