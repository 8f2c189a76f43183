package status

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"gohttpd/scoreboard"
)

// lineWidth is how many scoreboard letters the HTML page puts on a line
// (Apache's STATUS_MAXLINE).
const lineWidth = 64

// pageStyle colours the scoreboard letters and lays out the plots. It is
// inline: the page loads nothing else.
const pageStyle = `<style>
pre.scoreboard span.s-starting { color: #b58900; }
pre.scoreboard span.s-ready { color: #2e7d32; }
pre.scoreboard span.s-reading { color: #1565c0; font-weight: bold; }
pre.scoreboard span.s-writing { color: #c62828; font-weight: bold; }
pre.scoreboard span.s-keepalive { color: #6a1b9a; font-weight: bold; }
pre.scoreboard span.s-logging { color: #00838f; font-weight: bold; }
pre.scoreboard span.s-dns { color: #ef6c00; font-weight: bold; }
pre.scoreboard span.s-closing { color: #795548; font-weight: bold; }
pre.scoreboard span.s-graceful { color: #f9a825; font-weight: bold; }
pre.scoreboard span.s-idle_kill { color: #757575; }
div.plots svg { display: block; margin: 0.5em 0; font: 11px sans-serif; }
</style>
`

// WriteHTML writes the status page. notable selects Apache's plain layout
// without tables.
func (rep *Report) WriteHTML(w io.Writer, notable bool) error {
	var b strings.Builder
	esc := html.EscapeString
	up := rep.Uptime()

	// The empty icon spares browsers a favicon request.
	b.WriteString("<!DOCTYPE html>\n<html><head>\n<title>gohttpd Status</title>\n<link rel=\"icon\" href=\"data:,\">\n")
	b.WriteString(pageStyle)
	b.WriteString("</head><body>\n")
	fmt.Fprintf(&b, "<h1>gohttpd Server Status for %s (via %s)</h1>\n\n", esc(rep.ServerName), esc(rep.LocalAddr))
	fmt.Fprintf(&b, "<dl><dt>Server Version: %s</dt>\n", esc(rep.ServerVersion))
	fmt.Fprintf(&b, "<dt>Server MPM: %s</dt>\n", rep.ServerMPM)
	fmt.Fprintf(&b, "<dt>Server Built: %s\n</dt></dl><hr /><dl>\n", rep.ServerBuilt.UTC().Format(builtFormat))
	fmt.Fprintf(&b, "<dt>Current Time: %s</dt>\n", apacheTime(rep.CurrentTime))
	fmt.Fprintf(&b, "<dt>Restart Time: %s</dt>\n", apacheTime(rep.RestartTime))
	fmt.Fprintf(&b, "<dt>Parent Server Config. Generation: %d</dt>\n", rep.ConfigGeneration)
	fmt.Fprintf(&b, "<dt>Parent Server MPM Generation: %d</dt>\n", rep.MPMGeneration)
	if rep.MasterPid > 0 {
		fmt.Fprintf(&b, "<dt>Parent Server PID: %d</dt>\n", rep.MasterPid)
	}
	b.WriteString("<dt>Server uptime: ")
	showTime(&b, up)
	b.WriteString("</dt>\n")
	fmt.Fprintf(&b, "<dt>Server load: %s %s %s</dt>\n", fixed(rep.Load[0], 2), fixed(rep.Load[1], 2), fixed(rep.Load[2], 2))

	if rep.ExtendedStatus {
		fmt.Fprintf(&b, "<dt>Total accesses: %d - Total Traffic: %s - Total Duration: %d</dt>\n",
			rep.TotalAccesses, formatKBytes(rep.TotalKBytes()), rep.TotalDurationMs())
		fmt.Fprintf(&b, "<dt>CPU Usage: u%s s%s cu%s cs%s", g(cpuSeconds(rep.CPU.User)), g(cpuSeconds(rep.CPU.System)),
			g(cpuSeconds(rep.CPU.ChildrenUser)), g(cpuSeconds(rep.CPU.ChildrenSystem)))
		if load, ok := rep.CPULoad(); ok {
			fmt.Fprintf(&b, " - %s%% CPU load</dt>\n", aprG(load, 3))
		} else {
			b.WriteString("</dt>\n")
		}
		b.WriteString("<dt>")
		if up > 0 {
			fmt.Fprintf(&b, "%s requests/sec - %s/second", aprG(rep.ReqPerSec(), 3), formatBytes(uint64(rep.BytesPerSec())))
		}
		if rep.TotalAccesses > 0 {
			if up > 0 {
				b.WriteString(" - ")
			}
			fmt.Fprintf(&b, "%s/request - %s ms/request", formatBytes(uint64(rep.BytesPerReq())), g(rep.DurationPerReq()))
		}
		b.WriteString("</dt>\n")
	}
	fmt.Fprintf(&b, "<dt>%d requests currently being processed, %d workers gracefully restarting, %d idle workers</dt>\n",
		rep.Busy, rep.Graceful, rep.Idle)
	b.WriteString("</dl>")

	rep.writeScoreboard(&b)
	b.WriteString(scoreboardKey)
	if !rep.ExtendedStatus {
		rep.writePIDKey(&b)
	}
	writePlots(&b, rep.History)

	if rep.ExtendedStatus {
		if notable {
			rep.writeDetails(&b)
		} else {
			rep.writeTable(&b)
		}
	} else {
		b.WriteString("<hr />To obtain a full report with current status information you need to use the <code>ExtendedStatus On</code> directive.\n")
	}
	fmt.Fprintf(&b, "<hr />\n<address>%s Server at %s</address>\n</body></html>\n", esc(rep.ServerVersion), esc(rep.ServerName))
	_, err := io.WriteString(w, b.String())
	return err
}

