package pipeline

import (
	"net"
	"time"
)

// ServerFunc is the signature of the server-side hooks (pre_config,
// check_config, test_config, open_logs, post_config, pre_mpm, monitor,
// child_init). s is the main server, with virtual hosts on s.Next.
type ServerFunc func(s *Server) Result

// CreateConnectionFunc builds the connection record for an accepted
// socket; nil means declined.
type CreateConnectionFunc func(nc net.Conn, s *Server, id int64) *Conn

// ConnFunc is the signature of pre_connection and process_connection.
type ConnFunc func(c *Conn) Result

// RequestFunc is the signature of most request hooks.
type RequestFunc func(r *Request) Result

// QuickHandlerFunc is quick_handler's signature: lookupOnly is true for
// sub-requests that only want to know whether the handler would serve.
type QuickHandlerFunc func(r *Request, lookupOnly bool) Result

// DefaultPortFunc returns the default port for a request's scheme, or 0
// to decline.
type DefaultPortFunc func(r *Request) int

// SchemeFunc returns the request's scheme ("http"), or "" to decline.
type SchemeFunc func(r *Request) string

// ChildStatus says what happened to a child process.
type ChildStatus int

const (
	// ChildStarted: the master spawned the child.
	ChildStarted ChildStatus = iota
	// ChildExited: the master reaped the child.
	ChildExited
	// ChildGenerationDone: the last child of an old generation exited.
	ChildGenerationDone
)

// ChildEvent describes a child for the child_status hook.
type ChildEvent struct {
	Status     ChildStatus
	Pid        int
	Slot       int
	Generation int64
	ExitCode   int // for ChildExited; -1 when killed by a signal
}

// ChildStatusFunc is child_status's signature.
type ChildStatusFunc func(s *Server, ev ChildEvent)

// ErrorLogEntry is one error-log line as the error_log hook sees it.
type ErrorLogEntry struct {
	Time    time.Time
	Level   string // "error", "warn", "notice", "info", "debug", …
	Module  string
	Message string
	Server  *Server
	Conn    *Conn    // may be nil
	Request *Request // may be nil
}

// ErrorLogFunc is error_log's signature.
type ErrorLogFunc func(e *ErrorLogEntry)

// Hooks holds every hook of one configuration generation. NewHooks
// declares them empty; each loaded module's RegisterHooks fills them;
// Sort orders them. The fields are listed in the order a server and then
// a request meet them.
type Hooks struct {
	// Server side.
	PreConfig   *Hook[ServerFunc]      // RUN_ALL: before directives are processed
	CheckConfig *Hook[ServerFunc]      // RUN_ALL: after processing; reject bad combinations
	TestConfig  *Hook[ServerFunc]      // VOID: only under -t; print diagnostics
	OpenLogs    *Hook[ServerFunc]      // RUN_ALL: open log files as root (master)
	PostConfig  *Hook[ServerFunc]      // RUN_ALL: configuration complete
	PreMPM      *Hook[ServerFunc]      // RUN_ALL: scoreboard exists, children not yet started
	Monitor     *Hook[ServerFunc]      // RUN_ALL: master, every 10th maintenance tick
	ChildStatus *Hook[ChildStatusFunc] // VOID: master, a child started or exited
	ErrorLog    *Hook[ErrorLogFunc]    // VOID: every error-log line
	DefaultPort *Hook[DefaultPortFunc] // RUN_FIRST: default port of a request's scheme
	HTTPScheme  *Hook[SchemeFunc]      // RUN_FIRST: scheme of a request

	// Child and connection.
	ChildInit         *Hook[ServerFunc]           // VOID: in each child, before accepting
	ChildExit         *Hook[ServerFunc]           // VOID: in each child, on every way out (flush buffers)
	CreateConnection  *Hook[CreateConnectionFunc] // RUN_FIRST: build the connection record
	PreConnection     *Hook[ConnFunc]             // RUN_ALL: set up the connection (filters, notes)
	ProcessConnection *Hook[ConnFunc]             // RUN_FIRST: speak the protocol

	// Request, in the order a request meets them.
	CreateRequest     *Hook[RequestFunc]      // RUN_ALL: new request record
	PostReadRequest   *Hook[RequestFunc]      // RUN_ALL: head read and parsed
	QuickHandler      *Hook[QuickHandlerFunc] // RUN_FIRST: serve before any mapping (caches)
	TranslateName     *Hook[RequestFunc]      // RUN_FIRST: URI to file name
	MapToStorage      *Hook[RequestFunc]      // RUN_FIRST: Directory/Files walk
	HeaderParser      *Hook[RequestFunc]      // RUN_ALL: main request only
	AccessChecker     *Hook[RequestFunc]      // RUN_ALL: host-based access
	AccessCheckerEx   *Hook[RequestFunc]      // RUN_FIRST: OK authorizes without authentication, Declined asks for it
	ForceAuthn        *Hook[RequestFunc]      // RUN_FIRST: OK authenticates even what access_checker_ex authorized
	CheckUserID       *Hook[RequestFunc]      // RUN_FIRST: authentication
	AuthChecker       *Hook[RequestFunc]      // RUN_FIRST: authorization
	TypeChecker       *Hook[RequestFunc]      // RUN_FIRST: content type and handler
	Fixups            *Hook[RequestFunc]      // RUN_ALL: last changes before the handler
	InsertFilter      *Hook[RequestFunc]      // VOID: add filters for this request
	Handler           *Hook[RequestFunc]      // RUN_FIRST: produce the response
	InsertErrorFilter *Hook[RequestFunc]      // VOID: add filters for an error response
	LogTransaction    *Hook[RequestFunc]      // RUN_ALL: after the response, on every path

	// Optional holds the optional functions modules publish.
	Optional *Optionals

	filters *Filters
	all     []Describer
}

