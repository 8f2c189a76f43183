package core

import (
	"net/http"
	"strings"
	"time"

	"gohttpd/pipeline"
)

// Condition is the outcome of one conditional request header (Apache's
// ap_condition_e).
type Condition int

const (
	// CondNone: the header is absent.
	CondNone Condition = iota
	// CondNoMatch: the header is present and its condition does not hold.
	CondNoMatch
	// CondWeak: the condition holds under weak comparison.
	CondWeak
	// CondStrong: the condition holds under strong comparison.
	CondStrong
)

// MeetsConditions evaluates the conditional headers of r against the
// validators the handler set in r.HeadersOut (ETag, Last-Modified), in the
// order and with the rules of Apache's ap_meets_conditions: OK to answer
// normally, 304 (GET and HEAD) or 412. A response that is not a success,
// and sub-requests' parents' statuses, are left alone.
func MeetsConditions(r *pipeline.Request) pipeline.Result {
	if r.Status < 200 || r.Status > 299 {
		return pipeline.OK
	}
	if IfMatch(r) == CondNoMatch {
		return 412
	}
	notModified := -1
	switch c := IfUnmodifiedSince(r); {
	case c == CondNoMatch:
		notModified = 0
	case c >= CondWeak:
		return 412
	}
	switch c := IfNoneMatch(r); {
	case c == CondNoMatch:
		notModified = 0
	case c >= CondWeak:
		if r.MethodNumber != pipeline.MethodGet {
			return 412
		}
		if notModified != 0 {
			notModified = 1
		}
	}
	switch c := IfModifiedSince(r); {
	case c == CondNoMatch:
		notModified = 0
	case c >= CondWeak:
		if r.MethodNumber == pipeline.MethodGet && notModified != 0 {
			notModified = 1
		}
	}
	if IfRange(r) > CondNone {
		return pipeline.OK
	}
	if notModified == 1 {
		return 304
	}
	return pipeline.OK
}

// IfMatch evaluates If-Match with strong comparison.
func IfMatch(r *pipeline.Request) Condition {
	im, ok := r.HeadersIn.Lookup("If-Match")
	if !ok {
		return CondNone
	}
	if strings.HasPrefix(im, "*") {
		return CondStrong
	}
	if etag := r.HeadersOut.Get("ETag"); etag != "" && findETag(im, etag, true) {
		return CondStrong
	}
	return CondNoMatch
}

// IfUnmodifiedSince evaluates If-Unmodified-Since. As in Apache, a holding
// condition is reported as a match (CondWeak/CondStrong meaning "modified
// since", which fails the request) and CondNoMatch means the resource is
// unmodified.
func IfUnmodifiedSince(r *pipeline.Request) Condition {
	v, ok := r.HeadersIn.Lookup("If-Unmodified-Since")
	if !ok {
		return CondNone
	}
	ius, good := parseHTTPDate(v)
	mtime, reqtime := validatorTimes(r)
	if good && mtime > ius {
		return recentness(r, mtime, reqtime)
	}
	return CondNoMatch
}

// IfNoneMatch evaluates If-None-Match: weak comparison for GET and HEAD
// without Range, strong otherwise.
func IfNoneMatch(r *pipeline.Request) Condition {
	inm, ok := r.HeadersIn.Lookup("If-None-Match")
	if !ok {
		return CondNone
	}
	if strings.HasPrefix(inm, "*") {
		return CondStrong
	}
	etag := r.HeadersOut.Get("ETag")
	if etag == "" {
		return CondNoMatch
	}
	if r.MethodNumber == pipeline.MethodGet {
		if _, hasRange := r.HeadersIn.Lookup("Range"); hasRange {
			if findETag(inm, etag, true) {
				return CondStrong
			}
		} else if findETag(inm, etag, false) {
			return CondWeak
		}
		return CondNoMatch
	}
	if findETag(inm, etag, true) {
		return CondStrong
	}
	return CondNoMatch
}

// IfModifiedSince evaluates If-Modified-Since: it holds when the date is
// not before Last-Modified and not after the request time.
func IfModifiedSince(r *pipeline.Request) Condition {
	v, ok := r.HeadersIn.Lookup("If-Modified-Since")
	if !ok {
		return CondNone
	}
	ims, _ := parseHTTPDate(v)
	mtime, reqtime := validatorTimes(r)
	if ims >= mtime && ims <= reqtime {
		return recentness(r, mtime, reqtime)
	}
	return CondNoMatch
}

// IfRange evaluates If-Range when the request also has Range: an entity
// tag must equal ETag exactly; a date must equal Last-Modified and be more
// than a minute old.
func IfRange(r *pipeline.Request) Condition {
	ir, ok := r.HeadersIn.Lookup("If-Range")
	if !ok {
		return CondNone
	}
	if _, hasRange := r.HeadersIn.Lookup("Range"); !hasRange {
		return CondNone
	}
	if strings.HasPrefix(ir, `"`) {
		if etag := r.HeadersOut.Get("ETag"); etag != "" && etag == ir {
			return CondStrong
		}
		return CondNoMatch
	}
	mtime, reqtime := validatorTimes(r)
	if rt, _ := parseHTTPDate(ir); rt == mtime && reqtime >= mtime+60 {
		return CondStrong
	}
	return CondNoMatch
}

// recentness grades a date match: within a minute of the request time it
// is only weak, and no match at all for a Range request.
func recentness(r *pipeline.Request, mtime, reqtime int64) Condition {
	if reqtime < mtime+60 {
		if _, hasRange := r.HeadersIn.Lookup("Range"); hasRange {
			return CondNoMatch
		}
		return CondWeak
	}
	return CondStrong
}

// validatorTimes returns Last-Modified (or the request time when there is
// none) and the request time, in seconds.
func validatorTimes(r *pipeline.Request) (mtime, reqtime int64) {
	reqtime = r.Time.Unix()
	if t, ok := parseHTTPDate(r.HeadersOut.Get("Last-Modified")); ok {
		return t, reqtime
	}
	return time.Now().Unix(), reqtime
}

// parseHTTPDate parses the three HTTP date formats into Unix seconds; 0
// and false when it cannot.
func parseHTTPDate(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	t, err := http.ParseTime(strings.TrimSpace(s))
	if err != nil {
		return 0, false
	}
	return t.Unix(), true
}

// findETag reports whether the comma-separated list of entity tags holds
// etag (Apache's ap_find_etag_strong / ap_find_etag_weak). Strong
// comparison never matches a weak tag on either side; weak comparison
// ignores the W/ prefixes.
func findETag(list, etag string, strong bool) bool {
	if strong && strings.HasPrefix(etag, "W/") {
		return false
	}
	etag = strings.TrimPrefix(etag, "W/")
	for list != "" {
		var item string
		item, list, _ = strings.Cut(list, ",")
		item = strings.TrimSpace(item)
		if strings.HasPrefix(item, "W/") {
			if strong {
				continue
			}
			item = item[2:]
		}
		if item == etag {
			return true
		}
	}
	return false
}
