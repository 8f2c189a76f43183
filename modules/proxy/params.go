package proxy

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WorkerParams are the key=value parameters of ProxyPass, BalancerMember
// and ProxySet for a worker, with Apache's defaults.
type WorkerParams struct {
	// Retry is how long a worker in error state is left alone before it
	// is tried again (retry=, seconds; default 60). 0 retries at once.
	Retry time.Duration
	// Timeout bounds each read and write on a backend connection
	// (timeout=, seconds); 0 means ProxyTimeout, or else Timeout.
	Timeout time.Duration
	// ConnectTimeout bounds connecting (connectiontimeout=, seconds or
	// "Nms"); 0 means the same as Timeout.
	ConnectTimeout time.Duration
	// KeepAlive turns on TCP keep-alive probes on backend connections
	// (keepalive=On).
	KeepAlive bool
	// Max is the most connections one process keeps to the worker (max=);
	// 0 means ThreadsPerChild, Apache's default.
	Max int
	// TTL closes pooled connections idle longer than this (ttl=,
	// seconds); 0 keeps them until the backend closes them.
	TTL time.Duration
	// DisableReuse closes every backend connection after its request
	// (disablereuse=On; enablereuse=Off is the same).
	DisableReuse bool
	// LBFactor is the member's share of the load (lbfactor= or
	// loadfactor=, 1-100; default 1).
	LBFactor int
	// Route is the member's sticky-session route (route=).
	Route string
	// Upgrade lists the protocols the backend may be switched to with
	// "Upgrade" (upgrade=, comma-separated, "*" for any); ws:// and
	// wss:// workers default to "websocket".
	Upgrade string
	// Disabled (status=+D) takes the worker out of service; HotStandby
	// (status=+H) uses a member only when no other is usable.
	Disabled, HotStandby bool
}

// defaultWorkerParams returns Apache's defaults.
func defaultWorkerParams() WorkerParams {
	return WorkerParams{Retry: 60 * time.Second, LBFactor: 1}
}

// BalancerParams are the parameters of a balancer (ProxySet or ProxyPass
// on a balancer:// URL).
type BalancerParams struct {
	// LBMethod names the load-balancing method (lbmethod=; default
	// "byrequests").
	LBMethod string
	// StickySession lists the cookie or URL-parameter names carrying the
	// route (stickysession=NAME or NAME|urlname).
	StickySession []string
	// MaxAttempts is how many other members are tried after one fails
	// (maxattempts=); -1 means members-1.
	MaxAttempts int
	// NoFailover refuses to move a sticky session to another member when
	// its member is unusable (nofailover=On).
	NoFailover bool
}

func defaultBalancerParams() BalancerParams {
	return BalancerParams{LBMethod: "byrequests", MaxAttempts: -1}
}

// splitParam splits "key=value"; the key is lower-cased.
func splitParam(s string) (key, value string, err error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return "", "", fmt.Errorf("parameter %q must have the form key=value", s)
	}
	return strings.ToLower(k), v, nil
}

// setWorkerParam applies one key=value to p; known reports whether the
// key is a worker parameter.
func setWorkerParam(p *WorkerParams, key, val string) (known bool, err error) {
	switch key {
	case "retry":
		d, err := seconds(key, val)
		if err != nil {
			return true, err
		}
		p.Retry = d
	case "timeout":
		d, err := seconds(key, val)
		if err != nil {
			return true, err
		}
		p.Timeout = d
	case "connectiontimeout":
		d, err := durationParam(key, val)
		if err != nil {
			return true, err
		}
		p.ConnectTimeout = d
	case "ttl":
		d, err := seconds(key, val)
		if err != nil {
			return true, err
		}
		p.TTL = d
	case "keepalive":
		b, err := onOff(key, val)
		if err != nil {
			return true, err
		}
		p.KeepAlive = b
	case "disablereuse":
		b, err := onOff(key, val)
		if err != nil {
			return true, err
		}
		p.DisableReuse = b
	case "enablereuse":
		b, err := onOff(key, val)
		if err != nil {
			return true, err
		}
		p.DisableReuse = !b
	case "max":
		n, err := intParam(key, val, 0, 1<<20)
		if err != nil {
			return true, err
		}
		p.Max = n
	case "min", "smax", "flushpackets", "flushwait", "ping", "iobuffersize", "receivebuffersize":
		// Accepted for compatibility; gohttpd's pool needs no minimum or
		// soft maximum, and it flushes every backend read.
	case "lbfactor", "loadfactor":
		n, err := intParam(key, val, 1, 100)
		if err != nil {
			return true, err
		}
		p.LBFactor = n
	case "route":
		p.Route = val
	case "upgrade":
		p.Upgrade = val
	case "status":
		return true, setStatus(p, val)
	default:
		return false, nil
	}
	return true, nil
}

// setBalancerParam applies one key=value to p.
func setBalancerParam(p *BalancerParams, key, val string) (known bool, err error) {
	switch key {
	case "lbmethod":
		p.LBMethod = strings.ToLower(val)
	case "stickysession":
		p.StickySession = nil
		for _, n := range strings.Split(val, "|") {
			if n = strings.TrimSpace(n); n != "" {
				p.StickySession = append(p.StickySession, n)
			}
		}
	case "maxattempts":
		n, err := intParam(key, val, 0, 1<<16)
		if err != nil {
			return true, err
		}
		p.MaxAttempts = n
	case "nofailover":
		b, err := onOff(key, val)
		if err != nil {
			return true, err
		}
		p.NoFailover = b
	case "timeout", "growth", "forcerecovery", "scolonpathdelim", "failonstatus", "failontimeout", "stickysessionsep", "lbset":
		// Accepted for compatibility; not acted on.
	default:
		return false, nil
	}
	return true, nil
}

func setStatus(p *WorkerParams, val string) error {
	if val == "" {
		return fmt.Errorf("status=: empty value")
	}
	on := true
	for _, c := range strings.ToUpper(val) {
		switch c {
		case '+':
			on = true
		case '-':
			on = false
		case 'D':
			p.Disabled = on
		case 'H':
			p.HotStandby = on
		case 'S', 'E', 'I', 'N', 'C', 'R':
			// Stopped, in-error, ignore-errors, drain, hcheck: accepted.
		default:
			return fmt.Errorf("status=%s: unknown flag %q (use +D, +H)", val, c)
		}
	}
	return nil
}

func seconds(key, val string) (time.Duration, error) {
	n, err := strconv.Atoi(strings.TrimSpace(val))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%s: want a number of seconds", key, val)
	}
	return time.Duration(n) * time.Second, nil
}

// durationParam parses Apache's timeout syntax: seconds, or a number with
// the unit ms, s, mi or h.
func durationParam(key, val string) (time.Duration, error) {
	v := strings.ToLower(strings.TrimSpace(val))
	unit := time.Second
	for _, u := range []struct {
		suffix string
		d      time.Duration
	}{{"ms", time.Millisecond}, {"mi", time.Minute}, {"s", time.Second}, {"h", time.Hour}} {
		if strings.HasSuffix(v, u.suffix) {
			v, unit = strings.TrimSuffix(v, u.suffix), u.d
			break
		}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%s: want a duration such as 5 (seconds) or 500ms", key, val)
	}
	return time.Duration(n) * unit, nil
}

func intParam(key, val string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(val))
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s=%s: want an integer from %d to %d", key, val, lo, hi)
	}
	return n, nil
}

func onOff(key, val string) (bool, error) {
	switch strings.ToLower(val) {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	return false, fmt.Errorf("%s=%s: want On or Off", key, val)
}
