// Package cexpr evaluates C expressions over a program's DWARF-described
// state and prints values the way gdb does.
//
// An expression is parsed once (Parse) and evaluated against an Env, which
// is the program as one frame sees it: its variables, types, linear memory
// and symbols. Values are read lazily from linear memory, so "p big.arr[3]"
// reads four bytes, not the whole struct. Format prints a value in gdb's
// shapes: "{kind = DEPOSIT, amount = 100, memo = "op1"}", "(int *) 0x10a90
// <accounts+8>", "'a' <repeats 20 times>", with the print elements limit
// (200) and the repeats threshold (10) of a default gdb.
//
// The model is wasm32 C: int and long are 4 bytes, pointers are 4-byte
// offsets into linear memory, and a function pointer is an index into the
// module's function table (Env.FuncPointer names its function).
//
// Nothing here is safe for concurrent use; an Env is used by one goroutine.
package cexpr
