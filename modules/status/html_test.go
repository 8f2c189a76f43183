package status

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"gohttpd/scoreboard"
)

func pageReport(t *testing.T) *Report {
	t.Helper()
	sb := newScoreboard(t, 70, 1)
	sb.Global().SetRunningGeneration(2)
	now := time.Unix(1_800_000_000, 0)
	sb.Global().SetRestartTime(now.Add(-90061 * time.Second))
	for slot := 0; slot < 3; slot++ {
		startChild(sb, slot, 300+slot, 2, 1)
	}
	serve(sb.Worker(0, 0), now.Add(-2*time.Second), 30*time.Millisecond, 6000)
	sb.Worker(0, 0).SetRequest("192.0.2.7", "www.example.com:80", "GET /<script> HTTP/1.1", "http/1.1")
	sb.Worker(1, 0).SetStatus(scoreboard.BusyWrite)
	sb.Worker(2, 0).SetStatus(scoreboard.Graceful)
	for i := int64(0); i < 30; i++ {
		sb.Global().AppendHistory(scoreboard.Sample{UnixSec: now.Unix() - 30 + i, TotalAccesses: uint64(i * i), Busy: int(i % 3), Idle: 2})
	}
	return Collect(sb.Snapshot(), Inputs{ServerName: "www.example.com", LocalAddr: "127.0.0.1", ServerVersion: "gohttpd/0.1.0",
		Now: now, ConfigGeneration: 2, ThreadsPerChild: 1, Load: [3]float64{0.5, 0.25, -1}, ExtendedStatus: true})
}

func TestHTMLPage(t *testing.T) {
	rep := pageReport(t)
	var out strings.Builder
	require.NoError(t, rep.WriteHTML(&out, false))
	page := out.String()
	for _, want := range []string{
		"<h1>gohttpd Server Status for www.example.com (via 127.0.0.1)</h1>",
		"<dt>Server MPM: prefork</dt>",
		"<dt>Parent Server Config. Generation: 2</dt>",
		"<dt>Parent Server MPM Generation: 2</dt>",
		"<dt>Server uptime:  1 day 1 hour 1 minute 1 second</dt>",
		"<dt>Server load: 0.50 0.25 -1.00</dt>",
		"<dt>Total accesses: 1 - Total Traffic: 5 kB - Total Duration: 30</dt>",
		"<dt>1 requests currently being processed, 1 workers gracefully restarting, 1 idle workers</dt>",
		`<span class="s-ready">_</span><span class="s-writing">W</span><span class="s-graceful">G</span>`,
		`"<b><code>G</code></b>" Gracefully finishing,<br /> `,
		"<th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU\n</th><th>SS</th><th>Req</th><th>Dur</th>",
		"<tr><td><b>0-2</b></td><td>300</td><td>0/1/1</td><td>_\n</td><td>0.00</td><td>2</td><td>30</td><td>30",
		"</td><td>0.0</td><td>0.01</td><td>0.01\n</td><td>192.0.2.7</td><td>http/1.1</td><td nowrap>www.example.com:80</td><td nowrap>GET /&lt;script&gt; HTTP/1.1</td></tr>",
		"<td><b>W</b>\n</td>",
		`<svg id="plot-requests"`, `<svg id="plot-workers"`, `<polyline class="busy"`, `<polyline class="idle"`,
		"<tr><th>Slot</th><td>Total megabytes transferred this slot</td></tr>",
	} {
		assert.Contains(t, page, want)
	}
	assert.NotContains(t, page, "<script>", "request lines are escaped")
	assert.NotRegexp(t, `(?i)(src|href)="?https?:`, page, "no external assets")

	// The scoreboard reads 64 letters a line once the tags are removed.
	pre := regexp.MustCompile(`(?s)<pre class="scoreboard">(.*?)</pre>`).FindStringSubmatch(page)
	require.Len(t, pre, 2)
	text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(pre[1], "")
	assert.Equal(t, "_WG"+strings.Repeat(".", 61)+"\n......", text)
}

func TestHTMLPlots(t *testing.T) {
	var b strings.Builder
	writePlots(&b, []scoreboard.Sample{{UnixSec: 10, TotalAccesses: 5}, {UnixSec: 12, TotalAccesses: 25, Busy: 3, Idle: 1}, {UnixSec: 13, TotalAccesses: 25}})
	svg := b.String()
	// 10 requests/s between the first two samples, then 0; the y axis
	// tops at 10.
	assert.Contains(t, svg, `<polyline class="requests/s" fill="none" stroke="#1565c0" stroke-width="1.5" points="48.0,18.0 632.0,122.0"/>`)
	assert.Contains(t, svg, `<text x="44" y="26" text-anchor="end">10</text>`)
	assert.Contains(t, svg, `<polyline class="busy"`)
	assert.Contains(t, svg, `>-3s</text>`)

	b.Reset()
	writePlots(&b, nil)
	assert.Equal(t, 2, strings.Count(b.String(), "no history yet"))
	assert.Equal(t, 2, strings.Count(b.String(), "</svg>"))
	for v, want := range map[float64]float64{0: 1, 1: 1, 1.5: 2, 3: 5, 7: 10, 10: 10, 11: 20, 420: 500} {
		assert.Equal(t, want, niceCeil(v), "%v", v)
	}
	assert.Equal(t, "12m", span(720))
	assert.Equal(t, "1m30s", span(90))
	assert.Equal(t, "1h1m", span(3660))
}

