package pipeline

import (
	"path"
	"strings"
)

// DirectoryWalk merges, over base, the Directory sections of s that apply
// to filename (an absolute path) and then the Files sections that apply to
// its last component, in Apache's order: plain Directory sections from the
// shortest path to the longest (configuration order for equal depth), then
// DirectoryMatch and "~" sections in configuration order, then the server's
// Files and FilesMatch sections followed by those nested in the applied
// Directory sections. isDir says whether filename names a directory (a
// directory's own sections then apply to it, and Files sections do not).
func (s *Server) DirectoryWalk(base ConfigVector, filename string, isDir bool) ConfigVector {
	dir := filename
	if !isDir {
		dir = path.Dir(filename)
	}
	dir = strings.TrimSuffix(dir, "/")
	cur := base
	var nested []*Section
	for _, sec := range s.DirSections {
		if sec.Regex == nil && dirMatches(sec, dir) {
			cur = s.Gen.mergeDir(cur, sec.Config)
			nested = append(nested, sec.Files...)
		}
	}
	for _, sec := range s.DirSections {
		if sec.Regex != nil && sec.Regex.MatchString(dir) {
			cur = s.Gen.mergeDir(cur, sec.Config)
			nested = append(nested, sec.Files...)
		}
	}
	if isDir {
		return cur
	}
	return s.FileWalk(cur, path.Base(filename), nested)
}

// FileWalk merges the Files and FilesMatch sections that match name (a
// file name without directory): the server's first, then extra (sections
// nested in Directory sections), each in configuration order.
func (s *Server) FileWalk(base ConfigVector, name string, extra []*Section) ConfigVector {
	cur := base
	for _, list := range [][]*Section{s.FileSections, extra} {
		for _, sec := range list {
			if fileMatches(sec, name) {
				cur = s.Gen.mergeDir(cur, sec.Config)
			}
		}
	}
	return cur
}

// LocationWalk merges the Location and LocationMatch sections whose
// pattern matches uri, in configuration order. A plain Location path
// matches the URI itself and everything below it, on path-component
// boundaries ("/private" matches "/private" and "/private/x", not
// "/privateer"); a path with wildcards matches as a shell pattern.
func (s *Server) LocationWalk(base ConfigVector, uri string) ConfigVector {
	cur := base
	for _, sec := range s.URLSections {
		if locationMatches(sec, uri) {
			cur = s.Gen.mergeDir(cur, sec.Config)
		}
	}
	return cur
}

// ProxyWalk merges the Proxy and ProxyMatch sections that match url, the
// target of a proxied request (r.Filename without "proxy:"), in
// configuration order (Apache's proxy_walk): a ProxyMatch's expression
// anywhere in it, a Proxy path with wildcards as a shell pattern, any
// other Proxy path as a prefix.
func (s *Server) ProxyWalk(base ConfigVector, url string) ConfigVector {
	cur := base
	for _, sec := range s.ProxySections {
		var ok bool
		switch {
		case sec.Regex != nil:
			ok = sec.Regex.MatchString(url)
		case strings.ContainsAny(sec.Path, "*?["):
			ok, _ = path.Match(sec.Path, url)
		default:
			ok = strings.HasPrefix(url, sec.Path)
		}
		if ok {
			cur = s.Gen.mergeDir(cur, sec.Config)
		}
	}
	return cur
}

func fileMatches(sec *Section, name string) bool {
	if sec.Regex != nil {
		return sec.Regex.MatchString(name)
	}
	ok, _ := path.Match(sec.Path, name)
	return ok
}

func locationMatches(sec *Section, uri string) bool {
	if sec.Regex != nil {
		return sec.Regex.MatchString(uri)
	}
	p := sec.Path
	if strings.ContainsAny(p, "*?[") {
		ok, _ := path.Match(p, uri)
		return ok
	}
	if p == "/" || p == uri {
		return true
	}
	if !strings.HasPrefix(uri, p) {
		return false
	}
	return strings.HasSuffix(p, "/") || uri[len(p)] == '/'
}
