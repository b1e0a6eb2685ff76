package gdbstub

import "fmt"

// Addr is an address in LLDB's WebAssembly address space:
//
//	bits 63-62: Space; bits 61-32: id (module or memory); bits 31-0: offset.
type Addr uint64

// Space is the kind of wasm address space an Addr points into.
type Space uint8

const (
	// SpaceMemory is a linear memory; the id selects the memory (0 is the
	// memory of the instance being debugged).
	SpaceMemory Space = 0
	// SpaceObject is a module's file bytes; the id is the module's.
	SpaceObject Space = 1
)

// MemoryAddr returns the Addr of offset off in linear memory id.
func MemoryAddr(id uint32, off uint32) Addr {
	return Addr(uint64(id&(1<<30-1))<<32 | uint64(off))
}

// ObjectAddr returns the Addr of byte off of module id's file.
func ObjectAddr(id uint32, off uint32) Addr {
	return Addr(uint64(SpaceObject)<<62 | uint64(id&(1<<30-1))<<32 | uint64(off))
}

// Space returns the address space a points into.
func (a Addr) Space() Space { return Space(a >> 62) }

// ID returns the module or memory id of a.
func (a Addr) ID() uint32 { return uint32(a>>32) & (1<<30 - 1) }

// Offset returns the offset of a within its space.
func (a Addr) Offset() uint32 { return uint32(a) }

// String formats a the way LLDB prints it.
func (a Addr) String() string { return fmt.Sprintf("0x%016x", uint64(a)) }
