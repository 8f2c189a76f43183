package signals

import "sync"

// Recorder is a Notifier that keeps the messages it is given, exactly as
// SystemdNotifier would send them, for tests of the master. It is safe
// for concurrent use; the zero value is ready.
type Recorder struct {
	mu   sync.Mutex
	msgs []string
}

var _ Notifier = (*Recorder)(nil)

func (r *Recorder) add(s string) {
	r.mu.Lock()
	r.msgs = append(r.msgs, s)
	r.mu.Unlock()
}

// Ready records "READY=1\nMAINPID=<pid>".
func (r *Recorder) Ready(pid int) { r.add(readyState(pid)) }

// Reloading records "RELOADING=1\nMONOTONIC_USEC=<µs>".
func (r *Recorder) Reloading() { r.add(reloadingState()) }

// Stopping records "STOPPING=1".
func (r *Recorder) Stopping() { r.add(stoppingState) }

// Status records "STATUS=<line>".
func (r *Recorder) Status(line string) { r.add(statusState(line)) }

// Messages returns a copy of the messages recorded so far, oldest first.
func (r *Recorder) Messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.msgs...)
}
