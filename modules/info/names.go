package info

import (
	"strings"

	"gohttpd/pipeline"
)

// moduleFile returns the name Apache's listings give a module: "core.c"
// for the core, "mod_NAME.c" for the others.
func moduleFile(name string) string {
	if name == "core" {
		return "core.c"
	}
	return "mod_" + name + ".c"
}

// hookGroup is a section of the hooks listing.
type hookGroup struct {
	anchor, title string
}

var (
	requestGroup = hookGroup{"request_hooks", "Request Hooks"}
	serverGroup  = hookGroup{"startup_hooks", "Server Hooks"}
	moduleGroup  = hookGroup{"other_hooks", "Module Hooks"}
)

// hookLabels gives the engine's hooks Apache's mod_info titles.
var hookLabels = map[string]struct {
	title string
	group hookGroup
}{
	"child_init":          {"Child Init", requestGroup},
	"child_exit":          {"Child Exit", requestGroup},
	"create_connection":   {"Create Connection", requestGroup},
	"pre_connection":      {"Pre-Connection", requestGroup},
	"process_connection":  {"Process Connection", requestGroup},
	"create_request":      {"Create Request", requestGroup},
	"post_read_request":   {"Post-Read Request", requestGroup},
	"quick_handler":       {"Quick Handler", requestGroup},
	"translate_name":      {"Translate Name", requestGroup},
	"map_to_storage":      {"Map to Storage", requestGroup},
	"header_parser":       {"Header Parse", requestGroup},
	"access_checker":      {"Check Access", requestGroup},
	"access_checker_ex":   {"Check Access (Ex)", requestGroup},
	"force_authn":         {"Force Authentication", requestGroup},
	"check_user_id":       {"Verify User ID", requestGroup},
	"auth_checker":        {"Verify User Access", requestGroup},
	"type_checker":        {"Check Type", requestGroup},
	"fixups":              {"Fixups", requestGroup},
	"insert_filter":       {"Insert Filters", requestGroup},
	"handler":             {"Content Handlers", requestGroup},
	"insert_error_filter": {"Insert Errors", requestGroup},
	"log_transaction":     {"Transaction Logging", requestGroup},
	"pre_config":          {"Pre-Config", serverGroup},
	"check_config":        {"Check Configuration", serverGroup},
	"test_config":         {"Test Configuration", serverGroup},
	"open_logs":           {"Open Logs", serverGroup},
	"post_config":         {"Post Configuration", serverGroup},
	"pre_mpm":             {"Pre-MPM", serverGroup},
	"monitor":             {"Monitor", serverGroup},
	"child_status":        {"Child Status", serverGroup},
	"error_log":           {"Error Logging", serverGroup},
	"default_port":        {"Default Port", serverGroup},
	"http_scheme":         {"HTTP Scheme", serverGroup},
}

// hookTitle returns a hook's title and group; a module's private hook is
// titled by its name.
func hookTitle(name string) (string, hookGroup) {
	if l, ok := hookLabels[name]; ok {
		return l.title, l.group
	}
	return name, moduleGroup
}

// findModule returns the loaded module a query names ("mod_status.c",
// "status_module", "status").
func findModule(mods *pipeline.ModuleSet, q string) *pipeline.Module {
	want := pipeline.CanonicalModuleName(q)
	for _, m := range mods.Modules() {
		if m.Name == want || strings.EqualFold(moduleFile(m.Name), q) {
			return m
		}
	}
	return nil
}
