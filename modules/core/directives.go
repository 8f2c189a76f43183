package core

import (
	"fmt"
	"strings"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// server returns the server record a directive configures.
func server(c *configs.Cmd) *pipeline.Server { return c.Record.(*pipeline.Server) }

// process returns the process configuration of the generation being built.
func process(c *configs.Cmd) *pipeline.ProcessConfig { return &server(c).Gen.Process }

func directive(name string, scope configs.Scope, typ configs.ValueType, syntax, help string, set func(c *configs.Cmd, v configs.Value) error) *configs.Directive {
	return &configs.Directive{Name: name, Scope: scope, Type: typ, Syntax: syntax, Help: help, Set: set}
}

// intRange returns a Set function that checks lo <= n <= hi and stores it.
func intRange(lo, hi int64, store func(c *configs.Cmd, n int) error) func(*configs.Cmd, configs.Value) error {
	return func(c *configs.Cmd, v configs.Value) error {
		if v.Int < lo || v.Int > hi {
			return fmt.Errorf("%d is out of range (%d to %d)", v.Int, lo, hi)
		}
		return store(c, int(v.Int))
	}
}

// onlyMain rejects a process-level directive inside a VirtualHost.
func onlyMain(c *configs.Cmd) error {
	if c.VirtualHost != nil {
		return fmt.Errorf("applies to the whole server; move it out of the VirtualHost section")
	}
	return nil
}

func oneOf(value string, allowed ...string) (string, error) {
	for _, a := range allowed {
		if strings.EqualFold(value, a) {
			return a, nil
		}
	}
	return "", fmt.Errorf("%q is not one of %s", value, strings.Join(allowed, ", "))
}
