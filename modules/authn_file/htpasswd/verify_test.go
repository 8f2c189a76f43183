package htpasswd

import (
	"crypto/des"
	"encoding/binary"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Fixed vectors: made by htpasswd 2.4.71 (Debian), perl's crypt (libxcrypt
// 4.4.33) and openssl passwd.
var vectors = []struct {
	hash, password string
	scheme         Scheme
}{
	{"$apr1$U5XY2UYf$qF/ta.0ebO0wlb8VX6sRT1", "p@ss w0rd", MD5},
	{"$apr1$xyz$Pix4eE3fQHxJjb6LqtyMK1", "", MD5},
	{"$1$abcdefgh$mle5BtHHnyidzHhIcQ8tZ0", "p@ss w0rd", MD5},
	{"$2y$05$z5rdKo/odmaJtuMLkLlhh.NrvTC4cheqQtmcZ5RNP5VnpQ70aLKgW", "p@ss w0rd", Bcrypt},
	{"$2y$04$TkJnx4vvmY1ecm6XqbZorOYLkE7/HTDYyK.ym6Eyq7V7cohID60Hy", "", Bcrypt},
	{"$5$fGtYaK8PS1SlxNK/$vG2gDVciytU/wrKLxOZKYNxYeMkFjkz73msZuI8JzP1", "p@ss w0rd", SHA256},
	{"$5$rounds=12000$ewIAyomLhmsP5J2i$DqhHjiOJAWoUN8jjslYlviJhxLt3luntf2xg.FbX2n3", "secret", SHA256},
	{"$5$salt$HrcUzzoef72uxM/YhTU5BAi419Fblqlq//zyM.rIOG0", "", SHA256},
	{"$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5", "Hello world!", SHA256},
	{"$6$j8FAWLUex0aG61ws$Kt0jiBAJCzQ3tIs6xN5lQPdXkYa66lde8hRcBqeKjGKTIZRdgQsy5KIIq4e7fyapxLUdzbp3KAa3qW2ncZjBX.", "p@ss w0rd", SHA512},
	{"$6$rounds=1000$0123456789abcdef$orYUVNlB6t/g6oveNE9blxPCvsPk/NSLDZ27tAeYj2k/5mnlngpVNSyiY9i2bozdPEidOxpnAw1gYDrJjero3/", "x", SHA512},
	{"{SHA}hkh4dSUt9vfhE3nIRwDeOxmhD7w=", "p@ss w0rd", SHA1},
	{"wXRnFA.T8wxQc", "p@ss w0r", DES},
	{"wXRnFA.T8wxQc", "p@ss w0rd", DES}, // crypt(3) reads 8 characters
	{"abmF1QH4PEr.E", "", DES},
	{"zZTmz5tm4KJnQ", "longerthan8chars", DES},
	{"abgOeLfPimXQo", "test", DES},
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		assert.Equal(t, v.scheme, Identify(v.hash), v.hash)
		assert.True(t, Verify(v.hash, v.password), "%s with %q", v.hash, v.password)
		if v.scheme != DES || len(v.password) < 8 {
			assert.False(t, Verify(v.hash, v.password+"x"), "%s with a wrong password", v.hash)
		}
		assert.False(t, Verify(v.hash, "P"+v.password), "%s with a wrong password", v.hash)
	}
}

func TestPlainTextAndGarbageNeverMatch(t *testing.T) {
	for _, h := range []string{"secret", "", "*", "!", "$apr1", "$5$rounds=x$salt$abc", "{SHA}", "$2y$99$xx", "$9$abc$def"} {
		assert.False(t, Verify(h, h), "%q", h)
	}
	assert.Equal(t, Unknown, Identify("plaintext"))
}

// TestDESMatchesCryptoDES checks the FIPS tables: with no salt the round
// function is plain DES.
func TestDESMatchesCryptoDES(t *testing.T) {
	for _, k := range []uint64{0x133457799BBCDFF1, 0x0123456789abcdef, 0} {
		var key, in, want [8]byte
		binary.BigEndian.PutUint64(key[:], k)
		binary.BigEndian.PutUint64(in[:], 0x0123456789ABCDEF^k)
		c, err := des.NewCipher(key[:])
		require.NoError(t, err)
		c.Encrypt(want[:], in[:])
		ks := desSubkeys(k)
		e := desE
		assert.Equal(t, binary.BigEndian.Uint64(want[:]), desEncrypt(binary.BigEndian.Uint64(in[:]), &ks, &e))
	}
}

// TestHtpasswdTool hashes with the installed htpasswd and verifies.
func TestHtpasswdTool(t *testing.T) {
	bin, err := exec.LookPath("htpasswd")
	if err != nil {
		t.Skip("htpasswd not installed (apt-get install apache2-utils); fixed vectors still run")
	}
	for _, flag := range []string{"-m", "-B", "-2", "-5", "-d", "-s"} {
		for _, pw := range []string{"s3cret", "", "with space:colon", "ünïcödé"} {
			out, err := exec.Command(bin, "-nb", flag, "user", pw).Output()
			require.NoError(t, err, "htpasswd %s", flag)
			line := strings.TrimSpace(string(out))
			hash := strings.TrimPrefix(line, "user:")
			want := pw
			if flag == "-d" && len(pw) > 8 {
				want = pw[:8]
			}
			assert.True(t, Verify(hash, want), "htpasswd %s %q → %s", flag, pw, hash)
			assert.False(t, Verify(hash, "!"+want), "htpasswd %s %q", flag, pw)
		}
	}
}

func TestCostOrdersSchemes(t *testing.T) {
	assert.Greater(t, Cost(vectors[3].hash), Cost(vectors[5].hash))
	assert.Greater(t, Cost(vectors[5].hash), Cost(vectors[0].hash))
	assert.Greater(t, Cost(vectors[0].hash), Cost(vectors[12].hash))
	assert.Greater(t, Cost(vectors[12].hash), Cost(vectors[11].hash))
}

func BenchmarkVerify(b *testing.B) {
	for _, v := range []int{0, 3, 5, 9, 11, 12} {
		vec := vectors[v]
		b.Run(vec.scheme.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Verify(vec.hash, vec.password)
			}
		})
	}
}
