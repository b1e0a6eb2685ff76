package wasmbin

import (
	"errors"
	"testing"
)

// typerModule returns a module whose defined function 0 has type
// (params) -> (results) and the given locals and instructions (the final
// end is added), with one of everything else to refer to: a 32-bit memory,
// a funcref table, an immutable i32 and a mutable i64 global, a tag
// (param i32), a data and an element segment.
func typerModule(params, results []ValType, locals []LocalDecl, instrs ...Instr) *Module {
	return &Module{
		Types:   []FuncType{{Params: params, Results: results}, {Params: []ValType{I32}}, {Params: []ValType{I32}, Results: []ValType{I64}}},
		Funcs:   []uint32{0, 2},
		Tables:  []TableType{{Elem: FuncRef, Limits: Limits{Min: 1}}},
		Mems:    []MemType{{Limits: Limits{Min: 1}}},
		Tags:    []uint32{1},
		Globals: []Global{{Type: GlobalType{Type: I32}}, {Type: GlobalType{Type: I64, Mutable: true}}},
		Elems:   []Elem{{Mode: ModePassive, Type: FuncRef, Funcs: []uint32{0}}},
		Datas:   []Data{{Mode: ModePassive}},
		Code:    []Code{code(locals, instrs...), code(nil, i64c(0))},
	}
}

// runTyper decodes function 0 of m and steps the Typer through it,
// returning the first error.
func runTyper(t *testing.T, m *Module) error {
	t.Helper()
	instrs, err := DecodeBody(m.Code[0].Body, 0)
	requireNoError(t, err)
	ty, err := NewTyper(m, 0)
	requireNoError(t, err)
	for i := range instrs {
		if err := ty.Step(&instrs[i]); err != nil {
			return err
		}
	}
	return nil
}

func TestTyperState(t *testing.T) {
	// (func (result i32)
	//   i32.const 1
	//   block (result i64) i64.const 2 br 0 i64.add end
	//   drop
	//   loop (type 2) (param i32) (result i64) ... )
	m := typerModule(nil, []ValType{I32}, nil,
		i32c(1), // 0
		blockT(OpBlock, BlockType{Kind: BlockVal, Val: I64}), // 1
		i64c(2),        // 2
		opIdx(OpBr, 0), // 3
		op(OpI64Add),   // 4: unreachable, operands from the polymorphic bottom
		op(OpEnd),      // 5
		op(OpDrop),     // 6
		blockT(OpLoop, BlockType{Kind: BlockTypeIndex, TypeIndex: 2}), // 7: pops the i32 param
		op(OpUnreachable), // 8
		op(OpSelect),      // 9
		op(OpEnd),         // 10: leaves i64
		op(OpI32WrapI64),  // 11
	)
	instrs, err := DecodeBody(m.Code[0].Body, 0)
	requireNoError(t, err)
	ty, err := NewTyper(m, 0)
	requireNoError(t, err)

	type state struct {
		stack       []ValType
		base, depth int
		unreachable bool
	}
	want := []state{
		{nil, 0, 1, false},
		{[]ValType{I32}, 0, 1, false},
		{[]ValType{I32}, 1, 2, false},
		{[]ValType{I32, I64}, 1, 2, false},
		{[]ValType{I32}, 1, 2, true},
		{[]ValType{I32, I64}, 1, 2, true},
		{[]ValType{I32, I64}, 0, 1, false},
		{[]ValType{I32}, 0, 1, false},
		{[]ValType{I32}, 0, 2, false}, // the loop's param belongs to the loop
		{[]ValType{}, 0, 2, true},
		{[]ValType{Unknown}, 0, 2, true},
		{[]ValType{I64}, 0, 1, false},
		{[]ValType{I32}, 0, 1, false},
	}
	for i := range instrs {
		w := want[i]
		got := state{ty.Stack(), ty.FrameBase(), ty.Depth(), ty.Unreachable()}
		if len(got.stack) == 0 && len(w.stack) == 0 {
			got.stack = w.stack
		}
		requireEqual(t, w, got, "before instruction %d (%s)", i, instrs[i].Op)
		switch i {
		case 2:
			requireEqual(t, []ValType{I64}, ty.LabelTypes(0))
			requireEqual(t, []ValType{I32}, ty.LabelTypes(1))
			requireTrue(t, ty.LabelTypes(2) == nil)
		case 8:
			requireEqual(t, []ValType{I32}, ty.LabelTypes(0), "a loop's label carries its params")
		}
		requireNoError(t, ty.Step(&instrs[i]))
	}
	requireTrue(t, ty.Done())
	requireEqual(t, 0, ty.Depth())
	requireEqual(t, []ValType{I32}, ty.Stack())
	err = ty.Step(&Instr{Op: OpNop, Off: 99})
	requireEqualError(t, err, "code section: function 0 at offset 0x63: nop: instruction after the function's final end")
}

