package htpasswd

import (
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"strconv"
	"strings"
)

const (
	sha256Magic   = "$5$"
	sha512Magic   = "$6$"
	roundsPrefix  = "rounds="
	roundsDefault = 5000
	roundsMin     = 1000
	roundsMax     = 999_999_999
)

// shaRounds returns the rounds a $5$/$6$ hash asks for.
func shaRounds(setting string) (int, bool) {
	rest := setting[3:]
	if !strings.HasPrefix(rest, roundsPrefix) {
		return roundsDefault, true
	}
	end := strings.IndexByte(rest, '$')
	if end < 0 {
		return 0, false
	}
	n, err := strconv.ParseUint(rest[len(roundsPrefix):end], 10, 64)
	if err != nil {
		return 0, false
	}
	return int(min(max(n, roundsMin), roundsMax)), true
}

// Byte orders of the final encoding (Drepper's specification).
var (
	sha256Order = [...][3]int{{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
		{15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}}
	sha512Order = [...][3]int{{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
		{47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10},
		{53, 11, 32}, {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16},
		{59, 17, 38}, {18, 39, 60}, {40, 61, 19}, {62, 20, 41}}
)

// shaCrypt computes Ulrich Drepper's SHA-256-crypt or SHA-512-crypt of
// password with the parameters of setting ("$5$[rounds=N$]salt$…").
func shaCrypt(password, setting string) (string, bool) {
	magic := setting[:3]
	newHash := sha256.New
	if magic == sha512Magic {
		newHash = sha512.New
	}
	rest := setting[3:]
	rounds, explicit := roundsDefault, false
	if strings.HasPrefix(rest, roundsPrefix) {
		r, ok := shaRounds(setting)
		if !ok {
			return "", false
		}
		rounds, explicit = r, true
		rest = rest[strings.IndexByte(rest, '$')+1:]
	}
	salt := rest
	if i := strings.IndexByte(salt, '$'); i >= 0 {
		salt = salt[:i]
	}
	if len(salt) > 16 {
		salt = salt[:16]
	}
	pw, s := []byte(password), []byte(salt)

	h := newHash()
	size := h.Size()
	h.Write(pw)
	h.Write(s)
	h.Write(pw)
	b := h.Sum(nil)

	h.Reset()
	h.Write(pw)
	h.Write(s)
	writeRepeated(h, b, len(pw))
	for n := len(pw); n > 0; n >>= 1 {
		if n&1 != 0 {
			h.Write(b)
		} else {
			h.Write(pw)
		}
	}
	a := h.Sum(nil)

	h.Reset()
	for range len(pw) {
		h.Write(pw)
	}
	p := repeatTo(h.Sum(nil), len(pw))

	h.Reset()
	for range 16 + int(a[0]) {
		h.Write(s)
	}
	ss := repeatTo(h.Sum(nil), len(s))

	for i := range rounds {
		h.Reset()
		if i&1 != 0 {
			h.Write(p)
		} else {
			h.Write(a)
		}
		if i%3 != 0 {
			h.Write(ss)
		}
		if i%7 != 0 {
			h.Write(p)
		}
		if i&1 != 0 {
			h.Write(a)
		} else {
			h.Write(p)
		}
		a = h.Sum(a[:0])
	}

	out := make([]byte, 0, 128)
	out = append(out, magic...)
	if explicit {
		out = append(out, roundsPrefix...)
		out = strconv.AppendInt(out, int64(rounds), 10)
		out = append(out, '$')
	}
	out = append(out, salt...)
	out = append(out, '$')
	if size == sha256.Size {
		for _, o := range sha256Order {
			out = b64From24(out, uint32(a[o[0]])<<16|uint32(a[o[1]])<<8|uint32(a[o[2]]), 4)
		}
		out = b64From24(out, uint32(a[31])<<8|uint32(a[30]), 3)
	} else {
		for _, o := range sha512Order {
			out = b64From24(out, uint32(a[o[0]])<<16|uint32(a[o[1]])<<8|uint32(a[o[2]]), 4)
		}
		out = b64From24(out, uint32(a[63]), 2)
	}
	return string(out), true
}

// writeRepeated writes n bytes of b, repeated as needed.
func writeRepeated(h hash.Hash, b []byte, n int) {
	for ; n > len(b); n -= len(b) {
		h.Write(b)
	}
	h.Write(b[:n])
}

// repeatTo returns b repeated to exactly n bytes.
func repeatTo(b []byte, n int) []byte {
	out := make([]byte, 0, n)
	for len(out) < n {
		out = append(out, b[:min(len(b), n-len(out))]...)
	}
	return out
}
