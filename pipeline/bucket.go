package pipeline

import "os"

// BucketKind says what a Bucket carries.
type BucketKind uint8

const (
	// BucketBytes carries Data.
	BucketBytes BucketKind = iota
	// BucketFile carries Length bytes of File from Offset; the network
	// filter sends it with sendfile.
	BucketFile
	// BucketFlush asks every filter to pass on what it holds and the
	// network filter to write it out now.
	BucketFlush
	// BucketEOS ends the response body.
	BucketEOS
	// BucketError carries an HTTP status for the protocol filter to
	// answer instead of the response (Apache's error bucket).
	BucketError
)

// String names the kind as Apache names bucket types.
func (k BucketKind) String() string {
	switch k {
	case BucketBytes:
		return "HEAP"
	case BucketFile:
		return "FILE"
	case BucketFlush:
		return "FLUSH"
	case BucketEOS:
		return "EOS"
	case BucketError:
		return "ERROR"
	}
	return "UNKNOWN"
}

// Bucket is one element of a Brigade. Buckets are small values: filters
// copy them between brigades freely.
//
// The bytes of a BucketBytes bucket belong to whoever passed the brigade
// and must stay unchanged until the pass returns; a filter that keeps data
// beyond the pass (to compress it, say) must copy it.
type Bucket struct {
	Kind   BucketKind
	Data   []byte   // BucketBytes
	File   *os.File // BucketFile; the bucket does not own it
	Offset int64    // BucketFile
	Length int64    // BucketFile
	Status int      // BucketError
	Err    error    // BucketError: the cause, for the error log
}

// Len returns the number of body bytes the bucket carries: len(Data) or
// Length; 0 for metadata buckets.
func (b *Bucket) Len() int64 {
	switch b.Kind {
	case BucketBytes:
		return int64(len(b.Data))
	case BucketFile:
		return b.Length
	}
	return 0
}

// IsMetadata reports whether the bucket carries no body bytes (flush, EOS,
// error).
func (b *Bucket) IsMetadata() bool { return b.Kind != BucketBytes && b.Kind != BucketFile }
