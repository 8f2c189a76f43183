package alias

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gohttpd/configs"
)

func directives() []*configs.Directive {
	const fileInfo = configs.ScopeAnywhere // Apache's OR_FILEINFO
	return []*configs.Directive{
		{Name: "Alias", Scope: configs.ScopeServerConfig | configs.ScopeLocation, Type: configs.List,
			Syntax: "[URL-path] file-path|directory-path",
			Help:   "Maps a URL-path prefix to a file-system path outside the DocumentRoot (one argument inside a Location section)",
			Set:    setAlias},
		{Name: "AliasMatch", Scope: configs.ScopeServerConfig, Type: configs.List,
			Syntax: "regex file-path|directory-path",
			Help:   "Maps URL-paths matching a regular expression to a file-system path with $1… substitutions",
			Set:    setAliasMatch},
		{Name: "Redirect", Scope: fileInfo, Type: configs.List,
			Syntax: "[status] [URL-path] URL",
			Help:   "Answers a URL-path prefix with a redirect to another URL (status permanent, temp, seeother, gone or a number; default temp)",
			Set: func(c *configs.Cmd, v configs.Value) error {
				return eachItem(v, func(args []string) error { return addRedirect(c, args, 302, false) })
			}},
		{Name: "RedirectMatch", Scope: fileInfo, Type: configs.List,
			Syntax: "[status] regex URL",
			Help:   "Answers URL-paths matching a regular expression with a redirect to a URL with $1… substitutions",
			Set: func(c *configs.Cmd, v configs.Value) error {
				return eachItem(v, func(args []string) error { return addRedirect(c, args, 302, true) })
			}},
		{Name: "RedirectPermanent", Scope: fileInfo, Type: configs.List,
			Syntax: "URL-path URL",
			Help:   "Answers a URL-path prefix with a permanent redirect (301) to another URL",
			Set: func(c *configs.Cmd, v configs.Value) error {
				return eachItem(v, func(args []string) error { return addFixedRedirect(c, args, 301) })
			}},
		{Name: "RedirectTemp", Scope: fileInfo, Type: configs.List,
			Syntax: "URL-path URL",
			Help:   "Answers a URL-path prefix with a temporary redirect (302) to another URL",
			Set: func(c *configs.Cmd, v configs.Value) error {
				return eachItem(v, func(args []string) error { return addFixedRedirect(c, args, 302) })
			}},
	}
}

// eachItem applies fn to the words of every list element and names the
// element that failed.
func eachItem(v configs.Value, fn func(args []string) error) error {
	for _, it := range v.List {
		if err := fn(it.Args); err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
	}
	return nil
}

func setAlias(c *configs.Cmd, v configs.Value) error {
	return eachItem(v, func(args []string) error {
		switch {
		case len(args) == 2 && c.Section == nil:
			sc := c.Server.(*ServerConfig)
			sc.Aliases = append(sc.Aliases, &Entry{Fake: args[0], Real: args[1]})
			return nil
		case len(args) == 2:
			return errors.New("the two-argument form (URL-path file-path) is not allowed inside a section; use the one-argument form inside a Location section, or move it to the top level or a VirtualHost")
		case len(args) == 1 && c.Where == configs.ScopeLocation:
			if err := literal(args[0]); err != nil {
				return err
			}
			d := c.Dir.(*DirConfig)
			d.Alias, d.aliasSet = args[0], true
			return nil
		case len(args) == 1:
			return errors.New("Alias must have two arguments (URL-path file-path) when used globally")
		}
		return fmt.Errorf("Alias takes a URL-path and a file-path, or one file-path inside a Location section; got %d arguments", len(args))
	})
}

func setAliasMatch(c *configs.Cmd, v configs.Value) error {
	return eachItem(v, func(args []string) error {
		if len(args) != 2 {
			return fmt.Errorf("AliasMatch takes a regular expression and a file-path; got %d arguments", len(args))
		}
		re, err := regexp.Compile(args[0])
		if err != nil {
			return fmt.Errorf("regular expression could not be compiled: %w", err)
		}
		sc := c.Server.(*ServerConfig)
		sc.Aliases = append(sc.Aliases, &Entry{Fake: args[0], Real: args[1], Regexp: re})
		return nil
	})
}

// literal refuses an ap_expr string, which gohttpd does not evaluate.
func literal(s string) error {
	if strings.Contains(s, "%{") {
		return fmt.Errorf("%q is an Apache expression; gohttpd takes this argument literally and does not evaluate %%{…} variables", s)
	}
	return nil
}

