// Package engine runs WebAssembly core modules on wazero under the
// debugger: it implements session.Launcher and session.Target.
//
// For a debug run each core module is rewritten by package instrument (a
// guarded probe before every stop site), compiled once per Launcher, and
// instantiated once per run. For `wdbg run`, [RunPlain] runs the original
// module untouched.
//
// # How a stop works
//
// The probe host functions (probe<N>, trap<N>) carry a wazero
// FunctionListener; no guest function does, so guest code pays nothing for
// it. When an armed probe is reached, the listener's Before runs on the
// guest's goroutine with the probe's arguments (site, locals, operand
// values) and wazero's StackIterator. If the site is an enabled breakpoint,
// the request's stop condition holds, a halt was asked for, or the site is
// a trap about to happen, Before builds the stop (frames from the
// iterator, mapped back to original offsets; frame 0's locals and stack from
// the arguments; callers' locals from the shadow stack that enter/leave
// maintain), hands it to the session goroutine, and blocks until resumed.
// The guest's state is therefore live and unchanged while the session
// inspects it.
//
// # Concurrency
//
// Two goroutines per run: the session's (Resume, Kill, the stopped-state
// reads) and the guest's (wazero execution, probes). They hand control back
// and forth over unbuffered channels, so at any moment exactly one of them
// touches the run's state; the hand-over gives the happens-before edge that
// makes reading guest memory and globals from the session goroutine safe.
// Halt may run on any goroutine: it sets an atomic flag and the $arm global
// under t.mu, the lock every write of the arm globals takes.
//
// The guest's native code cannot be preempted by Go, so a garbage
// collection started while it runs would stall every goroutine until its
// next host call (engine-design.md §5.4). The GC is therefore off while any
// guest runs and back on at every stop ([gcGate]).
package engine
