package pipeline

import "os"

// Brigade is an ordered list of buckets passed down the output filters in
// one call (Apache's apr_bucket_brigade). A response is a sequence of
// brigades, the last ending with an EOS bucket; nothing requires a whole
// response to be in one brigade. The zero value is an empty brigade.
type Brigade struct {
	Buckets []Bucket
}

// AppendBytes appends a bytes bucket holding p, which is not copied (see
// Bucket). Empty p is ignored.
func (bb *Brigade) AppendBytes(p []byte) {
	if len(p) > 0 {
		bb.Buckets = append(bb.Buckets, Bucket{Kind: BucketBytes, Data: p})
	}
}

// AppendString appends a bytes bucket holding s.
func (bb *Brigade) AppendString(s string) { bb.AppendBytes([]byte(s)) }

// AppendFile appends a bucket for n bytes of f starting at off. f must stay
// open until the brigade has been passed.
func (bb *Brigade) AppendFile(f *os.File, off, n int64) {
	if n > 0 {
		bb.Buckets = append(bb.Buckets, Bucket{Kind: BucketFile, File: f, Offset: off, Length: n})
	}
}

// AppendFlush appends a flush bucket.
func (bb *Brigade) AppendFlush() { bb.Buckets = append(bb.Buckets, Bucket{Kind: BucketFlush}) }

// AppendEOS appends an end-of-stream bucket.
func (bb *Brigade) AppendEOS() { bb.Buckets = append(bb.Buckets, Bucket{Kind: BucketEOS}) }

// AppendError appends an error bucket carrying an HTTP status.
func (bb *Brigade) AppendError(status int, err error) {
	bb.Buckets = append(bb.Buckets, Bucket{Kind: BucketError, Status: status, Err: err})
}

// Prepend inserts b before every bucket.
func (bb *Brigade) Prepend(b Bucket) {
	bb.Buckets = append(bb.Buckets, Bucket{})
	copy(bb.Buckets[1:], bb.Buckets)
	bb.Buckets[0] = b
}

// Len returns the body bytes the brigade carries.
func (bb *Brigade) Len() int64 {
	var n int64
	for i := range bb.Buckets {
		n += bb.Buckets[i].Len()
	}
	return n
}

// HasEOS reports whether the brigade holds an EOS bucket.
func (bb *Brigade) HasEOS() bool {
	for i := range bb.Buckets {
		if bb.Buckets[i].Kind == BucketEOS {
			return true
		}
	}
	return false
}

// Empty reports whether the brigade holds no bucket.
func (bb *Brigade) Empty() bool { return len(bb.Buckets) == 0 }

// Reset empties the brigade, keeping its storage and dropping references
// to the buckets' data.
func (bb *Brigade) Reset() {
	clear(bb.Buckets)
	bb.Buckets = bb.Buckets[:0]
}
