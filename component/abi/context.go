package abi

import (
	"encoding/binary"
	"fmt"
)

// StringEncoding is the string-encoding canonical option.
type StringEncoding uint8

// The string encodings. UTF8 is the default.
const (
	UTF8        StringEncoding = iota // string-encoding=utf8
	UTF16                             // string-encoding=utf16
	Latin1UTF16                       // string-encoding=latin1+utf16
)

func (e StringEncoding) String() string {
	switch e {
	case UTF8:
		return "utf8"
	case UTF16:
		return "utf16"
	case Latin1UTF16:
		return "latin1+utf16"
	}
	return fmt.Sprintf("encoding(%d)", uint8(e))
}

// Memory is a guest linear memory as the canonical ABI sees it.
//
// Implementations need not be safe for concurrent use: the ABI touches a
// memory only from the goroutine that runs the call it belongs to.
type Memory interface {
	// Size returns the current size in bytes. It may grow between calls
	// (realloc may run memory.grow).
	Size() uint64
	// Read returns the n bytes at ptr, or false if they are not all in
	// bounds. The slice may alias the memory: it is valid until the next
	// Write or guest call, and must not be modified.
	Read(ptr, n uint64) ([]byte, bool)
	// Write copies b to ptr, or returns false (writing nothing) if the
	// range is not all in bounds.
	Write(ptr uint64, b []byte) bool
}

// ByteMemory is a Memory backed by a byte slice, for tests and for values
// the host keeps outside any guest. It cannot grow.
type ByteMemory []byte

// Size implements Memory.
func (m ByteMemory) Size() uint64 { return uint64(len(m)) }

// Read implements Memory.
func (m ByteMemory) Read(ptr, n uint64) ([]byte, bool) {
	if !inBounds(ptr, n, uint64(len(m))) {
		return nil, false
	}
	return m[ptr : ptr+n : ptr+n], true
}

// Write implements Memory.
func (m ByteMemory) Write(ptr uint64, b []byte) bool {
	if !inBounds(ptr, uint64(len(b)), uint64(len(m))) {
		return false
	}
	copy(m[ptr:], b)
	return true
}

// inBounds reports whether [ptr, ptr+n) lies within a memory of the given
// size, without overflowing.
func inBounds(ptr, n, size uint64) bool { return n <= size && ptr <= size-n }

// Realloc is the realloc canonical option: the guest's
// cabi_realloc(old_ptr, old_size, align, new_size) -> ptr. An error (a
// trap in the guest) aborts the lowering and is returned wrapped.
type Realloc func(oldPtr, oldSize, align, newSize uint64) (uint64, error)

// Options are the canonical options of a lift or lower (the spec's
// CanonicalOptions) that the value conversions use. post-return is the
// caller's business.
type Options struct {
	StringEncoding StringEncoding
	Memory         Memory
	// Addr is the memory's address type (Addr64 for 🐘 memory64).
	Addr    AddrType
	Realloc Realloc
	// Async and Callback are the async and callback options; so far they
	// only change how function types flatten (FlattenFunc).
	Async    bool
	Callback bool
}

// DefaultMaxLiftBytes is the default Context.MaxLiftBytes.
const DefaultMaxLiftBytes = 1 << 30

// Context is the state of one lift or lower (the spec's LiftLowerContext):
// the canonical options, the component instance whose handle table
// own/borrow/error-context handles live in, and the borrow scope.
//
// A Context belongs to a single call and is used from one goroutine at a
// time; several calls may each have their own Context on the same Instance
// (and with the async ABI, several may be suspended at once), as long as
// only one of them runs at any moment.
type Context struct {
	Options
	// Instance is the component instance the memory belongs to: lifted own
	// handles are removed from its table, lowered ones added to it, and
	// realloc runs with its may_leave cleared. It may be nil for values
	// without handles.
	Instance *Instance
	// BorrowScope is, when lowering arguments into a callee (canon lift),
	// the callee task's count of borrows it has been given (the spec's
	// Task as borrow_scope).
	BorrowScope *BorrowScope
	// Lenders is, when lifting arguments from a caller (canon lower), the
	// record of handles lent for the duration of the call (the spec's
	// Subtask as borrow_scope).
	Lenders *Lenders
	// Inspect makes lifting read-only, for showing values in the debugger:
	// handles are not looked up, moved or lent, and lift to a Handle with
	// only Index set; stream, future and error-context handles lift the
	// same way. Lowering is unaffected.
	Inspect bool
	// MaxLiftBytes bounds the Go memory one Lift, Load or LiftValues may
	// allocate (roughly: list elements count 16 bytes per byte they take in
	// guest memory, strings and byte lists a byte per byte), so that lists
	// aliasing the same guest memory cannot blow up. 0 means
	// DefaultMaxLiftBytes. Going over it traps; this limit is the host's,
	// not the spec's.
	MaxLiftBytes uint64

	spent uint64
}

