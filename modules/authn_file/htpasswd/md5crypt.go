package htpasswd

import (
	"crypto/md5"
	"strings"
)

const (
	apr1Magic = "$apr1$"
	md5Magic  = "$1$"
)

// md5Crypt computes Poul-Henning Kamp's MD5-crypt of password with the
// magic and salt of setting ("$apr1$salt$…" or "$1$salt$…"). APR1 differs
// from $1$ only in its magic string.
func md5Crypt(password, setting string) string {
	magic := md5Magic
	if strings.HasPrefix(setting, apr1Magic) {
		magic = apr1Magic
	}
	salt := setting[len(magic):]
	if i := strings.IndexByte(salt, '$'); i >= 0 {
		salt = salt[:i]
	}
	if len(salt) > 8 {
		salt = salt[:8]
	}
	pw := []byte(password)

	alt := md5.New()
	alt.Write(pw)
	alt.Write([]byte(salt))
	alt.Write(pw)
	altSum := alt.Sum(nil)

	ctx := md5.New()
	ctx.Write(pw)
	ctx.Write([]byte(magic))
	ctx.Write([]byte(salt))
	for n := len(pw); n > 0; n -= 16 {
		ctx.Write(altSum[:min(n, 16)])
	}
	for i := len(pw); i > 0; i >>= 1 {
		if i&1 != 0 {
			ctx.Write([]byte{0})
		} else {
			ctx.Write(pw[:1])
		}
	}
	final := ctx.Sum(nil)

	for i := 0; i < 1000; i++ {
		c := md5.New()
		if i&1 != 0 {
			c.Write(pw)
		} else {
			c.Write(final)
		}
		if i%3 != 0 {
			c.Write([]byte(salt))
		}
		if i%7 != 0 {
			c.Write(pw)
		}
		if i&1 != 0 {
			c.Write(final)
		} else {
			c.Write(pw)
		}
		final = c.Sum(final[:0])
	}

	out := make([]byte, 0, len(magic)+len(salt)+1+22)
	out = append(out, magic...)
	out = append(out, salt...)
	out = append(out, '$')
	f := final
	out = b64From24(out, uint32(f[0])<<16|uint32(f[6])<<8|uint32(f[12]), 4)
	out = b64From24(out, uint32(f[1])<<16|uint32(f[7])<<8|uint32(f[13]), 4)
	out = b64From24(out, uint32(f[2])<<16|uint32(f[8])<<8|uint32(f[14]), 4)
	out = b64From24(out, uint32(f[3])<<16|uint32(f[9])<<8|uint32(f[15]), 4)
	out = b64From24(out, uint32(f[4])<<16|uint32(f[10])<<8|uint32(f[5]), 4)
	out = b64From24(out, uint32(f[11]), 2)
	return string(out)
}
