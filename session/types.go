package session

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"

	"wdbg/dwarf"
	"wdbg/internal/wasmbin"
)

// The address spaces of a core module. They are distinct types so that a
// file offset is never used where a code offset is meant; the one conversion
// between them is wasmbin.Module.FileOffset / CodeOffsetOf.
type (
	// FileOffset is a byte offset in a core module's original image. It is
	// what wdbg shows as a "pc" (as LLDB, Chrome and wasmtime do) and what
	// `break *ADDR` takes.
	FileOffset = wasmbin.FileOffset
	// CodeOffset is an offset from the start of the code section payload, the
	// address space of DWARF.
	CodeOffset = wasmbin.CodeOffset
)

// ModuleID identifies a core module of the program: an index into
// Program.Modules.
type ModuleID int

// InstanceID identifies one instantiation of a core module in a run. A core
// module program has exactly one instance (0); a component may instantiate a
// module several times.
type InstanceID int

// ValType is a WebAssembly value type.
type ValType = wasmbin.ValType

// Value is a WebAssembly value as captured at a stop.
//
// Bits holds i32/i64/f32/f64 bit patterns (i32 and f32 in the low 32 bits)
// and, for v128, the low 8 bytes; Hi holds the high 8 bytes of a v128. A
// reference is captured only as null or non-null (Bits 0 or 1).
type Value struct {
	Type ValType
	Bits uint64
	Hi   uint64
	// Missing: the backend did not capture this value (a local that no
	// debug info refers to, when probes pass only those).
	Missing bool
}

// Bytes returns the value's little-endian bytes in its natural size (4 for
// i32/f32, 8 for i64/f64, 16 for v128), the encoding LLDB's qWasmLocal uses.
func (v Value) Bytes() []byte {
	switch v.Type {
	case wasmbin.I32, wasmbin.F32:
		return binary.LittleEndian.AppendUint32(nil, uint32(v.Bits))
	case wasmbin.V128:
		b := binary.LittleEndian.AppendUint64(nil, v.Bits)
		return binary.LittleEndian.AppendUint64(b, v.Hi)
	default:
		return binary.LittleEndian.AppendUint64(nil, v.Bits)
	}
}

// String formats the value the way wdbg prints wasm values: integers in
// signed decimal, floats in Go's shortest form, v128 as four i32 lanes.
func (v Value) String() string {
	if v.Missing {
		return "<not captured>"
	}
	switch v.Type {
	case wasmbin.I32:
		return strconv.FormatInt(int64(int32(v.Bits)), 10)
	case wasmbin.I64:
		return strconv.FormatInt(int64(v.Bits), 10)
	case wasmbin.F32:
		return formatFloat(float64(math.Float32frombits(uint32(v.Bits))), 32)
	case wasmbin.F64:
		return formatFloat(math.Float64frombits(v.Bits), 64)
	case wasmbin.V128:
		return fmt.Sprintf("{0x%08x, 0x%08x, 0x%08x, 0x%08x}",
			uint32(v.Bits), uint32(v.Bits>>32), uint32(v.Hi), uint32(v.Hi>>32))
	case wasmbin.FuncRef, wasmbin.ExternRef, wasmbin.ExnRef:
		if v.Bits == 0 {
			return "null"
		}
		return "<ref>"
	}
	return fmt.Sprintf("0x%x", v.Bits)
}

// Hex formats the value in hexadecimal at its natural width.
func (v Value) Hex() string {
	switch v.Type {
	case wasmbin.I32, wasmbin.F32:
		return fmt.Sprintf("0x%x", uint32(v.Bits))
	case wasmbin.V128:
		return fmt.Sprintf("0x%016x%016x", v.Hi, v.Bits)
	}
	return fmt.Sprintf("0x%x", v.Bits)
}

func formatFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

// StopReason says why the program stopped.
type StopReason int

const (
	// StopEntry: the program was started with `starti` (or for a gdb client)
	// and stopped before its first instruction ran.
	StopEntry StopReason = iota
	// StopBreakpoint: an enabled breakpoint was hit (Stop.Breakpoints).
	StopBreakpoint
	// StopStep: a step, next, finish or until completed.
	StopStep
	// StopHalt: Halt was called (Ctrl-C, the gdb interrupt).
	StopHalt
	// StopTrap: the guest trapped (Stop.Trap). If Stop.Fatal, the trap has
	// already unwound the guest; resuming ends the program.
	StopTrap
	// StopWatch: a watchpoint's value changed.
	StopWatch
	// StopExited: the program ended (Stop.ExitCode, or Stop.Trap if a trap
	// ended it). Nothing can be inspected but memory and globals.
	StopExited
)

var stopReasonNames = [...]string{"entry", "breakpoint", "step", "halt", "trap", "watchpoint", "exited"}

func (r StopReason) String() string {
	if int(r) < len(stopReasonNames) {
		return stopReasonNames[r]
	}
	return "StopReason(" + strconv.Itoa(int(r)) + ")"
}

// Location is a place in the program's code.
type Location struct {
	Module ModuleID
	Func   uint32     // function index in the module's function index space
	Offset FileOffset // of the instruction, in the module file
	Code   CodeOffset // the same, from the start of the code section (DWARF's space)
	// Source position, when the module has DWARF line info for Offset.
	File string // as written in the line table
	Path string // resolved path, after substitute-path
	Line int
	Col  int

	file *dwarf.File
}

// HasSource reports whether the location maps to a source line.
func (l Location) HasSource() bool { return l.Line > 0 }