func TestTyperErrors(t *testing.T) {
	mem := func(o Op, align uint32, memIdx uint32) Instr {
		return Instr{Op: o, Mem: MemArg{Align: align, Mem: memIdx}}
	}
	tests := []struct {
		name    string
		params  []ValType
		results []ValType
		locals  []LocalDecl
		instrs  []Instr
		want    string
	}{
		{"operand type", nil, nil, nil, []Instr{i32c(1), i64c(2), op(OpI32Add), op(OpDrop)},
			"i32.add: type mismatch: expected i32, got i64"},
		{"underflow", nil, nil, nil, []Instr{i32c(1), op(OpI32Add)}, "i32.add: expected i32 but the stack is empty"},
		{"drop underflow", nil, nil, nil, []Instr{op(OpDrop)}, "drop: expected a value but the stack is empty"},
		{"leftover at end", nil, nil, nil, []Instr{i32c(1)}, "end: 1 extra values on the stack at the end of the block (block results are ())"},
		{"missing result", nil, []ValType{I32}, nil, nil, "end: expected i32 but the stack is empty"},
		{"else without if", nil, nil, nil, []Instr{blockT(OpBlock, btEmpty), op(OpElse), op(OpEnd)}, "else: else without a matching if"},
		{"if without else", nil, nil, nil, []Instr{i32c(0), blockT(OpIf, btI32), i32c(1), op(OpEnd), op(OpDrop)},
			"end: if without else must leave its params () as its results (i32)"},
		{"label out of range", nil, nil, nil, []Instr{opIdx(OpBr, 1)}, "br: label 1 out of range (1 enclosing blocks)"},
		{"br_table arity", nil, nil, nil, []Instr{blockT(OpBlock, btI32), i32c(0), i32c(0), Instr{Op: OpBrTable, Labels: []uint32{0, 1}}, op(OpEnd), op(OpDrop)},
			"br_table: br_table targets have different arities (1 and 0)"},
		{"local out of range", []ValType{I32}, nil, []LocalDecl{{2, F32}}, []Instr{opIdx(OpLocalGet, 3), op(OpDrop)},
			"local.get: local index 3 out of range (3 locals)"},
		{"local type", []ValType{I32}, nil, []LocalDecl{{2, F32}}, []Instr{i32c(0), opIdx(OpLocalSet, 1)},
			"local.set: type mismatch: expected f32, got i32"},
		{"immutable global", nil, nil, nil, []Instr{i32c(0), opIdx(OpGlobalSet, 0)}, "global.set: global 0 is immutable"},
		{"global out of range", nil, nil, nil, []Instr{opIdx(OpGlobalGet, 2), op(OpDrop)}, "global.get: global index 2 out of range"},
		{"memory out of range", nil, nil, nil, []Instr{i32c(0), mem(OpI32Load, 2, 1), op(OpDrop)}, "i32.load: memory index 1 out of range"},
		{"alignment", nil, nil, nil, []Instr{i32c(0), mem(OpI32Load, 3, 0), op(OpDrop)}, "i32.load: alignment 8 is larger than natural alignment 4"},
		{"atomic alignment", nil, nil, nil, []Instr{i32c(0), mem(OpI32AtomicLoad, 0, 0), op(OpDrop)}, "i32.atomic.load: atomic alignment must be 4, got 1"},
		{"lane", nil, nil, nil, []Instr{{Op: OpV128Const}, opIdx(OpI32x4ExtractLane, 4), op(OpDrop)}, "i32x4.extract_lane: lane index 4 out of range (4 lanes)"},
		{"shuffle lane", nil, nil, nil, []Instr{{Op: OpV128Const}, {Op: OpV128Const}, {Op: OpI8x16Shuffle, V128: [16]byte{15: 32}}, op(OpDrop)},
			"i8x16.shuffle: shuffle lane index 32 out of range (32 lanes)"},
		{"select mismatch", nil, nil, nil, []Instr{i32c(0), i64c(0), i32c(0), op(OpSelect), op(OpDrop)},
			"select: type mismatch: select operands are i32 and i64"},
		{"select refs", nil, nil, nil, []Instr{{Op: OpRefNull, Index: uint32(FuncRef)}, {Op: OpRefNull, Index: uint32(FuncRef)}, i32c(0), op(OpSelect), op(OpDrop)},
			"select: select without a type needs numeric or vector operands; use select with a result type"},
		{"typed select arity", nil, nil, nil, []Instr{{Op: OpSelectT, Types: []ValType{I32, I32}}},
			"select: typed select must have exactly one type, has 2"},
		{"call out of range", nil, nil, nil, []Instr{opIdx(OpCall, 5)}, "call: function index 5 out of range"},
		{"call type", nil, nil, nil, []Instr{i64c(0), opIdx(OpCall, 1), op(OpDrop)}, "call: type mismatch: expected i32, got i64"},
		{"return_call results", nil, nil, nil, []Instr{i32c(0), opIdx(OpReturnCall, 1)},
			"return_call: tail call to a function returning (i64) from one returning ()"},
		{"call_indirect table", nil, nil, nil, []Instr{i32c(0), {Op: OpCallIndirect, Index: 1, Index2: 1}}, "call_indirect: table index 1 out of range"},
		{"block type index", nil, nil, nil, []Instr{blockT(OpBlock, BlockType{Kind: BlockTypeIndex, TypeIndex: 9}), op(OpEnd)},
			"block: type index 9 out of range"},
		{"rethrow outside catch", nil, nil, nil, []Instr{blockT(OpBlock, btEmpty), opIdx(OpRethrow, 0), op(OpEnd)},
			"rethrow: label 0 is not a catch block"},
		{"catch outside try", nil, nil, nil, []Instr{blockT(OpBlock, btEmpty), opIdx(OpCatch, 0), op(OpEnd)}, "catch: catch outside a try block"},
		{"delegate after catch", nil, nil, nil, []Instr{blockT(OpTry, btEmpty), op(OpCatchAll), opIdx(OpDelegate, 0)},
			"delegate: delegate must end a try block without catches"},
		{"throw type", nil, nil, nil, []Instr{i64c(0), opIdx(OpThrow, 0)}, "throw: type mismatch: expected i32, got i64"},
		{"tag out of range", nil, nil, nil, []Instr{opIdx(OpThrow, 1)}, "throw: tag index 1 out of range"},
		{"catch label types", nil, nil, nil, []Instr{blockT(OpBlock, btEmpty), {Op: OpTryTable, Catches: []Catch{{Kind: CatchTag, Tag: 0, Label: 0}}}, op(OpEnd), op(OpEnd)},
			"try_table: catch clause delivers (i32) to label 0, which expects ()"},
		{"throw_ref type", nil, nil, nil, []Instr{i32c(0), op(OpThrowRef)}, "throw_ref: type mismatch: expected exnref, got i32"},
		{"data segment", nil, nil, nil, []Instr{opIdx(OpDataDrop, 1)}, "data.drop: data segment 1 out of range"},
		{"elem segment", nil, nil, nil, []Instr{opIdx(OpElemDrop, 1)}, "elem.drop: element segment 1 out of range"},
		{"ref.is_null", nil, nil, nil, []Instr{i32c(0), op(OpRefIsNull), op(OpDrop)}, "ref.is_null: expected a reference, got i32"},
		{"table.set type", nil, nil, nil, []Instr{i32c(0), {Op: OpRefNull, Index: uint32(ExternRef)}, opIdx(OpTableSet, 0)},
			"table.set: type mismatch: expected funcref, got externref"},
		{"br_table target types", nil, nil, nil, []Instr{blockT(OpBlock, btI32), blockT(OpBlock, BlockType{Kind: BlockVal, Val: I64}),
			i64c(0), i32c(0), Instr{Op: OpBrTable, Labels: []uint32{0, 1}}, op(OpEnd), op(OpDrop), i32c(0), op(OpEnd), op(OpDrop)},
			"br_table: type mismatch: expected i32, got i64"},
		{"memory64 address", nil, nil, nil, []Instr{i64c(0), mem(OpI32Load, 2, 0), op(OpDrop)}, "i32.load: type mismatch: expected i32, got i64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := typerModule(tc.params, tc.results, tc.locals, tc.instrs...)
			err := runTyper(t, m)
			var ce *CodeError
			if !errors.As(err, &ce) {
				t.Fatalf("want a *CodeError, got %v", err)
			}
			requireEqual(t, 0, ce.Func)
			requireEqualError(t, ce.Err, tc.want)
		})
	}
}

