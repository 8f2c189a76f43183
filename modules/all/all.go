// Package all links every module that ships with gohttpd into the binary.
// It is the one place modules are compiled in: each import registers its
// module with the pipeline from init, in the order listed here, which is
// the order hooks of equal rank run in.
package all

import (
	_ "gohttpd/modules/core"                // core directives, always loaded
	_ "gohttpd/modules/http"                // HTTP/1.x protocol
	_ "gohttpd/modules/lbmethod_bybusyness" // bybusyness load balancing
	_ "gohttpd/modules/lbmethod_byrequests" // byrequests load balancing
	_ "gohttpd/modules/proxy"               // mod_proxy: ProxyPass, workers, proxy hooks
	_ "gohttpd/modules/proxy_balancer"      // balancer:// URLs, balancer-manager
	_ "gohttpd/modules/proxy_http"          // http:// and ws:// backends
)
