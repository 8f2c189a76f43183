package logconfig

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkCombinedLine formats one combined-format line.
func BenchmarkCombinedLine(b *testing.B) {
	f, err := ParseFormat(CombinedFormat)
	require.NoError(b, err)
	r := testRequest()
	r.HeadersIn.Set("Referer", "https://www.example.test/some/page?with=query")
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = f.AppendLine(buf[:0], r)
	}
	b.SetBytes(int64(len(buf)))
}

// BenchmarkLogTransaction is the whole log_transaction for one combined
// log written to /dev/null: rendering plus one write(2).
func BenchmarkLogTransaction(b *testing.B) {
	f, err := ParseFormat(CombinedFormat)
	require.NoError(b, err)
	out, err := os.OpenFile(os.DevNull, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(b, err)
	defer out.Close()
	st := &genState{}
	st.bindOnce.Do(func() {}) // bound by hand below
	cfg := &serverConfig{state: st, defaultFormat: f,
		logs: []*customLog{{target: os.DevNull, format: f, w: newLogWriter(os.DevNull, out, false, false)}}}
	r := testRequest()
	r.Server.Config = make([]any, Module.Index()+1)
	r.Server.Config[Module.Index()] = cfg
	b.ReportAllocs()
	for b.Loop() {
		logTransaction(r)
	}
}
