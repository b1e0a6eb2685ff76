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
// the caller should then capture every local. For many pcs of one
// function, FuncLocalsIndex is faster.
func (d *Data) WasmLocalsAt(pc CodeOffset) (locals []uint32, ok bool) {
	ix := d.FuncLocalsIndex(d.FuncAt(pc))
	if ix == nil {
		return nil, false
	}
	return ix.At(pc)
}

// LocalsIndex answers WasmLocalsAt for many pcs of one function without
// walking its scopes each time: built once per function, it holds the
// locals that are named everywhere (the frame base, single-expression
// locations) and, for location lists, the ranges where each entry applies.
type LocalsIndex struct {
	Func   *Func
	always []uint32
	ranged []rangedLocals
	ok     bool
}

type rangedLocals struct {
	lo, hi CodeOffset
	locals []uint32
}

// FuncLocalsIndex builds the index of f (see WasmLocalsAt). It returns nil
// for a nil f.
func (d *Data) FuncLocalsIndex(f *Func) *LocalsIndex {
	if f == nil {
		return nil
	}
	if f.CU != nil {
		d.decodeCU(f.CU)
	}
	ix := &LocalsIndex{Func: f, ok: true}
	add := func(e Expr) []uint32 {
		ls, good := e.WasmLocals()
		ix.ok = ix.ok && good
		return ls
	}
	addVar := func(v *Var) {
		ix.always = append(ix.always, add(v.Loc.Expr)...)
		ix.always = append(ix.always, add(v.Loc.Default)...)
		for _, r := range v.Loc.List {
			if ls := add(r.Expr); len(ls) > 0 {
				ix.ranged = append(ix.ranged, rangedLocals{r.Low, r.High, ls})
			}
		}
	}
	ix.always = append(ix.always, add(f.FrameBase)...)
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
	ix.always = sortedUnique(ix.always)
	return ix
}

// At returns the locals the function's debug info can name at pc; ok is
// false if some expression could not be decoded (capture every local).
func (ix *LocalsIndex) At(pc CodeOffset) (locals []uint32, ok bool) {
	locals = append(locals, ix.always...)
	for _, r := range ix.ranged {
		if pc >= r.lo && pc < r.hi {
			locals = append(locals, r.locals...)
		}
	}
	return sortedUnique(locals), ix.ok
}
