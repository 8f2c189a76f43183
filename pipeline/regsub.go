package pipeline

import "strings"

// RegSub expands template with the submatches of src that match indexes
// (as returned by regexp.FindStringSubmatchIndex) in the way of Apache's
// ap_pregsub: "$0" to "$9" stand for the submatches (empty when a group
// did not take part in the match), a backslash takes the next character
// literally, everything else is copied.
func RegSub(template, src string, match []int) string {
	if strings.IndexByte(template, '$') < 0 && strings.IndexByte(template, '\\') < 0 {
		return template
	}
	var b strings.Builder
	b.Grow(len(template) + len(src))
	for i := 0; i < len(template); i++ {
		c := template[i]
		switch {
		case c == '$' && i+1 < len(template) && template[i+1] >= '0' && template[i+1] <= '9':
			n := int(template[i+1] - '0')
			i++
			if 2*n+1 < len(match) && match[2*n] >= 0 && match[2*n] < match[2*n+1] {
				b.WriteString(src[match[2*n]:match[2*n+1]])
			}
		case c == '\\' && i+1 < len(template):
			i++
			b.WriteByte(template[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
