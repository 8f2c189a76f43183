package signals

import "strings"

// childEnvDrop are the variables that belong to the master alone: systemd
// talks to the main process only, and socket activation's descriptors are
// the master's to adopt.
var childEnvDrop = [...]string{"NOTIFY_SOCKET=", "LISTEN_PID=", "LISTEN_FDS=", "LISTEN_FDNAMES="}

// ChildEnv returns env without the variables a child must not see:
// NOTIFY_SOCKET, LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES. env itself is
// not modified.
func ChildEnv(env []string) []string {
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, p := range childEnvDrop {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
