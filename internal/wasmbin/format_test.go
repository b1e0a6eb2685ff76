package wasmbin

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// disassemble formats every instruction of defined function defIdx, one
// per line with its code offset, indented by block depth.
func disassemble(t *testing.T, m *Module, defIdx int) string {
	t.Helper()
	instrs, err := m.DecodeFunc(defIdx)
	requireNoError(t, err)
	var b strings.Builder
	fidx := m.NumImportedFuncs() + defIdx
	ft, _ := m.FuncType(uint32(fidx))
	fmt.Fprintf(&b, "func %d <%s> %s\n", fidx, m.FuncName(uint32(fidx)), ft)
	depth := 1
	for _, in := range instrs {
		switch in.Op {
		case OpEnd, OpDelegate:
			depth--
		}
		indent := depth
		if in.Op == OpElse || in.Op == OpCatch || in.Op == OpCatchAll {
			indent--
		}
		fmt.Fprintf(&b, "%06x %s%s\n", in.Off, strings.Repeat("  ", indent), in.Format(m))
		switch in.Op {
		case OpBlock, OpLoop, OpIf, OpTry, OpTryTable:
			depth++
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		requireNoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	requireNoError(t, err, "golden file (run with -update to create)")
	if string(want) != got {
		t.Fatalf("%s differs (run with -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// TestFormatGoldenFixture disassembles one small function of a real
// clang build.
func TestFormatGoldenFixture(t *testing.T) {
	m := mustDecode(t, readFile(t, "../../fixtures/testdata/c/fib/fib.O0.wasm"))
	def := -1
	for i := range m.Code {
		if m.FuncName(uint32(m.NumImportedFuncs()+i)) == "fib" {
			def = i
		}
	}
	requireTrue(t, def >= 0, "function fib not found")
	checkGolden(t, "testdata/fib.O0.fib.golden", disassemble(t, m, def))
}

// TestFormatGoldenTestdata disassembles every function of the hand-made
// test modules, which between them use every opcode.
func TestFormatGoldenTestdata(t *testing.T) {
	for _, path := range testdataModules(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m := mustDecode(t, readFile(t, path))
			var b strings.Builder
			for i := range m.Code {
				b.WriteString(disassemble(t, m, i))
			}
			checkGolden(t, strings.TrimSuffix(path, ".wasm")+".disasm.golden", b.String())
		})
	}
}

func TestFormat(t *testing.T) {
	m := &Module{
		Imports: []Import{{Module: "env", Name: "printf", Kind: FuncKind}},
		Exports: []Export{{Name: "main", Kind: FuncKind, Index: 1}, {Name: "g", Kind: GlobalKind, Index: 0}},
		Names:   &Names{Funcs: map[uint32]string{0: "printf"}},
	}
	f32 := func(f float32) uint64 { return uint64(math.Float32bits(f)) }
	f64 := func(f float64) uint64 { return math.Float64bits(f) }
	tests := []struct {
		in   Instr
		m    *Module
		want string
	}{
		{i32c(42), nil, "i32.const 42"},
		{i32c(-1), nil, "i32.const -1"},
		{i64c(math.MinInt64), nil, "i64.const -9223372036854775808"},
		{Instr{Op: OpF32Const, Const: f32(0.1)}, nil, "f32.const 0.1"},
		{Instr{Op: OpF32Const, Const: f32(float32(math.Inf(-1)))}, nil, "f32.const -inf"},
		{Instr{Op: OpF32Const, Const: 0x7fc00000}, nil, "f32.const nan"},
		{Instr{Op: OpF32Const, Const: 0xffc00001}, nil, "f32.const -nan:0x400001"},
		{Instr{Op: OpF64Const, Const: f64(-0.0)}, nil, "f64.const 0"},
		{Instr{Op: OpF64Const, Const: 1 << 63}, nil, "f64.const -0"},
		{Instr{Op: OpF64Const, Const: f64(1e300)}, nil, "f64.const 1e+300"},
		{Instr{Op: OpF64Const, Const: 0x7ff0000000000008}, nil, "f64.const nan:0x8"},
		{opIdx(OpLocalGet, 2), nil, "local.get 2"},
		{opIdx(OpCall, 0), m, "call 0 <printf>"},
		{opIdx(OpCall, 1), m, "call 1 <main>"},
		{opIdx(OpCall, 2), m, "call 2"},
		{opIdx(OpCall, 0), nil, "call 0"},
		{opIdx(OpRefFunc, 1), m, "ref.func 1 <main>"},
		{opIdx(OpGlobalGet, 0), m, "global.get 0 <g>"},
		{opIdx(OpBrIf, 1), nil, "br_if 1"},
		{Instr{Op: OpBrTable, Labels: []uint32{0, 1, 2, 3}}, nil, "br_table 0 1 2 3"},
		{Instr{Op: OpI32Load, Mem: MemArg{Align: 2, Offset: 8}}, nil, "i32.load offset=8 align=4"},
		{Instr{Op: OpI32Load8U}, nil, "i32.load8_u align=1"},
		{Instr{Op: OpI64Store, Mem: MemArg{Align: 3, Mem: 2}}, nil, "i64.store 2 align=8"},
		{Instr{Op: OpV128Load16Lane, Mem: MemArg{Align: 1, Offset: 4}, Index: 7}, nil, "v128.load16_lane offset=4 align=2 7"},
		{blockT(OpBlock, btEmpty), nil, "block"},
		{blockT(OpBlock, btI32), nil, "block (result i32)"},
		{blockT(OpLoop, BlockType{Kind: BlockTypeIndex, TypeIndex: 3}), nil, "loop (type 3)"},
		{Instr{Op: OpCallIndirect, Index: 3}, nil, "call_indirect (type 3)"},
		{Instr{Op: OpReturnCallIndirect, Index: 3, Index2: 1}, nil, "return_call_indirect 1 (type 3)"},
		{Instr{Op: OpSelectT, Types: []ValType{ExternRef}}, nil, "select (result externref)"},
		{Instr{Op: OpRefNull, Index: uint32(ExnRef)}, nil, "ref.null exn"},
		{Instr{Op: OpMemorySize}, nil, "memory.size"},
		{Instr{Op: OpMemoryGrow, Index: 1}, nil, "memory.grow 1"},
		{Instr{Op: OpMemoryInit, Index: 3}, nil, "memory.init 3"},
		{Instr{Op: OpMemoryInit, Index: 3, Index2: 1}, nil, "memory.init 1 3"},
		{Instr{Op: OpMemoryCopy}, nil, "memory.copy"},
		{Instr{Op: OpMemoryCopy, Index: 1}, nil, "memory.copy 1 0"},
		{Instr{Op: OpTableInit, Index: 2}, nil, "table.init 2"},
		{Instr{Op: OpTableGet}, nil, "table.get 0"},
		{Instr{Op: OpI8x16Shuffle, V128: [16]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31}}, nil,
			"i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31"},
		{Instr{Op: OpV128Const, V128: [16]byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}}, nil,
			"v128.const i32x4 0x00000001 0x00000002 0x00000003 0xffffffff"},
		{opIdx(OpI8x16ExtractLaneS, 3), nil, "i8x16.extract_lane_s 3"},
		{Instr{Op: OpTryTable, Block: btI32, Catches: []Catch{{Kind: CatchTag, Tag: 0, Label: 1}, {Kind: CatchRef, Tag: 1, Label: 2}, {Kind: CatchAll, Label: 2}, {Kind: CatchAllRef, Label: 3}}}, nil,
			"try_table (result i32) (catch 0 1) (catch_ref 1 2) (catch_all 2) (catch_all_ref 3)"},
		{opIdx(OpDelegate, 1), nil, "delegate 1"},
		{Instr{Op: OpAtomicFence}, nil, "atomic.fence"},
		{Instr{Op: OpMemoryAtomicNotify, Mem: MemArg{Align: 2}}, nil, "memory.atomic.notify align=4"},
		{Instr{Op: 0xFD<<24 | 0x1ff}, nil, "0xfd 0x1ff"},
	}
	for _, tc := range tests {
		requireEqual(t, tc.want, tc.in.Format(tc.m))
	}
	in := Instr{Op: OpF32Const, Const: f32(0.1)}
	requireEqual(t, float32(0.1), in.F32())
	in = Instr{Op: OpF64Const, Const: f64(-2.5)}
	requireEqual(t, -2.5, in.F64())
	in = i64c(-7)
	requireEqual(t, int64(-7), in.I64())
	in = i32c(-7)
	requireEqual(t, int32(-7), in.I32())
}

func TestTypeStrings(t *testing.T) {
	requireEqual(t, "(i32, i64) -> (f32)", FuncType{Params: []ValType{I32, I64}, Results: []ValType{F32}}.String())
	requireEqual(t, "() -> ()", FuncType{}.String())
	requireEqual(t, "funcref", FuncRef.String())
	requireEqual(t, "exnref", ExnRef.String())
	requireEqual(t, "unknown", Unknown.String())
	requireEqual(t, "valtype(0x42)", ValType(0x42).String())
	requireEqual(t, "data count", SectionDataCount.String())
	requireEqual(t, "tag", SectionTag.String())
	requireEqual(t, "section(14)", SectionID(14).String())
	requireEqual(t, "global", GlobalKind.String())
	requireEqual(t, "declarative", ModeDeclarative.String())
}
