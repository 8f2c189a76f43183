package core

import (
	"crypto/rand"
	"encoding/binary"
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// ByterangeFilterName is the name of core's byte-range output filter
// (Apache's BYTERANGE).
const ByterangeFilterName = "BYTERANGE"

// Apache's defaults for MaxRanges, MaxRangeOverlaps and MaxRangeReversals,
// and the encodings of their keywords.
const (
	defaultMaxRanges    = 200
	defaultMaxOverlaps  = 20
	defaultMaxReversals = 20
	rangesUnset         = -1
	rangesUnlimited     = -3
)

// byteRange is one merged range, inclusive.
type byteRange struct{ start, end int64 }

// byterangeState is the filter's per-generation state.
type byterangeState struct {
	boundary string // Apache's ap_multipart_boundary: a random number in hex
}

func newByterangeState() *byterangeState {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &byterangeState{boundary: strconv.FormatUint(binary.BigEndian.Uint64(b[:]), 16)}
}

// filter is the BYTERANGE output filter (Apache's ap_byterange_filter): a
// response of status 200 whose first brigade holds the whole body answers
// a Range request with 206 and the selected bytes (one range with
// Content-Range; several as multipart/byteranges), with 416 when no range
// is satisfiable, or unchanged when the header is malformed, If-Range does
// not hold, or a limit (MaxRanges, MaxRangeOverlaps, MaxRangeReversals) is
// passed. File buckets stay file buckets, so ranges are sent with
// sendfile.
func (st *byterangeState) filter(f *pipeline.Filter, bb *pipeline.Brigade) error {
	r := f.Req
	r.RemoveOutputFilter(f) // one decision per response
	if !bb.HasEOS() {
		return f.Next.Pass(bb)
	}
	clength := bb.Len()
	if clength <= 0 {
		return f.Next.Pass(bb)
	}
	d := DirConfigOf(r.PerDir)
	maxRanges, maxOverlaps, maxReversals := defaultMaxRanges, defaultMaxOverlaps, defaultMaxReversals
	if d != nil {
		maxRanges = limitOf(d.maxRanges, defaultMaxRanges)
		maxOverlaps = limitOf(d.maxOverlaps, defaultMaxOverlaps)
		maxReversals = limitOf(d.maxReversals, defaultMaxReversals)
	}
	ranges, overlaps, reversals, n := parseRanges(r, clength)
	if n == 0 ||
		(maxRanges >= 0 && n > maxRanges) ||
		(maxOverlaps >= 0 && overlaps > maxOverlaps) ||
		(maxReversals >= 0 && reversals > maxReversals) {
		return f.Next.Pass(bb)
	}
	if n < 0 {
		var out pipeline.Brigade
		r.Status = 200
		r.ErrHeadersOut.Set("Content-Range", "bytes */"+strconv.FormatInt(clength, 10))
		out.AppendError(416, nil)
		out.AppendEOS()
		bb.Reset()
		return f.Next.Pass(&out)
	}
	r.Status = 206
	out := pipeline.Brigade{Buckets: make([]pipeline.Bucket, 0, len(ranges)*3+2)}
	if len(ranges) == 1 {
		rg := ranges[0]
		r.HeadersOut.Set("Content-Range", "bytes "+formatRange(rg, clength))
		copyRange(&out, bb, rg)
	} else {
		ct := r.ContentType
		r.ContentType = "multipart/byteranges; boundary=" + st.boundary
		head := "\r\n--" + st.boundary + "\r\nContent-range: bytes "
		if ct != "" {
			head = "\r\n--" + st.boundary + "\r\nContent-type: " + ct + "\r\nContent-range: bytes "
		}
		for _, rg := range ranges {
			out.AppendString(head + formatRange(rg, clength) + "\r\n\r\n")
			copyRange(&out, bb, rg)
		}
		out.AppendString("\r\n--" + st.boundary + "--\r\n")
	}
	out.AppendEOS()
	r.SetContentLength(out.Len())
	bb.Reset()
	return f.Next.Pass(&out)
}

func limitOf(v, def int) int {
	if v >= 0 || v == rangesUnlimited {
		return v
	}
	return def
}

func formatRange(rg byteRange, clength int64) string {
	b := make([]byte, 0, 48)
	b = strconv.AppendInt(b, rg.start, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, rg.end, 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, clength, 10)
	return string(b)
}

// copyRange appends to out the parts of bb's buckets that fall in rg.
func copyRange(out, bb *pipeline.Brigade, rg byteRange) {
	var pos int64
	for _, b := range bb.Buckets {
		n := b.Len()
		if n == 0 {
			continue
		}
		lo, hi := max(rg.start, pos), min(rg.end+1, pos+n)
		if lo < hi {
			switch b.Kind {
			case pipeline.BucketBytes:
				out.AppendBytes(b.Data[lo-pos : hi-pos])
			case pipeline.BucketFile:
				out.AppendFile(b.File, b.Offset+lo-pos, hi-lo)
			}
		}
		pos += n
		if pos > rg.end {
			return
		}
	}
}

// parseRanges reads Range as Apache's ap_set_byterange:
// it returns the merged ranges in request order, the overlap and reversal
// counts, and n: the number of ranges, 0 to ignore the header, -1 when no
// range is satisfiable.
func parseRanges(r *pipeline.Request, clength int64) (ranges []byteRange, overlaps, reversals, n int) {
	if r.HTTP09 {
		return nil, 0, 0, 0
	}
	spec, ok := r.HeadersIn.Lookup("Range")
	if !ok || len(spec) < 6 || !strings.EqualFold(spec[:6], "bytes=") || r.Status != 200 {
		return nil, 0, 0, 0
	}
	if _, done := r.HeadersOut.Lookup("Content-Range"); done {
		return nil, 0, 0, 0
	}
	if ct := strings.ToLower(r.ContentType); strings.HasPrefix(ct, "multipart/byteranges") || strings.HasPrefix(ct, "multipart/x-byteranges") {
		return nil, 0, 0, 0
	}
	if IfRange(r) == CondNoMatch {
		return nil, 0, 0, 0
	}
	spec = spec[6:]
	var ostart, oend, sum int64
	inMerge, unsatisfiable := false, false
	for spec != "" {
		var cur string
		cur, spec, _ = strings.Cut(spec, ",")
		if cur == "" {
			continue // ap_getword skips runs of commas
		}
		dash := strings.IndexByte(cur, '-')
		if dash < 0 {
			return nil, 0, 0, 0
		}
		var start, end int64
		if dash == 0 {
			num, ok := parseOff(cur[1:])
			if !ok || num < 1 {
				return nil, 0, 0, 0
			}
			start, end = clength-num, clength-1
		} else {
			num, ok := parseOff(cur[:dash])
			if !ok {
				return nil, 0, 0, 0
			}
			start = num
			if rest := cur[dash+1:]; rest != "" {
				e, ok := parseOff(rest)
				if !ok || start > e {
					return nil, 0, 0, 0
				}
				end = e
			} else {
				end = clength - 1
				if start == 0 {
					// "0-": the whole body as one range, whatever else.
					ranges, sum, n = ranges[:0], 0, 0
					inMerge, ostart, oend = true, 0, end
					break
				}
			}
		}
		start = max(start, 0)
		if start >= clength {
			unsatisfiable = true
			continue
		}
		end = min(end, clength-1)
		if !inMerge {
			ostart, oend, inMerge = start, end, true
			continue
		}
		inMerge = false
		if start >= ostart && end <= oend {
			inMerge = true
		}
		if start < ostart && end >= ostart-1 {
			ostart = start
			reversals++
			inMerge = true
		}
		if end >= oend && start <= oend+1 {
			oend = end
			inMerge = true
		}
		if inMerge {
			overlaps++
			continue
		}
		ranges = append(ranges, byteRange{ostart, oend})
		sum += oend - ostart + 1
		n++
		ostart, oend, inMerge = start, end, true
	}
	if inMerge {
		ranges = append(ranges, byteRange{ostart, oend})
		sum += oend - ostart + 1
		n++
	} else if n == 0 && unsatisfiable {
		return nil, overlaps, reversals, -1
	}
	if sum > clength {
		return nil, 0, 0, 0
	}
	return ranges, overlaps, reversals, n
}

// parseOff parses a decimal offset: digits only, as Apache 2.4.71
// answers (a sign or white space makes the whole header ignored).
func parseOff(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