func TestHTMLNotableAndNotExtended(t *testing.T) {
	rep := pageReport(t)
	var out strings.Builder
	require.NoError(t, rep.WriteHTML(&out, true))
	page := out.String()
	assert.Contains(t, page, "<hr /><h2>Server Details</h2>")
	assert.Contains(t, page, "<b>Server 0-2</b> (300): 0|1|1 [Ready] u0 s0 cu0 cs0\n 2 30 30(0 B|5.9 kB|5.9 kB)\n <i>192.0.2.7 {GET /&lt;script&gt; HTTP/1.1}</i> <i>(http/1.1)</i> <b>[www.example.com:80]</b><br />")
	assert.Contains(t, page, "[<b>Write</b>]")
	assert.NotContains(t, page, "<table")

	rep.ExtendedStatus = false
	out.Reset()
	require.NoError(t, rep.WriteHTML(&out, false))
	page = out.String()
	assert.NotContains(t, page, "Total accesses")
	assert.Contains(t, page, "PID Key: <br />\n<pre>\n   300 in state: _ ,   301 in state: W ,   302 in state: G \n\n</pre>")
	assert.Contains(t, page, "<code>ExtendedStatus On</code> directive.")
}

func TestJSON(t *testing.T) {
	rep := pageReport(t)
	var out strings.Builder
	require.NoError(t, rep.WriteJSON(&out))
	var doc struct {
		ServerMPM string `json:"server_mpm"`
		Uptime    uint32 `json:"uptime_seconds"`
		Totals    struct {
			Accesses  uint64  `json:"accesses"`
			Bytes     uint64  `json:"bytes"`
			ReqPerSec float64 `json:"requests_per_second"`
		} `json:"totals"`
		Workers   map[string]int `json:"workers"`
		ByStatus  map[string]int `json:"slots_by_status"`
		Processes []struct {
			Pid        int    `json:"pid"`
			Scoreboard string `json:"scoreboard"`
		} `json:"processes"`
		Slots []struct {
			Status  string `json:"status"`
			Request string `json:"request"`
		} `json:"slots"`
		History []map[string]int64 `json:"history"`
	}
	require.NoError(t, json.Unmarshal([]byte(out.String()), &doc))
	assert.Equal(t, "prefork", doc.ServerMPM)
	assert.Equal(t, uint32(90061), doc.Uptime)
	assert.Equal(t, uint64(1), doc.Totals.Accesses)
	assert.Equal(t, uint64(6000), doc.Totals.Bytes)
	assert.InDelta(t, 1.0/90061, doc.Totals.ReqPerSec, 1e-12, "exact, not single precision")
	assert.Equal(t, map[string]int{"busy": 1, "graceful": 1, "idle": 1}, doc.Workers)
	assert.Equal(t, 67, doc.ByStatus["dead"])
	require.Len(t, doc.Processes, 3)
	assert.Equal(t, 301, doc.Processes[1].Pid)
	assert.Equal(t, "W", doc.Processes[1].Scoreboard)
	require.Len(t, doc.Slots, 3)
	assert.Equal(t, "ready", doc.Slots[0].Status)
	assert.Equal(t, "GET /<script> HTTP/1.1", doc.Slots[0].Request)
	assert.Len(t, doc.History, 30)
	assert.Equal(t, int64(29*29), doc.History[29]["total_accesses"])

	rep.ExtendedStatus = false
	out.Reset()
	require.NoError(t, rep.WriteJSON(&out))
	assert.NotContains(t, out.String(), `"totals"`)
	assert.NotContains(t, out.String(), `"slots"`)
}

func TestParseView(t *testing.T) {
	assert.Equal(t, view{}, parseView(""))
	assert.Equal(t, view{auto: true}, parseView("auto"))
	assert.Equal(t, view{refresh: "5"}, parseView("refresh=5"))
	assert.Equal(t, view{refresh: "10"}, parseView("refresh"), "no value: 10 s, as Apache")
	assert.Equal(t, view{refresh: "10"}, parseView("refresh=0"))
	assert.Equal(t, view{refresh: "10"}, parseView("refresh=x"))
	assert.Equal(t, view{auto: true, refresh: "3"}, parseView("auto&refresh=3"))
	assert.Equal(t, view{notable: true}, parseView("notable"))
	assert.Equal(t, view{auto: true}, parseView("xautox"), "Apache finds its options anywhere")
	assert.Equal(t, view{json: true}, parseView("json"))
	assert.Equal(t, view{metrics: true}, parseView("metrics"))
	assert.Equal(t, view{}, parseView("jsonx"), "json and metrics are whole keys")
	assert.Positive(t, atol("99999999999999999999"), "saturates")
	assert.Equal(t, 12, atol("12abc"))
}

func TestLoadAverage(t *testing.T) {
	assert.Equal(t, [3]float64{0.59, 0.61, 0.54}, parseLoadAverage("0.59 0.61 0.54 1/123 4567\n"))
	assert.Equal(t, [3]float64{-1, -1, -1}, parseLoadAverage(""))
	l := loadAverage()
	assert.GreaterOrEqual(t, l[0], 0.0, "readable on Linux")
}

func BenchmarkWriteHTML(b *testing.B) {
	sb := newScoreboard(b, 256, 1)
	for slot := 0; slot < 10; slot++ {
		startChild(sb, slot, 100+slot, 1, 1)
		serve(sb.Worker(slot, 0), time.Now(), time.Millisecond, 100)
	}
	for i := int64(0); i < scoreboard.HistorySize; i++ {
		sb.Global().AppendHistory(scoreboard.Sample{UnixSec: i, TotalAccesses: uint64(i), Busy: 1, Idle: 2})
	}
	rep := Collect(sb.Snapshot(), Inputs{ThreadsPerChild: 1, ExtendedStatus: true})
	var out strings.Builder
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		_ = rep.WriteHTML(&out, false)
	}
}
