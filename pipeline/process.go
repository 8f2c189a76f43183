package pipeline

import "time"

// ProcessConfig is the configuration the master and the children act on
// as processes rather than as servers: addresses to listen on, the user to
// run as, the PidFile, the error log and the process-model limits. The core
// module's directives fill it; its zero value is never used: Build starts
// from DefaultProcessConfig.
type ProcessConfig struct {
	ServerRoot    string
	Listen        []string // Listen arguments as written ("127.0.0.1:8080", "8443 https")
	ListenPos     []string // file:line of each Listen, for bind errors
	ListenBacklog int
	// AcceptFilter maps a Listen protocol to its AcceptFilter argument
	// ("data", "none", ...).
	AcceptFilter map[string]string

	User  string
	Group string

	PidFile  string
	ErrorLog string // path, "|command", or "syslog"
	LogLevel string // "warn", possibly followed by "module:level" pairs

	StartServers            int
	MinSpareServers         int
	MaxSpareServers         int
	MaxRequestWorkers       int
	ServerLimit             int
	ThreadsPerChild         int
	ThreadLimit             int
	MaxConnectionsPerChild  int
	GracefulShutdownTimeout time.Duration
	// CPUSchedulingPolicy is the Linux scheduling policy the children's
	// threads run with: "batch" (the default), "other" or "idle".
	CPUSchedulingPolicy string

	// Set records which fields were set explicitly (by directive name).
	Set map[string]bool
}

// DefaultProcessConfig returns Apache's defaults (prefork's for the
// process limits).
func DefaultProcessConfig(serverRoot string) ProcessConfig {
	return ProcessConfig{
		ServerRoot:             serverRoot,
		ListenBacklog:          511,
		AcceptFilter:           map[string]string{"http": "data", "https": "data"},
		User:                   "nobody",
		PidFile:                "logs/httpd.pid",
		ErrorLog:               "logs/error_log",
		LogLevel:               "warn",
		StartServers:           5,
		MinSpareServers:        5,
		MaxSpareServers:        10,
		MaxRequestWorkers:      256,
		ServerLimit:            256,
		ThreadsPerChild:        1,
		ThreadLimit:            64,
		MaxConnectionsPerChild: 0,
		CPUSchedulingPolicy:    "batch",
		Set:                    map[string]bool{},
	}
}
