package session

import (
	"errors"
	"fmt"
	"sort"

	"wdbg/dwarf"
)

// Source-level stepping. Each command is one ResumeRequest whose StopAt
// is range stepping, as gdb does it: run while the pc stays in the address
// range of the current line; stop at the first statement start outside it
// in the same frame, or in the caller when the frame returns. `step` also
// stops at the first line after the prologue of a called function that has
// line info; `next` treats inlined calls like calls and steps over them.

// ErrNoLineInfo is returned (wrapped) by Step and Next when the selected
// frame has no line info; the command then behaves as finish, as gdb's
// "Single stepping until exit from function f, which has no line number
// information." does.
var ErrNoLineInfo = errors.New("no line number information")

// lineStepper is the StopAt state of a step, next or until.
type lineStepper struct {
	s        *Session
	mod      ModuleID
	depth    int
	lo, hi   CodeOffset // the current line's address range
	line     int        // the current line (gdb's current_line)
	file     *dwarf.File
	startPC  CodeOffset
	inlineN  int // inline-chain length at the start (next: deeper means inside an inlined call)
	into     bool
	noBack   bool // until: no stop at a lower address in the same frame (a loop's back edge)
	sameLine bool // stop even at the same line when the range is left (stepping into a loop body)
}

func (ls *lineStepper) stopAt(p *Probe) bool {
	switch {
	case p.Depth < ls.depth:
		// The frame returned, into the middle of the caller's line: as gdb
		// does, keep stepping to the start of a line in the caller.
		d := ls.s.prog.Modules[p.Module].debug
		if d == nil {
			return true // the caller has no line info: stop where it is
		}
		if isStmtStart(d, p.Site) {
			return true
		}
		lo, hi, line, file, ok := lineRange(d, p.Site)
		if !ok {
			return true
		}
		ls.mod, ls.depth, ls.lo, ls.hi, ls.startPC = p.Module, p.Depth, lo, hi, p.Site
		ls.line, ls.file = line, file
		ls.inlineN = len(d.InlineChain(dwarf.CodeOffset(p.Site)))
		return false
	case p.Depth > ls.depth:
		return ls.into && p.Depth == ls.depth+1 && ls.s.calleeLineStart(p)
	}
	if p.Module != ls.mod {
		return false
	}
	if p.Site >= ls.lo && p.Site < ls.hi {
		return false
	}
	d := ls.s.prog.Modules[p.Module].debug
	if d == nil {
		return false
	}
	if !ls.into && len(d.InlineChain(dwarf.CodeOffset(p.Site))) > ls.inlineN {
		return false // inside a call that was inlined: next steps over it
	}
	lo, hi, line, file, ok := lineRange(d, p.Site)
	if !isStmtStart(d, p.Site) || ok && line == ls.line && file == ls.file {
		// The middle of a line, or another block of the current line (a
		// loop condition after its body): as gdb does, take that block as
		// the line's range and keep stepping.
		if ok {
			ls.lo, ls.hi, ls.line, ls.file = lo, hi, line, file
		}
		return false
	}
	if ls.noBack && p.Site < ls.startPC {
		return false
	}
	return true
}

// calleeLineStart: at the first statement after the prologue of a function
// with line info (where `step` into a call stops).
func (s *Session) calleeLineStart(p *Probe) bool {
	d := s.prog.Modules[p.Module].debug
	if d == nil || !isStmtStart(d, p.Site) {
		return false
	}
	f := d.FuncAt(dwarf.CodeOffset(p.Site))
	if f == nil {
		return false
	}
	pe, ok := d.PrologueEnd(f)
	return !ok || dwarf.CodeOffset(p.Site) >= pe
}

// lineRange returns the address range of the line-table row block that
// contains pc: from the row at or before pc to the next row of another
// line.
func lineRange(d *dwarf.Data, pc CodeOffset) (lo, hi CodeOffset, line int, file *dwarf.File, ok bool) {
	rows := d.LineRows()
	i := sort.Search(len(rows), func(i int) bool { return rows[i].Addr > dwarf.CodeOffset(pc) }) - 1
	if i < 0 || rows[i].EndSequence || rows[i].Line == 0 {
		return 0, 0, 0, nil, false
	}
	r := rows[i]
	lo = CodeOffset(r.Addr)
	// Back up over earlier rows of the same line at the same address run.
	for i > 0 && !rows[i-1].EndSequence && rows[i-1].Line == r.Line && rows[i-1].File == r.File {
		i--
		lo = CodeOffset(rows[i].Addr)
	}
	j := i + 1
	for j < len(rows) && !rows[j].EndSequence && rows[j].Line == r.Line && rows[j].File == r.File {
		j++
	}
	hi = lo + 1
	if j < len(rows) {
		hi = CodeOffset(rows[j].Addr)
	}
	return lo, hi, r.Line, r.File, true
}

