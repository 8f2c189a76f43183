package core

import (
	"net"

	"gohttpd/pipeline"
)

// RegisterHooks adds the core's functions to a generation's hooks: the
// default connection record and network filters, URI-to-file translation,
// the Directory/Files walk, the built-in content types, ForceType and
// SetHandler, the default handler, and the ErrorDocument lookup (as the
// optional function pipeline.OptResponseCodeString).
func RegisterHooks(h *pipeline.Hooks) {
	fs := h.Filters()
	out := fs.RegisterOutput("core", pipeline.CoreOutputFilterName, pipeline.FilterNetwork, pipeline.CoreOutputFilter)
	in := fs.RegisterInput("core", pipeline.CoreInputFilterName, pipeline.FilterNetwork, pipeline.CoreInputFilter)

	h.CreateConnection.Register("core", func(nc net.Conn, s *pipeline.Server, id int64) *pipeline.Conn {
		return pipeline.NewConn(nc, s, id)
	}, pipeline.ReallyLast)
	h.PreConnection.Register("core", func(c *pipeline.Conn) pipeline.Result {
		c.AddInputFilterReg(in, nil)
		c.AddOutputFilterReg(out, nil)
		return pipeline.OK
	}, pipeline.ReallyLast)
	h.TranslateName.Register("core", translateName, pipeline.ReallyLast)
	h.MapToStorage.Register("core", mapToStorage, pipeline.ReallyLast)
	h.TypeChecker.Register("core", typeChecker, pipeline.ReallyLast)
	h.Fixups.Register("core", overrideType, pipeline.ReallyFirst)
	h.Handler.Register("core", defaultHandler, pipeline.ReallyLast)
	pipeline.PublishOptional(h.Optional, pipeline.OptResponseCodeString, pipeline.ResponseCodeStringFunc(responseCodeString))
}

// responseCodeString returns the ErrorDocument for status in Apache's
// encoding: '"'-prefixed text, a local URL starting with '/', or a remote
// URL. The configuration keeps the document without its quotes, so a
// document that starts with '/' or names a URL (scheme://…) is taken as a
// URL and anything else as text.
func responseCodeString(r *pipeline.Request, status int) string {
	d := DirConfigOf(r.PerDir)
	if d == nil {
		return ""
	}
	doc, ok := d.ErrorDocuments[status]
	if !ok || doc == "" {
		return ""
	}
	if doc[0] == '/' || isRemoteURL(doc) {
		return doc
	}
	return "\"" + doc
}

func isRemoteURL(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' {
			return i > 0 && len(s) > i+2 && s[i+1] == '/' && s[i+2] == '/'
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return false
}
