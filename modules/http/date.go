package http

import "time"

// TimeFormat is the HTTP date format (RFC 9110's IMF-fixdate).
const TimeFormat = "Mon, 02 Jan 2006 15:04:05 GMT"

// dateCache formats the Date header once per second.
type dateCache struct {
	sec int64
	buf []byte
}

func (d *dateCache) get(now time.Time) []byte {
	if s := now.Unix(); s != d.sec || d.buf == nil {
		d.sec = s
		d.buf = now.UTC().AppendFormat(d.buf[:0], TimeFormat)
	}
	return d.buf
}
