// Package child is one gohttpd child process: it maps the scoreboard the
// master shares, parses the exact configuration bytes of its generation,
// loads the modules and sorts the hooks as the master did, runs
// child_init, and accepts connections on the inherited listeners, passing
// each through the connection hooks (create_connection, pre_connection,
// process_connection).
//
// Worker slots are held only while a request is processed — from a
// complete request head to the end of log_transaction — never while a
// client is slowly sending its head or idling between keep-alive requests,
// so slow clients cannot starve ready requests. With ThreadsPerChild = 1 a
// child processes one request at a time (prefork); with N it has N worker
// slots. A child accepts new connections only while it has a free worker
// slot, leaving the rest in the shared accept queue for other children;
// a threaded child also stands back while it holds more connections than
// a sibling (balance.go). Its threads run the configured
// CPUSchedulingPolicy, SCHED_BATCH by default (schedpolicy.go).
//
// A child exits after MaxConnectionsPerChild connections, at once when the
// master dies (EOF on the death pipe) or on TERM/HUP, and gracefully — it
// stops accepting, finishes requests in progress, answers each with
// "Connection: close" — on USR1/WINCH or when the scoreboard's running
// generation moves past its own.
package child
