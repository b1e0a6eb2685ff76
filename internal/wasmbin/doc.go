// Package wasmbin decodes and encodes WebAssembly core modules
// (https://webassembly.github.io/spec/core/binary/). It is the binary
// layer under wdbg's instrumenter, disassembler and inspect command, and
// uses only the standard library.
//
// # Model
//
// Decode turns a module into a Module: one Go field per section, in the
// spec's terms (types, imports, functions, tables, memories, tags,
// globals, exports, start, elements, data count, code, data), plus every
// custom section with its placement, the decoded "name" section, and the
// layout of the file (Sections). Encode writes a Module back in canonical
// form; Decode(m.Encode()) equals m except for the layout fields.
//
// Function bodies are not decoded by Decode. Code.Body keeps their bytes
// and DecodeBody (or Module.DecodeFunc) turns them into []Instr on demand;
// AppendInstr and EncodeCode go back. Encode writes Code.Body verbatim, so
// an instrumenter rewrites a function by replacing its Locals and Body.
// Decoding is lazy because most users (inspect, DWARF lookup) never look at
// most bodies, and because a module whose bodies use an opcode this package
// does not know can still be inspected.
//
// One table (opTable in opcodes.go) lists every opcode with its text name,
// its immediates and its stack signature. Decoding, encoding, formatting
// (Instr.Format) and typing (Typer) are all driven by it.
//
// # Offsets
//
// Two address spaces appear, with distinct types so they never mix:
//
//	FileOffset  a byte offset in the module file; what LLDB's "object"
//	            addresses and every error message use.
//	CodeOffset  an offset from the start of the code section's payload
//	            (the byte after the section size); what DWARF and wazero's
//	            SourceOffsetForPC use.
//
//	  file:  \0asm 01000000 | ... | 0a <size> <count> <bodysize> <locals> <instrs...> ...
//	                                         ^CodeStart          ^Code.Start ^Code.BodyStart
//	                                         CodeOffset 0
//
// Module.FileOffset and Module.CodeOffsetOf are the only conversions.
// Instr.Off is a CodeOffset when the body was decoded with the start
// offset Code.BodyStart (DecodeFunc does that).
//
// # Typing
//
// Typer applies the spec's validation algorithm one instruction at a time
// and exposes the operand stack between instructions, which the
// instrumenter needs to know what it may spill or must preserve. It checks
// stack types, labels, index ranges and alignment; it is not a full
// validator (see its doc).
//
// # What is decoded
//
// The core spec plus these proposals: sign extension, non-trapping
// float-to-int, bulk memory, reference types (multiple tables, typed
// select), multi-value, fixed-width and relaxed SIMD, tail calls,
// exception handling (both the legacy try/catch/delegate/rethrow and the
// new try_table/throw_ref with exnref; tag section), threads (atomics and
// shared memories), extended constant expressions, multi-memory and
// memory64 (including 64-bit tables).
//
// Not decoded: the GC proposal's types (rec, sub, struct, array) and the
// typed references of function-references (ref/ref null, concrete heap
// types, call_ref, br_on_null, tables with initialisers). Decode reports
// them with an error wrapping ErrUnsupported rather than as garbage.
// Component-model binaries are refused with ErrComponent.
//
// # Errors and robustness
//
// Decode never panics and never allocates in proportion to a length
// field without checking it against the bytes left. Errors say what and
// where: DecodeError names the section and file offset ("import section at
// offset 0x31: unexpected end of data"), CodeError the function and
// instruction ("code section: function 12 at offset 0x1a2f: unknown opcode
// 0xfd 0x1ff"). Sentinels (ErrNotWasm, ErrComponent, ErrTruncated,
// ErrUnknownOpcode, ErrUnsupported) are wrapped so errors.Is works. A
// malformed name section is not an error: it stays a raw custom section
// and a warning is added to Module.Warnings.
//
// Slices in a decoded Module (code bodies, data, custom payloads) alias the
// input of Decode, which must not be modified while the Module is in use.
package wasmbin

// The test modules are generated: testdata/allops.wat from the opcode
// table, then every testdata/*.wat assembled with wabt's wat2wasm. The
// .wasm files are committed, so only these steps need wabt.
//go:generate go test -run TestAllOpsWAT -update
//go:generate sh testdata/build.sh
