// Package all links every module that ships with gohttpd into the binary.
// It is the one place modules are compiled in: each import registers its
// module with the pipeline from init, in the order listed here, which is
// the order hooks of equal rank run in.
package all

import (
	_ "gohttpd/modules/access_compat"       // mod_access_compat: Order, Allow, Deny, Satisfy
	_ "gohttpd/modules/alias"               // mod_alias: Alias, Redirect
	_ "gohttpd/modules/auth_basic"          // mod_auth_basic: AuthType Basic
	_ "gohttpd/modules/authn_core"          // mod_authn_core: AuthType, AuthName
	_ "gohttpd/modules/authn_file"          // mod_authn_file: AuthUserFile (htpasswd)
	_ "gohttpd/modules/authz_core"          // mod_authz_core: Require and its containers
	_ "gohttpd/modules/authz_groupfile"     // mod_authz_groupfile: Require group, AuthGroupFile
	_ "gohttpd/modules/authz_host"          // mod_authz_host: Require ip, host, local
	_ "gohttpd/modules/authz_user"          // mod_authz_user: Require user, valid-user
	_ "gohttpd/modules/autoindex"           // mod_autoindex: directory listings
	_ "gohttpd/modules/core"                // core directives, always loaded
	_ "gohttpd/modules/dir"                 // mod_dir: DirectoryIndex, DirectorySlash, FallbackResource
	_ "gohttpd/modules/expires"             // mod_expires: Expires headers
	_ "gohttpd/modules/headers"             // mod_headers: Header, RequestHeader
	_ "gohttpd/modules/http"                // HTTP/1.x protocol
	_ "gohttpd/modules/info"                // mod_info: server-info
	_ "gohttpd/modules/lbmethod_bybusyness" // bybusyness load balancing
	_ "gohttpd/modules/lbmethod_byrequests" // byrequests load balancing
	_ "gohttpd/modules/log_config"          // mod_log_config: LogFormat, CustomLog, piped logs
	_ "gohttpd/modules/mime"                // mod_mime: TypesConfig, AddType, AddCharset, AddHandler
	_ "gohttpd/modules/proxy"               // mod_proxy: ProxyPass, workers, proxy hooks
	_ "gohttpd/modules/proxy_balancer"      // balancer:// URLs, balancer-manager
	_ "gohttpd/modules/proxy_http"          // http:// and ws:// backends
	_ "gohttpd/modules/setenvif"            // mod_setenvif: SetEnvIf, BrowserMatch
	_ "gohttpd/modules/status"              // mod_status: server-status
	_ "gohttpd/modules/userdir"             // mod_userdir: /~user/
)