// newLineStepper prepares a step from the selected frame. An error wraps
// ErrNoLineInfo when the frame has no line info.
func (s *Session) newLineStepper(into bool) (*lineStepper, error) {
	if err := s.needStopped(); err != nil {
		return nil, err
	}
	f := &s.stop.Frames[s.selected]
	if f.Host != "" {
		return nil, fmt.Errorf("the selected frame is the host function %s", f.Host)
	}
	d := s.prog.Modules[f.Loc.Module].debug
	pc := f.raw.PC
	ls := &lineStepper{s: s, mod: f.Loc.Module, depth: f.raw.Depth, startPC: pc, into: into}
	if d == nil {
		return ls, fmt.Errorf("%s: %w", f.Func.Name, ErrNoLineInfo)
	}
	lo, hi, line, file, ok := lineRange(d, pc)
	if !ok {
		return ls, fmt.Errorf("%s: %w", f.Func.Name, ErrNoLineInfo)
	}
	ls.lo, ls.hi, ls.line, ls.file = lo, hi, line, file
	// From an outer frame of an inlined call, the inlined calls below the
	// selected frame count as callees.
	ls.inlineN = len(d.InlineChain(dwarf.CodeOffset(pc))) - f.inline
	return ls, nil
}

// Step steps to the next source line, entering called functions that have
// line info (gdb's step).
func (s *Session) Step() (*Stop, error) {
	ls, err := s.newLineStepper(true)
	if err != nil {
		if errors.Is(err, ErrNoLineInfo) {
			return s.outOfNoLine()
		}
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmAll, StopAt: ls.stopAt}, StopStep)
}

// Next steps to the next source line of this function, stepping over calls
// (gdb's next).
func (s *Session) Next() (*Stop, error) {
	ls, err := s.newLineStepper(false)
	if err != nil {
		if errors.Is(err, ErrNoLineInfo) {
			return s.outOfNoLine()
		}
		return nil, err
	}
	return s.resume(ResumeRequest{Arm: ArmStack, StopAt: ls.stopAt}, StopStep)
}

// Until is next that does not go back to a line before the current one in
// the same frame: it runs a loop to its end (gdb's until without argument).
func (s *Session) Until() (*Stop, error) {
	ls, err := s.newLineStepper(false)
	if err != nil {
		if errors.Is(err, ErrNoLineInfo) {
			return s.outOfNoLine()
		}
		return nil, err
	}
	ls.noBack = true
	return s.resume(ResumeRequest{Arm: ArmStack, StopAt: ls.stopAt}, StopStep)
}

// Advance runs until a location spec is reached or the selected frame
// returns (gdb's until LOCATION / advance LOCATION).
func (s *Session) Advance(spec string) (*Stop, error) {
	if err := s.needStopped(); err != nil {
		return nil, err
	}
	locs, err := s.resolveSpec(spec)
	if err != nil {
		return nil, err
	}
	depth := s.stop.Frames[s.selected].raw.Depth
	type key struct {
		m ModuleID
		o CodeOffset
	}
	at := map[key]bool{}
	for _, l := range locs {
		at[key{l.Loc.Module, l.Site}] = true
	}
	return s.resume(ResumeRequest{Arm: ArmAll, StopAt: func(p *Probe) bool {
		return p.Depth < depth || at[key{p.Module, p.Site}]
	}}, StopStep)
}

// outOfNoLine runs until the selected frame, which has no line info,
// returns; the stop's Note says so as gdb does.
func (s *Session) outOfNoLine() (*Stop, error) {
	f := s.stop.Frames[s.selected]
	depth := f.raw.Depth
	st, err := s.resume(ResumeRequest{Arm: ArmCallers, StopAt: func(p *Probe) bool { return p.Depth < depth }}, StopStep)
	if err != nil {
		return nil, err
	}
	st.Note = "Single stepping until exit from function " + f.Func.Name + ",\nwhich has no line number information."
	return st, nil
}
