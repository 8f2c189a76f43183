package configs

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// commandLineEntries turns httpd's -C / -c arguments into top-level
// entries. Each argument is one directive, either in Apache's form
// ("KeepAlive Off", "Listen 8081") — taken as Key = "rest of the line",
// which every value type accepts as a string — or as a TOML line
// (`Listen = ["8081"]`).
func commandLineEntries(flag string, lines []string) ([]Entry, error) {
	var out []Entry
	for i, line := range lines {
		pos := Position{File: fmt.Sprintf("command line %s #%d", flag, i+1)}
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		if !looksLikeTOML(text) {
			key, rest, _ := strings.Cut(text, " ")
			text = key + ` = "` + tomlEscape(strings.TrimSpace(rest)) + `"`
		}
		var m map[string]any
		md, err := toml.Decode(text, &m)
		if err != nil {
			return nil, &Error{Pos: pos, Err: fmt.Errorf("%q: %w", line, err)}
		}
		for _, k := range md.Keys() {
			if len(k) != 1 {
				continue
			}
			if _, isTable := m[k[0]].(map[string]any); isTable {
				return nil, &Error{Pos: pos, Directive: k[0], Err: fmt.Errorf("sections cannot be given on the command line")}
			}
			out = append(out, Entry{Key: k[0], Pos: pos, Value: m[k[0]]})
		}
	}
	return out, nil
}

// looksLikeTOML reports whether line is "Key = value" rather than
// Apache's "Key value".
func looksLikeTOML(line string) bool {
	key, _, ok := strings.Cut(line, "=")
	return ok && !strings.ContainsAny(strings.TrimSpace(key), " \t\"'")
}

func tomlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '"':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
