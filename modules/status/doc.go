// Package status is mod_status: the "server-status" handler, which shows
// the shared scoreboard to people, to Apache's monitoring tools and to
// Prometheus.
//
// A Location with "SetHandler server-status" answers, depending on its
// query string:
//
//	(none)        the HTML page: Apache's layout and wording, the state
//	              letters coloured, and inline-SVG plots of requests/s and
//	              busy/idle workers over the scoreboard's history ring
//	?refresh=N    the same with a "Refresh: N" header (10 when N < 1)
//	?notable      the HTML page without tables (Apache's plain layout)
//	?auto         Apache 2.4's machine-readable text: the same field
//	              names, order and number formats (APR's %g), so tools
//	              that parse Apache's output parse this one unchanged
//	?json         the same data, typed
//	?metrics      Prometheus text exposition format 0.0.4
//
// Apache's options are found anywhere in the query string, as Apache does
// ("?auto&refresh=5" works); json and metrics are matched as whole keys.
//
// # Counting
//
// Collect reads one Snapshot of the scoreboard and counts as Apache 2.4's
// mod_status does, for process slots that hold a process (pid set):
//
//   - idle: Ready slots of a process of the running (MPM) generation that
//     is not quiescing;
//   - graceful: Graceful slots;
//   - busy: slots in any other live state (R, W, K, L, D, C); Starting,
//     IdleKill and Dead slots are counted nowhere, and neither are Ready
//     slots of old or quiescing processes.
//
// Apache leaves every worker of a quiescing process out of busy and
// graceful. Its prefork MPM never sets quiescing, but gohttpd's children
// set it as soon as a graceful restart reaches them, so busy and graceful
// count their workers here as prefork would.
//
// Totals (accesses, bytes, durations, CPU) sum the slots that served a
// request or are not Ready/Dead, as Apache does. Total kBytes is the byte
// total divided by 1024, rounded down. A request is counted when its
// worker slot is released, after log_transaction: a status request never
// counts itself, and the next status request counts it.
//
// CPU times come from the child's getrusage, which the child records in
// its first worker slot once a second (Go cannot read per-thread times);
// CPUChildrenUser and CPUChildrenSystem are 0. CPULoad is left out while
// the uptime is 0 seconds, where Apache prints "inf".
//
// ExtendedStatus (On by default, as in Apache 2.4 when mod_status is
// loaded) shows the totals and the per-worker table; Off leaves them out of
// the HTML page and ?auto, like Apache.
package status
