// Package proxybalancer is mod_proxy_balancer: it resolves
// "balancer://name" URLs to one member of the balancer.
//
// It registers pre_request and post_request on mod_proxy's private hooks
// (see proxy.HooksOf). pre_request honours a sticky session first — the
// route after the first '.' in the cookie or URL parameter named by
// stickysession= picks the member with that route= — and otherwise asks
// the balancer's lbmethod (a provider registered with
// proxy.Hooks.RegisterLBMethod by the lbmethod_* modules) to choose among
// the usable members, under the balancer's cross-process lock. It counts
// the member busy until post_request. When the chosen member cannot be
// reached, mod_proxy's handler comes back for another member, up to
// maxattempts= times (members-1 by default): failover.
//
// The "balancer-manager" handler shows every balancer and member with the
// state all children share (status, elected, busy, load-balancer credit,
// traffic); "?auto" gives one line per member for scripts. It is
// read-only.
package proxybalancer
