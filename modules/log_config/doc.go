// Package logconfig is gohttpd's mod_log_config: access logs in Apache's
// LogFormat language, written to files or piped to programs.
//
// It owns the directives LogFormat, CustomLog, GlobalLog, TransferLog and
// BufferedLogs; the format nicknames of Apache's default configuration
// (common, combined, combinedio, referer, agent, Debian's vhost_combined,
// and the built-in CLF), which a LogFormat of the same name replaces; and
// the per-connection byte counters behind %I, %O and %S (Apache's
// mod_logio), kept only when a format uses them.
//
// The master opens every log in open_logs, as root, before children
// start: a file with O_APPEND (mode 0666 less the umask), or for
// "|program args" (run directly) and "|$command" (run by /bin/sh) a pipe
// whose reading end feeds the program, which runs as the master's user as
// in Apache. Each writing end is handed to the children with
// pipeline.Generation.ShareFile under SharedFileName(target); a child
// picks it up in child_init. A program that dies is started again on the
// same pipe (at most once a second), so lines written meanwhile wait in
// the pipe. When a restart replaces the generation, its programs are not
// killed: they read to the end of the pipe and exit once the last child of
// the old generation is gone.
//
// log_transaction writes one line per request on every path — errors and
// requests refused while their head was read included — to each log of
// the server that answered (a virtual host without logs of its own uses
// the main server's; GlobalLog logs get every virtual host's requests).
// A line is one write(2), so lines of concurrent workers and processes
// never mix. With BufferedLogs, lines are gathered per log and process up
// to PIPE_BUF (4 KiB) and written when the buffer is full, once a second,
// and on Flush.
//
// Lines are byte for byte what Apache 2.4 writes for the same request
// record: values are escaped as ap_escape_logitem does, absent values read
// "-", and %s, %U, %r, %D, %T, %R and %L describe the original request of
// an internal redirect chain while the other items describe the last one,
// unless the < or > modifier says otherwise.
package logconfig
