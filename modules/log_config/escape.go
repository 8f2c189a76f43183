package logconfig

// needsEscape marks the bytes ap_escape_logitem rewrites: control
// characters, bytes that are not printable ASCII, '"' and '\\'.
var needsEscape = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\'
	}
	return t
}()

const hexDigits = "0123456789abcdef"

// AppendEscaped appends s to dst escaped as Apache's ap_escape_logitem
// does, so that a log line stays one line of printable ASCII: '"' and '\'
// get a backslash, \b \n \r \t \v are written as those two-character
// escapes, and every other control or non-ASCII byte as \xhh (lower-case
// hex). A NUL byte ends the value, as it ends a C string in Apache.
func AppendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !needsEscape[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		start = i + 1
		switch c {
		case 0:
			return dst
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\v':
			dst = append(dst, '\\', 'v')
		case '"', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	return append(dst, s[start:]...)
}