// ParseStatus reads a Redirect status: the keywords permanent (301),
// temp (302), seeother (303) and gone (410), case-insensitive, or a number
// from 300 to 599. ok is false when s is neither a keyword nor starts with
// a digit (it is then a URL-path); err is set for a bad number.
func ParseStatus(s string) (status int, ok bool, err error) {
	switch strings.ToLower(s) {
	case "permanent":
		return 301, true, nil
	case "temp":
		return 302, true, nil
	case "seeother":
		return 303, true, nil
	case "gone":
		return 410, true, nil
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false, nil
	}
	n, convErr := strconv.Atoi(s)
	if convErr != nil || n < 300 || n > 599 {
		return 0, true, fmt.Errorf("status %q must be permanent, temp, seeother, gone or a number from 300 to 599", s)
	}
	return n, true, nil
}

func isRedirectStatus(status int) bool { return status >= 300 && status <= 399 }

// addRedirect applies one Redirect or RedirectMatch (Apache's
// add_redirect_internal): "[status] path URL", "status path" for a status
// without URL, and inside a Location "[status] URL" or "status".
func addRedirect(c *configs.Cmd, args []string, status int, useRegex bool) error {
	if len(args) == 0 || len(args) > 3 {
		return fmt.Errorf("takes an optional status, a URL-path and a URL; got %d arguments", len(args))
	}
	st, grok, err := ParseStatus(args[0])
	if err != nil {
		return err
	}
	if grok {
		status = st
	}
	inLocation := c.Where == configs.ScopeLocation && !useRegex
	var fake, url string
	switch {
	case len(args) == 3 && !grok:
		return fmt.Errorf("invalid first argument (of three) %q: want a status (permanent, temp, seeother, gone or a number)", args[0])
	case len(args) == 3:
		fake, url = args[1], args[2]
	case len(args) == 2 && grok && isRedirectStatus(status) && inLocation:
		return setLocationRedirect(c, args[1], status)
	case len(args) == 2 && grok:
		fake = args[1]
	case len(args) == 2:
		fake, url = args[0], args[1]
	case inLocation && grok && !isRedirectStatus(status):
		return setLocationRedirect(c, "", status)
	case inLocation && !grok:
		return setLocationRedirect(c, args[0], status)
	default:
		return errors.New("URL to redirect to is missing (the one-argument form is only for Location sections)")
	}
	var re *regexp.Regexp
	if useRegex {
		if re, err = regexp.Compile(fake); err != nil {
			return fmt.Errorf("regular expression could not be compiled: %w", err)
		}
	}
	if isRedirectStatus(status) {
		if url == "" {
			return errors.New("URL to redirect to is missing")
		}
		if !useRegex && !isURL(url) && url[0] != '/' {
			return fmt.Errorf("redirect to non-URL %q: want an absolute URL (http://host/path) or a URL-path starting with /", url)
		}
	} else if url != "" {
		return fmt.Errorf("a redirect URL is not valid for status %d (only 3xx statuses redirect)", status)
	}
	e := &Entry{Fake: fake, Real: url, Regexp: re, Status: status}
	if c.Section != nil {
		d := c.Dir.(*DirConfig)
		d.Redirects = append(d.Redirects, e)
	} else {
		sc := c.Server.(*ServerConfig)
		sc.Redirects = append(sc.Redirects, e)
	}
	return nil
}

func setLocationRedirect(c *configs.Cmd, url string, status int) error {
	if isRedirectStatus(status) {
		if url == "" {
			return errors.New("URL to redirect to is missing")
		}
		if err := literal(url); err != nil {
			return err
		}
	} else if url != "" {
		return fmt.Errorf("a redirect URL is not valid for status %d (only 3xx statuses redirect)", status)
	}
	d := c.Dir.(*DirConfig)
	d.Redirect, d.RedirectStatus, d.redirectSet = url, status, true
	return nil
}

// addFixedRedirect applies RedirectPermanent or RedirectTemp: exactly a
// URL-path and a URL.
func addFixedRedirect(c *configs.Cmd, args []string, status int) error {
	if len(args) != 2 {
		return fmt.Errorf("takes a URL-path and a URL; got %d arguments", len(args))
	}
	return addRedirect(c, []string{strconv.Itoa(status), args[0], args[1]}, status, false)
}

// isURL reports whether s starts with a URL scheme and ':' (Apache's
// ap_is_url).
func isURL(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 {
		return false
	}
	for j := 0; j < i; j++ {
		c := s[j]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
