package session

import (
	"wdbg/dwarf"
)

// locate describes an instruction of a module: its function, offsets and,
// with DWARF, its source line.
func (s *Session) locate(mod ModuleID, off CodeOffset) Location {
	m := s.prog.Modules[mod]
	loc := Location{Module: mod, Offset: m.wasm.FileOffset(off), Code: off}
	if f, ok := m.FuncAt(off); ok {
		loc.Func = f.Index
	}
	if d := m.debug; d != nil {
		if row, ok := d.LineAt(dwarf.CodeOffset(off)); ok {
			s.setSource(&loc, row.File, row.Line, row.Col)
		}
	}
	return loc
}

func (s *Session) setSource(loc *Location, f *dwarf.File, line, col int) {
	if f == nil || line <= 0 {
		return
	}
	loc.File, loc.Line, loc.Col = f.Name, line, col
	loc.Path = s.src.resolve(f)
	if loc.Path == "" {
		loc.Path = f.Path
	}
	loc.file = f
}

// isStmtStart reports whether off starts a line-table row that is a
// statement: where gdb considers a source line to begin.
func isStmtStart(d *dwarf.Data, off CodeOffset) bool {
	row, ok := d.LineAt(dwarf.CodeOffset(off))
	return ok && row.IsStmt && row.Addr == dwarf.CodeOffset(off)
}

// BoundaryFramePrefix starts the Host of a frame that marks a call from
// one component into another: "component boundary: root/app-i calls f".
// The frames below it are the caller's.
const BoundaryFramePrefix = "component boundary: "

// frames builds the logical frames of a stop: each wasm frame, preceded by
// a virtual frame for every inlined call active at its pc (innermost
// first), as gdb shows inlined functions.
func (s *Session) frames(ts *TargetStop) []Frame {
	var out []Frame
	for i := range ts.Frames {
		rf := &ts.Frames[i]
		if rf.Host != "" || int(rf.Module) >= len(s.prog.Modules) {
			out = append(out, Frame{Index: len(out), Host: rf.Host, raw: rf, Func: Function{Name: rf.Host}})
			continue
		}
		m := s.prog.Modules[rf.Module]
		wf, _ := m.Func(rf.Func)
		base := Frame{raw: rf, LocalsCaptured: rf.Locals != nil, Return: m.wasm.FileOffset(rf.Return), Func: wf}
		loc := s.locate(rf.Module, rf.PC)
		loc.Func = rf.Func
		d := m.debug
		if d == nil {
			f := base
			f.Index, f.Loc = len(out), loc
			out = append(out, f)
			continue
		}
		pc := dwarf.CodeOffset(rf.PC)
		chain := d.InlineChain(pc)
		for k := 0; k <= len(chain); k++ {
			f := base
			f.Index, f.Loc, f.inline = len(out), loc, k
			if k < len(chain) {
				f.Inlined = true
				if chain[k].Func != nil {
					f.Func.Name = chain[k].Func.Name
					f.dfunc = chain[k].Func
				}
			} else if df := d.FuncAt(pc); df != nil {
				f.dfunc = df
				if df.Name != "" {
					f.Func.Name = df.Name
				}
			}
			if k > 0 {
				// An outer frame of an inlined call is at the call site.
				c := chain[k-1]
				f.Loc.File, f.Loc.Path, f.Loc.Line, f.Loc.Col, f.Loc.file = "", "", 0, 0, nil
				s.setSource(&f.Loc, c.CallFile, c.CallLine, c.CallCol)
			}
			if i == 0 && k == 0 {
				f.AtLineStart = isStmtStart(d, rf.PC)
			}
			out = append(out, f)
		}
	}
	return out
}
