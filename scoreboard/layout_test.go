package scoreboard

import (
	"reflect"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	atomicUint64 = reflect.TypeFor[atomic.Uint64]()
	atomicInt64  = reflect.TypeFor[atomic.Int64]()
)

// words walks typ and calls visit with the offset of every atomic word in
// it. Anything else but blank byte-array padding fails the test.
func words(t *testing.T, typ reflect.Type, base uintptr, path string, visit func(path string, off uintptr)) {
	t.Helper()
	switch {
	case typ == atomicUint64 || typ == atomicInt64:
		visit(path, base)
	case typ.Kind() == reflect.Struct:
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Name == "_" {
				assert.Equal(t, reflect.Array, f.Type.Kind(), "%s: padding must be a byte array", path)
				assert.Equal(t, reflect.Uint8, f.Type.Elem().Kind(), "%s: padding must be a byte array", path)
				continue
			}
			words(t, f.Type, base+f.Offset, path+"."+f.Name, visit)
		}
	case typ.Kind() == reflect.Array:
		for i := range typ.Len() {
			words(t, typ.Elem(), base+uintptr(i)*typ.Elem().Size(), path+"[]", visit)
		}
	default:
		t.Errorf("%s: field of type %s is not an atomic 64-bit word", path, typ)
	}
}

func TestLayoutEveryFieldIsAnAlignedAtomicWord(t *testing.T) {
	records := map[string]reflect.Type{
		"header":        reflect.TypeFor[header](),
		"globalRecord":  reflect.TypeFor[globalRecord](),
		"processRecord": reflect.TypeFor[processRecord](),
		"workerRecord":  reflect.TypeFor[workerRecord](),
	}
	for name, typ := range records {
		n := 0
		words(t, typ, 0, name, func(path string, off uintptr) {
			n++
			assert.Zero(t, off%8, "%s at offset %d is not 8-byte aligned", path, off)
		})
		assert.NotZero(t, n, name)
		assert.Zero(t, typ.Size()%cacheLine, "%s size %d is not a whole number of cache lines", name, typ.Size())
		assert.Zero(t, uintptr(typ.Align())%8, name)
	}
}

func TestLayoutRegionsAreCacheLineAligned(t *testing.T) {
	for _, lim := range [][2]int{{1, 1}, {3, 7}, {16, 25}, {256, 1}} {
		l := newLayout(lim[0], lim[1])
		for _, off := range []uintptr{l.globalOff, l.procOff, l.workerOff, l.total} {
			assert.Zero(t, off%cacheLine, "limits %v offset %d", lim, off)
		}
	}
}

func TestLayoutMappedAddressesAreAligned(t *testing.T) {
	sb := newScoreboard(t, 3, 5)
	require.Len(t, sb.procs, 3)
	require.Len(t, sb.workers, 15)
	aligned := func(p unsafe.Pointer) bool { return uintptr(p)%cacheLine == 0 }
	assert.True(t, aligned(unsafe.Pointer(sb.hdr)))
	assert.True(t, aligned(unsafe.Pointer(sb.global)))
	for i := range sb.procs {
		assert.True(t, aligned(unsafe.Pointer(&sb.procs[i])), "process %d", i)
	}
	for i := range sb.workers {
		assert.True(t, aligned(unsafe.Pointer(&sb.workers[i])), "worker %d", i)
	}
	last := uintptr(unsafe.Pointer(&sb.workers[14])) + unsafe.Sizeof(workerRecord{})
	assert.Equal(t, uintptr(unsafe.Pointer(&sb.mem[0]))+uintptr(len(sb.mem)), last, "records end at the end of the mapping")
	assert.Equal(t, sb.Size(), len(sb.mem))
}

func TestLengthPacking(t *testing.T) {
	c, v, r, p := unpackLens(packLens(ClientSize, VHostSize, RequestSize, ProtocolSize))
	assert.Equal(t, []int{ClientSize, VHostSize, RequestSize, ProtocolSize}, []int{c, v, r, p})
	c, v, r, p = unpackLens(packLens(1, 2, 3, 4))
	assert.Equal(t, []int{1, 2, 3, 4}, []int{c, v, r, p})
}
