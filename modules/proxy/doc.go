// Package proxy is mod_proxy: the reverse-proxy framework that maps URLs
// to backend workers and hands each request to the module that speaks the
// backend's scheme.
//
// It owns the ProxyPass family of directives (ProxyPass, ProxyPassMatch
// with "!" exclusions and worker parameters, ProxyPassReverse and its
// cookie variants, ProxyPreserveHost, ProxyTimeout, ProxyRequests,
// ProxyAddHeaders, ProxyErrorOverride, ProxySet, BalancerMember and the
// [[Proxy]] table), the translate_name, map_to_storage, fixups and handler
// functions that route a request to "proxy:URL", the workers with their
// per-process connection pools, and the balancers.
//
// Like Apache's mod_proxy it has a private hook set (see Hooks) on the
// pipeline's hook engine: scheme_handler and canon_handler, on which
// protocol modules such as proxy_http register; pre_request and
// post_request, on which proxy_balancer chooses a member; and
// detach_backend. The set is created for each configuration generation in
// RegisterHooks, added to the generation with pipeline.Hooks.AddPrivate
// (so it is sorted with the generation's hooks and listed by Describe) and
// published as the optional function OptHooks; other modules reach it with
// HooksOf from their own RegisterHooks. Load-balancing methods are
// providers registered on the same set (RegisterLBMethod).
//
// Worker state that all children must agree on (error state, busy and
// election counters, load-balancer status) lives in a shared-memory segment
// that the master creates in post_config and hands to every child with
// pipeline.Generation.ShareFile; connection pools are per process, as in
// Apache.
package proxy