func (cx *Context) memory() (Memory, error) {
	if cx.Memory == nil {
		return nil, ErrNoMemory
	}
	return cx.Memory, nil
}

// charge records n bytes of Go memory about to be allocated for a lifted
// value.
func (cx *Context) charge(n uint64) error {
	limit := cx.MaxLiftBytes
	if limit == 0 {
		limit = DefaultMaxLiftBytes
	}
	cx.spent = satAdd(cx.spent, n)
	if cx.spent > limit {
		return trapf("lifted value too large: over the host's limit of %d bytes", limit)
	}
	return nil
}

// read returns the n bytes at ptr (see Memory.Read for how long they stay
// valid). Callers have checked the bounds as the spec does; a failure here
// means the memory shrank or lied about its size.
func (cx *Context) read(ptr, n uint64) ([]byte, error) {
	mem, err := cx.memory()
	if err != nil {
		return nil, err
	}
	b, ok := mem.Read(ptr, n)
	if !ok {
		return nil, trapf("out of bounds memory access: %d bytes at %#x", n, ptr)
	}
	return b, nil
}

func (cx *Context) write(ptr uint64, b []byte) error {
	mem, err := cx.memory()
	if err != nil {
		return err
	}
	if !mem.Write(ptr, b) {
		return trapf("out of bounds memory access: %d bytes at %#x", len(b), ptr)
	}
	return nil
}

// loadInt is load_int(cx, ptr, nbytes) (unsigned; callers sign-extend).
func (cx *Context) loadInt(ptr, n uint64) (uint64, error) {
	b, err := cx.read(ptr, n)
	if err != nil {
		return 0, err
	}
	switch n {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	}
	return binary.LittleEndian.Uint64(b), nil
}

// storeInt is store_int(cx, v, ptr, nbytes).
func (cx *Context) storeInt(v, ptr, n uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return cx.write(ptr, b[:n])
}

// memSize returns len(cx.opts.memory), read afresh each time because
// realloc may grow the memory.
func (cx *Context) memSize() (uint64, error) {
	mem, err := cx.memory()
	if err != nil {
		return 0, err
	}
	return mem.Size(), nil
}

// checkPtr traps as trap_if(ptr != align_to(ptr, align)) and
// trap_if(ptr + size > len(memory)) do, with the given wording for the
// out-of-bounds case.
func (cx *Context) checkPtr(ptr, align, size uint64, oob string) error {
	if ptr&(align-1) != 0 {
		return trapf("unaligned pointer: %#x is not %d-aligned", ptr, align)
	}
	return cx.checkBounds(ptr, size, oob)
}

func (cx *Context) checkBounds(ptr, size uint64, oob string) error {
	msize, err := cx.memSize()
	if err != nil {
		return err
	}
	if !inBounds(ptr, size, msize) {
		return trapf("%s: %d bytes at %#x, memory is %d bytes", oob, size, ptr, msize)
	}
	return nil
}

// reallocate is LiftLowerContext.reallocate: it calls the guest's realloc
// with the instance's may_leave cleared, so that the guest cannot call out
// of the instance from inside it.
func (cx *Context) reallocate(old, oldSize, align, newSize uint64) (uint64, error) {
	if cx.Realloc == nil {
		return 0, ErrNoRealloc
	}
	if _, err := cx.memory(); err != nil {
		return 0, err
	}
	if cx.Instance != nil {
		if !cx.Instance.MayLeave() {
			return 0, fmt.Errorf("realloc called while the instance may not leave")
		}
		cx.Instance.SetMayLeave(false)
		defer cx.Instance.SetMayLeave(true)
	}
	ptr, err := cx.Realloc(old, oldSize, align, newSize)
	if err != nil {
		return 0, fmt.Errorf("realloc(%d, %d, %d, %d): %w", old, oldSize, align, newSize, err)
	}
	if cx.Addr == Addr32 {
		ptr &= 0xffffffff
	}
	return ptr, nil
}

// allocate is LiftLowerContext.allocate.
func (cx *Context) allocate(align, size uint64) (uint64, error) {
	return cx.reallocate(0, 0, align, size)
}

// checkRealloc checks a pointer realloc returned for n bytes, as the spec
// does after each call (trap_if on alignment, then on bounds). align 1
// skips the alignment check, for the calls after which the spec has none.
func (cx *Context) checkRealloc(ptr, align, n uint64) error {
	if ptr&(align-1) != 0 {
		return trapf("realloc return: result not aligned: %#x is not %d-aligned", ptr, align)
	}
	msize, err := cx.memSize()
	if err != nil {
		return err
	}
	if !inBounds(ptr, n, msize) {
		return trapf("realloc return: beyond end of memory: %d bytes at %#x, memory is %d bytes", n, ptr, msize)
	}
	return nil
}
