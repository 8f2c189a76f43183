// Package htpasswd verifies passwords against the hashes found in Apache
// htpasswd files, in every format the htpasswd tool writes and Apache
// accepts on Linux:
//
//	$2y$ $2a$ $2b$   bcrypt (htpasswd -B)
//	$apr1$           APR1-MD5, Apache's MD5-crypt variant (htpasswd -m, the default)
//	$1$              MD5-crypt (crypt(3))
//	$5$ $6$          SHA-256-crypt and SHA-512-crypt (htpasswd -2, -5)
//	{SHA}            base64 SHA-1, unsalted (htpasswd -s)
//	13 characters    traditional DES crypt(3) (htpasswd -d)
//
// Plain-text entries (htpasswd -p) are refused: Apache accepts them only on
// Windows and NetWare; on Linux it hands them to crypt(3), which never
// matches them.
//
// Every comparison of a computed hash with the stored one takes constant
// time. The algorithms are implemented from their published descriptions
// (Poul-Henning Kamp's MD5-crypt, Ulrich Drepper's SHA-crypt, FIPS 46-3 DES);
// bcrypt comes from golang.org/x/crypto/bcrypt.
package htpasswd
