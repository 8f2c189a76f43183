package scoreboard

import (
	"encoding/binary"
	"runtime"
	"sync/atomic"
	"unicode/utf8"
)

// maxReadAttempts bounds how often a reader retries a seqlock-guarded read
// while a writer is active. A writer that died in the middle of a write
// leaves the sequence odd; readers then give up instead of spinning.
const maxReadAttempts = 100

// beginWrite marks the start of a write guarded by seq and returns the odd
// value to pass to endWrite. There is one writer per sequence; if the
// previous writer died mid-write the sequence is already odd and stays so.
func beginWrite(seq *atomic.Uint64) uint64 {
	s := seq.Load() | 1
	seq.Store(s)
	return s
}

// endWrite ends a write begun with beginWrite.
func endWrite(seq *atomic.Uint64, s uint64) { seq.Store(s + 1) }

// readBegin starts a read guarded by seq: it returns the sequence to pass
// to readEnd and true, or, while a write is in progress, yields the
// processor so that the writer can finish and returns false.
func readBegin(seq *atomic.Uint64) (uint64, bool) {
	s := seq.Load()
	if s&1 != 0 {
		runtime.Gosched()
		return s, false
	}
	return s, true
}

// readEnd reports whether the read begun at s saw one consistent value. If
// not, it yields the processor before the caller retries.
func readEnd(seq *atomic.Uint64, s uint64) bool {
	if seq.Load() == s {
		return true
	}
	runtime.Gosched()
	return false
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// storeString writes s, which must fit, into dst as little-endian words.
// Words past len(s) are left alone: the stored length says where s ends.
func storeString(dst []atomic.Uint64, s string) {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		dst[i/8].Store(uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 |
			uint64(s[i+3])<<24 | uint64(s[i+4])<<32 | uint64(s[i+5])<<40 |
			uint64(s[i+6])<<48 | uint64(s[i+7])<<56)
	}
	if i < len(s) {
		var w uint64
		for j := 0; i+j < len(s); j++ {
			w |= uint64(s[i+j]) << (8 * j)
		}
		dst[i/8].Store(w)
	}
}

// loadBytes copies the first n bytes held in src into buf, which must be
// at least len(src)*8 long, and returns buf[:n]. n is clamped to the
// capacity of src.
func loadBytes(buf []byte, src []atomic.Uint64, n int) []byte {
	n = min(n, len(src)*8)
	for i := 0; i*8 < n; i++ {
		binary.LittleEndian.PutUint64(buf[i*8:], src[i].Load())
	}
	return buf[:n]
}

// packLens packs the lengths of the worker's strings into one word:
// client in bits 0-7, vhost 8-15, protocol 16-23, request 24-39.
func packLens(client, vhost, request, protocol int) uint64 {
	return uint64(client) | uint64(vhost)<<8 | uint64(protocol)<<16 | uint64(request)<<24
}

// unpackLens is the inverse of packLens.
func unpackLens(w uint64) (client, vhost, request, protocol int) {
	return int(w & 0xff), int(w >> 8 & 0xff), int(w >> 24 & 0xffff), int(w >> 16 & 0xff)
}
