// Package tui is wdbg's full-screen terminal UI, on Bubble Tea v2 and Lip
// Gloss v2.
//
// # Shape
//
// Only [Model] implements tea.Model. The screen is a set of panes (source,
// disassembly, stack, locals, watches, memory, breakpoints, guest output,
// console) held in a registry; a layout places the visible ones for the
// terminal's size, and panes that share a slot are shown as tabs. A pane is
// a concrete type behind the small [pane] interface; it renders from the
// model's snapshot of the last stop and keeps only its own view state
// (cursor, scroll, expanded nodes). Components bring more panes (instances,
// tasks, streams) by registering them: nothing in the layout is fixed to
// today's set.
//
// # Data flow and concurrency
//
// Every command, from a key or the `:` bar, runs through the CLI's command
// table ([cli.Interp]) inside a tea.Cmd, so the TUI does exactly what line
// mode does and prints the same text to its console pane. While such a
// command runs the guest, the model marks itself running and calls no
// session method but Halt (Ctrl-C); when the command returns, the model
// takes a new snapshot (frames, source, locals, memory...) on the UI
// goroutine. Session events (guest output above all) arrive through a
// re-armed tea.Cmd that waits on the subscription channel, so output
// streams in while the guest runs and the UI never blocks.
//
// View reads only the model: the snapshot and the panes' view state.
package tui
