package main

import (
	"fmt"
	"io"
	"os"

	"gohttpd/child"
	"gohttpd/configs"
	"gohttpd/master"
	"gohttpd/signals"
)

// serve runs the server in the role the flags ask for: a -k command, the
// single-process debug server (-X), or the master.
func serve(o *options, stdout, stderr io.Writer) int {
	read := func() (*configs.Config, error) { return readConfig(o) }
	mo := master.Options{ReadConfig: read, Stderr: stderr, StartupLogLevel: o.logLevel}
	switch o.command {
	case "start":
		if err := startDetached(o, stderr); err != nil {
			fmt.Fprintf(stderr, "httpd: %v\n", err)
			return 1
		}
		return 0
	case "stop", "restart", "graceful", "graceful-stop":
		cfg, err := read()
		if err != nil {
			fmt.Fprintf(stderr, "httpd: %v\n", err)
			return 1
		}
		if err := signals.SendCommand(pidFileOf(cfg), o.command); err != nil {
			fmt.Fprintf(stderr, "httpd: %v\n", err)
			return 1
		}
		return 0
	}
	var err error
	if o.single {
		err = master.RunSingle(mo)
	} else {
		err = master.Run(mo)
	}
	if err != nil {
		fmt.Fprintf(stderr, "httpd: %v\n", err)
		return 1
	}
	return 0
}

// childMain runs a re-executed child when the master's manifest is in the
// environment; it never returns otherwise.
func childMain() {
	if m, ok := os.LookupEnv(child.ManifestEnv); ok {
		os.Exit(child.Main(m))
	}
}
