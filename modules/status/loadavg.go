package status

import (
	"os"
	"strconv"
	"strings"
)

// loadAverage reads the 1, 5 and 15 minute load averages from
// /proc/loadavg (what getloadavg(3) reads); each is -1 when unknown, as
// Apache's ap_get_loadavg reports.
func loadAverage() [3]float64 {
	out := [3]float64{-1, -1, -1}
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return out
	}
	return parseLoadAverage(string(data))
}

func parseLoadAverage(s string) [3]float64 {
	out := [3]float64{-1, -1, -1}
	f := strings.Fields(s)
	for i := 0; i < 3 && i < len(f); i++ {
		if v, err := strconv.ParseFloat(f[i], 64); err == nil {
			out[i] = v
		}
	}
	return out
}
