package status

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMetricsPassPrometheusParser feeds ?metrics to Prometheus's own text
// parser (expfmt), the reference implementation scrapers use.
func TestMetricsPassPrometheusParser(t *testing.T) {
	rep, _ := fixtureReport(t)
	rep.StartTime = rep.RestartTime.Add(-time.Hour)
	rep.Processes = []Process{{Pid: 10, Generation: 3}, {Pid: 11, Generation: 4}}
	var out strings.Builder
	require.NoError(t, rep.WriteMetrics(&out))

	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(out.String()))
	require.NoError(t, err, out.String())
	require.NotEmpty(t, fams)
	for name, f := range fams {
		assert.True(t, strings.HasPrefix(name, "gohttpd_"), name)
		assert.NotEmpty(t, f.GetHelp(), "%s has HELP", name)
		assert.NotEmpty(t, f.GetMetric(), "%s has samples", name)
	}
}
