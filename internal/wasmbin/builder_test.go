package wasmbin

import (
	"bytes"
	"os"
	"testing"
)

// Modules built in Go, for features wabt 1.0.32 cannot assemble: the new
// exception handling (try_table, throw_ref, exnref) and 64-bit tables.
// They go through Module.Encode, so they also test the encoder; the bytes
// are committed under testdata/built_*.wasm (rewrite with -update) so the
// fuzzer and other packages' tests can use them.

// code builds a Code entry from instructions (the final end is added).
func code(locals []LocalDecl, instrs ...Instr) Code {
	return Code{Locals: locals, Body: EncodeBody(append(instrs, op(OpEnd)))}
}

func op(o Op) Instr                   { return Instr{Op: o} }
func opIdx(o Op, idx uint32) Instr    { return Instr{Op: o, Index: idx} }
func i32c(v int32) Instr              { return Instr{Op: OpI32Const, Const: uint64(int64(v))} }
func i64c(v int64) Instr              { return Instr{Op: OpI64Const, Const: uint64(v)} }
func blockT(o Op, bt BlockType) Instr { return Instr{Op: o, Block: bt} }

var (
	btEmpty = BlockType{Kind: BlockEmpty}
	btI32   = BlockType{Kind: BlockVal, Val: I32}
	btExn   = BlockType{Kind: BlockVal, Val: ExnRef}
)

// exnrefModule is, in the text format of the exception-handling proposal:
//
//	(module
//	  (type $v (func))  (type $i (func (param i32)))  (type $r (func (result i32)))
//	  (type $ie (func (result i32 exnref)))
//	  (import "env" "tag" (tag $imp (param i64)))
//	  (tag $e (param i32))  (tag $e0)
//	  (func $catch (result i32)
//	    (block $h (result i32)
//	      (try_table (catch $e $h) (throw $e (i32.const 1)))
//	      (i32.const 0)))
//	  (func $catch_all_ref
//	    (block $h (result exnref)
//	      (try_table (catch_all_ref $h) (call $catch) (drop))
//	      (return))
//	    (throw_ref))
//	  (func $catch_ref (result i32)
//	    (block $out
//	      (block $h (type $ie)
//	        (try_table (result i32) (catch_ref $e $h) (catch_all $out) (catch $e0 $out)
//	          (throw $e0))
//	        (unreachable))
//	      (drop)
//	      (return))
//	    (i32.const 7))
//	  (func $nested (param exnref) (local exnref)
//	    (block $h (result exnref)
//	      (try_table (catch_all_ref $h) (throw_ref (local.get 0)))
//	      (unreachable))
//	    (local.set 1)))
func exnrefModule() *Module {
	catch := func(kind byte, tag, label uint32) Catch { return Catch{Kind: kind, Tag: tag, Label: label} }
	return &Module{
		Types: []FuncType{
			{},
			{Params: []ValType{I32}},
			{Results: []ValType{I32}},
			{Results: []ValType{I32, ExnRef}},
			{Params: []ValType{I64}},
			{Params: []ValType{ExnRef}},
		},
		Imports: []Import{{Module: "env", Name: "tag", Kind: TagKind, Tag: 4}},
		Tags:    []uint32{1, 0},
		Funcs:   []uint32{2, 0, 2, 5},
		Exports: []Export{{Name: "catch", Kind: FuncKind, Index: 0}, {Name: "e", Kind: TagKind, Index: 1}},
		Code: []Code{
			code(nil,
				blockT(OpBlock, btI32),
				Instr{Op: OpTryTable, Block: btEmpty, Catches: []Catch{catch(CatchTag, 1, 0)}},
				i32c(1), opIdx(OpThrow, 1),
				op(OpEnd),
				i32c(0),
				op(OpEnd),
			),
			code(nil,
				blockT(OpBlock, btExn),
				Instr{Op: OpTryTable, Block: btEmpty, Catches: []Catch{catch(CatchAllRef, 0, 0)}},
				opIdx(OpCall, 0), op(OpDrop),
				op(OpEnd),
				op(OpReturn),
				op(OpEnd),
				op(OpThrowRef),
			),
			code(nil,
				blockT(OpBlock, btEmpty),
				blockT(OpBlock, BlockType{Kind: BlockTypeIndex, TypeIndex: 3}),
				Instr{Op: OpTryTable, Block: btI32, Catches: []Catch{
					catch(CatchRef, 1, 0), catch(CatchAll, 0, 1), catch(CatchTag, 2, 1),
				}},
				opIdx(OpThrow, 2),
				op(OpEnd),
				op(OpUnreachable),
				op(OpEnd),
				op(OpDrop),
				op(OpReturn),
				op(OpEnd),
				i32c(7),
			),
			code([]LocalDecl{{Count: 1, Type: ExnRef}},
				blockT(OpBlock, btExn),
				Instr{Op: OpTryTable, Block: btEmpty, Catches: []Catch{catch(CatchAllRef, 0, 0)}},
				opIdx(OpLocalGet, 0), op(OpThrowRef),
				op(OpEnd),
				op(OpUnreachable),
				op(OpEnd),
				opIdx(OpLocalSet, 1),
			),
		},
		Names: &Names{Funcs: map[uint32]string{0: "catch", 1: "catch_all_ref", 2: "catch_ref", 3: "nested"}},
	}
}

