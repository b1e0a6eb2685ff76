package cexpr

import (
	"encoding/binary"
	"fmt"
	"math"

	"wdbg/dwarf"
)

// LocKind says where a value lives.
type LocKind int

const (
	NotLvalue LocKind = iota // a computed value: it cannot be assigned or addressed
	InMemory                 // in linear memory at Loc.Addr
	InWasm                   // the value of a wasm local or global (Loc.Wasm)
	Composite                // assembled from DWARF pieces: readable only
)

// Loc is where a value lives.
type Loc struct {
	Kind LocKind
	Addr uint64        // InMemory
	Wasm dwarf.WasmLoc // InWasm
}

// Value is a typed value. It is immutable: operations return new values.
//
// A value in memory is read lazily, at most once per Value, the first time
// its bytes are needed; its parts (members, elements) are values in memory
// of their own and read only their bytes.
type Value struct {
	Type dwarf.Type
	Loc  Loc

	bytes   []byte
	missing []bool // per byte: not available (optimized out); nil if all are
	lazy    bool   // in memory and not read yet
	// bitSize > 0: a bitfield, bits [bitOff, bitOff+bitSize) of bytes,
	// counted from the least significant bit of bytes[0].
	bitOff, bitSize int
	// code: the value is a code address (a module file offset), as $pc is,
	// not a function table index.
	code bool
	// fn: a function designator's name ("" if unknown); its bytes hold
	// its code address (code set), or the function table index of the
	// function pointer it was reached through (code not set).
	fn string
	// why says why a value that is all missing is missing, when it is not
	// "optimized out".
	why string
}

// maxFetch is the largest object read at once; larger arrays are read
// element by element, as far as printing needs (gdb's max-value-size is
// 64 KiB).
const maxFetch = 64 << 10

// Memory returns an lvalue of type t at addr in linear memory.
func Memory(t dwarf.Type, addr uint64) Value {
	return Value{Type: t, Loc: Loc{Kind: InMemory, Addr: addr}, lazy: true}
}

// Bytes returns a value of type t with the given object representation.
func Bytes(t dwarf.Type, b []byte) Value {
	return Value{Type: t, bytes: b}
}

// OptimizedOut returns a value of type t that is not available.
func OptimizedOut(t dwarf.Type) Value {
	n := size(t)
	m := make([]bool, n)
	for i := range m {
		m[i] = true
	}
	return Value{Type: t, bytes: make([]byte, n), missing: m}
}

// Int returns a value of integer type t holding v (truncated to t's size).
func Int(t dwarf.Type, v int64) Value {
	return Value{Type: t, bytes: intBytes(uint64(v), size(t))}
}

// Float returns a value of floating-point type t holding f.
func Float(t dwarf.Type, f float64) Value {
	var b []byte
	switch size(t) {
	case 4:
		b = binary.LittleEndian.AppendUint32(nil, math.Float32bits(float32(f)))
	case 16:
		b = quadBytes(f)
	default:
		b = binary.LittleEndian.AppendUint64(nil, math.Float64bits(f))
	}
	return Value{Type: t, bytes: b}
}

// Code returns a code address value of type t (a pointer to a function):
// it prints with the name of the function containing it.
func Code(t dwarf.Type, addr uint64) Value {
	return Value{Type: t, bytes: intBytes(addr, size(t)), code: true}
}

// Function returns a function designator: the function name at code
// address addr, of function type t. gdb prints it as "{int (int)} 0x1a3
// <sq>".
func Function(t dwarf.Type, name string, addr uint64) Value {
	return Value{Type: t, bytes: intBytes(addr, 4), fn: name, code: true}
}

// Place returns v with its location set (for values built from DWARF
// pieces).
func (v Value) Place(l Loc) Value { v.Loc = l; return v }

// WithMissing marks bytes of v as unavailable: missing[i] for byte i.
func (v Value) WithMissing(missing []bool) Value {
	for _, m := range missing {
		if m {
			v.missing = missing
			break
		}
	}
	return v
}

func intBytes(v uint64, n int) []byte {
	if n <= 0 || n > 8 {
		if n == 16 {
			return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, v), 0)
		}
		n = 8
	}
	b := binary.LittleEndian.AppendUint64(nil, v)
	return b[:n]
}

