package configs

import (
	"errors"
	"strings"
)

// ErrUnterminatedQuote is returned by SplitArgs for a quoted word that
// has no closing quote.
var ErrUnterminatedQuote = errors.New("unterminated quoted string")

// SplitArgs splits s into words in the argument syntax of Apache's
// httpd.conf (ap_getword_conf): words are separated by white space; a
// word that starts with " or ' runs to the matching quote and may
// contain white space; inside quotes a backslash escapes the quote
// character and a backslash, elsewhere a doubled backslash stands for
// one. Any other backslash is kept as written. A quoted word ends at its
// closing quote even when no space follows. Unlike Apache, which
// silently accepts it, an unterminated quote is an error, and an empty
// quoted word ("") is kept as an empty word.
func SplitArgs(s string) ([]string, error) {
	var words []string
	i := 0
	for {
		for i < len(s) && isConfSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return words, nil
		}
		var b strings.Builder
		if q := s[i]; q == '"' || q == '\'' {
			start := i
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == q {
					closed = true
					i++
					break
				}
				if c == '\\' && i+1 < len(s) && (s[i+1] == q || s[i+1] == '\\') {
					c = s[i+1]
					i++
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return nil, &argError{word: s[start:], err: ErrUnterminatedQuote}
			}
		} else {
			for i < len(s) && !isConfSpace(s[i]) {
				c := s[i]
				if c == '\\' && i+1 < len(s) && s[i+1] == '\\' {
					i++
				}
				b.WriteByte(c)
				i++
			}
		}
		words = append(words, b.String())
	}
}

// argError names the word SplitArgs could not read.
type argError struct {
	word string
	err  error
}

func (e *argError) Error() string { return e.err.Error() + ": " + e.word }
func (e *argError) Unwrap() error { return e.err }

// isConfSpace is C's isspace in the "C" locale, as Apache uses.
func isConfSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}