// table64Module exercises 64-bit tables (table64), a shared 64-bit memory
// (limits flags 0x07) and a passive data segment used by memory.init.
func table64Module() *Module {
	return &Module{
		Types:  []FuncType{{Params: []ValType{I64}, Results: []ValType{I64}}, {}},
		Funcs:  []uint32{0, 1},
		Tables: []TableType{{Elem: FuncRef, Limits: Limits{Min: 2, Max: 1 << 40, HasMax: true, Is64: true}}, {Elem: ExternRef, Limits: Limits{Min: 1}}},
		Mems:   []MemType{{Limits: Limits{Min: 1, Max: 1 << 33, HasMax: true, Shared: true, Is64: true}}},
		Elems: []Elem{
			{Mode: ModeActive, Table: 0, Offset: ConstExpr{[]Instr{i64c(0)}}, Type: FuncRef, Funcs: []uint32{0, 1}},
			{Mode: ModePassive, Type: FuncRef, Exprs: []ConstExpr{}},
		},
		DataCount: ptr(uint32(1)),
		Datas:     []Data{{Mode: ModePassive, Init: []byte("abc")}},
		Code: []Code{
			code(nil,
				opIdx(OpLocalGet, 0), opIdx(OpLocalGet, 0),
				Instr{Op: OpCallIndirect, Index: 0, Index2: 0}, // i64 table index
				opIdx(OpTableSize, 0), op(OpI64Add),
				Instr{Op: OpRefNull, Index: uint32(FuncRef)}, i64c(1), opIdx(OpTableGrow, 0), op(OpI64Add),
				i64c(0), opIdx(OpTableGet, 0), op(OpDrop),
				i64c(0), Instr{Op: OpRefNull, Index: uint32(FuncRef)}, i64c(1), opIdx(OpTableFill, 0),
				i64c(0), i32c(0), i32c(0), Instr{Op: OpTableInit, Index: 1, Index2: 0},
				i64c(0), i64c(0), i64c(0), Instr{Op: OpTableCopy},
				i32c(0), i32c(0), i32c(0), Instr{Op: OpTableCopy, Index: 1, Index2: 1},
				i64c(0), i32c(0), i32c(3), Instr{Op: OpMemoryInit, Index: 0},
				i64c(8), i64c(0), Instr{Op: OpI64AtomicRmwAdd, Mem: MemArg{Align: 3, Offset: 1 << 40}},
				op(OpI64Add),
			),
			code(nil, op(OpNop)),
		},
	}
}

func ptr[T any](v T) *T { return &v }

var builtModules = []struct {
	name  string
	build func() *Module
}{
	{"built_exnref.wasm", exnrefModule},
	{"built_table64.wasm", table64Module},
}

func TestBuiltModules(t *testing.T) {
	for _, bm := range builtModules {
		t.Run(bm.name, func(t *testing.T) {
			m := bm.build()
			enc := m.Encode()
			path := "testdata/" + bm.name
			if *update {
				requireNoError(t, os.WriteFile(path, enc, 0o644))
			} else if !bytes.Equal(enc, readFile(t, path)) {
				t.Fatalf("%s is stale: run go test ./internal/wasmbin -run TestBuiltModules -update", path)
			}
			got := mustDecode(t, enc)
			requireSameModule(t, m, got)
			for i := range got.Code {
				instrs, err := got.DecodeFunc(i)
				requireNoError(t, err)
				typeFunction(t, got, i, instrs)
			}
			requireTrue(t, bytes.Equal(enc, got.Encode()))
		})
	}
}