// writeScoreboard writes the letters, lineWidth to a line, each run of
// one live status in a span whose class colours it.
func (rep *Report) writeScoreboard(b *strings.Builder) {
	b.WriteString(`<pre class="scoreboard">`)
	letters := rep.Scoreboard
	for i := 0; i < len(letters); {
		end := min(len(letters), (i/lineWidth+1)*lineWidth)
		j := i + 1
		for j < end && letters[j] == letters[i] {
			j++
		}
		run := letters[i:j]
		if class := letterClass(letters[i]); class != "" {
			fmt.Fprintf(b, `<span class="s-%s">%s</span>`, class, html.EscapeString(run))
		} else {
			b.WriteString(html.EscapeString(run))
		}
		if j%lineWidth == 0 {
			b.WriteByte('\n')
		}
		i = j
	}
	b.WriteString("</pre>\n")
}

// statusClasses name the statuses in CSS classes and metric labels.
var statusClasses = [scoreboard.NumStatus]string{
	"dead", "starting", "ready", "reading", "writing", "keepalive",
	"logging", "dns", "closing", "graceful", "idle_kill",
}

func letterClass(c byte) string {
	for s := scoreboard.Starting; s < scoreboard.NumStatus; s++ {
		if s.Letter() == c {
			return statusClasses[s]
		}
	}
	return ""
}

// scoreboardKey is Apache's legend, word for word.
const scoreboardKey = `<p>Scoreboard Key:<br />
"<b><code>_</code></b>" Waiting for Connection, 
"<b><code>S</code></b>" Starting up, 
"<b><code>R</code></b>" Reading Request,<br />
"<b><code>W</code></b>" Sending Reply, 
"<b><code>K</code></b>" Keepalive (read), 
"<b><code>D</code></b>" DNS Lookup,<br />
"<b><code>C</code></b>" Closing connection, 
"<b><code>L</code></b>" Logging, 
"<b><code>G</code></b>" Gracefully finishing,<br /> 
"<b><code>I</code></b>" Idle cleanup of worker, 
"<b><code>.</code></b>" Open slot with no current process<br />
</p>
`

// writePIDKey is Apache's list of pids and states without ExtendedStatus.
func (rep *Report) writePIDKey(b *strings.Builder) {
	b.WriteString("PID Key: <br />\n<pre>\n")
	k := 0
	for _, p := range rep.Processes {
		if p.Pid == 0 {
			continue
		}
		for i := 0; i < len(p.Statuses); i++ {
			if p.Statuses[i] == '.' {
				continue
			}
			fmt.Fprintf(b, "   %d in state: %c ", p.Pid, p.Statuses[i])
			if k++; k >= 3 {
				b.WriteByte('\n')
				k = 0
			} else {
				b.WriteByte(',')
			}
		}
	}
	b.WriteString("\n</pre>\n")
}

// modeCell is the M column: busy states in bold, as Apache.
func modeCell(s scoreboard.Status) string {
	switch s {
	case scoreboard.Ready, scoreboard.Dead, scoreboard.Graceful, scoreboard.IdleKill:
		return string(s.Letter())
	}
	return "<b>" + string(s.Letter()) + "</b>"
}

// modeWord is the state in Apache's ?notable layout.
func modeWord(s scoreboard.Status) string {
	switch s {
	case scoreboard.Ready:
		return "Ready"
	case scoreboard.Starting:
		return "Starting"
	case scoreboard.BusyRead:
		return "<b>Read</b>"
	case scoreboard.BusyWrite:
		return "<b>Write</b>"
	case scoreboard.BusyKeepalive:
		return "<b>Keepalive</b>"
	case scoreboard.BusyLog:
		return "<b>Logging</b>"
	case scoreboard.BusyDNS:
		return "<b>DNS lookup</b>"
	case scoreboard.Closing:
		return "<b>Closing</b>"
	case scoreboard.Dead:
		return "Dead"
	case scoreboard.Graceful:
		return "Graceful"
	case scoreboard.IdleKill:
		return "Dying"
	}
	return "?STATE?"
}