// TestTyperBrTableUnreachable: in unreachable code br_table checks every
// target against operands conjured from the polymorphic stack bottom, and
// against real operands above it.
func TestTyperBrTableUnreachable(t *testing.T) {
	pair := BlockType{Kind: BlockTypeIndex, TypeIndex: 3}
	m := typerModule(nil, nil, nil,
		blockT(OpBlock, pair), // label 2: (i32 i64)
		blockT(OpBlock, pair), // label 1
		blockT(OpBlock, pair), // label 0
		op(OpUnreachable),
		i64c(1),
		i32c(0),
		Instr{Op: OpBrTable, Labels: []uint32{0, 1, 2}},
		op(OpEnd), op(OpEnd), op(OpEnd), op(OpDrop), op(OpDrop),
	)
	m.Types = append(m.Types, FuncType{Results: []ValType{I32, I64}})
	requireNoError(t, runTyper(t, m))

	m.Code[0] = code(nil, blockT(OpBlock, pair), op(OpUnreachable), i32c(1), i32c(0),
		Instr{Op: OpBrTable, Labels: []uint32{0, 0}}, op(OpEnd), op(OpDrop), op(OpDrop))
	requireEqualError(t, runTyper(t, m), "code section: function 0 at offset 0x7: br_table: type mismatch: expected i64, got i32")
}

