package session

import "wdbg/dwarf"

// Stop is an immutable snapshot of a paused (or ended) program. It is
// replaced at every stop; views that read live state (memory, globals) fail
// with ErrNotStopped once the program has been resumed.
type Stop struct {
	Seq         int // increases with every stop of the session
	Reason      StopReason
	Breakpoints []int  // the breakpoints hit, for StopBreakpoint
	Temporary   bool   // a hit breakpoint was temporary (and is now deleted)
	Trap        string // trap message, for StopTrap and for a trap that ended the program
	Fatal       bool   // the trap already unwound the guest
	StartError  string // for StopExited: why the program could not start
	ExitCode    int    // for StopExited without a trap
	Frames      []Frame
	// Note is something the front end should tell the user before the
	// stop itself (gdb's "Single stepping until exit from function...").
	Note string
	// SameFrame: a step ended in the frame and function it started in
	// (gdb then prints only the source line).
	SameFrame bool
	// Watch describes the watchpoint that stopped the program, for
	// StopWatch.
	Watch *WatchStop

	valid bool
	raw   *TargetStop
}

// Valid reports whether the program is still paused at this stop.
func (st *Stop) Valid() bool { return st.valid }

// Exited reports whether this stop is the end of the program.
func (st *Stop) Exited() bool { return st.Reason == StopExited }

// Frame is one frame of a stop.
type Frame struct {
	Index int
	Loc   Location
	Func  Function
	// Return is a caller frame's return address (the instruction after its
	// call); for frame 0 it equals Loc.Offset.
	Return FileOffset
	// Host names a host function frame ("wasi_snapshot_preview1.fd_read").
	Host string
	// Inlined marks a virtual frame for an inlined call (DWARF).
	Inlined bool
	// AtLineStart: the frame's pc is the first instruction of a source
	// line (gdb then omits the address when printing frame 0).
	AtLineStart bool
	// LocalsCaptured reports whether the backend captured this frame's wasm
	// locals.
	LocalsCaptured bool
	raw            *RawFrame
	inline         int         // position in the pc's inline chain; len(chain) for the concrete function
	dfunc          *dwarf.Func // the DWARF function (abstract origin for inlined frames), nil without DWARF
}

// Instance returns the core instance the frame runs in.
func (f *Frame) Instance() InstanceID {
	if f.raw == nil {
		return 0
	}
	return f.raw.Instance
}

func (s *Session) newStop(ts *TargetStop, reason StopReason, hits []int) *Stop {
	s.stopSeq++
	st := &Stop{
		Seq: s.stopSeq, Reason: reason, Breakpoints: hits, Trap: ts.Trap,
		Fatal: ts.Fatal, ExitCode: ts.ExitCode, StartError: ts.StartError, valid: reason != StopExited, raw: ts,
	}
	st.Frames = s.frames(ts)
	return st
}
