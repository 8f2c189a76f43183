// Package master is gohttpd's supervisor: the root process that reads the
// configuration generations, opens the logs, binds and keeps the
// listeners, creates the shared scoreboard, re-executes its own binary as
// child processes that run as the configured User, reaps them, keeps the
// number of idle workers between MinSpareServers and MaxSpareServers by
// Apache prefork's rule, and answers the operator's signals (TERM/INT stop,
// HUP restart, USR1 graceful restart, WINCH graceful stop) and systemd.
//
// The master never serves a request, except in single-process mode (-X),
// where it runs one child.Server in its own process.
package master
