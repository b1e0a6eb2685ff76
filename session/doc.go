// Package session is wdbg's debugger core: the one place that knows what a
// debugging session is, under every front end (the line-mode and batch CLI,
// the TUI, the gdb remote stub, recordings).
//
// # Model
//
// A [Session] debugs one [Program]: a core module, or a component with
// several core modules. Each run of the program happens on a [Target], the
// backend interface (delve's proc.ProcessInternal plays the same role). The
// live engine on wazero is one Target; a replayed recording is another. The
// session owns what outlives a run: logical breakpoints (re-resolved onto
// each new target), the stepping state machines built on the target's few
// primitives, and the current [Stop].
//
// A Stop is an immutable snapshot of a paused program: the reason, the
// frames, the wasm locals and operand stack the backend captured. Derived
// views (source lines, variables) are computed lazily and cached on the
// Stop. Resuming invalidates it: its memory reads then fail with
// [ErrNotStopped], so a front end never shows live state as if it were the
// snapshot's.
//
// # Concurrency
//
// A Session is driven by one goroutine at a time: its methods are not safe
// for concurrent use, with two exceptions. [Session.Halt] may be called from
// any goroutine at any time (it is how Ctrl-C and the gdb 0x03 interrupt
// reach a running guest), and [Session.Subscribe] may be called at any time.
// Execution methods ([Session.Continue], [Session.StepInstruction], ...) block
// until the program stops again; while one runs, the only useful call is
// Halt. Events are delivered on per-subscriber channels (see [Event]); the
// guest never waits for a subscriber except to hand over output, so a
// subscriber must drain its channel.
//
// Front ends import this package only: never engine, dwarf, wazero or the
// wasm codec (deps_test.go in the module root enforces it). Values crossing
// this boundary are session types, formatted or easy to format.
package session
