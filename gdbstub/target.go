package gdbstub

// Target is the program the stub debugs. All methods but Interrupt are
// called from the connection's handler goroutine, one at a time.
//
// The required methods cover what every client needs; the optional
// features are explicit accessors that return nil when the target lacks
// them, and the stub's qSupported reply is built from them.
type Target interface {
	// Stopped returns the stop the target is in now. The target must be
	// stopped when a client connects (it starts halted).
	Stopped() Stop
	// Resume runs the target until its next stop; with step it executes
	// one instruction (a call stops at the callee's first instruction, a
	// return at the caller's return address, a host call is one step).
	Resume(step bool) Stop
	// Interrupt makes a running Resume return soon with StopInterrupt. It
	// may be called from any goroutine at any time; when the target is not
	// running it does nothing.
	Interrupt()
	// Kill ends the program.
	Kill()
	// Detach removes every breakpoint and lets the program run to its end
	// without the debugger; it returns when the program has ended.
	Detach() Stop
	// ReadMemory reads from a (linear memory or module bytes) into p and
	// returns how many bytes it read: fewer at the end of the space, and an
	// error only when nothing at a can be read.
	ReadMemory(a Addr, p []byte) (int, error)
	// SetBreakpoint sets a software breakpoint at a code address. An
	// address that is not a stop site moves to the next one, but stops are
	// still reported at a.
	SetBreakpoint(a Addr) error
	// ClearBreakpoint removes the breakpoint set at a.
	ClearBreakpoint(a Addr) error

	// Libraries returns the loaded-modules feature, or nil.
	Libraries() Libraries
	// Wasm returns the WebAssembly inspection feature, or nil.
	Wasm() Wasm
	// MemoryWriter returns the memory-write feature, or nil.
	MemoryWriter() MemoryWriter
}

// Libraries lists the program's modules (qXfer:libraries:read).
type Libraries interface {
	// LoadedModules returns one entry per core module.
	LoadedModules() []Library
}

// Library is one loaded module.
type Library struct {
	Name string // absolute path of the module file
	Base Addr   // load address: ObjectAddr(id, 0)
}

// Wasm answers LLDB's wasm packets for the current stop. Frame numbers
// count wasm frames as CallStack lists them, innermost first.
type Wasm interface {
	// CallStack returns the pc of each wasm frame, innermost first; callers
	// are at their return addresses (the instruction after the call).
	CallStack() []Addr
	// Local returns local index of frame as little-endian bytes of its
	// natural size.
	Local(frame, index int) ([]byte, error)
	// Global returns global index of frame's instance.
	Global(frame, index int) ([]byte, error)
	// StackValue returns operand-stack slot index of frame, 0 being the
	// bottom of the stack.
	StackValue(frame, index int) ([]byte, error)
}

// MemoryWriter writes linear memory (M packets).
type MemoryWriter interface {
	WriteMemory(a Addr, p []byte) error
}

// StopKind is why the target stopped.
type StopKind int

const (
	// StopTrace: the target stopped after a step, or at its entry.
	StopTrace StopKind = iota
	// StopBreakpoint: a breakpoint was hit.
	StopBreakpoint
	// StopInterrupt: Interrupt stopped it (reported as SIGINT).
	StopInterrupt
	// StopException: the guest trapped; Description says how.
	StopException
	// StopExited: the program ended with ExitCode.
	StopExited
	// StopTerminated: the program ended with a trap (or was killed).
	StopTerminated
)

// Stop is a stop of the target.
type Stop struct {
	Kind StopKind
	// PC is the pc to report: for a breakpoint that was moved to the next
	// stop site, the address the client asked for.
	PC          Addr
	ExitCode    int
	Description string
}

// Ended reports whether the program is over.
func (s Stop) Ended() bool { return s.Kind == StopExited || s.Kind == StopTerminated }
