package h1

// Byte classes of RFC 9110/9112 as Apache's gen_test_char.c draws them (in
// the C locale: bytes 0x80 and above are neither letters nor controls).
const (
	classToken = 1 << iota // tchar: ALPHA DIGIT !#$%&'*+-.^_`|~
	classVchar             // VCHAR or obs-text: not a control, not SP
	classCtl               // a control byte other than HT (0x00-0x1f, 0x7f)
	classSpace             // isspace(): SP HT LF VT FF CR
	classHex               // HEXDIG
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		isAlnum := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
		if isAlnum || b != 0 && contains("!#$%&'*+-.^_`|~", b) {
			t[c] |= classToken
		}
		isCtl := b < 0x20 || b == 0x7f
		if !isCtl && b != ' ' {
			t[c] |= classVchar
		}
		if isCtl && b != '\t' {
			t[c] |= classCtl
		}
		if b == ' ' || '\t' <= b && b <= '\r' {
			t[c] |= classSpace
		}
		if '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F' {
			t[c] |= classHex
		}
	}
	return t
}()

func contains(s string, b byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return true
		}
	}
	return false
}

func isToken(b byte) bool { return charClass[b]&classToken != 0 }
func isVchar(b byte) bool { return charClass[b]&classVchar != 0 }
func isCtl(b byte) bool   { return charClass[b]&classCtl != 0 }
func isSpace(b byte) bool { return charClass[b]&classSpace != 0 }
func isHex(b byte) bool   { return charClass[b]&classHex != 0 }
func isDigit(b byte) bool { return '0' <= b && b <= '9' }
func isAlpha(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// lower folds an ASCII letter to lower case.
func lower(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// equalFold reports whether b and s are equal ignoring ASCII case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

// IsToken reports whether s is a non-empty token (RFC 9110 §5.6.2): a
// valid field name or method.
func IsToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isToken(s[i]) {
			return false
		}
	}
	return true
}

// IsFieldValue reports whether s holds no control byte other than HT,
// the check Apache's HttpProtocolOptions Strict makes on every response
// field value.
func IsFieldValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if isCtl(s[i]) {
			return false
		}
	}
	return true
}
