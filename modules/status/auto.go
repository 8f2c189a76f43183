package status

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// timeFormat is Apache's DEFAULT_TIME_FORMAT, "%A, %d-%b-%Y %H:%M:%S %Z",
// in local time.
const timeFormat = "Monday, 02-Jan-2006 15:04:05 MST"

// builtFormat is how Debian's Apache prints its build time.
const builtFormat = "2006-01-02T15:04:05"

func apacheTime(t time.Time) string { return t.Local().Format(timeFormat) }

// WriteAuto writes the ?auto text: Apache 2.4's field names, order and
// number formats, one "Name: value" per line after the server name.
func (rep *Report) WriteAuto(w io.Writer) error {
	var b strings.Builder
	line := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteByte('\n')
	}
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	unum := func(n uint64) string { return strconv.FormatUint(n, 10) }
	up := rep.Uptime()

	b.WriteString(rep.ServerName)
	b.WriteByte('\n')
	line("ServerVersion", rep.ServerVersion)
	line("ServerMPM", rep.ServerMPM)
	line("Server Built", rep.ServerBuilt.UTC().Format(builtFormat))
	line("CurrentTime", apacheTime(rep.CurrentTime))
	line("RestartTime", apacheTime(rep.RestartTime))
	line("ParentServerConfigGeneration", num(rep.ConfigGeneration))
	line("ParentServerMPMGeneration", num(rep.MPMGeneration))
	line("ServerUptimeSeconds", unum(uint64(up)))
	b.WriteString("ServerUptime:")
	showTime(&b, up)
	b.WriteByte('\n')
	line("Load1", fixed(rep.Load[0], 2))
	line("Load5", fixed(rep.Load[1], 2))
	line("Load15", fixed(rep.Load[2], 2))
	if rep.ExtendedStatus {
		line("Total Accesses", unum(rep.TotalAccesses))
		line("Total kBytes", unum(rep.TotalKBytes()))
		line("Total Duration", num(rep.TotalDurationMs()))
		line("CPUUser", g(cpuSeconds(rep.CPU.User)))
		line("CPUSystem", g(cpuSeconds(rep.CPU.System)))
		line("CPUChildrenUser", g(cpuSeconds(rep.CPU.ChildrenUser)))
		line("CPUChildrenSystem", g(cpuSeconds(rep.CPU.ChildrenSystem)))
		if load, ok := rep.CPULoad(); ok {
			line("CPULoad", g(load))
		}
		line("Uptime", unum(uint64(up)))
		if up > 0 {
			line("ReqPerSec", g(rep.ReqPerSec()))
			line("BytesPerSec", g(rep.BytesPerSec()))
		}
		if rep.TotalAccesses > 0 {
			line("BytesPerReq", g(rep.BytesPerReq()))
			line("DurationPerReq", g(rep.DurationPerReq()))
		}
	}
	line("BusyWorkers", strconv.Itoa(rep.Busy))
	line("GracefulWorkers", strconv.Itoa(rep.Graceful))
	line("IdleWorkers", strconv.Itoa(rep.Idle))
	line("Scoreboard", rep.Scoreboard)
	_, err := io.WriteString(w, b.String())
	return err
}
