package headers

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gohttpd/configs"
)

// Action is what a line does to its header.
type Action int

// The actions, as Apache's hdr_actions.
const (
	ActionSet Action = iota
	ActionSetIfEmpty
	ActionAppend
	ActionAdd
	ActionMerge
	ActionUnset
	ActionEcho
	ActionEdit
	ActionEditAll
	ActionNote
)

var actionNames = map[string]Action{
	"set": ActionSet, "setifempty": ActionSetIfEmpty, "append": ActionAppend,
	"add": ActionAdd, "merge": ActionMerge, "unset": ActionUnset, "echo": ActionEcho,
	"edit": ActionEdit, "edit*": ActionEditAll, "note": ActionNote,
}

// condition says when a line applies.
type condition int

const (
	condAlways condition = iota
	condEarly
	condEnv    // when Line.envVar is set
	condNotEnv // when Line.envVar is unset
)

// Line is one Header or RequestHeader line.
type Line struct {
	Action Action
	Header string
	format []tag          // the value, for actions that take one
	re     *regexp.Regexp // echo (header names), edit and edit*
	subs   string         // edit and edit* replacement
	cond   condition
	envVar string
}

// tag is one piece of a value: literal text or a % specifier.
type tag struct {
	kind byte // 0 literal, 'e', 't', 'D', 's'
	arg  string
}

// Table says which list a line goes to.
type Table int

// The lists.
const (
	TableIn  Table = iota // RequestHeader
	TableOut              // Header onsuccess
	TableErr              // Header always
)

func addLines(c *configs.Cmd, v configs.Value, request bool) error {
	d := c.Dir.(*DirConfig)
	for _, it := range v.List {
		line, table, err := ParseLine(it.Args, request)
		if err == nil && line.cond == condEarly && c.Section != nil {
			err = errors.New("\"early\" lines run before any section applies; put them at the top level or in a VirtualHost")
		}
		if err != nil {
			return fmt.Errorf("%q: %w", it.Raw, err)
		}
		switch table {
		case TableIn:
			d.In = append(d.In, line)
		case TableOut:
			d.Out = append(d.Out, line)
		default:
			d.Err = append(d.Err, line)
		}
		if line.cond == condEarly {
			d.anyEarly = true
		}
	}
	return nil
}

// ParseLine reads the words of a Header line (request false) or a
// RequestHeader line (request true) and says which list it belongs to.
func ParseLine(args []string, request bool) (*Line, Table, error) {
	table := TableIn
	if !request {
		table = TableOut
		if len(args) > 0 {
			switch strings.ToLower(args[0]) {
			case "always":
				table, args = TableErr, args[1:]
			case "onsuccess":
				args = args[1:]
			}
		}
	}
	if len(args) == 0 {
		return nil, table, errors.New("missing action (add, set, setifempty, append, merge, unset, echo, note, edit or edit*)")
	}
	if len(args) > 5 {
		return nil, table, fmt.Errorf("too many arguments (%d)", len(args))
	}
	action, ok := actionNames[strings.ToLower(args[0])]
	if !ok {
		return nil, table, fmt.Errorf("first argument %q must be 'add', 'set', 'setifempty', 'append', 'merge', 'unset', 'echo', 'note', 'edit', or 'edit*'", args[0])
	}
	if len(args) < 2 || args[1] == "" {
		return nil, table, errors.New("missing header name")
	}
	hdr := args[1]
	word := func(i int) (string, bool) {
		if i < len(args) {
			return args[i], true
		}
		return "", false
	}
	value, hasValue := word(2)
	subs, hasSubs := word(3)
	envClause, hasEnv := word(4)
	l := &Line{Action: action}

	switch action {
	case ActionEdit, ActionEditAll:
		if !hasSubs {
			return nil, table, errors.New("edit requires a regular expression and a replacement")
		}
		re, err := regexp.Compile(value)
		if err != nil {
			return nil, table, fmt.Errorf("edit regular expression %q could not be compiled: %w", value, err)
		}
		l.re, l.subs = re, subs
	default:
		if hasEnv {
			return nil, table, errors.New("too many arguments")
		}
		envClause, hasEnv = subs, hasSubs
	}
	switch action {
	case ActionUnset, ActionEcho:
		if hasValue {
			if hasEnv {
				return nil, table, fmt.Errorf("%s takes a header and an optional condition", args[0])
			}
			envClause, hasEnv = value, true
			value, hasValue = "", false
		}
		if action == ActionEcho {
			if request {
				return nil, table, errors.New("echo is only valid on Header lines")
			}
			re, err := regexp.Compile(hdr)
			if err != nil {
				return nil, table, fmt.Errorf("echo regular expression %q could not be compiled: %w", hdr, err)
			}
			l.re = re
		}
	case ActionEdit, ActionEditAll:
	default:
		if !hasValue {
			return nil, table, fmt.Errorf("%s requires a header and a value", args[0])
		}
	}
	if hasEnv {
		if err := l.parseCondition(envClause); err != nil {
			return nil, table, err
		}
	}
	if i := strings.IndexByte(hdr, ':'); i >= 0 {
		hdr = hdr[:i]
	}
	l.Header = hdr
	switch action {
	case ActionUnset, ActionEcho, ActionEdit, ActionEditAll:
	default:
		if strings.HasPrefix(strings.ToLower(value), "expr=") {
			return nil, table, errors.New("expr= values (Apache expressions) are not supported")
		}
		f, err := parseFormat(value)
		if err != nil {
			return nil, table, err
		}
		l.format = f
	}
	return l, table, nil
}

