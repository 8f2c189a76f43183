package scoreboard

import (
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ErrLayout is wrapped by the errors Open returns when the mapping is not a
// scoreboard this binary can read.
var ErrLayout = errors.New("incompatible scoreboard layout")

// Scoreboard is one process's mapping of the shared scoreboard. Its methods
// and the handles they return are safe for concurrent use by any number of
// goroutines and processes within the rules of the package documentation.
// No method may be called, and no handle used, after Close.
type Scoreboard struct {
	f       *os.File
	mem     []byte
	l       layout
	hdr     *header
	global  *globalRecord
	procs   []processRecord
	workers []workerRecord
}

// Create makes a new scoreboard for serverLimit child processes of
// threadLimit workers each, in a sealed anonymous memory file (memfd,
// close-on-exec) that children map with Open. Every record starts zeroed:
// workers Dead, process slots Free, generations 0.
func Create(serverLimit, threadLimit int) (*Scoreboard, error) {
	if err := checkLimits(serverLimit, threadLimit); err != nil {
		return nil, fmt.Errorf("create scoreboard: %w", err)
	}
	l := newLayout(serverLimit, threadLimit)
	fd, err := unix.MemfdCreate("gohttpd-scoreboard", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("create scoreboard: memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), "gohttpd-scoreboard")
	if err := unix.Ftruncate(fd, int64(l.total)); err != nil {
		f.Close()
		return nil, fmt.Errorf("create scoreboard: ftruncate to %d bytes: %w", l.total, err)
	}
	// Children run as another user but hold the fd read-write: seal the
	// size so that none can shrink the file under the master (SIGBUS).
	seals := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_SEAL
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals); err != nil {
		f.Close()
		return nil, fmt.Errorf("create scoreboard: seal memfd: %w", err)
	}
	sb, err := mapFile(f, l)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("create scoreboard: %w", err)
	}
	h := sb.hdr
	h.version.Store(LayoutVersion)
	h.serverLimit.Store(uint64(serverLimit))
	h.threadLimit.Store(uint64(threadLimit))
	h.historySize.Store(HistorySize)
	h.globalSize.Store(uint64(unsafe.Sizeof(globalRecord{})))
	h.processSize.Store(uint64(unsafe.Sizeof(processRecord{})))
	h.workerSize.Store(uint64(unsafe.Sizeof(workerRecord{})))
	h.totalSize.Store(uint64(l.total))
	h.magic.Store(magic)
	return sb, nil
}

// Open maps the scoreboard in f, a memfd made by Create and inherited by a
// child process (usually os.NewFile on the descriptor number the master
// passed in exec.Cmd.ExtraFiles). It checks the header against this
// binary's layout and fails with an error wrapping ErrLayout if they
// differ. Open marks f close-on-exec; the Scoreboard owns f from then on
// and Close closes it, also when Open fails.
func Open(f *os.File) (*Scoreboard, error) {
	sb, err := open(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open scoreboard %s: %w", f.Name(), err)
	}
	return sb, nil
}

func open(f *os.File) (*Scoreboard, error) {
	fd := int(f.Fd())
	unix.CloseOnExec(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("fstat: %w", err)
	}
	hsize := int64(unsafe.Sizeof(header{}))
	if st.Size < hsize {
		return nil, fmt.Errorf("%w: file is %d bytes, smaller than the %d-byte header", ErrLayout, st.Size, hsize)
	}
	// Map the header alone first: its limits say how much to map.
	hmem, err := unix.Mmap(fd, 0, int(hsize), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap header: %w", err)
	}
	l, err := checkHeader((*header)(unsafe.Pointer(&hmem[0])), st.Size)
	if uerr := unix.Munmap(hmem); uerr != nil && err == nil {
		err = fmt.Errorf("munmap header: %w", uerr)
	}
	if err != nil {
		return nil, err
	}
	return mapFile(f, l)
}

// checkHeader validates h, read from a file of fileSize bytes, against this
// binary's layout and returns the layout it describes.
func checkHeader(h *header, fileSize int64) (layout, error) {
	if m := h.magic.Load(); m != magic {
		return layout{}, fmt.Errorf("%w: bad magic %#x, not a gohttpd scoreboard", ErrLayout, m)
	}
	if v := h.version.Load(); v != LayoutVersion {
		return layout{}, fmt.Errorf("%w: layout version %d, this binary reads version %d (master and child run different builds?)",
			ErrLayout, v, LayoutVersion)
	}
	sizes := []struct {
		name      string
		got, want uint64
	}{
		{"history size", h.historySize.Load(), HistorySize},
		{"global record size", h.globalSize.Load(), uint64(unsafe.Sizeof(globalRecord{}))},
		{"process record size", h.processSize.Load(), uint64(unsafe.Sizeof(processRecord{}))},
		{"worker record size", h.workerSize.Load(), uint64(unsafe.Sizeof(workerRecord{}))},
	}
	for _, s := range sizes {
		if s.got != s.want {
			return layout{}, fmt.Errorf("%w: %s is %d, this binary expects %d", ErrLayout, s.name, s.got, s.want)
		}
	}
	serverLimit, threadLimit := h.serverLimit.Load(), h.threadLimit.Load()
	if serverLimit > MaxServerLimit || threadLimit > MaxThreadLimit {
		return layout{}, fmt.Errorf("%w: limits %d×%d out of range", ErrLayout, serverLimit, threadLimit)
	}
	if err := checkLimits(int(serverLimit), int(threadLimit)); err != nil {
		return layout{}, fmt.Errorf("%w: %w", ErrLayout, err)
	}
	l := newLayout(int(serverLimit), int(threadLimit))
	if total := h.totalSize.Load(); total != uint64(l.total) || fileSize != int64(l.total) {
		return layout{}, fmt.Errorf("%w: header says %d bytes, limits %d×%d need %d, file has %d",
			ErrLayout, total, serverLimit, threadLimit, l.total, fileSize)
	}
	return l, nil
}

func checkLimits(serverLimit, threadLimit int) error {
	switch {
	case serverLimit < 1 || serverLimit > MaxServerLimit:
		return fmt.Errorf("server limit %d out of range 1..%d", serverLimit, MaxServerLimit)
	case threadLimit < 1 || threadLimit > MaxThreadLimit:
		return fmt.Errorf("thread limit %d out of range 1..%d", threadLimit, MaxThreadLimit)
	case serverLimit*threadLimit > maxWorkers:
		return fmt.Errorf("server limit × thread limit = %d exceeds %d worker slots", serverLimit*threadLimit, maxWorkers)
	}
	return nil
}

// mapFile maps f read-write and shared, and points the record slices into
// the mapping.
func mapFile(f *os.File, l layout) (*Scoreboard, error) {
	mem, err := unix.Mmap(int(f.Fd()), 0, int(l.total), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap %d bytes: %w", l.total, err)
	}
	base := unsafe.Pointer(&mem[0])
	return &Scoreboard{
		f:       f,
		mem:     mem,
		l:       l,
		hdr:     (*header)(base),
		global:  (*globalRecord)(unsafe.Add(base, l.globalOff)),
		procs:   unsafe.Slice((*processRecord)(unsafe.Add(base, l.procOff)), l.serverLimit),
		workers: unsafe.Slice((*workerRecord)(unsafe.Add(base, l.workerOff)), l.serverLimit*l.threadLimit),
	}, nil
}

// File returns the memory file holding the scoreboard, to hand to a child
// through exec.Cmd.ExtraFiles. The Scoreboard keeps owning it: do not close
// it.
func (sb *Scoreboard) File() *os.File { return sb.f }

// Close unmaps the scoreboard and closes its file. Other processes' mappings
// are unaffected; the memory is freed when the last one goes.
func (sb *Scoreboard) Close() error {
	var errs []error
	if sb.mem != nil {
		if err := unix.Munmap(sb.mem); err != nil {
			errs = append(errs, fmt.Errorf("munmap scoreboard: %w", err))
		}
		sb.mem, sb.hdr, sb.global, sb.procs, sb.workers = nil, nil, nil, nil, nil
	}
	if err := sb.f.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close scoreboard file: %w", err))
	}
	return errors.Join(errs...)
}

