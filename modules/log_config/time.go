package logconfig

import (
	"strconv"
	"strings"
	"time"

	"gohttpd/pipeline"
)

// clfLayout is the Common Log Format time, as in "[10/Oct/2000:13:55:36 -0700]".
const clfLayout = "[02/Jan/2006:15:04:05 -0700]"

// renderTime is %t and %{format}t. The argument may start with "begin:"
// (the default: when the request arrived) or "end:" (when logging began);
// the rest is "sec", "msec", "usec", "msec_frac", "usec_frac", or a
// strftime(3) format. No argument, or "begin"/"end" alone, is the Common
// Log Format time.
func renderTime(dst []byte, lc logCtx, r *pipeline.Request, arg string) []byte {
	t := r.Time
	rest, clf := arg, arg == ""
	switch {
	case strings.HasPrefix(rest, "begin"):
		rest = rest[len("begin"):]
		if rest == "" {
			clf = true
		} else if rest[0] == ':' {
			rest = rest[1:]
		}
	case strings.HasPrefix(rest, "end"):
		if rest = rest[len("end"):]; rest == "" {
			clf = true
			t = lc.end
		} else if rest[0] == ':' {
			rest = rest[1:]
			t = lc.end
		}
	}
	if clf || rest == "" {
		return t.Local().AppendFormat(dst, clfLayout)
	}
	usec := t.UnixMicro()
	switch rest {
	case "sec":
		return strconv.AppendInt(dst, t.Unix(), 10)
	case "msec":
		return strconv.AppendInt(dst, usec/1000, 10)
	case "usec":
		return strconv.AppendInt(dst, usec, 10)
	case "msec_frac":
		return appendPadded(dst, (usec/1000)%1000, 3)
	case "usec_frac":
		return appendPadded(dst, usec%1000000, 6)
	}
	return appendStrftime(dst, t.Local(), rest)
}

// appendPadded appends n with leading zeros to width digits.
func appendPadded(dst []byte, n int64, width int) []byte {
	var buf [20]byte
	b := strconv.AppendInt(buf[:0], n, 10)
	for i := len(b); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, b...)
}

// renderMicros is %D: microseconds from the request's arrival to the
// start of logging.
func renderMicros(dst []byte, lc logCtx, r *pipeline.Request, _ string) []byte {
	return strconv.AppendInt(dst, lc.end.Sub(r.Time).Microseconds(), 10)
}

// renderDuration is %T, %{s}T, %{ms}T and %{us}T: the same span in whole
// seconds, milliseconds or microseconds. An unknown unit is logged as
// written, as Apache does.
func renderDuration(dst []byte, lc logCtx, r *pipeline.Request, arg string) []byte {
	d := lc.end.Sub(r.Time).Microseconds()
	switch {
	case arg == "" || strings.EqualFold(arg, "s"):
		d /= 1e6
	case strings.EqualFold(arg, "ms"):
		d /= 1e3
	case strings.EqualFold(arg, "us"):
	default:
		return append(dst, arg...)
	}
	return strconv.AppendInt(dst, d, 10)
}

// Names in the "C" locale.
var (
	weekdays     = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	months       = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	strftimeCode = map[byte]string{
		// Composite conversions, expanded before formatting.
		'c': "%a %b %e %H:%M:%S %Y",
		'D': "%m/%d/%y",
		'F': "%Y-%m-%d",
		'r': "%I:%M:%S %p",
		'R': "%H:%M",
		'T': "%H:%M:%S",
		'x': "%m/%d/%y",
		'X': "%H:%M:%S",
		'h': "%b",
	}
)

// appendStrftime formats t as C's strftime does in the "C" locale (glibc's
// conversions, including the E and O modifiers, which the C locale
// ignores). An unknown conversion is copied as written.
func appendStrftime(dst []byte, t time.Time, format string) []byte {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			dst = append(dst, c)
			continue
		}
		i++
		c = format[i]
		if (c == 'E' || c == 'O') && i+1 < len(format) {
			i++
			c = format[i]
		}
		if exp, ok := strftimeCode[c]; ok {
			dst = appendStrftime(dst, t, exp)
			continue
		}
		dst = appendConversion(dst, t, c)
	}
	return dst
}

func appendConversion(dst []byte, t time.Time, c byte) []byte {
	num := func(n, width int) []byte { return appendPadded(dst, int64(n), width) }
	space := func(n int) []byte {
		if n < 10 {
			dst = append(dst, ' ')
		}
		return strconv.AppendInt(dst, int64(n), 10)
	}
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		return append(dst, weekdays[t.Weekday()][:3]...)
	case 'A':
		return append(dst, weekdays[t.Weekday()]...)
	case 'b':
		return append(dst, months[t.Month()-1][:3]...)
	case 'B':
		return append(dst, months[t.Month()-1]...)
	case 'C':
		return num(t.Year()/100, 2)
	case 'd':
		return num(t.Day(), 2)
	case 'e':
		return space(t.Day())
	case 'g':
		y, _ := t.ISOWeek()
		return num(y%100, 2)
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.AppendInt(dst, int64(y), 10)
	case 'H':
		return num(t.Hour(), 2)
	case 'I':
		return num(hour12, 2)
	case 'j':
		return num(t.YearDay(), 3)
	case 'k':
		return space(t.Hour())
	case 'l':
		return space(hour12)
	case 'm':
		return num(int(t.Month()), 2)
	case 'M':
		return num(t.Minute(), 2)
	case 'n':
		return append(dst, '\n')
	case 'p':
		if t.Hour() < 12 {
			return append(dst, "AM"...)
		}
		return append(dst, "PM"...)
	case 'P':
		if t.Hour() < 12 {
			return append(dst, "am"...)
		}
		return append(dst, "pm"...)
	case 'q':
		return strconv.AppendInt(dst, int64(t.Month()-1)/3+1, 10)
	case 's':
		return strconv.AppendInt(dst, t.Unix(), 10)
	case 'S':
		return num(t.Second(), 2)
	case 't':
		return append(dst, '\t')
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return strconv.AppendInt(dst, int64(wd), 10)
	case 'U':
		return num((t.YearDay()+6-int(t.Weekday()))/7, 2)
	case 'V':
		_, w := t.ISOWeek()
		return num(w, 2)
	case 'w':
		return strconv.AppendInt(dst, int64(t.Weekday()), 10)
	case 'W':
		return num((t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2)
	case 'y':
		return num(t.Year()%100, 2)
	case 'Y':
		return strconv.AppendInt(dst, int64(t.Year()), 10)
	case 'z':
		return t.AppendFormat(dst, "-0700")
	case 'Z':
		name, _ := t.Zone()
		return append(dst, name...)
	case '%':
		return append(dst, '%')
	}
	return append(dst, '%', c)
}
