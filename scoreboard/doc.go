// Package scoreboard owns gohttpd's shared-memory scoreboard: the layout of
// the memory the master shares with its children, and the atomic accessors
// every process uses to publish and read the state of the server, as in
// Apache httpd 2.4's scoreboard.h.
//
// # Memory
//
// The master calls Create once per hard start. The scoreboard lives in an
// anonymous memory file (memfd, close-on-exec, its size sealed so that no
// child can shrink it under the master) mapped MAP_SHARED. The master passes
// File to each child in exec.Cmd.ExtraFiles; the child maps it with Open,
// which checks the header (magic, LayoutVersion, limits and record sizes)
// and refuses a mapping it was not built for with an error wrapping
// ErrLayout.
//
// # Layout
//
// The mapping is one header followed by three regions:
//
//	header          magic, layout version, ServerLimit, ThreadLimit, record sizes, total size
//	global record   generations, restart and start times, restart count,
//	                and a ring of HistorySize samples (one per master tick)
//	process records ServerLimit of them: state, pid, generation, quiescing, not accepting
//	worker records  ServerLimit×ThreadLimit of them, slot-major: status, pid, tid,
//	                generation, counters, request times, CPU times, and the
//	                client, vhost, request line and protocol strings
//
// Every region and every record is a whole number of 64-byte cache lines,
// so no two workers share a line. Every field is an 8-byte-aligned 64-bit
// word read and written only with sync/atomic; nothing in the mapping is a
// Go pointer. Strings are fixed arrays of words (ClientSize, VHostSize,
// RequestSize, ProtocolSize bytes) with their lengths packed in one word,
// guarded by a sequence lock: the writer makes the sequence odd, writes,
// and makes it even; a reader retries, a bounded number of times, until it
// sees the same even sequence before and after its copy, so it never
// returns a torn value (it returns empty strings instead if the writer
// stays busy). The history ring is guarded the same way.
//
// # Who writes what
//
//   - The master writes the header (once, in Create), the global record and
//     the process records: Reserve a FreeSlot before spawning a child, SetPid
//     once it runs, Release after the reaper collected it, Reset on a hard
//     restart when no child is left.
//   - A child may set the Quiescing and NotAccepting flags of its own process
//     record (single words: no lock needed).
//   - A worker writes only its own worker record: Bind, SetStatus,
//     StartRequest, StopRequest, IncrementAccess, SetRequest, SetCPU. Each
//     record has a single writer, which is what the sequence lock assumes.
//   - The master also sets the Status of the worker slots of a process slot
//     that has no running child (Starting in Reserve, Dead in Release) and
//     zeroes every record in Reset.
//   - Anyone may read anything; the status module reads through Snapshot
//     and Tally.
//
// Statistics follow Apache: AccessCount and BytesServed belong to the
// worker slot and go on across children and graceful restarts;
// MyAccessCount and MyBytesServed are zeroed when the slot goes Dead;
// ConnCount and ConnBytes are zeroed when it goes Ready or Dead. Reset
// zeroes all of them.
//
// Children run as an unprivileged user with the mapping writable, so the
// master treats what it reads as untrusted: lengths and ring indexes are
// clamped, and undefined status values are counted apart.
package scoreboard
