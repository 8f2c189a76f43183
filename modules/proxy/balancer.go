package proxy

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// BalancerScheme is the URL scheme of balancers: "balancer://name".
const BalancerScheme = "balancer"

// Balancer is a named group of member workers (Apache's proxy_balancer).
type Balancer struct {
	// Name is "balancer://name", lower-cased.
	Name    string
	Members []*Worker
	Params  BalancerParams

	index int   // slot in the shared segment
	st    *slot // holds the cross-process lock
	mu    sync.Mutex
}

// balancerName normalises "balancer://Name/" to "balancer://name".
func balancerName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if !strings.HasPrefix(s, BalancerScheme+"://") {
		s = BalancerScheme + "://" + s
	}
	rest := strings.TrimPrefix(s, BalancerScheme+"://")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	return BalancerScheme + "://" + rest
}

// IsBalancerURL reports whether u is a balancer:// URL.
func IsBalancerURL(u string) bool {
	return len(u) > len(BalancerScheme)+3 && strings.EqualFold(u[:len(BalancerScheme)+3], BalancerScheme+"://")
}

// MaxAttempts returns how many other members are tried after a failure.
func (b *Balancer) MaxAttempts() int {
	if b.Params.MaxAttempts >= 0 {
		return b.Params.MaxAttempts
	}
	if len(b.Members) > 0 {
		return len(b.Members) - 1
	}
	return 0
}

// lockSpinLimit bounds how long Lock waits for another process: a holder
// that died with the lock, or a stuck one, must not stop the balancer.
const lockSpinLimit = time.Second

// Lock takes the balancer's lock, which serialises member selection
// across goroutines and across the processes of the generation (Apache's
// balancer mutex), and returns the function that releases it. A lock held
// by a process that no longer exists is taken over; one held for longer
// than a second is ignored (selection then proceeds unlocked: counters
// stay exact, only the fairness of that pick suffers).
func (b *Balancer) Lock() (unlock func()) {
	b.mu.Lock()
	me := uint32(os.Getpid())
	deadline := time.Now().Add(lockSpinLimit)
	for i := 0; ; i++ {
		if b.st.lock.CompareAndSwap(0, me) {
			return func() { b.st.lock.CompareAndSwap(me, 0); b.mu.Unlock() }
		}
		if i < 64 {
			runtime.Gosched()
			continue
		}
		if holder := b.st.lock.Load(); holder != 0 && holder != me && i%256 == 0 {
			if err := unix.Kill(int(holder), 0); errors.Is(err, unix.ESRCH) {
				if b.st.lock.CompareAndSwap(holder, me) {
					return func() { b.st.lock.CompareAndSwap(me, 0); b.mu.Unlock() }
				}
			}
		}
		if time.Now().After(deadline) {
			return b.mu.Unlock
		}
		time.Sleep(20 * time.Microsecond)
	}
}

// Member returns the member whose route is route.
func (b *Balancer) Member(route string) *Worker {
	for _, w := range b.Members {
		if w.Params.Route != "" && w.Params.Route == route {
			return w
		}
	}
	return nil
}
