package status

import (
	"math"
	"strconv"
	"strings"
)

// aprG formats v as APR's printf "%.<ndigit>g" does (apr_gcvt): at most
// ndigit significant digits, trailing zeros dropped, no leading zero
// before the decimal point (".5"), and the exponent form only when the
// number has more than four zeros before the point or three after it,
// written with as few exponent digits as needed ("1.5e+7"). Infinities
// and NaN print as "inf" and "nan".
func aprG(v float64, ndigit int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case v == 0:
		return "0"
	}
	if ndigit < 1 {
		ndigit = 1
	}
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	// "d.ddddde±XX": the ndigit significant digits and the exponent.
	e := strconv.FormatFloat(v, 'e', ndigit-1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	decpt := x + 1 // digits before the decimal point
	n := len(digits)
	for n > 1 && digits[n-1] == '0' {
		n--
	}
	digits = digits[:n]

	if (decpt >= 0 && decpt-n > 4) || decpt < -3 {
		decpt--
		b.WriteByte(digits[0])
		b.WriteByte('.')
		b.WriteString(digits[1:])
		b.WriteByte('e')
		if decpt < 0 {
			decpt = -decpt
			b.WriteByte('-')
		} else {
			b.WriteByte('+')
		}
		if decpt/100 > 0 {
			b.WriteByte(byte('0' + decpt/100))
		}
		if decpt/10 > 0 {
			b.WriteByte(byte('0' + (decpt%100)/10))
		}
		b.WriteByte(byte('0' + decpt%10))
		return b.String()
	}
	if decpt <= 0 {
		b.WriteByte('.')
		for ; decpt < 0; decpt++ {
			b.WriteByte('0')
		}
	}
	for i := 1; i <= n; i++ {
		b.WriteByte(digits[i-1])
		if i == decpt && i < n {
			b.WriteByte('.')
		}
	}
	for i := n; i < decpt; i++ {
		b.WriteByte('0')
	}
	return b.String()
}

// g is aprG with printf's default precision, 6.
func g(v float64) string { return aprG(v, 6) }

// showTime writes an uptime as mod_status does: " 1 day 2 hours 3
// minutes 4 seconds", leaving out zero parts (and so "" for 0).
func showTime(b *strings.Builder, secs uint32) {
	s := secs % 60
	secs /= 60
	m := secs % 60
	secs /= 60
	h := secs % 24
	d := secs / 24
	for _, p := range []struct {
		n    uint32
		unit string
	}{{d, "day"}, {h, "hour"}, {m, "minute"}, {s, "second"}} {
		if p.n == 0 {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(strconv.FormatUint(uint64(p.n), 10))
		b.WriteByte(' ')
		b.WriteString(p.unit)
		if p.n != 1 {
			b.WriteByte('s')
		}
	}
}

const (
	kbyte = 1024
	mbyte = 1024 * 1024
	gbyte = 1024 * 1024 * 1024
)

// formatBytes is mod_status's format_byte_out: "812 B", "12.5 kB",
// "3.2 MB", "1.0 GB".
func formatBytes(n uint64) string {
	switch {
	case n < 5*kbyte:
		return strconv.FormatUint(n, 10) + " B"
	case n < mbyte/2:
		return fixed(float64(float32(n)/kbyte), 1) + " kB"
	case n < gbyte/2:
		return fixed(float64(float32(n)/mbyte), 1) + " MB"
	}
	return fixed(float64(float32(n)/gbyte), 1) + " GB"
}

// formatKBytes is mod_status's format_kbyte_out for a count of kilobytes.
func formatKBytes(kb uint64) string {
	switch {
	case kb < kbyte:
		return strconv.FormatUint(kb, 10) + " kB"
	case kb < mbyte:
		return fixed(float64(float32(kb)/kbyte), 1) + " MB"
	}
	return fixed(float64(float32(kb)/mbyte), 1) + " GB"
}

// fixed is printf's "%.<prec>f".
func fixed(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
