// Package cli is wdbg's command language: one table of commands, modelled
// on gdb's names and output shapes, run by line mode (on go-delve/liner),
// batch mode (-ex/-x) and the TUI's `:` command bar alike.
//
// The table ([Commands]) is data: each command has its names, group, usage
// and help text, and a function that drives the session and prints to an
// io.Writer. `help` and docs/commands.md are generated from it, and a test
// fails when the committed doc is stale, so the help cannot drift from the
// commands.
//
// Output follows gdb where gdb has a form people know: stop lines
// ("Breakpoint 1, apply (...) at ledger.c:24"), backtraces ("#1  0x... in
// settle (...)"), x/FMT dumps, "info breakpoints" tables and the "[Inferior
// 1 (process 1) exited with code 03]" line. Where gdb has nothing (wasm
// locals, the operand stack, imports), the shapes are wdbg's own and
// documented in the command's help.
//
// An [Interp] is driven by one goroutine; while a command runs the guest,
// another goroutine may call Interrupt (Ctrl-C), which halts it.
package cli
