package wasmbin

import "testing"

// TestRenumbered: every function and global index outside the code moves,
// and the original module is left as it was.
func TestRenumbered(t *testing.T) {
	refFunc := func(f uint32) ConstExpr { return ConstExpr{Instrs: []Instr{{Op: OpRefFunc, Index: f}}} }
	globalGet := func(g uint32) ConstExpr { return ConstExpr{Instrs: []Instr{{Op: OpGlobalGet, Index: g}}} }
	start := uint32(1)
	m := &Module{
		Exports: []Export{{Name: "f", Kind: FuncKind, Index: 2}, {Name: "g", Kind: GlobalKind, Index: 1}, {Name: "m", Kind: MemoryKind, Index: 0}},
		Start:   &start,
		Globals: []Global{{Init: refFunc(3)}},
		Elems:   []Elem{{Offset: globalGet(0), Funcs: []uint32{1, 2}}, {Exprs: []ConstExpr{refFunc(4)}}},
		Datas:   []Data{{Offset: globalGet(0)}},
		Names:   &Names{Funcs: map[uint32]string{2: "two"}, Globals: map[uint32]string{1: "g"}, Locals: map[uint32]map[uint32]string{2: {0: "x"}}},
	}
	r := m.Renumbered(func(f uint32) uint32 { return f + 10 }, func(g uint32) uint32 { return g + 100 })
	requireEqual(t, uint32(12), r.Exports[0].Index)
	requireEqual(t, uint32(101), r.Exports[1].Index)
	requireEqual(t, uint32(0), r.Exports[2].Index)
	requireEqual(t, uint32(11), *r.Start)
	requireEqual(t, uint32(13), r.Globals[0].Init.Instrs[0].Index)
	requireEqual(t, uint32(100), r.Elems[0].Offset.Instrs[0].Index)
	requireEqual(t, []uint32{11, 12}, r.Elems[0].Funcs)
	requireEqual(t, uint32(14), r.Elems[1].Exprs[0].Instrs[0].Index)
	requireEqual(t, uint32(100), r.Datas[0].Offset.Instrs[0].Index)
	requireEqual(t, "two", r.Names.Funcs[12])
	requireEqual(t, "g", r.Names.Globals[101])
	requireEqual(t, "x", r.Names.Locals[12][0])
	// The original is unchanged.
	requireEqual(t, uint32(2), m.Exports[0].Index)
	requireEqual(t, uint32(1), *m.Start)
	requireEqual(t, []uint32{1, 2}, m.Elems[0].Funcs)
	requireEqual(t, uint32(3), m.Globals[0].Init.Instrs[0].Index)
	requireEqual(t, "two", m.Names.Funcs[2])
}