func pidText(w Worker) string {
	if w.Status == scoreboard.Dead || w.Pid == 0 {
		return "-"
	}
	return strconv.Itoa(w.Pid)
}

// writeTable writes the extended per-worker table with Apache's columns.
func (rep *Report) writeTable(b *strings.Builder) {
	esc := html.EscapeString
	b.WriteString("\n\n<table border=\"0\"><tr><th>Srv</th><th>PID</th><th>Acc</th><th>M</th><th>CPU\n</th>" +
		"<th>SS</th><th>Req</th><th>Dur</th><th>Conn</th><th>Child</th><th>Slot</th>" +
		"<th>Client</th><th>Protocol</th><th>VHost</th><th>Request</th></tr>\n\n")
	for _, w := range rep.Workers {
		fmt.Fprintf(b, "<tr><td><b>%d-%d</b></td><td>%s</td><td>%d/%d/%d</td><td>%s\n</td>",
			w.Slot, w.Generation, pidText(w), w.ConnAccesses, w.ChildAccesses, w.SlotAccesses, modeCell(w.Status))
		fmt.Fprintf(b, "<td>%s</td><td>%d</td><td>%d</td><td>%d",
			fixed(float64(float32(ticks(w.CPUUser)+ticks(w.CPUSystem))/ticksPerSecond), 2), int64(w.SinceRequest.Seconds()), w.RequestTime.Milliseconds(), w.Duration.Milliseconds())
		fmt.Fprintf(b, "</td><td>%s</td><td>%s</td><td>%s\n",
			fixed(float64(float32(w.ConnBytes)/kbyte), 1), fixed(float64(float32(w.ChildBytes)/mbyte), 2),
			fixed(float64(float32(w.SlotBytes)/mbyte), 2))
		fmt.Fprintf(b, "</td><td>%s</td><td>%s</td><td nowrap>%s</td><td nowrap>%s</td></tr>\n\n",
			esc(w.Client), esc(w.Protocol), esc(w.VHost), esc(w.Request))
	}
	b.WriteString(tableKey)
}

// tableKey is Apache's legend of the table's columns.
const tableKey = `</table>
 <hr /> <table>
 <tr><th>Srv</th><td>Child Server number - generation</td></tr>
 <tr><th>PID</th><td>OS process ID</td></tr>
 <tr><th>Acc</th><td>Number of accesses this connection / this child / this slot</td></tr>
 <tr><th>M</th><td>Mode of operation</td></tr>
<tr><th>CPU</th><td>CPU usage, number of seconds</td></tr>
<tr><th>SS</th><td>Seconds since beginning of most recent request</td></tr>
 <tr><th>Req</th><td>Milliseconds required to process most recent request</td></tr>
 <tr><th>Dur</th><td>Sum of milliseconds required to process all requests</td></tr>
 <tr><th>Conn</th><td>Kilobytes transferred this connection</td></tr>
 <tr><th>Child</th><td>Megabytes transferred this child</td></tr>
 <tr><th>Slot</th><td>Total megabytes transferred this slot</td></tr>
 </table>
`

// writeDetails writes the per-worker details in Apache's ?notable layout.
func (rep *Report) writeDetails(b *strings.Builder) {
	esc := html.EscapeString
	b.WriteString("<hr /><h2>Server Details</h2>\n\n")
	for _, w := range rep.Workers {
		pid := pidText(w)
		if pid != "-" {
			pid = "(" + pid + ")"
		} else {
			pid = "(-)"
		}
		fmt.Fprintf(b, "<b>Server %d-%d</b> %s: %d|%d|%d [%s] u%s s%s cu0 cs0\n %d %d %d(%s|%s|%s)\n",
			w.Slot, w.Generation, pid, w.ConnAccesses, w.ChildAccesses, w.SlotAccesses, modeWord(w.Status),
			g(cpuSeconds(w.CPUUser)), g(cpuSeconds(w.CPUSystem)), int64(w.SinceRequest.Seconds()), w.RequestTime.Milliseconds(), w.Duration.Milliseconds(),
			formatBytes(w.ConnBytes), formatBytes(w.ChildBytes), formatBytes(w.SlotBytes))
		fmt.Fprintf(b, " <i>%s {%s}</i> <i>(%s)</i> <b>[%s]</b><br />\n\n",
			esc(w.Client), esc(w.Request), esc(w.Protocol), esc(w.VHost))
	}
}
