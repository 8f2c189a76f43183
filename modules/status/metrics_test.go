package status

import (
	"bufio"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// family is one parsed metric family.
type family struct {
	typ, help string
	samples   []metricSample
}

type metricSample struct {
	labels map[string]string
	value  float64
}

// parseExposition is a strict parser of the Prometheus text format 0.0.4:
// HELP and TYPE once per family and before its samples, known types,
// valid metric and label names, quoted and escaped label values, no
// duplicate label names or series, a family's samples together, values
// that parse as floats, and a final newline.
func parseExposition(text string) (map[string]*family, error) {
	if !strings.HasSuffix(text, "\n") {
		return nil, fmt.Errorf("no final newline")
	}
	fams := map[string]*family{}
	var current string
	done := map[string]bool{}
	series := map[string]bool{}
	get := func(name string) (*family, error) {
		if name != current {
			if done[name] {
				return nil, fmt.Errorf("family %s is not contiguous", name)
			}
			if current != "" {
				done[current] = true
			}
			current = name
		}
		f := fams[name]
		if f == nil {
			f = &family{}
			fams[name] = f
		}
		return f, nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d %q: %s", n, line, fmt.Sprintf(format, args...))
		}
		switch {
		case line == "":
			return nil, fail("empty line")
		case strings.HasPrefix(line, "# HELP ") || strings.HasPrefix(line, "# TYPE "):
			fields := strings.SplitN(line[7:], " ", 2)
			if len(fields) != 2 || !metricName.MatchString(fields[0]) {
				return nil, fail("bad metric name")
			}
			f, err := get(fields[0])
			if err != nil {
				return nil, fail("%v", err)
			}
			if len(f.samples) > 0 {
				return nil, fail("HELP/TYPE after samples")
			}
			if line[2] == 'H' {
				if f.help != "" {
					return nil, fail("second HELP")
				}
				f.help = fields[1]
			} else {
				if f.typ != "" {
					return nil, fail("second TYPE")
				}
				switch fields[1] {
				case "counter", "gauge", "histogram", "summary", "untyped":
				default:
					return nil, fail("unknown type")
				}
				f.typ = fields[1]
			}
		case strings.HasPrefix(line, "#"):
			// a comment
		default:
			name, rest := line, ""
			if i := strings.IndexAny(line, "{ "); i >= 0 {
				name, rest = line[:i], line[i:]
			}
			if !metricName.MatchString(name) {
				return nil, fail("bad metric name")
			}
			f, err := get(name)
			if err != nil {
				return nil, fail("%v", err)
			}
			labels := map[string]string{}
			if strings.HasPrefix(rest, "{") {
				rest = rest[1:]
				for !strings.HasPrefix(rest, "}") {
					eq := strings.IndexByte(rest, '=')
					if eq < 0 || !labelName.MatchString(rest[:eq]) || !strings.HasPrefix(rest[eq+1:], `"`) {
						return nil, fail("bad label")
					}
					ln := rest[:eq]
					rest = rest[eq+2:]
					var val strings.Builder
					closed := false
					for i := 0; i < len(rest); i++ {
						c := rest[i]
						if c == '\\' && i+1 < len(rest) {
							switch rest[i+1] {
							case '\\', '"':
								val.WriteByte(rest[i+1])
							case 'n':
								val.WriteByte('\n')
							default:
								return nil, fail("bad escape")
							}
							i++
							continue
						}
						if c == '"' {
							rest, closed = rest[i+1:], true
							break
						}
						val.WriteByte(c)
					}
					if !closed {
						return nil, fail("unterminated label value")
					}
					if _, dup := labels[ln]; dup {
						return nil, fail("label %s twice", ln)
					}
					labels[ln] = val.String()
					rest = strings.TrimPrefix(rest, ",")
				}
				rest = rest[1:]
			}
			parts := strings.Fields(rest)
			if !strings.HasPrefix(rest, " ") || len(parts) < 1 || len(parts) > 2 {
				return nil, fail("want a value and an optional timestamp")
			}
			v, err := strconv.ParseFloat(parts[0], 64)
			if err != nil && parts[0] != "+Inf" && parts[0] != "-Inf" && parts[0] != "NaN" {
				return nil, fail("bad value")
			}
			if len(parts) == 2 {
				if _, err := strconv.ParseInt(parts[1], 10, 64); err != nil {
					return nil, fail("bad timestamp")
				}
			}
			key := fmt.Sprint(name, labels)
			if series[key] {
				return nil, fail("duplicate series")
			}
			series[key] = true
			if f.typ == "counter" && (v < 0 || math.IsNaN(v)) {
				return nil, fail("negative counter")
			}
			f.samples = append(f.samples, metricSample{labels, v})
		}
	}
	for name, f := range fams {
		if f.typ == "" || f.help == "" {
			return nil, fmt.Errorf("family %s lacks TYPE or HELP", name)
		}
	}
	return fams, sc.Err()
}

