// Package signals owns how gohttpd's processes are steered from outside:
// the stop escalation the master applies to its children, the PidFile,
// the `httpd -k` commands delivered through it, and the systemd
// notifications (sd_notify) that only the master sends.
//
// Signal meanings, as Apache httpd's:
//
//	master  TERM, INT  stop now: TERM to children, again at 3, 5, 7 s, KILL at 9 s
//	        HUP        restart: children stopped, scoreboard zeroed, config reread, listeners kept
//	        USR1       graceful restart: new generation now, old children finish and exit
//	        WINCH      graceful stop: listeners closed, children finish, then exit
//	child   TERM, HUP  exit now
//	        USR1,WINCH finish the request in progress, answer it with Connection: close, exit
//
// The -k commands map to these: stop → TERM, restart → HUP,
// graceful → USR1, graceful-stop → WINCH.
package signals
