package proxy

import (
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// SharedFileName is the name under which the master shares the worker
// segment with its children (pipeline.Generation.ShareFile).
const SharedFileName = "proxy-workers"

// slot is one 64-byte record of the shared worker segment: the state of a
// worker, or the lock of a balancer. It holds no Go pointers; every field
// is updated atomically by any process of the generation.
type slot struct {
	status    atomic.Uint32 // workerInError | …
	lock      atomic.Uint32 // balancers: pid of the holder, 0 when free
	errorTime atomic.Int64  // unix nanoseconds the worker entered error state
	busy      atomic.Int64  // requests in flight
	elected   atomic.Int64  // times chosen
	lbstatus  atomic.Int64  // load-balancer credit (byrequests, bybusyness)
	read      atomic.Int64  // bytes received from the backend
	sent      atomic.Int64  // bytes sent to the backend
	_         [8]byte
}

// Worker status bits (Apache's PROXY_WORKER_* flags that change at run
// time).
const (
	workerInError uint32 = 1 << iota
)

const (
	slotSize = int(unsafe.Sizeof(slot{}))
	shmMagic = 0x67707879 // "gpxy"
)

func init() {
	if slotSize != 64 {
		panic(fmt.Sprintf("proxy: shared slot is %d bytes, want 64", slotSize))
	}
}

// segment is a mapping of slots: the first is a header (magic in status,
// slot count in errorTime), then one per worker and one per balancer.
type segment struct {
	mem   []byte
	slots []slot
}

// segmentSize returns the bytes needed for n slots plus the header.
func segmentSize(n int) int { return (n + 1) * slotSize }

// createSegmentFile makes a sealed memfd big enough for n slots, for the
// master to share with children. The file is zero-filled; the header is
// written by the first mapping.
func createSegmentFile(n int) (*os.File, error) {
	fd, err := unix.MemfdCreate("gohttpd-proxy-workers", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
	if err != nil {
		return nil, fmt.Errorf("proxy worker segment: memfd_create: %w", err)
	}
	f := os.NewFile(uintptr(fd), "gohttpd-proxy-workers")
	if err := unix.Ftruncate(fd, int64(segmentSize(n))); err != nil {
		f.Close()
		return nil, fmt.Errorf("proxy worker segment: ftruncate: %w", err)
	}
	seals := unix.F_SEAL_SHRINK | unix.F_SEAL_GROW | unix.F_SEAL_SEAL
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, seals); err != nil {
		f.Close()
		return nil, fmt.Errorf("proxy worker segment: sealing: %w", err)
	}
	return f, nil
}

// mapSegment maps f, which must hold exactly n slots plus the header.
func mapSegment(f *os.File, n int) (*segment, error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return nil, fmt.Errorf("proxy worker segment: fstat: %w", err)
	}
	if st.Size != int64(segmentSize(n)) {
		return nil, fmt.Errorf("proxy worker segment is %d bytes, this configuration needs %d", st.Size, segmentSize(n))
	}
	mem, err := unix.Mmap(int(f.Fd()), 0, segmentSize(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("proxy worker segment: mmap: %w", err)
	}
	return newSegment(mem, n)
}

// anonSegment maps private memory for n slots: the state of a process
// that has no shared segment (tests, configuration checks).
func anonSegment(n int) (*segment, error) {
	mem, err := unix.Mmap(-1, 0, segmentSize(n), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("proxy worker state: mmap: %w", err)
	}
	return newSegment(mem, n)
}

func newSegment(mem []byte, n int) (*segment, error) {
	all := unsafe.Slice((*slot)(unsafe.Pointer(&mem[0])), n+1)
	hdr := &all[0]
	if hdr.status.CompareAndSwap(0, shmMagic) {
		hdr.errorTime.Store(int64(n))
	} else if hdr.status.Load() != shmMagic || hdr.errorTime.Load() != int64(n) {
		_ = unix.Munmap(mem)
		return nil, fmt.Errorf("proxy worker segment holds %d slots of another layout; want %d", hdr.errorTime.Load(), n)
	}
	return &segment{mem: mem, slots: all[1:]}, nil
}

// close unmaps the segment.
func (s *segment) close() error {
	if s == nil || s.mem == nil {
		return nil
	}
	err := unix.Munmap(s.mem)
	s.mem, s.slots = nil, nil
	return err
}
