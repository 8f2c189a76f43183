package htpasswd

import (
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// Scheme identifies a hash format.
type Scheme int

const (
	// Unknown is a hash no supported format describes (plain text
	// included); it never matches.
	Unknown Scheme = iota
	SHA1           // {SHA}
	DES            // traditional crypt(3)
	MD5            // $apr1$ and $1$
	SHA256         // $5$
	SHA512         // $6$
	Bcrypt         // $2y$, $2a$, $2b$
)

var schemeNames = [...]string{"unknown", "SHA-1", "DES-crypt", "MD5-crypt", "SHA-256-crypt", "SHA-512-crypt", "bcrypt"}

// String names the scheme.
func (s Scheme) String() string {
	if int(s) < len(schemeNames) {
		return schemeNames[s]
	}
	return "unknown"
}

// Identify returns the scheme of hash.
func Identify(hash string) Scheme {
	switch {
	case strings.HasPrefix(hash, "$2y$"), strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"):
		return Bcrypt
	case strings.HasPrefix(hash, apr1Magic), strings.HasPrefix(hash, md5Magic):
		return MD5
	case strings.HasPrefix(hash, sha256Magic):
		return SHA256
	case strings.HasPrefix(hash, sha512Magic):
		return SHA512
	case strings.HasPrefix(hash, "{SHA}"):
		return SHA1
	case isDESHash(hash):
		return DES
	}
	return Unknown
}

// Verify reports whether password matches hash. An unknown format, or a
// malformed hash, does not match.
func Verify(hash, password string) bool {
	switch Identify(hash) {
	case Bcrypt:
		return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	case MD5:
		return equal(md5Crypt(password, hash), hash)
	case SHA256, SHA512:
		got, ok := shaCrypt(password, hash)
		return ok && equal(got, hash)
	case SHA1:
		sum := sha1.Sum([]byte(password))
		return equal("{SHA}"+base64.StdEncoding.EncodeToString(sum[:]), hash)
	case DES:
		return equal(desCrypt(password, hash[:2]), hash)
	}
	return false
}

// equal compares in constant time for equal lengths.
func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// Cost ranks how expensive checking hash is, for choosing the stand-in
// hash an unknown user is checked against: bcrypt by its cost, the crypt
// schemes by their rounds.
func Cost(hash string) int {
	switch Identify(hash) {
	case Bcrypt:
		c, err := bcrypt.Cost([]byte(hash))
		if err != nil {
			return 0
		}
		return 1_000_000 * c
	case SHA256, SHA512:
		if r, ok := shaRounds(hash); ok {
			return r + 2
		}
	case MD5:
		return 1000
	case DES:
		return 25
	case SHA1:
		return 1
	}
	return 0
}

// itoa64 is crypt(3)'s alphabet of 6-bit values.
const itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// b64From24 appends n characters encoding v, least significant 6 bits first.
func b64From24(b []byte, v uint32, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, itoa64[v&0x3f])
		v >>= 6
	}
	return b
}
