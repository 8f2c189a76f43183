// Package pipeline is gohttpd's request engine: the typed hook engine with
// Apache's run kinds and ordering rules, the module contract, the server,
// connection and request records, and the optional-function registry.
//
// A hook is a named, ordered list of functions of one Go type. Modules add
// functions to hooks from their Module.RegisterHooks method; after every
// configuration read the engine sorts every hook (order constant first, then
// the predecessor/successor constraints named by module, registration order
// breaking ties) and the phases run the sorted lists with one of Apache's
// three kinds:
//
//   - Void: every function runs; results are ignored.
//   - RunAll: functions run in order until one returns something other than
//     OK or Declined; that result is returned.
//   - RunFirst: functions run until one returns something other than Declined.
//
// Results follow Apache: OK (0), Declined (-1), Done (-2), or an HTTP status
// (100-599) that ends the phase with that status.
//
// The package never imports the master, the child or any module: modules
// depend on it, not the other way round.
package pipeline
