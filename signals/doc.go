// Package signals owns how gohttpd's processes are steered from outside:
// the signal wiring of the master and of its children, the stop
// escalation the master applies to its children, the PidFile, the
// `httpd -k` commands delivered through it, and the systemd
// notifications (sd_notify) that only the master sends.
//
// The master's signals (NotifyMaster), as Apache httpd's:
//
//	TERM, INT  Stop: TERM to the children, again at 3, 5 and 7 s, KILL at 9 s
//	           (Escalate); the PidFile is removed
//	HUP        Restart: children stopped, scoreboard zeroed, config reread,
//	           listeners kept
//	USR1       Graceful: a new generation starts at once; old children finish
//	           what they are doing and exit; statistics kept, logs reopened
//	WINCH      GracefulStop: listeners closed, children finish, then exit
//
// A child's signals (NotifyChild), as Apache prefork's children treat
// them:
//
//	TERM, HUP  Stop: exit at once; writes in flight are abandoned
//	USR1       Graceful: stop accepting, finish the request in progress
//	           (answered with Connection: close), exit
//	WINCH      Graceful as well (Apache's children leave WINCH alone because
//	           its master sends them USR1 on a graceful stop; gohttpd's master
//	           forwards WINCH, so a child treats both alike)
//	INT        ignored: a Ctrl-C at the terminal of a foreground server
//	           reaches the whole process group, and the master's TERM follows
//	PIPE       ignored (both roles): a write to a closed peer fails with EPIPE
//
// The -k commands (SendCommand) map to the master's signals: stop → TERM,
// restart → HUP, graceful → USR1, graceful-stop → WINCH.
package signals
