package component

import (
	"fmt"
	"sort"

	"wdbg/internal/wasmbin"
)

// memSplit is a core module with several memories, lowered for wazero,
// which runs one memory per module (it does not implement the multi-memory
// proposal).
//
// Memory 0 stays in the module. Every other memory j moves to a helper
// module of its own, which defines it (or imports it, where the module
// imported it), exports it as [helperMemory], and exports one function per
// distinct instruction the module applies to it ("i32.load8_u offset=4",
// "memory.grow"...). The module imports those functions and calls them in
// place of the instructions: each has the instruction's own stack
// signature, so the rewrite is one call for one instruction. Active data
// segments for memory j move to the helper (the module keeps an empty
// passive segment in their place, so segment indices and the trap of a
// memory.init on a dropped segment are unchanged), and the module's exports
// of memory j become the helper's export.
//
// A memory access through a helper costs a call, which is fine for what
// runs components with several memories here: the spec tests and programs
// under test, not production traffic.
type memSplit struct {
	module  *wasmbin.Module
	helpers []*wasmbin.Module // memory j lives in helpers[j-1]
	// memExports maps the module's exports of a memory other than memory
	// 0 to that memory's index.
	memExports map[string]int
}

// helperMemory is the name under which a helper exports its memory.
const helperMemory = "memory"

// memAccess is one distinct instruction on a moved memory: what a helper
// exports a function for.
type memAccess struct {
	op  wasmbin.Op
	mem wasmbin.MemArg // Mem is the original memory index
}

