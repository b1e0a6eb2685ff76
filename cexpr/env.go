package cexpr

import "wdbg/dwarf"

// Env is the program as an expression sees it: the scope of one frame,
// linear memory, symbols and the debugger's own variables.
type Env interface {
	// Lookup resolves an identifier in the current scope: a variable
	// (locals innermost first, then arguments, then globals), an
	// enumeration constant, or a function. ok is false if nothing has
	// that name; err is set when something does but its value cannot be
	// read.
	Lookup(name string) (v Value, ok bool, err error)
	// Type resolves a type name: "int", "struct pt", "enum color", a
	// typedef name.
	Type(name string) (dwarf.Type, bool)
	// ReadMemory fills p from linear memory at addr; a short read is an
	// error.
	ReadMemory(addr uint64, p []byte) error
	// WriteMemory writes p to linear memory at addr.
	WriteMemory(addr uint64, p []byte) error
	// WriteWasm sets a wasm local or global to bits.
	WriteWasm(loc dwarf.WasmLoc, bits uint64) error
	// DataSymbol names the data object that contains addr: "accounts",
	// "accounts+16"; "" if none does.
	DataSymbol(addr uint64) string
	// CodeSymbol names the function containing a code address (a module
	// file offset): "main+20"; "" if none does.
	CodeSymbol(addr uint64) string
	// FuncPointer names the function a function pointer value (an index
	// into the function table) refers to; "" if none.
	FuncPointer(v uint64) string
	// Dollar resolves $NAME: registers ($pc, $sp), wasm state ($local3,
	// $global0, $stack1) and convenience variables. ok is false for a
	// name that was never set (gdb then gives "void").
	Dollar(name string) (v Value, ok bool, err error)
	// SetDollar sets the convenience variable $NAME.
	SetDollar(name string, v Value) error
	// History returns value $n (n >= 1) of the value history; n <= 0
	// counts back from the last value: $ is 0, $$ is -1, $$3 is -3.
	History(n int) (Value, error)
}
