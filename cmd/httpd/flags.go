package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// options are the command-line settings, with Apache's flag letters.
type options struct {
	defines     multi  // -D name
	serverRoot  string // -d directory
	configFile  string // -f file
	before      multi  // -C directive
	after       multi  // -c directive
	logLevel    string // -e level
	startupLog  string // -E file
	command     string // -k start|restart|graceful|graceful-stop|stop
	test        bool   // -t
	dumpVhosts  bool   // -S
	dumpModules bool   // -M
	listStatic  bool   // -l
	listDirs    bool   // -L
	version     bool   // -v
	settings    bool   // -V
	single      bool   // -X
	help        bool   // -h
	noDocRoot   bool   // -T
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// valueFlags take an argument and may be written glued to it ("-DFOO").
const valueFlags = "DdfCceEk"

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("httpd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&o.defines, "D", "define a `name` for IfDefine sections")
	fs.StringVar(&o.serverRoot, "d", "", "ServerRoot `directory` (default: the current directory)")
	fs.StringVar(&o.configFile, "f", "", "configuration `file` (default: "+defaultConfigFile+", else the embedded default)")
	fs.Var(&o.before, "C", "process `directive` before reading the config files")
	fs.Var(&o.after, "c", "process `directive` after reading the config files")
	fs.StringVar(&o.logLevel, "e", "", "show start-up errors of `level` (see LogLevel)")
	fs.StringVar(&o.startupLog, "E", "", "log start-up errors to `file`")
	fs.StringVar(&o.command, "k", "", "`command`: start, restart, graceful, graceful-stop or stop")
	fs.BoolVar(&o.test, "t", false, "run syntax check for config files")
	fs.BoolVar(&o.dumpVhosts, "S", false, "show parsed virtual host and run settings")
	fs.BoolVar(&o.dumpModules, "M", false, "show all loaded modules")
	fs.BoolVar(&o.listStatic, "l", false, "list compiled in modules")
	fs.BoolVar(&o.listDirs, "L", false, "list available configuration directives")
	fs.BoolVar(&o.version, "v", false, "show version number")
	fs.BoolVar(&o.settings, "V", false, "show compile settings")
	fs.BoolVar(&o.single, "X", false, "debug mode: one process, no children, no detaching")
	fs.BoolVar(&o.help, "h", false, "list available command line options (this page)")
	fs.BoolVar(&o.noDocRoot, "T", false, "start without DocumentRoot(s) check")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: httpd [-D name] [-d directory] [-f file]\n"+
			"             [-C \"directive\"] [-c \"directive\"]\n"+
			"             [-k start|restart|graceful|graceful-stop|stop]\n"+
			"             [-v] [-V] [-h] [-l] [-L] [-t] [-T] [-S] [-X]\n"+
			"             [-M] [-e level] [-E file]\nOptions:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(splitGlued(args)); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (see httpd -h)", fs.Arg(0))
	}
	switch o.command {
	case "", "start", "restart", "graceful", "graceful-stop", "stop":
	default:
		return nil, fmt.Errorf("-k %s: unknown command (use start, restart, graceful, graceful-stop or stop)", o.command)
	}
	if o.dumpVhosts {
		o.test = true
		o.defines = append(o.defines, "DUMP_VHOSTS", "DUMP_RUN_CFG")
	}
	if o.dumpModules {
		o.test = true
		o.defines = append(o.defines, "DUMP_MODULES")
	}
	return o, nil
}

// splitGlued turns "-DFOO" into "-D", "FOO" as Apache accepts both.
func splitGlued(args []string) []string {
	out := make([]string, 0, len(args))
	for _, a := range args {
		if len(a) > 2 && a[0] == '-' && a[1] != '-' && strings.IndexByte(valueFlags, a[1]) >= 0 {
			out = append(out, a[:2], a[2:])
			continue
		}
		out = append(out, a)
	}
	return out
}