// splitMemories lowers m when it has more than one memory, and returns nil
// when it has one or none. helper(j) is the module name helper j will be
// instantiated under. m's imports must already name what they resolve to.
func splitMemories(m *wasmbin.Module, helper func(j int) string) (*memSplit, error) {
	type memSource struct {
		imp *wasmbin.Import // nil for a defined memory
		typ wasmbin.MemType
	}
	var mems []memSource
	for i := range m.Imports {
		if im := &m.Imports[i]; im.Kind == wasmbin.MemoryKind {
			mems = append(mems, memSource{imp: im, typ: im.Mem})
		}
	}
	for _, t := range m.Mems {
		mems = append(mems, memSource{typ: t})
	}
	if len(mems) <= 1 {
		return nil, nil
	}
	for j, ms := range mems[1:] {
		if ms.typ.Limits.Is64 {
			return nil, fmt.Errorf("memory %d is 64-bit: wazero runs one memory per module, and wdbg moves the others to helper modules only when they are 32-bit", j+1)
		}
	}

	// Decode every body and find the instructions on moved memories.
	bodies := make([][]wasmbin.Instr, len(m.Code))
	accesses := map[memAccess]int{} // -> index in order
	var order []memAccess
	for i, c := range m.Code {
		instrs, err := wasmbin.DecodeBody(c.Body, c.BodyStart)
		if err != nil {
			return nil, fmt.Errorf("function %d: %w", m.NumImportedFuncs()+i, err)
		}
		bodies[i] = instrs
		for k := range instrs {
			a, moved, err := movedAccess(&instrs[k])
			if err != nil {
				return nil, fmt.Errorf("function %d at 0x%x: %w", m.NumImportedFuncs()+i, uint32(instrs[k].Off), err)
			}
			if moved && int(a.mem.Mem) >= len(mems) {
				return nil, fmt.Errorf("function %d at 0x%x: memory %d out of range (%d memories)", m.NumImportedFuncs()+i, uint32(instrs[k].Off), a.mem.Mem, len(mems))
			}
			if moved {
				if _, ok := accesses[a]; !ok {
					accesses[a] = len(order)
					order = append(order, a)
				}
			}
		}
	}
	// Helpers export their functions in a fixed order: by memory, then as
	// first used.
	sort.SliceStable(order, func(i, j int) bool { return order[i].mem.Mem < order[j].mem.Mem })
	for i, a := range order {
		accesses[a] = i
	}

	out := *m // shallow copy; every slice changed below is replaced
	split := &memSplit{module: &out, memExports: map[string]int{}}
	for j := 1; j < len(mems); j++ {
		h := &wasmbin.Module{}
		if im := mems[j].imp; im != nil {
			h.Imports = []wasmbin.Import{{Module: im.Module, Name: im.Name, Kind: wasmbin.MemoryKind, Mem: im.Mem}}
		} else {
			h.Mems = []wasmbin.MemType{mems[j].typ}
		}
		h.Exports = []wasmbin.Export{{Name: helperMemory, Kind: wasmbin.MemoryKind}}
		split.helpers = append(split.helpers, h)
	}
	typeIndex := func(types *[]wasmbin.FuncType, t wasmbin.FuncType) uint32 {
		for i, u := range *types {
			if u.String() == t.String() {
				return uint32(i)
			}
		}
		*types = append(*types, t)
		return uint32(len(*types) - 1)
	}

	// The module imports the helpers' functions after its own imports, so
	// its defined functions move up by len(order).
	out.Types = append([]wasmbin.FuncType(nil), m.Types...)
	// Memory 0's import, if it is imported, stays where it was; the other
	// memories' imports move to their helpers.
	out.Imports = nil
	firstMem := true
	for _, im := range m.Imports {
		if im.Kind == wasmbin.MemoryKind {
			if !firstMem {
				continue
			}
			firstMem = false
		}
		out.Imports = append(out.Imports, im)
	}
	if mems[0].imp != nil {
		out.Mems = nil
	} else {
		out.Mems = m.Mems[:1:1]
	}
	nimp := uint32(m.NumImportedFuncs())
	shift := uint32(len(order))
	for i, a := range order {
		t, _ := accessSignature(a)
		j := int(a.mem.Mem)
		h := split.helpers[j-1]
		f := uint32(len(h.Funcs))
		h.Funcs = append(h.Funcs, typeIndex(&h.Types, t))
		h.Code = append(h.Code, accessBody(a, len(t.Params)))
		name := fmt.Sprintf("%s offset=%d align=%d #%d", a.op, a.mem.Offset, a.mem.Align, i)
		h.Exports = append(h.Exports, wasmbin.Export{Name: name, Kind: wasmbin.FuncKind, Index: f})
		out.Imports = append(out.Imports, wasmbin.Import{Module: helper(j), Name: name, Kind: wasmbin.FuncKind, Func: typeIndex(&out.Types, t)})
	}
	fn := func(f uint32) uint32 {
		if f >= nimp {
			return f + shift
		}
		return f
	}

	// Bodies: moved accesses become calls; function indices move.
	out.Code = make([]wasmbin.Code, len(m.Code))
	for i, instrs := range bodies {
		for k := range instrs {
			in := &instrs[k]
			if a, moved, _ := movedAccess(in); moved {
				*in = wasmbin.Instr{Op: wasmbin.OpCall, Off: in.Off, Index: nimp + uint32(accesses[a])}
				continue
			}
			switch in.Op {
			case wasmbin.OpCall, wasmbin.OpReturnCall, wasmbin.OpRefFunc:
				in.Index = fn(in.Index)
			}
		}
		out.Code[i] = wasmbin.Code{Locals: m.Code[i].Locals, Body: wasmbin.EncodeBody(instrs)}
	}

	// Data segments of moved memories go to their helpers.
	out.Datas = make([]wasmbin.Data, len(m.Datas))
	for i, d := range m.Datas {
		if d.Mode == wasmbin.ModeActive && int(d.Mem) >= len(mems) {
			return nil, fmt.Errorf("data segment %d: memory %d out of range (%d memories)", i, d.Mem, len(mems))
		}
		if d.Mode == wasmbin.ModeActive && d.Mem >= 1 {
			if !constOffset(d.Offset) {
				return nil, fmt.Errorf("data segment %d of memory %d has a computed offset, which a helper module cannot evaluate", i, d.Mem)
			}
			h := split.helpers[d.Mem-1]
			h.Datas = append(h.Datas, wasmbin.Data{Mode: wasmbin.ModeActive, Offset: d.Offset, Init: d.Init})
			d = wasmbin.Data{Mode: wasmbin.ModePassive}
		}
		out.Datas[i] = d
	}

	// Everything else that names a function or a memory.
	renum := m.Renumbered(fn, func(g uint32) uint32 { return g })
	out.Start, out.Globals, out.Elems, out.Names = renum.Start, renum.Globals, renum.Elems, renum.Names
	out.Exports = nil
	for _, e := range renum.Exports {
		if e.Kind == wasmbin.MemoryKind && e.Index >= 1 {
			if int(e.Index) >= len(mems) {
				return nil, fmt.Errorf("export %q: memory %d out of range (%d memories)", e.Name, e.Index, len(mems))
			}
			split.memExports[e.Name] = int(e.Index)
			continue
		}
		out.Exports = append(out.Exports, e)
	}
	return split, nil
}