func size(t dwarf.Type) int {
	if t == nil {
		return 0
	}
	n := t.Size()
	if n < 0 || n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

// fetch returns v with its bytes read from memory, if they fit maxFetch.
func fetch(env Env, v Value) (Value, error) {
	if !v.lazy {
		return v, nil
	}
	n := v.byteLen()
	if n > maxFetch {
		return v, fmt.Errorf("value requires %d bytes, which is more than max-value-size", n)
	}
	b := make([]byte, n)
	if err := env.ReadMemory(v.Loc.Addr, b); err != nil {
		return v, memErr(v.Loc.Addr, err)
	}
	v.bytes, v.lazy = b, false
	return v, nil
}

// byteLen is how many bytes hold v: its type's size, or the bytes of a
// bitfield.
func (v Value) byteLen() int {
	if v.bitSize > 0 {
		return (v.bitOff + v.bitSize + 7) / 8
	}
	if v.Type != nil && v.Type.Size() > math.MaxInt32 {
		// size says 0 for this, but it is too large to read at once,
		// not empty ("p *p@1000000000" prints element by element).
		return math.MaxInt32
	}
	return size(v.Type)
}

// Available reports whether all of v's bytes are available.
func (v Value) available() bool {
	for _, m := range v.missing {
		if m {
			return false
		}
	}
	return true
}

// anyAvailable reports whether some of v's bytes are available.
func (v Value) anyAvailable() bool {
	if v.missing == nil {
		return true
	}
	for _, m := range v.missing {
		if !m {
			return true
		}
	}
	return false
}

// ErrMemory is a failed read or write of linear memory.
type ErrMemory struct {
	Addr uint64
	Err  error
}

func (e *ErrMemory) Error() string {
	return fmt.Sprintf("Cannot access memory at address 0x%x", e.Addr)
}
func (e *ErrMemory) Unwrap() error { return e.Err }

func memErr(addr uint64, err error) error {
	if _, ok := err.(*ErrMemory); ok {
		return err
	}
	return &ErrMemory{Addr: addr, Err: err}
}

// part returns the part of v at byte offset off with type t: a member, an
// element. A part of a value in memory is in memory too, and read on its
// own.
func part(v Value, off int64, t dwarf.Type) Value {
	p := Value{Type: t}
	switch v.Loc.Kind {
	case InMemory:
		p.Loc = Loc{Kind: InMemory, Addr: v.Loc.Addr + uint64(off)}
	case InWasm, Composite:
		p.Loc = Loc{Kind: Composite}
		if off == 0 && size(t) == size(v.Type) && v.Loc.Kind == InWasm {
			p.Loc = v.Loc
		}
	}
	if v.lazy {
		p.lazy = true
		return p
	}
	n := size(t)
	p.bytes = make([]byte, n)
	var miss []bool
	for i := 0; i < n; i++ {
		j := off + int64(i)
		if j >= 0 && j < int64(len(v.bytes)) {
			p.bytes[i] = v.bytes[j]
			if v.missing != nil && v.missing[j] {
				miss = setMissing(miss, n, i)
			}
		} else {
			miss = setMissing(miss, n, i)
		}
	}
	p.missing = miss
	return p
}

func setMissing(m []bool, n, i int) []bool {
	if m == nil {
		m = make([]bool, n)
	}
	m[i] = true
	return m
}

// raw returns the low 64 bits of a scalar's bytes, zero-extended.
func (v Value) raw() uint64 {
	var b [8]byte
	copy(b[:], v.bytes)
	u := binary.LittleEndian.Uint64(b[:])
	if v.bitSize > 0 {
		u >>= uint(v.bitOff)
		if v.bitSize < 64 {
			u &= 1<<uint(v.bitSize) - 1
		}
	}
	return u
}

// Equal reports whether two values have the same bytes (for repeats).
func sameBytes(a, b Value) bool {
	if len(a.bytes) != len(b.bytes) || a.lazy || b.lazy {
		return false
	}
	for i := range a.bytes {
		if a.bytes[i] != b.bytes[i] {
			return false
		}
	}
	if (a.missing == nil) != (b.missing == nil) {
		return false
	}
	for i := range a.missing {
		if a.missing[i] != b.missing[i] {
			return false
		}
	}
	return true
}

// Unavailable returns a value of type t that cannot be read, printed as
// "<why>" ("not saved", "not captured").
func Unavailable(t dwarf.Type, why string) Value {
	v := OptimizedOut(t)
	v.why = why
	return v
}

// IsVoid reports whether v has type void (print then records nothing).
func IsVoid(v Value) bool { return classOf(v.Type) == clVoid }

// Snapshot returns v with its bytes read, so that it keeps its value after
// the program moves on (the value history, convenience variables).
func Snapshot(env Env, v Value) Value {
	if f, err := fetch(env, v); err == nil {
		return f
	}
	return v
}

// Fetch reads the bytes of a value in memory, as gdb does before it prints
// one: an unreadable object is an error ("Cannot access memory at address
// 0x..."), not a value. Values too large to read at once (more than
// max-value-size) are returned unread, to be printed element by element.
func Fetch(env Env, v Value) (Value, error) {
	if !v.lazy || v.byteLen() > maxFetch {
		return v, nil
	}
	return fetch(env, v)
}

// Address returns the address a value designates: a pointer's or an
// integer's value, or the address of an array, function or other object
// in memory (as gdb's x takes it).
func Address(env Env, v Value) (uint64, error) {
	if classOf(v.Type) == clFunc {
		return v.raw() & 0xffffffff, nil
	}
	ev := &evaluator{env: env}
	switch classOf(v.Type) {
	case clArray, clInt, clPtr:
		return ev.address(v)
	case clStruct:
		return ev.addressOf(v)
	}
	return 0, fmt.Errorf("cannot use a value of type %s as an address", v.Type.Name())
}

// IsBitfield reports whether v is a bitfield.
func IsBitfield(v Value) bool { return v.bitSize > 0 }

// RawBytes returns v's bytes if they have been read (not for a value in
// memory that was never read).
func RawBytes(v Value) ([]byte, bool) { return v.bytes, !v.lazy }

// Truth is C's truth value of a scalar (for breakpoint conditions).
func Truth(env Env, v Value) (bool, error) {
	ev := &evaluator{env: env}
	return ev.truth(v)
}
