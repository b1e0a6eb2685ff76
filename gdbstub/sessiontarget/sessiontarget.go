// Package sessiontarget serves a wdbg session to gdb-remote clients: it
// implements gdbstub.Target on a *session.Session, in LLDB's WebAssembly
// dialect (module bytes in object space, linear memory in memory space).
//
// Like every front end it talks to the session only. Its methods follow
// gdbstub.Target's contract: one goroutine calls them, except Interrupt.
package sessiontarget

import (
	"errors"
	"fmt"
	"sort"

	"wdbg/gdbstub"
	"wdbg/session"
)

// Target is a session seen as a gdbstub.Target.
type Target struct {
	s *session.Session
	// bps maps each address a client set a breakpoint at to the session
	// breakpoint that serves it, and back.
	bps    map[gdbstub.Addr]int
	byID   map[int]gdbstub.Addr
	last   gdbstub.Stop
	killed bool
}

// New starts the program halted before its first instruction, as a gdb
// client expects to find it.
func New(s *session.Session) (*Target, error) {
	t := &Target{s: s, bps: map[gdbstub.Addr]int{}, byID: map[int]gdbstub.Addr{}}
	st, err := s.StartInstruction()
	if err != nil {
		return nil, fmt.Errorf("start the program: %w", err)
	}
	t.last = t.convert(st)
	return t, nil
}

var _ gdbstub.Target = (*Target)(nil)

// Stopped returns the current stop.
func (t *Target) Stopped() gdbstub.Stop { return t.last }

// Resume continues or steps one stop site. With the default probe layout
// (a site before every branch, call and statement, at every function entry
// and after every call) a step never passes a branch or a call, which is
// what LLDB's step plans rely on; --every-instruction makes it exact.
func (t *Target) Resume(step bool) gdbstub.Stop {
	var st *session.Stop
	var err error
	if step {
		st, err = t.s.StepInstruction()
	} else {
		st, err = t.s.Continue()
	}
	if err != nil {
		if t.s.State() == session.StateExited || errors.Is(err, session.ErrExited) {
			t.last = gdbstub.Stop{Kind: gdbstub.StopTerminated, Description: err.Error()}
			return t.last
		}
		// The program is still stopped where it was; say why it did not run.
		t.last.Description = err.Error()
		return t.last
	}
	t.last = t.convert(st)
	return t.last
}

// Interrupt halts the running program.
func (t *Target) Interrupt() { t.s.Halt() }

// Kill ends the program.
func (t *Target) Kill() {
	if !t.killed {
		t.killed = true
		_ = t.s.Kill()
	}
}

// Detach deletes the client's breakpoints and runs the program to its end.
func (t *Target) Detach() gdbstub.Stop {
	for a := range t.bps {
		_ = t.ClearBreakpoint(a)
	}
	for !t.last.Ended() {
		st, err := t.s.Continue()
		if err != nil {
			t.last = gdbstub.Stop{Kind: gdbstub.StopTerminated, Description: err.Error()}
			break
		}
		t.last = t.convert(st)
	}
	return t.last
}

// convert maps a session stop onto the protocol's.
func (t *Target) convert(st *session.Stop) gdbstub.Stop {
	out := gdbstub.Stop{Kind: gdbstub.StopTrace}
	if cs := t.CallStack(); len(cs) > 0 {
		out.PC = cs[0]
	}
	switch st.Reason {
	case session.StopExited:
		if st.StartError != "" {
			return gdbstub.Stop{Kind: gdbstub.StopTerminated, Description: "cannot run the program: " + st.StartError}
		}
		if st.Trap != "" {
			return gdbstub.Stop{Kind: gdbstub.StopTerminated, Description: "wasm trap: " + st.Trap}
		}
		return gdbstub.Stop{Kind: gdbstub.StopExited, ExitCode: st.ExitCode}
	case session.StopBreakpoint:
		out.Kind = gdbstub.StopBreakpoint
		// Report the address the client asked for: LLDB matches the stop
		// to its breakpoint site by it, even when the breakpoint moved to
		// the next stop site.
		for _, id := range st.Breakpoints {
			if a, ok := t.byID[id]; ok {
				out.PC = a
				break
			}
		}
	case session.StopHalt:
		out.Kind = gdbstub.StopInterrupt
	case session.StopTrap:
		out.Kind = gdbstub.StopException
		out.Description = "wasm trap: " + st.Trap
	}
	return out
}

// wasmFrames returns the session frame index of each wasm frame: inlined
// (virtual) frames and host frames are not frames to LLDB.
func (t *Target) wasmFrames() []int {
	st := t.s.Stop()
	if st == nil || !st.Valid() {
		return nil
	}
	var out []int
	for i, f := range st.Frames {
		if f.Host == "" && !f.Inlined {
			out = append(out, i)
		}
	}
	return out
}

// CallStack returns each wasm frame's pc: frame 0's instruction, and the
// callers' return addresses.
func (t *Target) CallStack() []gdbstub.Addr {
	st := t.s.Stop()
	var out []gdbstub.Addr
	for _, i := range t.wasmFrames() {
		f := st.Frames[i]
		// Return is the pc for frame 0 and the return address for callers.
		out = append(out, gdbstub.ObjectAddr(uint32(f.Loc.Module), uint32(f.Return)))
	}
	return out
}

// frame returns the session frame index of wasm frame n.
func (t *Target) frame(n int) (int, error) {
	fs := t.wasmFrames()
	if n < 0 || n >= len(fs) {
		return 0, fmt.Errorf("no frame %d (%d wasm frames)", n, len(fs))
	}
	return fs[n], nil
}