// movedAccess reports an instruction on a memory other than memory 0,
// and fails for the ones a helper cannot stand in for.
func movedAccess(in *wasmbin.Instr) (memAccess, bool, error) {
	switch in.Op {
	case wasmbin.OpMemorySize, wasmbin.OpMemoryGrow, wasmbin.OpMemoryFill:
		if in.Index == 0 {
			return memAccess{}, false, nil
		}
		return memAccess{op: in.Op, mem: wasmbin.MemArg{Mem: in.Index}}, true, nil
	case wasmbin.OpMemoryCopy:
		switch {
		case in.Index == 0 && in.Index2 == 0:
			return memAccess{}, false, nil
		case in.Index != in.Index2:
			return memAccess{}, false, fmt.Errorf("memory.copy from memory %d to memory %d: a copy between two memories cannot be moved to a helper module", in.Index2, in.Index)
		}
		return memAccess{op: in.Op, mem: wasmbin.MemArg{Mem: in.Index}}, true, nil
	case wasmbin.OpMemoryInit:
		if in.Index2 != 0 {
			return memAccess{}, false, fmt.Errorf("memory.init into memory %d is not supported (its segment stays in the module)", in.Index2)
		}
		return memAccess{}, false, nil
	}
	if in.Mem.Mem == 0 {
		return memAccess{}, false, nil
	}
	a := memAccess{op: in.Op, mem: in.Mem}
	if _, ok := accessSignature(a); !ok {
		return memAccess{}, false, fmt.Errorf("%s on memory %d is not supported", in.Op, in.Mem.Mem)
	}
	return a, true, nil
}

// accessSignature is the stack signature of an access, which the helper's
// function takes.
func accessSignature(a memAccess) (wasmbin.FuncType, bool) {
	if a.op == wasmbin.OpMemoryCopy {
		return wasmbin.FuncType{Params: []wasmbin.ValType{wasmbin.I32, wasmbin.I32, wasmbin.I32}}, true
	}
	return a.op.Signature(false)
}

// accessBody is a helper function's body: its parameters, then the
// instruction on the helper's only memory.
func accessBody(a memAccess, nparams int) wasmbin.Code {
	var instrs []wasmbin.Instr
	for p := range nparams {
		instrs = append(instrs, wasmbin.Instr{Op: wasmbin.OpLocalGet, Index: uint32(p)})
	}
	in := wasmbin.Instr{Op: a.op, Mem: a.mem}
	in.Mem.Mem = 0
	instrs = append(instrs, in, wasmbin.Instr{Op: wasmbin.OpEnd})
	return wasmbin.Code{Body: wasmbin.EncodeBody(instrs)}
}

// constOffset reports a constant expression a helper module can evaluate
// alone.
func constOffset(e wasmbin.ConstExpr) bool {
	return len(e.Instrs) == 1 && (e.Instrs[0].Op == wasmbin.OpI32Const || e.Instrs[0].Op == wasmbin.OpI64Const)
}