// NewHooks returns every hook declared and empty.
func NewHooks() *Hooks {
	h := &Hooks{
		PreConfig:   NewHook[ServerFunc]("pre_config", RunAll),
		CheckConfig: NewHook[ServerFunc]("check_config", RunAll),
		TestConfig:  NewHook[ServerFunc]("test_config", Void),
		OpenLogs:    NewHook[ServerFunc]("open_logs", RunAll),
		PostConfig:  NewHook[ServerFunc]("post_config", RunAll),
		PreMPM:      NewHook[ServerFunc]("pre_mpm", RunAll),
		Monitor:     NewHook[ServerFunc]("monitor", RunAll),
		ChildStatus: NewHook[ChildStatusFunc]("child_status", Void),
		ErrorLog:    NewHook[ErrorLogFunc]("error_log", Void),
		DefaultPort: NewHook[DefaultPortFunc]("default_port", RunFirst),
		HTTPScheme:  NewHook[SchemeFunc]("http_scheme", RunFirst),

		ChildInit:         NewHook[ServerFunc]("child_init", Void),
		ChildExit:         NewHook[ServerFunc]("child_exit", Void),
		CreateConnection:  NewHook[CreateConnectionFunc]("create_connection", RunFirst),
		PreConnection:     NewHook[ConnFunc]("pre_connection", RunAll),
		ProcessConnection: NewHook[ConnFunc]("process_connection", RunFirst),

		CreateRequest:     NewHook[RequestFunc]("create_request", RunAll),
		PostReadRequest:   NewHook[RequestFunc]("post_read_request", RunAll),
		QuickHandler:      NewHook[QuickHandlerFunc]("quick_handler", RunFirst),
		TranslateName:     NewHook[RequestFunc]("translate_name", RunFirst),
		MapToStorage:      NewHook[RequestFunc]("map_to_storage", RunFirst),
		HeaderParser:      NewHook[RequestFunc]("header_parser", RunAll),
		AccessChecker:     NewHook[RequestFunc]("access_checker", RunAll),
		AccessCheckerEx:   NewHook[RequestFunc]("access_checker_ex", RunFirst),
		ForceAuthn:        NewHook[RequestFunc]("force_authn", RunFirst),
		CheckUserID:       NewHook[RequestFunc]("check_user_id", RunFirst),
		AuthChecker:       NewHook[RequestFunc]("auth_checker", RunFirst),
		TypeChecker:       NewHook[RequestFunc]("type_checker", RunFirst),
		Fixups:            NewHook[RequestFunc]("fixups", RunAll),
		InsertFilter:      NewHook[RequestFunc]("insert_filter", Void),
		Handler:           NewHook[RequestFunc]("handler", RunFirst),
		InsertErrorFilter: NewHook[RequestFunc]("insert_error_filter", Void),
		LogTransaction:    NewHook[RequestFunc]("log_transaction", RunAll),

		Optional: NewOptionals(),
		filters:  NewFilters(),
	}
	h.all = []Describer{
		h.ChildInit, h.ChildExit, h.CreateConnection, h.PreConnection, h.ProcessConnection,
		h.CreateRequest, h.PostReadRequest, h.QuickHandler, h.TranslateName,
		h.MapToStorage, h.HeaderParser, h.AccessChecker, h.AccessCheckerEx, h.ForceAuthn, h.CheckUserID,
		h.AuthChecker, h.TypeChecker, h.Fixups, h.InsertFilter, h.Handler,
		h.InsertErrorFilter, h.LogTransaction,
		h.PreConfig, h.CheckConfig, h.TestConfig, h.OpenLogs, h.PostConfig,
		h.PreMPM, h.Monitor, h.ChildStatus, h.ErrorLog, h.DefaultPort, h.HTTPScheme,
	}
	return h
}

// sortable is implemented by every *Hook.
type sortable interface {
	Describer
	Sort(loaded func(string) bool, report SortReport) error
}

// AddPrivate makes a module's own hook (such as mod_proxy's
// scheme_handler) part of this generation: it is sorted with the others
// and listed by Describe.
func (h *Hooks) AddPrivate(hook sortable) { h.all = append(h.all, hook) }

// Sort orders every hook. loaded tells which module names are loaded;
// report (may be nil) hears of constraints naming modules that are not.
// The first cycle found is returned as an error.
func (h *Hooks) Sort(loaded func(string) bool, report SortReport) error {
	for _, d := range h.all {
		if err := d.(sortable).Sort(loaded, report); err != nil {
			return err
		}
	}
	return nil
}

// Describe lists every hook with its functions in run order: the request
// chain first, then the server-side hooks, then private hooks.
func (h *Hooks) Describe() []HookInfo {
	out := make([]HookInfo, len(h.all))
	for i, d := range h.all {
		out[i] = d.Describe()
	}
	return out
}
