// Package integration holds the tests that use gohttpd as its users do:
// they build the real httpd binary, start it with real configuration files,
// talk to it over loopback sockets, send it real signals, and check its
// processes, their users and the status page. The process-model tests need
// root (CI runs as root) and skip with the reason otherwise.
package integration