// ServerLimit returns the number of process slots.
func (sb *Scoreboard) ServerLimit() int { return sb.l.serverLimit }

// ThreadLimit returns the number of worker slots per process slot.
func (sb *Scoreboard) ThreadLimit() int { return sb.l.threadLimit }

// Size returns the size of the mapping in bytes.
func (sb *Scoreboard) Size() int { return int(sb.l.total) }

// Global returns the handle on the global record.
func (sb *Scoreboard) Global() Global { return Global{h: sb.hdr, g: sb.global} }

// Process returns the handle on process slot slot. It panics if slot is not
// in [0, ServerLimit).
func (sb *Scoreboard) Process(slot int) Process {
	return Process{sb: sb, rec: &sb.procs[slot], slot: slot}
}

// Worker returns the handle on worker thread of process slot slot. It panics
// if slot is not in [0, ServerLimit) or thread not in [0, ThreadLimit).
func (sb *Scoreboard) Worker(slot, thread int) Worker {
	if thread < 0 || thread >= sb.l.threadLimit {
		panic(fmt.Sprintf("scoreboard: worker thread %d out of range [0, %d)", thread, sb.l.threadLimit))
	}
	return Worker{rec: &sb.workers[slot*sb.l.threadLimit+thread], slot: slot, thread: thread}
}

// FreeSlot returns the lowest process slot below limit (clamped to
// ServerLimit) whose state is ProcFree, for the master to Reserve before it
// spawns a child. ok is false when every such slot is taken. The master is
// the only caller, so the slot stays free until it reserves it.
func (sb *Scoreboard) FreeSlot(limit int) (slot int, ok bool) {
	for i := range min(limit, sb.l.serverLimit) {
		if ProcState(sb.procs[i].state.Load()) == ProcFree {
			return i, true
		}
	}
	return -1, false
}

// FindPid returns the process slot whose recorded pid is pid (Apache's
// find_child_by_pid), for the reaper.
func (sb *Scoreboard) FindPid(pid int) (slot int, ok bool) {
	if pid <= 0 {
		return -1, false
	}
	for i := range sb.procs {
		if sb.procs[i].pid.Load() == int64(pid) {
			return i, true
		}
	}
	return -1, false
}

// Reset zeroes the scoreboard for a hard restart (HUP), when no child is
// alive: every process and worker record (so all statistics, including
// those kept across graceful restarts), the history ring and the restart
// time. It keeps the header and limits, and the values that describe the
// server rather than its traffic: StartTime, RestartCount and both
// generations, which stay monotonic across restarts so that a late child
// of an old generation can never mistake itself for a current one.
func (sb *Scoreboard) Reset() {
	sb.Global().reset()
	for i := range sb.procs {
		sb.procs[i].reset()
	}
	for i := range sb.workers {
		sb.workers[i].reset()
	}
}
