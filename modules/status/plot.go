package status

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gohttpd/scoreboard"
)

// Plot geometry, in SVG user units.
const (
	plotWidth  = 640
	plotHeight = 140
	plotLeft   = 48 // room for the y labels
	plotRight  = 8
	plotTop    = 18 // room for the title
	plotBottom = 18 // room for the x labels
)

// series is one line of a plot.
type series struct {
	name   string
	colour string
	values []float64
}

// writePlots writes two inline SVG plots over the history ring: requests
// per second, and busy and idle workers. With fewer than two samples the
// plots say so.
func writePlots(b *strings.Builder, h []scoreboard.Sample) {
	times := make([]int64, len(h))
	rate := make([]float64, len(h))
	busy := make([]float64, len(h))
	idle := make([]float64, len(h))
	for i, s := range h {
		times[i] = s.UnixSec
		busy[i] = float64(s.Busy)
		idle[i] = float64(s.Idle)
		if i > 0 {
			dt := s.UnixSec - h[i-1].UnixSec
			if dt > 0 && s.TotalAccesses >= h[i-1].TotalAccesses {
				rate[i] = float64(s.TotalAccesses-h[i-1].TotalAccesses) / float64(dt)
			}
		}
	}
	if len(h) > 0 {
		// The first sample has no predecessor: its rate is unknown.
		times, rate = times[1:], rate[1:]
	}
	b.WriteString("<div class=\"plots\">\n")
	writePlot(b, "plot-requests", "Requests per second", times, []series{{"requests/s", "#1565c0", rate}})
	if len(h) > 0 {
		times = append([]int64{h[0].UnixSec}, times...)
	}
	writePlot(b, "plot-workers", "Busy and idle workers", times, []series{
		{"busy", "#c62828", busy},
		{"idle", "#2e7d32", idle},
	})
	b.WriteString("</div>\n")
}

// writePlot writes one SVG line chart of the series over times (unix
// seconds, ascending), with the y axis from 0 to a round maximum.
func writePlot(b *strings.Builder, id, title string, times []int64, ss []series) {
	fmt.Fprintf(b, `<svg id="%s" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">`+"\n",
		id, plotWidth, plotHeight, plotWidth, plotHeight, title)
	fmt.Fprintf(b, "<title>%s</title>\n", title)
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#fafafa" stroke="#999"/>`+"\n",
		plotLeft, plotTop, plotWidth-plotLeft-plotRight, plotHeight-plotTop-plotBottom)
	legend := title
	for _, s := range ss {
		legend += fmt.Sprintf(` <tspan fill="%s">■ %s</tspan>`, s.colour, s.name)
	}
	fmt.Fprintf(b, `<text x="%d" y="12">%s</text>`+"\n", plotLeft, legend)
	if len(times) < 2 {
		fmt.Fprintf(b, `<text x="%d" y="%d">no history yet: the master samples the scoreboard once a second</text>`+"\n",
			plotLeft+8, plotTop+24)
		b.WriteString("</svg>\n")
		return
	}
	top := 0.0
	for _, s := range ss {
		for _, v := range s.values {
			top = max(top, v)
		}
	}
	top = niceCeil(top)
	t0, t1 := times[0], times[len(times)-1]
	x := func(t int64) float64 {
		return plotLeft + float64(t-t0)/float64(t1-t0)*float64(plotWidth-plotLeft-plotRight)
	}
	y := func(v float64) float64 {
		return plotTop + (1-v/top)*float64(plotHeight-plotTop-plotBottom)
	}
	// Axis labels: the maximum and 0 on the y axis, the span on the x axis.
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", plotLeft-4, plotTop+8, strconv.FormatFloat(top, 'g', 4, 64))
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">0</text>`+"\n", plotLeft-4, plotHeight-plotBottom)
	fmt.Fprintf(b, `<text x="%d" y="%d">-%s</text>`+"\n", plotLeft, plotHeight-4, span(t1-t0))
	fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">now</text>`+"\n", plotWidth-plotRight, plotHeight-4)
	for _, s := range ss {
		fmt.Fprintf(b, `<polyline class="%s" fill="none" stroke="%s" stroke-width="1.5" points="`, s.name, s.colour)
		for i, v := range s.values {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "%.1f,%.1f", x(times[i]), y(v))
		}
		b.WriteString("\"/>\n")
	}
	b.WriteString("</svg>\n")
}

// niceCeil returns the smallest of 1, 2, 5 × 10^n that is ≥ v (1 for v ≤ 1).
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// span writes a duration in seconds as "12m", "45s" or "1h5m".
func span(secs int64) string {
	switch {
	case secs < 60:
		return strconv.FormatInt(secs, 10) + "s"
	case secs < 3600:
		if secs%60 == 0 {
			return strconv.FormatInt(secs/60, 10) + "m"
		}
		return fmt.Sprintf("%dm%ds", secs/60, secs%60)
	}
	return fmt.Sprintf("%dh%dm", secs/3600, secs%3600/60)
}
