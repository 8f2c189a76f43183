package status

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAprGMatchesAPR(t *testing.T) {
	// Expected strings follow apr_gcvt: no leading zero, no trailing
	// zeros, exponent form past four zeros before or three after the point.
	cases := []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{3.5, "3.5"},
		{float64(float32(1024*10) / 6), "1706.67"},
		{float64(float32(1024*10) / 21), "487.619"},
		{float64(float32(3) / 21), ".142857"},
		{0.5, ".5"},
		{1, "1"},
		{10, "10"},
		{100000, "1.e+5"},
		{102400, "102400"},
		{1234567, "1234570"},
		{1e6, "1.e+6"},
		{1.5e7, "1.5e+7"},
		{0.0001234, ".0001234"},
		{0.00001234, "1.234e-5"},
		{-2.25, "-2.25"},
		{1.0 / 3, ".333333"},
		{2.0 / 3, ".666667"},
		{999999.5, "1.e+6"},
		{123456789e100, "1.23457e+108"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, g(c.v), "%%g of %v", c.v)
	}
	assert.Equal(t, "3.67", aprG(3.6666667, 3))
	assert.Equal(t, ".333", aprG(1.0/3, 3))
	assert.Equal(t, "inf", g(math.Inf(1)))
}

func TestShowTime(t *testing.T) {
	for secs, want := range map[uint32]string{
		0:      "",
		1:      " 1 second",
		72:     " 1 minute 12 seconds",
		3600:   " 1 hour",
		90061:  " 1 day 1 hour 1 minute 1 second",
		200000: " 2 days 7 hours 33 minutes 20 seconds",
	} {
		var b strings.Builder
		showTime(&b, secs)
		assert.Equal(t, want, b.String(), "%d seconds", secs)
	}
}

func TestFormatBytes(t *testing.T) {
	assert.Equal(t, "0 B", formatBytes(0))
	assert.Equal(t, "5119 B", formatBytes(5119))
	assert.Equal(t, "5.0 kB", formatBytes(5120))
	assert.Equal(t, "511.9 kB", formatBytes(mbyte/2-100))
	assert.Equal(t, "0.5 MB", formatBytes(mbyte/2))
	assert.Equal(t, "0.5 GB", formatBytes(gbyte/2))
	assert.Equal(t, "11 kB", formatKBytes(11))
	assert.Equal(t, "1.0 MB", formatKBytes(1024))
	assert.Equal(t, "2.0 GB", formatKBytes(2*mbyte))
}

func BenchmarkAprG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = g(26410.666)
	}
}
