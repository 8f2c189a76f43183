// Command httpd is gohttpd's server binary. It takes Apache httpd's flags
// and decides the process's role: a master that supervises children, a
// child (when the master re-executes the binary), a single-process debug
// server (-X), a configuration test (-t, -S, -M), a listing (-l, -L, -v,
// -V), or a signal sent to a running master (-k).
package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"gohttpd/configs"
	"gohttpd/master"
	_ "gohttpd/modules/all"
	"gohttpd/pipeline"
)

// defaultConfigFile is read when -f is not given and the file exists;
// otherwise the embedded default configuration runs.
const defaultConfigFile = "/etc/gohttpd/httpd.toml"

func main() {
	childMain()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "httpd: %v\n", err)
		return 1
	}
	if o.logLevel != "" {
		if _, _, err := pipeline.ParseLogLevel(o.logLevel); err != nil {
			fmt.Fprintf(stderr, "httpd: -e: %v\n", err)
			return 1
		}
	}
	if o.startupLog != "" {
		// -E: start-up errors go to this file instead of stderr.
		f, err := os.OpenFile(o.startupLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "httpd: -E: %v\n", err)
			return 1
		}
		defer f.Close()
		stderr = f
	}
	switch {
	case o.help:
		parseFlags([]string{"-h"}, stderr)
		return 0
	case o.version:
		printVersion(stdout)
		return 0
	case o.settings:
		printSettings(stdout, o)
		return 0
	case o.listStatic:
		printCompiled(stdout)
		return 0
	}

	cfg, err := readConfig(o)
	if err != nil {
		fmt.Fprintf(stderr, "httpd: %v\n", err)
		return 1
	}
	if o.listDirs {
		printDirectives(stdout, cfg)
		return 0
	}
	// Under -t, hooks' complaints (check_config) go to stderr.
	errLog, err := pipeline.NewErrorLog(stderr, cmp.Or(o.logLevel, "warn"))
	if err != nil {
		fmt.Fprintf(stderr, "httpd: %v\n", err)
		return 1
	}
	gen, err := pipeline.Build(cfg, 1, errLog.Logger())
	if err != nil {
		fmt.Fprintf(stderr, "httpd: %v\n", err)
		return 1
	}
	if err := master.Check(gen); err != nil {
		fmt.Fprintf(stderr, "httpd: %v\n", err)
		return 1
	}
	if o.test {
		return testConfig(o, gen, stdout, stderr)
	}
	return serve(o, stdout, stderr)
}

// readConfig reads the configuration named by -f, the default file, or the
// embedded default, applying -d, -D, -C and -c.
func readConfig(o *options) (*configs.Config, error) {
	root := o.serverRoot
	if root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("finding the current directory for ServerRoot: %w", err)
		}
		root = wd
	}
	ro := configs.ReadOptions{ServerRoot: root, Defines: o.defines, Before: o.before, After: o.after}
	path := o.configFile
	if path == "" {
		if _, err := os.Stat(defaultConfigFile); err != nil {
			return configs.ReadBytes(configs.DefaultConfigName, configs.DefaultConfig(), ro)
		}
		path = defaultConfigFile
	}
	return configs.Read(configs.ResolvePath(root, path), ro)
}

func testConfig(o *options, gen *pipeline.Generation, stdout, stderr io.Writer) int {
	if o.dumpModules {
		printLoaded(stdout, gen)
	}
	if o.dumpVhosts {
		printVhosts(stdout, gen)
	}
	gen.Hooks.TestConfig.Run(func(f pipeline.ServerFunc) pipeline.Result { f(gen.Main); return pipeline.OK })
	if !o.dumpModules && !o.dumpVhosts {
		fmt.Fprintln(stderr, "Syntax OK")
	}
	return 0
}
