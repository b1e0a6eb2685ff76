package dwarf

import (
	"debug/dwarf"
	"sort"
)

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
	ix := d.FuncLocalsIndex(d.FuncAtIndexed(pc))
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

// FuncAtIndexed is FuncAt without decoding the function's compile unit:
// the Func has its name, ranges and frame base, but not yet its scopes,
// parameters or types. For work over every function, where decoding every
// unit would cost more than the work.
func (d *Data) FuncAtIndexed(pc CodeOffset) *Func {
	if d == nil {
		return nil
	}
	return d.idx.funcAt(pc)
}

// FuncLocalsIndex builds the index of f (see WasmLocalsAt). It reads only
// the frame base and the location attributes in f's entries, without
// decoding types or scopes, so that building it for every function of a
// large module is cheap. It returns nil for a nil f. Safe for concurrent
// use.
func (d *Data) FuncLocalsIndex(f *Func) *LocalsIndex {
	if f == nil {
		return nil
	}
	ix := &LocalsIndex{Func: f, ok: true}
	add := func(e Expr) []uint32 {
		ls, good := e.WasmLocals()
		ix.ok = ix.ok && good
		return ls
	}
	ix.always = append(ix.always, add(f.FrameBase)...)
	r := d.dw.Reader()
	r.Seek(f.off)
	e, err := r.Next()
	if err != nil || e == nil {
		ix.ok = false
		return ix
	}
	for depth := btoi(e.Children); depth > 0; {
		e, err := r.Next()
		if err != nil || e == nil {
			ix.ok = false
			break
		}
		if e.Tag == 0 {
			depth--
			continue
		}
		if e.Children {
			depth++
		}
		field := e.AttrField(dwarf.AttrLocation)
		if field == nil {
			continue
		}
		loc, err := d.location(f.CU, field)
		if err != nil {
			ix.ok = false
			continue
		}
		ix.always = append(ix.always, add(loc.Expr)...)
		ix.always = append(ix.always, add(loc.Default)...)
		for _, lr := range loc.List {
			if ls := add(lr.Expr); len(ls) > 0 {
				ix.ranged = append(ix.ranged, rangedLocals{lr.Low, lr.High, ls})
			}
		}
	}
	ix.always = sortedUnique(ix.always)
	return ix
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
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
