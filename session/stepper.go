package session

import (
	"errors"
	"fmt"
	"strings"

	"wdbg/cexpr"
	"wdbg/dwarf"
)

// The stepping state machines. Each is one ResumeRequest: an arming choice
// plus a filter on the depth (and later the source line) of the armed sites
// the guest reaches. The backend's sites are such that no branch or call
// lies between two sites of a function, so "the next site" is the next
// place control can go.

// StepInstruction runs to the next stop site, entering calls (gdb's stepi).
// In the default site layout that is the next statement, branch, call,
// return or loop header; a backend in every-instruction mode stops at the
// very next instruction.
func (s *Session) StepInstruction() (*Stop, error) {
	if err := s.needStopped(); err != nil {
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmAll}, StopStep)
}

// NextInstruction is StepInstruction without entering calls (gdb's nexti):
// it stops at the next site of the selected frame's function or of a
// caller.
func (s *Session) NextInstruction() (*Stop, error) {
	if err := s.needStopped(); err != nil {
		return nil, err
	}
	depth, err := s.frameDepth(0)
	if err != nil {
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmStack, StopAt: func(p *Probe) bool {
		return p.Depth <= depth
	}}, StopStep)
}

// FinishResult is what Finish reports besides the stop.
type FinishResult struct {
	From Frame // the frame that was finished, as it was before
	// Values are the function's return values (empty for no results),
	// valid only when Returned.
	Values []Value
	// Formatted are the values as gdb prints "Value returned is $N = ...":
	// typed by the function's DWARF return type when it has one, else as
	// wasm values. One per entry of History.
	Formatted []string
	History   []int // value-history numbers of Formatted ($N)
	Returned  bool  // false if something else (a breakpoint) stopped first
	// Unknown is set when the function returns a value wdbg cannot show
	// (a struct returned through memory): gdb's "Value returned has type:
	// struct pt. Cannot determine contents".
	Unknown string
}

// CallerFrame returns the index of the frame that frame n returns to: the
// next frame, past a frame that marks a call from another component (the
// callee returns through the canonical ABI into its caller's wasm). It is
// false when there is none, or the caller is a host function.
func (s *Session) CallerFrame(n int) (int, bool) {
	st := s.stop
	if st == nil || !st.valid {
		return 0, false
	}
	c := n + 1
	for c < len(st.Frames) && strings.HasPrefix(st.Frames[c].Host, BoundaryFramePrefix) {
		c++
	}
	if c >= len(st.Frames) || st.Frames[c].Host != "" {
		return 0, false
	}
	return c, true
}

// Finish runs until the selected frame returns (gdb's finish), and reports
// the values it returned.
func (s *Session) Finish() (*Stop, *FinishResult, error) {
	if err := s.needStopped(); err != nil {
		return nil, nil, err
	}
	st := s.stop
	n := s.selected
	c, ok := s.CallerFrame(n)
	if !ok {
		return nil, nil, errors.New(`"finish" not meaningful in the outermost frame`)
	}
	from := st.Frames[n]
	depth := from.raw.Depth
	caller := st.Frames[c]
	res := &FinishResult{From: from}
	if from.Inlined {
		return s.finishInlined(from, res)
	}
	stop, err := s.resume(ResumeRequest{Arm: ArmCallers, StopAt: func(p *Probe) bool {
		return p.Depth < depth
	}}, StopStep)
	if err != nil || stop.Reason != StopStep || len(stop.Frames) == 0 {
		return stop, res, err
	}
	// The stop is the return address in the caller; the callee's results
	// are on top of the caller's operand stack there.
	top := stop.Frames[0]
	if top.Loc.Module != caller.Loc.Module || top.Loc.Offset != caller.Return {
		return stop, res, nil
	}
	m := s.prog.Modules[from.Loc.Module]
	ft, ok := m.wasm.FuncType(from.Func.Index)
	if !ok {
		return stop, res, nil
	}
	stack := top.raw.Stack
	if len(stack) < len(ft.Results) {
		return stop, res, nil
	}
	res.Returned = true
	res.Values = append([]Value(nil), stack[len(stack)-len(ft.Results):]...)
	s.formatReturn(res, from)
	return stop, res, nil
}

// finishInlined runs until the pc leaves the inlined call of frame f (or
// its wasm frame returns). There is no return value to show: the inlined
// code leaves it wherever the optimizer put it, as in gdb.
func (s *Session) finishInlined(f Frame, res *FinishResult) (*Stop, *FinishResult, error) {
	d := s.prog.Modules[f.Loc.Module].debug
	chain := d.InlineChain(dwarf.CodeOffset(f.raw.PC))
	if f.inline >= len(chain) {
		return nil, nil, errors.New("no inlined call to finish")
	}
	ranges := chain[f.inline].Ranges
	depth, mod := f.raw.Depth, f.Loc.Module
	st, err := s.resume(ResumeRequest{Arm: ArmStack, StopAt: func(p *Probe) bool {
		if p.Depth < depth {
			return true
		}
		if p.Depth > depth || p.Module != mod {
			return false
		}
		for _, r := range ranges {
			if dwarf.CodeOffset(p.Site) >= r[0] && dwarf.CodeOffset(p.Site) < r[1] {
				return false
			}
		}
		return true
	}}, StopStep)
	return st, res, err
}

// frameDepth returns the guest depth of frame n of the current stop.
func (s *Session) frameDepth(n int) (int, error) {
	st := s.stop
	if st == nil || n >= len(st.Frames) {
		return 0, fmt.Errorf("no frame %d", n)
	}
	return st.Frames[n].raw.Depth, nil
}

// formatReturn types a finished function's results by its DWARF return
// type, records them in the value history and formats them.
func (s *Session) formatReturn(res *FinishResult, from Frame) {
	env, err := s.env(0)
	if err != nil {
		return
	}
	var rt dwarf.Type
	hasDWARF := from.dfunc != nil
	if hasDWARF {
		rt = from.dfunc.Type
	}
	if hasDWARF && rt == nil {
		return // void
	}
	if hasDWARF && len(res.Values) == 1 {
		if v, ok := returnValue(rt, res.Values[0]); ok {
			res.History = append(res.History, s.record(v))
			res.Formatted = append(res.Formatted, cexpr.Format(env, v, cexpr.Options{TopLevel: true}))
			return
		}
	}
	if hasDWARF && len(res.Values) == 0 {
		res.Unknown = fmt.Sprintf("Value returned has type: %s. Cannot determine contents", dwarf.Declare(rt, ""))
		return
	}
	for _, v := range res.Values {
		cv := wasmValue(v)
		res.History = append(res.History, s.record(cv))
		res.Formatted = append(res.Formatted, cexpr.Format(env, cv, cexpr.Options{TopLevel: true}))
	}
}

// returnValue is a wasm result as a value of the C return type t: scalars
// come back in one wasm value; aggregates through memory.
func returnValue(t dwarf.Type, v Value) (cexpr.Value, bool) {
	n := t.Size()
	switch dwarf.Strip(t).(type) {
	case *dwarf.Struct, *dwarf.Array:
		if n <= 8 && n > 0 {
			// Small aggregates may come back in one value (some ABIs).
			return cexpr.Bytes(t, v.Bytes()[:n]), true
		}
		return cexpr.Value{}, false
	}
	b := v.Bytes()
	if n <= 0 || int(n) > len(b) {
		return cexpr.Value{}, false
	}
	return cexpr.Bytes(t, b[:n]), true
}