func TestParseExpositionIsStrict(t *testing.T) {
	good := "# HELP a_total x\n# TYPE a_total counter\na_total{l=\"q\\\"\\\\\\n\"} 1\n"
	_, err := parseExposition(good)
	require.NoError(t, err)
	for name, bad := range map[string]string{
		"no newline":    "# HELP a x\n# TYPE a gauge\na 1",
		"bad name":      "# HELP 1a x\n# TYPE 1a gauge\n1a 1\n",
		"bad value":     "# HELP a x\n# TYPE a gauge\na one\n",
		"unquoted":      "# HELP a x\n# TYPE a gauge\na{l=q} 1\n",
		"bad escape":    "# HELP a x\n# TYPE a gauge\na{l=\"\\t\"} 1\n",
		"split family":  "# HELP a x\n# TYPE a gauge\na 1\n# HELP b x\n# TYPE b gauge\nb 1\na{x=\"1\"} 2\n",
		"duplicate":     "# HELP a x\n# TYPE a gauge\na 1\na 2\n",
		"no type":       "# HELP a x\na 1\n",
		"late type":     "# HELP a x\na 1\n# TYPE a gauge\n",
		"unknown type":  "# HELP a x\n# TYPE a meter\na 1\n",
		"negative":      "# HELP a x\n# TYPE a counter\na -1\n",
		"label twice":   "# HELP a x\n# TYPE a gauge\na{l=\"1\",l=\"2\"} 1\n",
		"empty line":    "# HELP a x\n\n# TYPE a gauge\na 1\n",
		"bad timestamp": "# HELP a x\n# TYPE a gauge\na 1 x\n",
	} {
		_, err := parseExposition(bad)
		assert.Error(t, err, name)
	}
}

func TestMetricsParseAndCarryTheReport(t *testing.T) {
	rep, _ := fixtureReport(t)
	rep.MPMGeneration, rep.RestartCount = 4, 3
	rep.StartTime = rep.RestartTime.Add(-time.Hour)
	rep.Graceful = 2
	rep.ByStatus[2], rep.ByStatus[4] = 5, 1
	rep.Processes = []Process{{Pid: 10, Generation: 3, Connections: 2}, {Pid: 11, Generation: 4, Connections: 5}, {Pid: 12, Generation: 4}, {Pid: 0, Generation: 4}}
	var out strings.Builder
	require.NoError(t, rep.WriteMetrics(&out))
	fams, err := parseExposition(out.String())
	require.NoError(t, err, out.String())

	one := func(name string, labels ...string) float64 {
		t.Helper()
		f := fams["gohttpd_"+name]
		require.NotNil(t, f, name)
		for _, s := range f.samples {
			match := len(s.labels) == len(labels)/2
			for i := 0; match && i+1 < len(labels); i += 2 {
				match = s.labels[labels[i]] == labels[i+1]
			}
			if match {
				return s.value
			}
		}
		t.Fatalf("no sample %s%v", name, labels)
		return 0
	}
	assert.Equal(t, 431.0, one("accesses_total"))
	assert.Equal(t, float64(rep.TotalBytes), one("sent_bytes_total"))
	assert.InDelta(t, 0.2097, one("request_duration_seconds_total"), 1e-9)
	assert.InDelta(t, 0.06, one("cpu_seconds_total", "mode", "user"), 1e-9)
	assert.Equal(t, 1.0, one("workers", "state", "busy"))
	assert.Equal(t, 2.0, one("workers", "state", "graceful"))
	assert.Equal(t, 5.0, one("workers", "state", "idle"))
	assert.Equal(t, 5.0, one("scoreboard", "state", "ready"))
	assert.Equal(t, 0.0, one("scoreboard", "state", "idle_kill"))
	assert.Equal(t, 1.0, one("processes", "generation", "3"))
	assert.Equal(t, 2.0, one("processes", "generation", "4"), "processes without a pid are not children yet")
	assert.Equal(t, 7.0, one("connections"))
	assert.Equal(t, 72.0, one("uptime_seconds"))
	assert.Equal(t, 3.0, one("restarts_total"))
	assert.Equal(t, 4.0, one("generation", "kind", "mpm"))
	assert.Equal(t, float64(rep.StartTime.Unix()), one("start_time_seconds"))
	assert.Equal(t, 1.0, one("info", "version", "0.1.0", "mpm", "prefork"))
	for name, f := range fams {
		if f.typ == "counter" {
			assert.True(t, strings.HasSuffix(name, "_total"), "counter %s ends in _total", name)
		}
	}
}

func TestEscapeLabel(t *testing.T) {
	assert.Equal(t, `a\\b\"c\nd`, escapeLabel("a\\b\"c\nd"))
}
