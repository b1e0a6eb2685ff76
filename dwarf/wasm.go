package dwarf

import "sort"

// WasmLocals returns the wasm locals that e names with
// DW_OP_WASM_location 0 (sorted, without duplicates). ok is false if e
// could not be decoded, in which case the caller cannot know which locals
// it needs.
func (e Expr) WasmLocals() (locals []uint32, ok bool) {
	err := walkOps(e, 4, func(op byte, off int, raw []byte) bool {
		if op != opWasmLocation {
			return true
		}
		in, err := decodeOp(e, off, 4)
		if err == nil && in.u == wasmLocal {
			locals = append(locals, uint32(in.u2))
		}
		return true
	})
	return sortedUnique(locals), err == nil
}

func sortedUnique(v []uint32) []uint32 {
	if len(v) == 0 {
		return v
	}
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	out := v[:1]
	for _, x := range v[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}

// WasmLocalsAt returns the wasm locals that the debug info of the function
// containing pc can refer to at pc: its frame base, and the locations of
// its variables and parameters that are valid at pc (a location list entry
// that does not cover pc names a local the variable is not in there). ok
// is false if pc has no function or some expression could not be decoded;
// the caller should then capture every local.
func (d *Data) WasmLocalsAt(pc CodeOffset) (locals []uint32, ok bool) {
	f := d.FuncAt(pc)
	if f == nil {
		return nil, false
	}
	if f.CU != nil {
		d.decodeCU(f.CU)
	}
	ok = true
	add := func(e Expr) {
		ls, good := e.WasmLocals()
		locals = append(locals, ls...)
		ok = ok && good
	}
	addVar := func(v *Var) {
		if e, valid := v.Loc.At(pc); valid {
			add(e)
		}
	}
	add(f.FrameBase)
	for _, p := range f.Params {
		addVar(p)
	}
	var walk func(s *Scope, depth int)
	walk = func(s *Scope, depth int) {
		if s == nil || depth > maxScopeDepth {
			return
		}
		for _, v := range s.Vars {
			addVar(v)
		}
		for _, c := range s.Children {
			walk(c, depth+1)
		}
	}
	walk(f.Scope, 0)
	return sortedUnique(locals), ok
}