// Local returns local index of wasm frame n.
func (t *Target) Local(n, index int) ([]byte, error) {
	i, err := t.frame(n)
	if err != nil {
		return nil, err
	}
	locals, err := t.s.WasmLocals(i)
	if err != nil {
		return nil, err
	}
	if index >= len(locals) {
		return nil, fmt.Errorf("frame %d has %d locals, no local %d", n, len(locals), index)
	}
	v := locals[index].Value
	if v.Missing {
		return nil, fmt.Errorf("local %d of frame %d was not captured (no debug info refers to it; use --all-locals)", index, n)
	}
	return v.Bytes(), nil
}

// Global returns global index of wasm frame n's instance.
func (t *Target) Global(n, index int) ([]byte, error) {
	i, err := t.frame(n)
	if err != nil {
		return nil, err
	}
	prev := t.s.SelectedFrame()
	if _, err := t.s.SelectFrame(i); err != nil {
		return nil, err
	}
	defer t.s.SelectFrame(prev)
	gs, err := t.s.Globals()
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		if int(g.Index) == index {
			if g.Err != nil {
				return nil, g.Err
			}
			return g.Value.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("no global %d", index)
}

// StackValue returns operand-stack slot index (0 = bottom) of wasm frame n.
func (t *Target) StackValue(n, index int) ([]byte, error) {
	i, err := t.frame(n)
	if err != nil {
		return nil, err
	}
	stack, err := t.s.OperandStack(i)
	if err != nil {
		return nil, err
	}
	if index >= len(stack) {
		return nil, fmt.Errorf("frame %d's operand stack holds %d values, no slot %d", n, len(stack), index)
	}
	return stack[index].Bytes(), nil
}

// ReadMemory reads module bytes (object space) or linear memory (memory
// space, id 0: the memory of the stopped frame's instance).
func (t *Target) ReadMemory(a gdbstub.Addr, p []byte) (int, error) {
	switch a.Space() {
	case gdbstub.SpaceObject:
		mods := t.s.Program().Modules
		if int(a.ID()) >= len(mods) {
			return 0, fmt.Errorf("no module %d", a.ID())
		}
		img := mods[a.ID()].Image
		if int(a.Offset()) >= len(img) {
			return 0, fmt.Errorf("offset 0x%x is past the end of module %d (%d bytes)", a.Offset(), a.ID(), len(img))
		}
		return copy(p, img[a.Offset():]), nil
	case gdbstub.SpaceMemory:
		if a.ID() != 0 {
			return 0, fmt.Errorf("no memory %d", a.ID())
		}
		b, err := t.s.ReadMemory(uint64(a.Offset()), len(p))
		if err != nil {
			return 0, err
		}
		if len(b) == 0 {
			return 0, fmt.Errorf("address 0x%x is past the end of linear memory", a.Offset())
		}
		return copy(p, b), nil
	}
	return 0, fmt.Errorf("address %v is in an address space wdbg does not serve", a)
}

// WriteMemory writes linear memory.
func (t *Target) WriteMemory(a gdbstub.Addr, p []byte) error {
	if a.Space() != gdbstub.SpaceMemory || a.ID() != 0 {
		return fmt.Errorf("address %v is not in linear memory: only linear memory can be written", a)
	}
	return t.s.WriteMemory(uint64(a.Offset()), p)
}

// SetBreakpoint sets a breakpoint at a code address, moved to the next
// stop site if it is not one.
func (t *Target) SetBreakpoint(a gdbstub.Addr) error {
	if _, ok := t.bps[a]; ok {
		return nil
	}
	if a.Space() != gdbstub.SpaceObject || int(a.ID()) >= len(t.s.Program().Modules) {
		return fmt.Errorf("%v is not a code address", a)
	}
	bp, err := t.s.SetBreakpoint(fmt.Sprintf("*0x%x", a.Offset()), session.BreakOptions{})
	if err != nil {
		return err
	}
	t.bps[a] = bp.ID
	t.byID[bp.ID] = a
	return nil
}

// ClearBreakpoint removes the breakpoint set at a.
func (t *Target) ClearBreakpoint(a gdbstub.Addr) error {
	id, ok := t.bps[a]
	if !ok {
		return fmt.Errorf("no breakpoint at %v", a)
	}
	delete(t.bps, a)
	delete(t.byID, id)
	return t.s.DeleteBreakpoint(id)
}

// Libraries returns t: the program's modules are its libraries.
func (t *Target) Libraries() gdbstub.Libraries { return t }

// LoadedModules lists each core module with its absolute path; a
// component's modules are named PATH#MODULE.
func (t *Target) LoadedModules() []gdbstub.Library {
	var out []gdbstub.Library
	prog := t.s.Program()
	for _, m := range prog.Modules {
		name := m.Path
		if prog.Kind == session.KindComponent {
			// Not a file LLDB can open (the component is not a core
			// module): it reads the module's bytes from object space.
			name = m.Path + "#" + m.Name
		}
		out = append(out, gdbstub.Library{Name: name, Base: gdbstub.ObjectAddr(uint32(m.ID), 0)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Base < out[j].Base })
	return out
}

// Wasm returns t: it answers the wasm packets.
func (t *Target) Wasm() gdbstub.Wasm { return t }

// MemoryWriter returns t.
func (t *Target) MemoryWriter() gdbstub.MemoryWriter { return t }
