// Package dwarf reads the DWARF debug info (versions 4 and 5) of a
// WebAssembly module: line tables, scopes (compile units, functions,
// lexical blocks, inlined calls, variables and parameters), location
// descriptions and types. It evaluates location expressions against the
// state of a wasm frame.
//
// It builds on the standard library's debug/dwarf for .debug_info and
// .debug_abbrev (entries, attribute forms, DWARF 5 string and address
// indexes), and decodes the rest itself: line programs (to keep file names
// as written and drop tombstoned sequences), range lists and location lists
// (.debug_ranges, .debug_rnglists, .debug_loc, .debug_loclists, with
// DW_FORM_rnglistx, DW_FORM_loclistx and .debug_addr), types, and DWARF
// expressions.
//
// # The model
//
// Load takes the module's custom sections by name and returns a *Data.
// Load decodes the line tables and builds an index of functions, globals
// and type names in one pass over .debug_info; each compile unit's scopes,
// variables and types are decoded the first time something in it is asked
// for, and cached. Nothing here panics on corrupt input: Load returns an
// error together with whatever could be read, and problems found later are
// reported by Data.Errors, with the values concerned left out or marked
// unavailable.
//
// # WebAssembly specifics
//
// Code offsets. Addresses in wasm DWARF are offsets from the start of the
// code section's payload (the byte after the section size), called
// CodeOffset here. They are neither file offsets nor function-relative.
//
// low_pc. A function's DW_AT_low_pc is the offset of its local
// declarations, which precede its first instruction; the line row at
// low_pc describes "the first instruction". StmtOffsets therefore leaves
// rows at a function's low_pc out.
//
// Tombstones. wasm-ld keeps the DWARF of functions it drops and writes a
// tombstone address in place of theirs: 0xffffffff (0xfffffffe in
// .debug_ranges and .debug_loc, where -1 means "base address selection");
// older linkers wrote 0. Address 0 is never code (the code section payload
// starts with the function count), so line sequences, ranges and location
// list entries starting at any of these addresses are dropped.
//
// Address size. wasm32 DWARF has 4-byte addresses; the DWARF stack's
// generic type is taken to be 32 bits wide (see Eval).
//
// DW_OP_WASM_location (0xED). LLVM's extension that names a wasm local
// (sub-op 0, ULEB index), global (1, ULEB; 3, fixed 4-byte index) or
// operand stack slot (2, ULEB index from the bottom of the stack). It
// pushes that value: followed by DW_OP_stack_value the variable is the
// value ("in a local"); followed by other operations it is an input to
// them, typically the stack pointer a memory location is relative to.
// Frame bases are such expressions too: DW_AT_frame_base is
// "DW_OP_WASM_location 0x0 N, DW_OP_stack_value" (a local holding the
// stack pointer) or a global.
//
// # Concurrency
//
// A *Data is safe for concurrent use once Load returns. Lazy decoding is
// serialized by a mutex; values handed out are shared and must be treated
// as read-only.
package dwarf
