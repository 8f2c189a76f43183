package status

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apacheFixture is Debian's Apache 2.4 ?auto output (prefork,
// ExtendedStatus On, after some traffic so that every field appears),
// captured once from a real apache2.
const apacheFixture = "testdata/apache-2.4.71-auto.txt"

// parseAuto splits ?auto text into its first line (the server name) and
// the "Name: value" fields in order.
func parseAuto(t *testing.T, text string) (name string, keys []string, values map[string]string) {
	t.Helper()
	values = map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	require.True(t, sc.Scan(), "empty output")
	name = sc.Text()
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		require.True(t, ok, "line without a colon: %q", sc.Text())
		require.NotContains(t, values, k, "field %s twice", k)
		keys = append(keys, k)
		values[k] = strings.TrimPrefix(v, " ")
	}
	require.NoError(t, sc.Err())
	return name, keys, values
}

// fixtureReport rebuilds the fixture's server state: the same totals,
// times and counts, read back from the fixture itself.
func fixtureReport(t *testing.T) (*Report, map[string]string) {
	t.Helper()
	data, err := os.ReadFile(filepath.FromSlash(apacheFixture))
	require.NoError(t, err)
	_, _, ap := parseAuto(t, string(data))
	now, err := time.Parse(timeFormat, ap["CurrentTime"])
	require.NoError(t, err)
	restart, err := time.Parse(timeFormat, ap["RestartTime"])
	require.NoError(t, err)
	rep := &Report{
		ServerName: "127.0.0.1", ServerVersion: "gohttpd/0.1.0", ServerMPM: "prefork",
		CurrentTime: now, RestartTime: restart, ConfigGeneration: 1,
		Load: [3]float64{0.59, 0.61, 0.54}, ExtendedStatus: true,
		TotalAccesses: 431, TotalBytes: 1857*1024 + 1000, TotalDuration: 209*time.Millisecond + 700*time.Microsecond,
		CPU:  CPUTimes{User: 60 * time.Millisecond, System: 29 * time.Millisecond},
		Busy: 1, Idle: 5,
		Scoreboard: "_____W" + strings.Repeat(".", 250),
	}
	return rep, ap
}

func TestAutoFieldsMatchApache(t *testing.T) {
	data, err := os.ReadFile(filepath.FromSlash(apacheFixture))
	require.NoError(t, err)
	_, apacheKeys, _ := parseAuto(t, string(data))

	rep, _ := fixtureReport(t)
	var out strings.Builder
	require.NoError(t, rep.WriteAuto(&out))
	name, keys, _ := parseAuto(t, out.String())
	assert.Equal(t, "127.0.0.1", name)
	assert.Equal(t, apacheKeys, keys, "field names and order as Apache 2.4")
}

func TestAutoValuesFormattedAsApache(t *testing.T) {
	rep, ap := fixtureReport(t)
	var out strings.Builder
	require.NoError(t, rep.WriteAuto(&out))
	_, _, ours := parseAuto(t, out.String())
	// Every field whose value follows from the same state must print the
	// same bytes; only the product and build differ.
	for _, k := range []string{
		"ParentServerConfigGeneration", "ServerUptimeSeconds", "ServerUptime",
		"Load1", "Load5", "Load15",
		"Total Accesses", "Total kBytes", "Total Duration",
		"CPUUser", "CPUSystem", "CPUChildrenUser", "CPUChildrenSystem", "CPULoad",
		"Uptime", "ReqPerSec", "BytesPerSec", "BytesPerReq", "DurationPerReq",
		"BusyWorkers", "GracefulWorkers", "IdleWorkers", "Scoreboard",
	} {
		assert.Equal(t, ap[k], ours[k], k)
	}
	for _, k := range []string{"CurrentTime", "RestartTime"} {
		_, err := time.Parse(timeFormat, ours[k])
		assert.NoError(t, err, "%s %q in Apache's time format", k, ours[k])
		if time.Local.String() == "UTC" {
			assert.Equal(t, ap[k], ours[k], k)
		}
	}
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$`, ours["Server Built"], "Debian's build-time format")
}

func TestAutoLeavesOutWhatApacheLeavesOut(t *testing.T) {
	rep := &Report{ServerName: "h", ServerMPM: "prefork", ExtendedStatus: true, Scoreboard: "_"}
	var out strings.Builder
	require.NoError(t, rep.WriteAuto(&out))
	_, keys, v := parseAuto(t, out.String())
	assert.NotContains(t, keys, "CPULoad", "no CPU time recorded")
	rep.CPU.User = time.Second
	_, ok := rep.CPULoad()
	assert.False(t, ok, "uptime 0: no CPULoad rather than Apache's inf")
	rep.CPU.User = 0
	assert.NotContains(t, keys, "ReqPerSec", "uptime 0")
	assert.NotContains(t, keys, "BytesPerReq", "no accesses")
	assert.Equal(t, "", v["ServerUptime"])
	assert.Contains(t, out.String(), "\nServerUptime:\n", "show_time prints nothing for 0 seconds")

	rep.ExtendedStatus = false
	out.Reset()
	require.NoError(t, rep.WriteAuto(&out))
	_, keys, _ = parseAuto(t, out.String())
	assert.Equal(t, []string{
		"ServerVersion", "ServerMPM", "Server Built", "CurrentTime", "RestartTime",
		"ParentServerConfigGeneration", "ParentServerMPMGeneration", "ServerUptimeSeconds", "ServerUptime",
		"Load1", "Load5", "Load15", "BusyWorkers", "GracefulWorkers", "IdleWorkers", "Scoreboard",
	}, keys)
}

func BenchmarkWriteAuto(b *testing.B) {
	rep := &Report{ServerName: "h", ExtendedStatus: true, TotalAccesses: 1234, TotalBytes: 1 << 30,
		RestartTime: time.Unix(0, 0), CurrentTime: time.Unix(100000, 0), Scoreboard: strings.Repeat("_", 256)}
	var sb strings.Builder
	b.ReportAllocs()
	for b.Loop() {
		sb.Reset()
		_ = rep.WriteAuto(&sb)
	}
}