func TestTypeCheck(t *testing.T) {
	m := mustDecode(t, readFile(t, "testdata/control.wasm"))
	for i := range m.Code {
		requireNoError(t, m.TypeCheck(i))
	}
	m = mustDecode(t, rawFunc(0, 0x41, 0, 0x0b)) // () -> () leaving an i32
	requireEqualError(t, m.TypeCheck(0), "code section: function 0 at offset 0x19: end: 1 extra values on the stack at the end of the block (block results are ())")
	m = mustDecode(t, rawFunc(0, 0xfd, 0xff, 0x03, 0x0b))
	requireErrorIs(t, m.TypeCheck(0), ErrUnknownOpcode)
}

func TestNewTyperErrors(t *testing.T) {
	m := typerModule(nil, nil, nil)
	_, err := NewTyper(m, 2)
	requireEqualError(t, err, "no defined function 2 (module has 2)")
	m.Funcs[0] = 7
	_, err = NewTyper(m, 0)
	requireEqualError(t, err, "function 0: type index 7 out of range")
}

// TestEveryOpcodeCovered checks that the test modules, together, contain
// every opcode of the table, so decoding, encoding, formatting and typing
// are exercised for each.
func TestEveryOpcodeCovered(t *testing.T) {
	seen := map[Op]bool{}
	for _, path := range testdataModules(t) {
		m := mustDecode(t, readFile(t, path))
		for i := range m.Code {
			instrs, err := m.DecodeFunc(i)
			requireNoError(t, err)
			for _, in := range instrs {
				seen[in.Op] = true
			}
		}
	}
	for _, d := range opTable {
		if !seen[d.op] {
			t.Errorf("no test module uses %s (0x%x)", d.name, uint32(d.op))
		}
	}
}
