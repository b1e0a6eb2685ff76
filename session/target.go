package session

import (
	"errors"
	"io"
)

// Launcher starts runs of a program on one backend. The live engine and the
// replay of a recording both provide one; the session calls Launch for every
// `run`.
//
// Sites are static: they depend on the program and the backend's
// configuration, not on a run, so breakpoints resolve before the first run.
type Launcher interface {
	// Sites returns the stop sites of a module, sorted by offset.
	Sites(m ModuleID) []Site
	Launch(cfg LaunchConfig) (Target, error)
}

// LaunchConfig is what the guest is given. The guest sees nothing that is not
// granted here: no host file, environment variable or socket by default.
type LaunchConfig struct {
	Args   []string // argv, including argv[0]
	Env    []string // "NAME=value" entries
	Dirs   []DirGrant
	Stdin  io.Reader // nil: empty
	Stdout io.Writer // nil: discarded
	Stderr io.Writer // nil: discarded
	// Trace, if not nil, receives each call across a component boundary,
	// formatted, from the goroutine making it, while Tracing (nil: always)
	// reports that it is wanted.
	Trace   func(line string)
	Tracing func() bool
}

// DirGrant preopens a host directory for the guest.
type DirGrant struct {
	Host     string
	Guest    string
	ReadOnly bool
}

// SiteKind classifies a stop site. A site can be several kinds at once.
type SiteKind uint16

const (
	SiteEntry     SiteKind = 1 << iota // first instruction of a function
	SiteStatement                      // a DWARF is_stmt row
	SiteBranch                         // if, else, br, br_if, br_table, return, throw...
	SiteCall                           // call, call_indirect, return_call...
	SiteAfterCall                      // the instruction after a call: a return address
	SiteLoop                           // first instruction of a loop body
	SiteTrap                           // an instruction that will trap when reached (unreachable)
	SiteInstr                          // every-instruction mode
)

// Site is a place where a Target can stop: the probe before one
// instruction. Between two sites of a function there is no branch or call.
type Site struct {
	Offset CodeOffset
	Func   uint32 // function index in the module's function index space
	Kind   SiteKind
}

// Arm selects which sites call into the backend while running; sites that
// are not armed cost only their guard. Enabled breakpoints are always armed.
type Arm int

const (
	ArmBreakpoints Arm = iota // only enabled breakpoints
	ArmAll                    // every site (step into, halt)
	ArmStack                  // sites of the functions on the stack at the last stop (step over)
	ArmCallers                // sites of the callers on the stack at the last stop (step out)
)

// ResumeRequest tells a Target how to run until its next stop.
type ResumeRequest struct {
	Arm Arm
	// StopAt decides, at an armed site that is not an enabled breakpoint,
	// whether to stop there. Nil with Arm != ArmBreakpoints stops at the
	// first armed site reached. It runs on the guest's goroutine while the
	// guest waits, and must not call back into the Target.
	StopAt func(p *Probe) bool
}

// Probe describes the armed site a running guest has reached.
type Probe struct {
	Module   ModuleID
	Instance InstanceID
	Func     uint32
	Site     CodeOffset
	Kind     SiteKind
	// Depth is the number of guest frames on the stack, this one included.
	// Frames of the caller have smaller depths.
	Depth int
	// Memory reads the instance's linear memory, for watchpoints.
	Memory MemoryReader
}

// MemoryReader reads linear memory.
type MemoryReader interface {
	ReadMemory(addr uint64, p []byte) (int, error)
}

// Target is one run of a program on a backend.
//
// Concurrency: a Target is driven by one goroutine (the session's), except
// Halt, which may be called from any goroutine at any time. Resume blocks
// until the target stops; the stopped-state methods are valid only between
// the return of Resume and the next call to Resume.
type Target interface {
	// SetBreakpoint arms or disarms a breakpoint on the site at off, which
	// must be the offset of a site.
	SetBreakpoint(m ModuleID, off CodeOffset, on bool) error
	// Resume runs the target until its next stop. The first Resume starts
	// the program.
	Resume(req ResumeRequest) (*TargetStop, error)
	// Halt asks a running target to stop at its next site. It returns at
	// once; the stop is the result of the pending Resume.
	Halt()
	// Kill ends the run. The target cannot be resumed afterwards.
	Kill() error

	// Instances lists the core instances of the run so far.
	Instances() []Instance
	// ReadMemory reads linear memory 0 of an instance. It returns the number
	// of bytes read, which is short at the end of memory.
	ReadMemory(inst InstanceID, addr uint64, p []byte) (int, error)
	// WriteMemory writes linear memory 0 of an instance.
	WriteMemory(inst InstanceID, addr uint64, p []byte) error
	// MemorySize returns the size in bytes of memory 0, false if it has none.
	MemorySize(inst InstanceID) (uint64, bool)
	// Global reads a global of an instance, by index in its module's global
	// index space.
	Global(inst InstanceID, idx uint32) (Value, error)
}

// Instance describes one core instance of a run.
type Instance struct {
	ID     InstanceID
	Module ModuleID
	Name   string
}

// TargetStop is what a backend reports when it stops.
type TargetStop struct {
	Reason StopReason // never StopEntry: the session names that
	// Frames, innermost first. Empty after the program exited.
	Frames []RawFrame
	// Trap is the trap message ("integer divide by zero") for StopTrap, and
	// for StopExited when a trap ended the program.
	Trap string
	// Fatal is set on StopTrap when the trap already unwound the guest.
	Fatal bool
	// StartError is set on StopExited when the program could not start
	// (a component that does not link, or is not a command).
	StartError string
	// ExitCode is the guest's exit code for StopExited.
	ExitCode int
	// StepDone is set on StopBreakpoint when the request's own stop
	// condition (Arm and StopAt) also holds at this site, so that a
	// breakpoint whose condition fails does not swallow a step.
	StepDone bool
}

// RawFrame is one frame as a backend captured it.
type RawFrame struct {
	Module   ModuleID
	Instance InstanceID
	Func     uint32
	// PC is where the frame is: for frame 0 the stop site, for a caller the
	// call instruction it is executing.
	PC CodeOffset
	// Return is the return address of a caller frame (the instruction after
	// the call); for frame 0 it equals PC.
	Return CodeOffset
	// Depth counts guest frames: frame 0 of a stop has the greatest depth.
	Depth int
	// Locals are the wasm locals (parameters first), or nil when the backend
	// did not capture them for this frame.
	Locals []Value
	// Stack is the operand stack of the frame's innermost block, bottom
	// first. Only frame 0 has one.
	Stack []Value
	// Host names a host function frame ("wasi_snapshot_preview1.fd_read");
	// such a frame has no code offsets.
	Host string
}

// Errors a Target or Session returns.
var (
	ErrNotStopped = errors.New("the program is not stopped")
	ErrNotRunning = errors.New("the program is not being run")
	ErrExited     = errors.New("the program has exited")
)