func (l *Line) parseCondition(s string) error {
	low := strings.ToLower(s)
	switch {
	case low == "early":
		l.cond = condEarly
	case strings.HasPrefix(low, "env="):
		v := s[4:]
		l.cond = condEnv
		if strings.HasPrefix(v, "!") {
			l.cond, v = condNotEnv, v[1:]
		}
		if v == "" {
			return errors.New("missing environment variable name: the condition should read env=VAR or env=!VAR")
		}
		l.envVar = v
	case strings.HasPrefix(low, "expr="):
		return errors.New("expr= conditions (Apache expressions) are not supported; use env=[!]VAR with SetEnvIf")
	default:
		return fmt.Errorf("unknown parameter %q: want early, env=VAR or env=!VAR", s)
	}
	return nil
}

// parseFormat splits a value into literal text and % specifiers:
// %{VAR}e, %{VAR}s, %t, %D and %% (a '%' at the end stands for itself);
// backslash escapes \n, \r, \t and \\ in the text are decoded.
func parseFormat(s string) ([]tag, error) {
	var tags []tag
	for len(s) > 0 {
		if s[0] != '%' {
			i := strings.IndexByte(s, '%')
			if i < 0 {
				i = len(s)
			}
			tags = append(tags, tag{arg: unescape(s[:i])})
			s = s[i:]
			continue
		}
		s = s[1:]
		if s == "" || s[0] == '%' {
			tags = append(tags, tag{arg: "%"})
			if s != "" {
				s = s[1:]
			}
			continue
		}
		arg := ""
		if s[0] == '{' {
			end := strings.IndexByte(s, '}')
			if end < 0 {
				return nil, fmt.Errorf("unterminated %%{ in header value")
			}
			arg, s = s[1:end], s[end+1:]
			if s == "" {
				return nil, fmt.Errorf("%%{%s} must be followed by a format letter (e or s)", arg)
			}
		}
		switch c := s[0]; c {
		case 'e', 's', 't', 'D':
			tags = append(tags, tag{kind: c, arg: arg})
		default:
			return nil, fmt.Errorf("unrecognized header format %%%c (known: %%{VAR}e, %%{VAR}s, %%t, %%D, %%%%)", c)
		}
		s = s[1:]
	}
	return tags, nil
}

func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case '\\':
			b.WriteByte('\\')
		case 'r':
			b.WriteByte('\r')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String()
}
