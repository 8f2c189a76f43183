package info

import (
	"strings"

	"gohttpd/pipeline"
)

// handle is the server-info handler.
func handle(r *pipeline.Request) pipeline.Result {
	if r.Handler != Handler {
		return pipeline.Declined
	}
	r.Allow(pipeline.MethodGet)
	if r.MethodNumber != pipeline.MethodGet {
		return 405
	}
	if err := pipeline.DiscardRequestBody(r); err != nil {
		return pipeline.ErrorStatus(err)
	}
	var b strings.Builder
	writePage(&b, r)
	r.ContentType = "text/html; charset=utf-8"
	r.SetContentLength(int64(b.Len()))
	if !r.HeaderOnly {
		if _, err := r.WriteString(b.String()); err != nil {
			return pipeline.Done
		}
	}
	return pipeline.OK
}
