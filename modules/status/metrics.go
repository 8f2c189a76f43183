package status

import (
	"io"
	"sort"
	"strconv"
	"strings"

	"gohttpd/pipeline"
)

// metricsContentType is the Prometheus text exposition format's type.
const metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

// metricsPrefix starts every metric name.
const metricsPrefix = "gohttpd_"

// metricWriter writes metric families in the text exposition format.
type metricWriter struct{ b strings.Builder }

func (m *metricWriter) family(name, typ, help string) {
	m.b.WriteString("# HELP " + metricsPrefix + name + " " + help + "\n")
	m.b.WriteString("# TYPE " + metricsPrefix + name + " " + typ + "\n")
}

// sample writes one sample; labels alternate names and values.
func (m *metricWriter) sample(name, value string, labels ...string) {
	m.b.WriteString(metricsPrefix + name)
	if len(labels) > 0 {
		m.b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				m.b.WriteByte(',')
			}
			m.b.WriteString(labels[i])
			m.b.WriteString(`="`)
			m.b.WriteString(escapeLabel(labels[i+1]))
			m.b.WriteByte('"')
		}
		m.b.WriteByte('}')
	}
	m.b.WriteByte(' ')
	m.b.WriteString(value)
	m.b.WriteByte('\n')
}

// escapeLabel escapes a label value: backslash, double quote and newline.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

func u64(n uint64) string  { return strconv.FormatUint(n, 10) }
func i64(n int64) string   { return strconv.FormatInt(n, 10) }
func flt(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WriteMetrics writes the report in the Prometheus text exposition format
// (version 0.0.4): server info, accesses, bytes, durations, CPU, workers
// by Apache's counts and slots by status, children by generation, uptime,
// generations and restarts.
func (rep *Report) WriteMetrics(w io.Writer) error {
	var m metricWriter
	m.family("info", "gauge", "Server version and process model; always 1.")
	m.sample("info", "1", "version", pipeline.Version, "mpm", rep.ServerMPM)

	m.family("accesses_total", "counter", "Requests served, summed over all worker slots.")
	m.sample("accesses_total", u64(rep.TotalAccesses))
	m.family("sent_bytes_total", "counter", "Response body bytes sent, summed over all worker slots.")
	m.sample("sent_bytes_total", u64(rep.TotalBytes))
	m.family("request_duration_seconds_total", "counter", "Time spent serving requests, summed over all worker slots.")
	m.sample("request_duration_seconds_total", flt(rep.TotalDuration.Seconds()))
	m.family("cpu_seconds_total", "counter", "CPU time of the running children.")
	m.sample("cpu_seconds_total", flt(rep.CPU.User.Seconds()), "mode", "user")
	m.sample("cpu_seconds_total", flt(rep.CPU.System.Seconds()), "mode", "system")

	m.family("workers", "gauge", "Workers by mod_status's counts: busy, graceful (finishing before exit) and idle.")
	m.sample("workers", strconv.Itoa(rep.Busy), "state", "busy")
	m.sample("workers", strconv.Itoa(rep.Graceful), "state", "graceful")
	m.sample("workers", strconv.Itoa(rep.Idle), "state", "idle")
	m.family("scoreboard", "gauge", "Worker slots by scoreboard status.")
	for s, n := range rep.ByStatus {
		m.sample("scoreboard", strconv.Itoa(n), "state", statusClasses[s])
	}

	m.family("processes", "gauge", "Child processes by generation.")
	byGen := map[int64]int{}
	var conns int64
	for _, p := range rep.Processes {
		if p.Pid != 0 {
			byGen[p.Generation]++
			conns += p.Connections
		}
	}
	gens := make([]int64, 0, len(byGen))
	for gen := range byGen {
		gens = append(gens, gen)
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i] < gens[j] })
	for _, gen := range gens {
		m.sample("processes", strconv.Itoa(byGen[gen]), "generation", i64(gen))
	}

	m.family("connections", "gauge", "Connections the children hold open, with a request in progress or not.")
	m.sample("connections", i64(conns))

	m.family("generation", "gauge", "Configuration and MPM generations.")
	m.sample("generation", i64(rep.ConfigGeneration), "kind", "config")
	m.sample("generation", i64(rep.MPMGeneration), "kind", "mpm")
	m.family("uptime_seconds", "gauge", "Seconds since the last start or restart.")
	m.sample("uptime_seconds", u64(uint64(rep.Uptime())))
	m.family("start_time_seconds", "gauge", "When the master started, in seconds since the Unix epoch.")
	m.sample("start_time_seconds", flt(unixSeconds(rep.StartTime)))
	m.family("restart_time_seconds", "gauge", "When the server last started or restarted, in seconds since the Unix epoch.")
	m.sample("restart_time_seconds", flt(unixSeconds(rep.RestartTime)))
	m.family("restarts_total", "counter", "Restarts (HUP and graceful) since the master started.")
	m.sample("restarts_total", u64(rep.RestartCount))
	m.family("worker_slots", "gauge", "Worker slots on the scoreboard (ServerLimit × ThreadLimit).")
	m.sample("worker_slots", strconv.Itoa(rep.ServerLimit*rep.ThreadLimit))

	_, err := io.WriteString(w, m.b.String())
	return err
}
