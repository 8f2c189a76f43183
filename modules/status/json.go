package status

import (
	"encoding/json"
	"io"
	"time"
)

// The ?json document. Times are RFC 3339, durations are seconds (float)
// unless the name says milliseconds, bytes are exact.
type jsonReport struct {
	ServerName       string         `json:"server_name"`
	ServerVersion    string         `json:"server_version"`
	ServerMPM        string         `json:"server_mpm"`
	ServerBuilt      time.Time      `json:"server_built"`
	CurrentTime      time.Time      `json:"current_time"`
	RestartTime      time.Time      `json:"restart_time"`
	StartTime        time.Time      `json:"start_time"`
	RestartCount     uint64         `json:"restart_count"`
	ConfigGeneration int64          `json:"config_generation"`
	MPMGeneration    int64          `json:"mpm_generation"`
	MasterPid        int            `json:"master_pid"`
	UptimeSeconds    uint32         `json:"uptime_seconds"`
	Load             [3]float64     `json:"load"`
	ServerLimit      int            `json:"server_limit"`
	ThreadLimit      int            `json:"thread_limit"`
	ThreadsPerChild  int            `json:"threads_per_child"`
	ExtendedStatus   bool           `json:"extended_status"`
	Totals           *jsonTotals    `json:"totals,omitempty"`
	Workers          jsonCounts     `json:"workers"`
	ByStatus         map[string]int `json:"slots_by_status"`
	Scoreboard       string         `json:"scoreboard"`
	Processes        []jsonProcess  `json:"processes"`
	Slots            []jsonWorker   `json:"slots,omitempty"`
	History          []jsonSample   `json:"history"`
}

type jsonTotals struct {
	Accesses        uint64   `json:"accesses"`
	Bytes           uint64   `json:"bytes"`
	KBytes          uint64   `json:"kbytes"`
	DurationMs      int64    `json:"duration_ms"`
	CPUUser         float64  `json:"cpu_user"`
	CPUSystem       float64  `json:"cpu_system"`
	CPUChildrenUser float64  `json:"cpu_children_user"`
	CPUChildrenSys  float64  `json:"cpu_children_system"`
	CPULoad         *float64 `json:"cpu_load,omitempty"`
	ReqPerSec       float64  `json:"requests_per_second"`
	BytesPerSec     float64  `json:"bytes_per_second"`
	BytesPerReq     float64  `json:"bytes_per_request"`
	DurationPerReq  float64  `json:"duration_ms_per_request"`
}

type jsonCounts struct {
	Busy     int `json:"busy"`
	Graceful int `json:"graceful"`
	Idle     int `json:"idle"`
}

type jsonProcess struct {
	Slot         int     `json:"slot"`
	Pid          int     `json:"pid"`
	Generation   int64   `json:"generation"`
	State        string  `json:"state"`
	Quiescing    bool    `json:"quiescing"`
	NotAccepting bool    `json:"not_accepting"`
	Connections  int64   `json:"connections"`
	CPUUser      float64 `json:"cpu_user"`
	CPUSystem    float64 `json:"cpu_system"`
	Scoreboard   string  `json:"scoreboard"`
}

type jsonWorker struct {
	Slot          int     `json:"slot"`
	Thread        int     `json:"thread"`
	Status        string  `json:"status"`
	Mode          string  `json:"mode"`
	Pid           int     `json:"pid"`
	Generation    int64   `json:"generation"`
	ConnAccesses  uint64  `json:"conn_accesses"`
	ChildAccesses uint64  `json:"child_accesses"`
	SlotAccesses  uint64  `json:"slot_accesses"`
	ConnBytes     uint64  `json:"conn_bytes"`
	ChildBytes    uint64  `json:"child_bytes"`
	SlotBytes     uint64  `json:"slot_bytes"`
	CPU           float64 `json:"cpu"`
	SinceRequest  float64 `json:"seconds_since_request"`
	RequestMs     int64   `json:"request_ms"`
	DurationMs    int64   `json:"duration_ms"`
	Client        string  `json:"client"`
	Protocol      string  `json:"protocol"`
	VHost         string  `json:"vhost"`
	Request       string  `json:"request"`
}

type jsonSample struct {
	Time          int64  `json:"time"`
	TotalAccesses uint64 `json:"total_accesses"`
	TotalBytes    uint64 `json:"total_bytes"`
	Busy          int    `json:"busy"`
	Idle          int    `json:"idle"`
}

