package core

import (
	"fmt"
	"html"
	"strconv"
	"strings"

	"gohttpd/configs"
	"gohttpd/pipeline"
)

// TokensMode is a ServerTokens setting: how much the Server header and
// signatures say about the server.
type TokensMode uint8

const (
	// TokensFull is "gohttpd/0.1.0 (Unix)", the default.
	TokensFull TokensMode = iota
	// TokensOS is "gohttpd/0.1.0 (Unix)".
	TokensOS
	// TokensMinor is "gohttpd/0.1".
	TokensMinor
	// TokensMinimal is "gohttpd/0.1.0".
	TokensMinimal
	// TokensMajor is "gohttpd/0".
	TokensMajor
	// TokensProd is "gohttpd".
	TokensProd
)

var tokenNames = map[string]TokensMode{
	"full": TokensFull, "os": TokensOS, "minor": TokensMinor, "minimal": TokensMinimal,
	"min": TokensMinimal, "major": TokensMajor, "prod": TokensProd, "productonly": TokensProd,
}

// BannerFor returns the server banner under mode (Apache's
// ap_get_server_banner).
func BannerFor(mode TokensMode) string {
	v := pipeline.Version
	switch mode {
	case TokensProd:
		return pipeline.Product
	case TokensMajor:
		major, _, _ := strings.Cut(v, ".")
		return pipeline.Product + "/" + major
	case TokensMinor:
		parts := strings.SplitN(v, ".", 3)
		return pipeline.Product + "/" + strings.Join(parts[:min(2, len(parts))], ".")
	case TokensMinimal:
		return pipeline.Product + "/" + v
	}
	return pipeline.Product + "/" + v + " (Unix)"
}

func staticServerDirectives() []*configs.Directive {
	return []*configs.Directive{
		directive("ServerTokens", configs.ScopeServer, configs.String, "Prod|Major|Minor|Minimal|OS|Full",
			"How much the Server header and signatures say about the server (default Full: \"gohttpd/0.1.0 (Unix)\"); applies to the whole server",
			func(c *configs.Cmd, v configs.Value) error {
				mode, ok := tokenNames[strings.ToLower(v.Str)]
				if !ok {
					return fmt.Errorf("%q is not one of Prod, Major, Minor, Minimal, OS, Full", v.Str)
				}
				c.Server.(*ServerConfig).Tokens = mode
				return nil
			}),
	}
}

// signature is the OptSignature function (Apache's ap_psignature): the
// <address> footer naming the banner, the host the client asked for and
// the port, with a mailto link under ServerSignature EMail.
func signature(banner string) pipeline.SignatureFunc {
	return func(r *pipeline.Request, prefix string) string {
		d := DirConfigOf(r.PerDir)
		if d == nil || d.signature == SignatureOff {
			return ""
		}
		name := html.EscapeString(serverName(r))
		port := strconv.Itoa(serverPort(r))
		if d.signature == SignatureEMail {
			admin := r.Server.ServerAdmin
			scheme := "mailto:"
			if isRemoteURL(admin) || strings.Contains(admin, ":") {
				scheme = ""
			}
			return prefix + "<address>" + banner + " Server at <a href=\"" + scheme + html.EscapeString(admin) + "\">" + name + "</a> Port " + port + "</address>\n"
		}
		return prefix + "<address>" + banner + " Server at " + name + " Port " + port + "</address>\n"
	}
}

// serverName is the host name self-references use (UseCanonicalName
// Off): the one the client asked for, else ServerName, else the local
// address.
func serverName(r *pipeline.Request) string {
	switch {
	case r.Hostname != "":
		return r.Hostname
	case r.Server.ServerName != "":
		return r.Server.ServerName
	}
	return r.Conn.LocalAddr
}

// serverPort is the port self-references use (Apache's
// ap_get_server_port with UseCanonicalName Off): the Host header's, else
// the server's, else 80.
func serverPort(r *pipeline.Request) int {
	if h := r.HeadersIn.Get("Host"); h != "" {
		if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
			if p, err := strconv.Atoi(h[i+1:]); err == nil {
				return p
			}
		}
	}
	if r.Server.Port != 0 {
		return r.Server.Port
	}
	return 80
}
