package child

import "strings"

// schedtraceEnv is the GODEBUG setting children run with. Between
// requests a child's Go runtime has every processor idle, and its sysmon
// thread then sleeps until the next system call wakes it, after which it
// polls every 20 µs for a millisecond: a child woken by each request pays
// a futex wake-up and dozens of sysmon context switches per request
// (measured: a fifth of a one-thread child's CPU). A scheduler trace
// period is the runtime's one switch that keeps sysmon out of that deep
// sleep; at its longest (2^31-1 ms, 24.8 days) sysmon settles at one
// wake-up per 10 ms and the trace itself is a line at most each 24.8 days
// of the host's uptime (the master drops those lines: FilterSchedTrace).
const schedtraceEnv = "schedtrace=2147483647"

// RuntimeEnv returns env for a child: GODEBUG gains schedtraceEnv unless
// the operator set a schedtrace of their own.
func RuntimeEnv(env []string) []string {
	out := make([]string, 0, len(env)+1)
	found := false
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GODEBUG="); ok {
			found = true
			if !strings.Contains(v, "schedtrace=") {
				if v != "" {
					v += ","
				}
				kv = "GODEBUG=" + v + schedtraceEnv
			}
		}
		out = append(out, kv)
	}
	if !found {
		out = append(out, "GODEBUG="+schedtraceEnv)
	}
	return out
}

// IsSchedTrace reports whether line is one the runtime prints for
// schedtraceEnv ("SCHED 0ms: gomaxprocs=1 ...").
func IsSchedTrace(line []byte) bool {
	return len(line) > 6 && string(line[:6]) == "SCHED " && strings.Contains(string(line), "gomaxprocs=")
}