// WriteJSON writes the report as one JSON document (the ?json view).
func (rep *Report) WriteJSON(w io.Writer) error {
	doc := jsonReport{
		ServerName:       rep.ServerName,
		ServerVersion:    rep.ServerVersion,
		ServerMPM:        rep.ServerMPM,
		ServerBuilt:      rep.ServerBuilt.UTC(),
		CurrentTime:      rep.CurrentTime,
		RestartTime:      rep.RestartTime,
		StartTime:        rep.StartTime,
		RestartCount:     rep.RestartCount,
		ConfigGeneration: rep.ConfigGeneration,
		MPMGeneration:    rep.MPMGeneration,
		MasterPid:        rep.MasterPid,
		UptimeSeconds:    rep.Uptime(),
		Load:             rep.Load,
		ServerLimit:      rep.ServerLimit,
		ThreadLimit:      rep.ThreadLimit,
		ThreadsPerChild:  rep.ThreadsPerChild,
		ExtendedStatus:   rep.ExtendedStatus,
		Workers:          jsonCounts{Busy: rep.Busy, Graceful: rep.Graceful, Idle: rep.Idle},
		ByStatus:         map[string]int{},
		Scoreboard:       rep.Scoreboard,
		Processes:        []jsonProcess{},
		History:          make([]jsonSample, len(rep.History)),
	}
	for s, n := range rep.ByStatus {
		doc.ByStatus[statusClasses[s]] = n
	}
	for _, p := range rep.Processes {
		doc.Processes = append(doc.Processes, jsonProcess{
			Slot: p.Slot, Pid: p.Pid, Generation: p.Generation, State: p.State.String(),
			Quiescing: p.Quiescing, NotAccepting: p.NotAccepting, Connections: p.Connections,
			CPUUser: p.CPU.User.Seconds(), CPUSystem: p.CPU.System.Seconds(), Scoreboard: p.Statuses,
		})
	}
	for i, s := range rep.History {
		doc.History[i] = jsonSample{Time: s.UnixSec, TotalAccesses: s.TotalAccesses, TotalBytes: s.TotalBytes, Busy: s.Busy, Idle: s.Idle}
	}
	if rep.ExtendedStatus {
		t := &jsonTotals{
			Accesses: rep.TotalAccesses, Bytes: rep.TotalBytes, KBytes: rep.TotalKBytes(), DurationMs: rep.TotalDurationMs(),
			CPUUser: rep.CPU.User.Seconds(), CPUSystem: rep.CPU.System.Seconds(),
			CPUChildrenUser: rep.CPU.ChildrenUser.Seconds(), CPUChildrenSys: rep.CPU.ChildrenSystem.Seconds(),
		}
		// Exact rates here; ?auto rounds as Apache does.
		if up := float64(rep.Uptime()); up > 0 {
			t.ReqPerSec = float64(rep.TotalAccesses) / up
			t.BytesPerSec = float64(rep.TotalBytes) / up
			if cpu := rep.CPU.Total(); cpu > 0 {
				load := cpu.Seconds() / up * 100
				t.CPULoad = &load
			}
		}
		if n := float64(rep.TotalAccesses); n > 0 {
			t.BytesPerReq = float64(rep.TotalBytes) / n
			t.DurationPerReq = float64(rep.TotalDuration.Microseconds()) / 1000 / n
		}
		doc.Totals = t
		for _, w := range rep.Workers {
			doc.Slots = append(doc.Slots, jsonWorker{
				Slot: w.Slot, Thread: w.Thread, Status: statusName(w), Mode: string(w.Status.Letter()),
				Pid: w.Pid, Generation: w.Generation,
				ConnAccesses: w.ConnAccesses, ChildAccesses: w.ChildAccesses, SlotAccesses: w.SlotAccesses,
				ConnBytes: w.ConnBytes, ChildBytes: w.ChildBytes, SlotBytes: w.SlotBytes,
				CPU: (w.CPUUser + w.CPUSystem).Seconds(), SinceRequest: w.SinceRequest.Seconds(),
				RequestMs: w.RequestTime.Milliseconds(), DurationMs: w.Duration.Milliseconds(),
				Client: w.Client, Protocol: w.Protocol, VHost: w.VHost, Request: w.Request,
			})
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func statusName(w Worker) string {
	if !w.Status.Valid() {
		return "unknown"
	}
	return statusClasses[w.Status]
}
