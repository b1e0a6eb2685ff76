// Package gdbstub serves the GDB remote serial protocol in LLDB's
// WebAssembly dialect, so that a stock LLDB (22 or newer) can debug a wasm
// guest: `process connect --plugin wasm connect://HOST:PORT`.
//
// It knows nothing about wdbg's session: it debugs a Target, and the
// sessiontarget subpackage maps a session onto one. The package has three
// layers, each usable and testable alone:
//
//   - the wire (wire.go): framing `$payload#cs`, acks and no-ack mode, `}`
//     escapes, run-length encoding, and the out-of-band 0x03 interrupt;
//   - packet parsers (packet.go): pure functions from a payload to its
//     arguments, fuzzed;
//   - handlers grouped by feature (handshake.go, exec.go, memory.go,
//     wasm.go), dispatched by Conn.
//
// # Address space
//
// LLDB 22 folds every wasm address space into 64 bits (see Addr): the top
// two bits select linear memory (0) or a module's own bytes (1), the next 30
// an id, and the low 32 an offset. A pc is an Object address: the module id
// and the instruction's byte offset in the module file.
//
// # Concurrency
//
// A Server serves one connection at a time. Its handlers call the Target
// from one goroutine, except Target.Interrupt, which the connection's
// reader goroutine calls when the client sends 0x03 (or goes away) while the
// target runs. Resume and Step block until the target stops.
package gdbstub
