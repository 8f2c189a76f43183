package core

import (
	"net"

	"gohttpd/pipeline"
)

// RegisterHooks adds the core's functions to a generation's hooks: the
// default connection record and network filters, the BYTERANGE filter of
// every request, URI-to-file translation, the Directory/Files walk (with
// its cache and symbolic-link checks, and the per-child stat cache), the
// built-in content types, ForceType, SetHandler and AcceptPathInfo Off,
// the default handler, the ErrorDocument lookup (as pipeline.OptResponseCodeString), and the
// ServerTokens banner and ServerSignature footer (as
// pipeline.OptServerBanner and pipeline.OptSignature).
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
	st := &staticState{ranges: newByterangeState()}
	// BYTERANGE runs after every content filter and before HTTP_HEADER:
	// the last content slot, so that it can be inserted per request at
	// insert_filter time, ahead of the protocol filters already there.
	brReg := fs.RegisterOutput("core", ByterangeFilterName, pipeline.FilterProtocol-1, st.ranges.filter)
	h.InsertFilter.Register("core", func(r *pipeline.Request) pipeline.Result {
		insertByterange(r, brReg)
		return pipeline.OK
	}, pipeline.ReallyFirst)
	h.CheckConfig.Register("core", func(s *pipeline.Server) pipeline.Result {
		banner := BannerFor(ServerConfigOf(s).Tokens)
		pipeline.PublishOptional(h.Optional, pipeline.OptServerBanner, pipeline.ServerBannerFunc(func() string { return banner }))
		pipeline.PublishOptional(h.Optional, pipeline.OptSignature, signature(banner))
		return prepareWalks(s)
	}, pipeline.Middle)
	h.TranslateName.Register("core", translateName, pipeline.ReallyLast)
	store := &storage{}
	h.ChildInit.Register("core", store.childInit, pipeline.ReallyFirst)
	h.ChildExit.Register("core", store.childExit, pipeline.ReallyLast)
	h.MapToStorage.Register("core", store.mapToStorage, pipeline.ReallyLast)
	h.TypeChecker.Register("core", typeChecker, pipeline.ReallyLast)
	h.Fixups.Register("core", overrideType, pipeline.ReallyFirst)
	h.Handler.Register("core", st.defaultHandler, pipeline.ReallyLast)
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

// staticState is the default handler's per-generation state.
type staticState struct {
	ranges *byterangeState
	files  fileCache
}

// insertByterange adds the BYTERANGE filter to a main request that asks
// for ranges and does not have it yet (an internal redirect keeps its
// predecessor's). Apache adds it to every request; it does nothing
// without a Range header, so leaving it out saves the work.
func insertByterange(r *pipeline.Request, reg *pipeline.FilterReg) {
	if r.Main != nil {
		return
	}
	if _, ok := r.HeadersIn.Lookup("Range"); !ok {
		return
	}
	for f := r.OutputFilters(); f != nil; f = f.Next {
		if f.Reg == reg {
			return
		}
	}
	r.AddOutputFilterReg(reg, nil)
}
