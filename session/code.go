package session

import (
	"fmt"
	"sort"
	"strconv"

	"wdbg/internal/wasmbin"
)

// Instruction is one disassembled instruction.
type Instruction struct {
	Offset FileOffset
	Text   string // WebAssembly text: "i32.const 1", "call 12 <printf>"
}

// Disassemble returns the instructions of a defined function.
func (m *Module) Disassemble(fn uint32) ([]Instruction, error) {
	c, ok := m.code(fn)
	if !ok {
		return nil, fmt.Errorf("function %d has no code (it is imported)", fn)
	}
	ins, err := wasmbin.DecodeBody(c.Body, c.BodyStart)
	if err != nil {
		return nil, err
	}
	out := make([]Instruction, len(ins))
	for i := range ins {
		out[i] = Instruction{Offset: m.wasm.FileOffset(ins[i].Off), Text: ins[i].Format(m.wasm)}
	}
	return out, nil
}

// FuncAtFile returns the defined function containing a file offset.
func (m *Module) FuncAtFile(off FileOffset) (Function, bool) {
	co, ok := m.wasm.CodeOffsetOf(off)
	if !ok {
		return Function{}, false
	}
	return m.FuncAt(co)
}

// Extern describes an import or export.
type Extern struct {
	Module string // import module ("" for exports)
	Name   string
	Kind   string // "func", "table", "memory", "global", "tag"
	Index  uint32 // in the kind's index space
	Desc   string // type: "(i32, i32) -> i32", "i32 mut", "pages 2..", ...
}

var kindNames = map[wasmbin.ExternKind]string{
	wasmbin.FuncKind: "func", wasmbin.TableKind: "table", wasmbin.MemoryKind: "memory",
	wasmbin.GlobalKind: "global", wasmbin.TagKind: "tag",
}

func limitsString(l wasmbin.Limits) string {
	s := strconv.FormatUint(l.Min, 10) + ".."
	if l.HasMax {
		s += strconv.FormatUint(l.Max, 10)
	}
	if l.Shared {
		s += " shared"
	}
	if l.Is64 {
		s += " i64"
	}
	return s
}

func globalTypeString(g wasmbin.GlobalType) string {
	if g.Mutable {
		return "mut " + g.Type.String()
	}
	return g.Type.String()
}

// Imports lists the module's imports in order.
func (m *Module) Imports() []Extern {
	wm := m.wasm
	var out []Extern
	next := map[wasmbin.ExternKind]uint32{}
	for _, im := range wm.Imports {
		e := Extern{Module: im.Module, Name: im.Name, Kind: kindNames[im.Kind], Index: next[im.Kind]}
		next[im.Kind]++
		switch im.Kind {
		case wasmbin.FuncKind:
			if int(im.Func) < len(wm.Types) {
				e.Desc = wm.Types[im.Func].String()
			}
		case wasmbin.TableKind:
			e.Desc = im.Table.Elem.String() + " " + limitsString(im.Table.Limits)
		case wasmbin.MemoryKind:
			e.Desc = "pages " + limitsString(im.Mem.Limits)
		case wasmbin.GlobalKind:
			e.Desc = globalTypeString(im.Global)
		}
		out = append(out, e)
	}
	return out
}

// Exports lists the module's exports in order.
func (m *Module) Exports() []Extern {
	wm := m.wasm
	var out []Extern
	for _, ex := range wm.Exports {
		e := Extern{Name: ex.Name, Kind: kindNames[ex.Kind], Index: ex.Index}
		switch ex.Kind {
		case wasmbin.FuncKind:
			if ft, ok := wm.FuncType(ex.Index); ok {
				e.Desc = ft.String()
			}
		case wasmbin.GlobalKind:
			if gt, ok := wm.GlobalType(ex.Index); ok {
				e.Desc = globalTypeString(gt)
			}
		}
		out = append(out, e)
	}
	return out
}

func (s *Session) globalValue(idx uint32) (Value, error) {
	t, err := s.stoppedTarget()
	if err != nil {
		return Value{}, err
	}
	_, inst := s.selectedInstance()
	return t.Global(inst, idx)
}

// SortedFunctions returns the defined functions of every module, sorted by
// address.
func (p *Program) SortedFunctions() []Function {
	var out []Function
	for _, m := range p.Modules {
		for _, f := range m.Functions() {
			if !f.Imported {
				out = append(out, f)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Module != out[j].Module {
			return out[i].Module < out[j].Module
		}
		return out[i].Start < out[j].Start
	})
	return out
}
