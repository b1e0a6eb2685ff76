package dwarf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// fakeFrame is a Frame with fixed locals, globals, stack and memory.
type fakeFrame struct {
	locals  map[uint32]uint64
	globals map[uint32]uint64
	stack   []uint64
	mem     map[uint64]byte
	pc      CodeOffset
}

func (f *fakeFrame) Local(i uint32) (uint64, bool)  { v, ok := f.locals[i]; return v, ok }
func (f *fakeFrame) Global(i uint32) (uint64, bool) { v, ok := f.globals[i]; return v, ok }
func (f *fakeFrame) Stack(i uint32) (uint64, bool) {
	if int(i) < len(f.stack) {
		return f.stack[i], true
	}
	return 0, false
}
func (f *fakeFrame) PC() CodeOffset { return f.pc }

var errFault = errors.New("out of bounds memory access")

func (f *fakeFrame) ReadMemory(addr uint64, p []byte) error {
	for i := range p {
		b, ok := f.mem[addr+uint64(i)]
		if !ok {
			return errFault
		}
		p[i] = b
	}
	return nil
}

func newFrame() *fakeFrame {
	f := &fakeFrame{
		locals:  map[uint32]uint64{0: 7, 1: 0xfffffffe, 2: 0x1000, 3: 0xffffffffffffffff, 300: 42},
		globals: map[uint32]uint64{0: 0x2000, 5: 99},
		stack:   []uint64{11, 22, 33},
		mem:     map[uint64]byte{},
	}
	// A 4-byte pointer at 0x1010 to 0x3000, and bytes 1..8 at 0x3000.
	for i, c := range u32(0x3000) {
		f.mem[0x1010+uint64(i)] = c
	}
	for i := range 8 {
		f.mem[0x3000+uint64(i)] = byte(i + 1)
	}
	return f
}

// x builds an expression from opcodes, LEB operands (uleb/sleb) and raw
// bytes.
func x(parts ...any) Expr {
	var e []byte
	for _, p := range parts {
		switch v := p.(type) {
		case int:
			e = append(e, byte(v))
		case byte:
			e = append(e, v)
		case uleb:
			e = binary.AppendUvarint(e, uint64(v))
		case sleb:
			e = appendSleb(e, int64(v))
		case []byte:
			e = append(e, v...)
		default:
			panic(fmt.Sprintf("bad part %T", p))
		}
	}
	return e
}

type (
	uleb uint64
	sleb int64
)

func appendSleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 && c&0x40 == 0 || v == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func u16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func u64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

func value(v uint64) Piece {
	return Piece{Kind: Value, Value: v, Bytes: u64(v)}
}

func inLocal(space WasmSpace, i uint32, v uint64) Piece {
	return Piece{Kind: InLocal, Value: v, Bytes: u64(v), Wasm: WasmLoc{space, i}}
}

func mem(a uint64) Piece { return Piece{Kind: InMemory, Addr: a} }

// sv appends DW_OP_stack_value.
func sv(parts ...any) Expr { return x(append(parts, opStackValue)...) }

func TestEval(t *testing.T) {
	fbLocal := x(opWasmLocation, 0, uleb(2), opStackValue) // clang's frame base: local 2
	fbGlobal := x(opWasmLocation, 3, u32(0), opStackValue) // __stack_pointer
	tests := []struct {
		name string
		e    Expr
		fb   Expr
		want []Piece
		err  error
	}{
		// Literals and constants.
		{name: "lit", e: sv(opLit0 + 31), want: []Piece{value(31)}},
		{name: "const1u", e: sv(opConst1u, 0xff), want: []Piece{value(0xff)}},
		{name: "const1s", e: sv(opConst1s, 0xff), want: []Piece{value(^uint64(0))}},
		{name: "const2u", e: sv(opConst2u, u16(0xfffe)), want: []Piece{value(0xfffe)}},
		{name: "const2s", e: sv(opConst2s, u16(0xfffe)), want: []Piece{value(^uint64(1))}},
		{name: "const4u", e: sv(opConst4u, u32(0x89abcdef)), want: []Piece{value(0x89abcdef)}},
		{name: "const4s", e: sv(opConst4s, u32(0xfffffff0)), want: []Piece{value(^uint64(15))}},
		{name: "const8u", e: sv(opConst8u, u64(1<<40)), want: []Piece{value(1 << 40)}},
		{name: "const8s", e: sv(opConst8s, u64(^uint64(2))), want: []Piece{value(^uint64(2))}},
		{name: "constu", e: sv(opConstu, uleb(300)), want: []Piece{value(300)}},
		{name: "consts", e: sv(opConsts, sleb(-30)), want: []Piece{value(uint64(0xffffffffffffffe2))}},
		{name: "addr", e: x(opAddr, u32(0x10a70)), want: []Piece{mem(0x10a70)}},

		// Arithmetic in the 32-bit generic type.
		{name: "plus", e: sv(opLit0+3, opLit0+4, opPlus), want: []Piece{value(7)}},
		{name: "plus wraps at 32 bits", e: sv(opConst4u, u32(0xffffffff), opLit1, opPlus), want: []Piece{value(0)}},
		{name: "minus", e: sv(opLit0+3, opLit0+4, opMinus), want: []Piece{value(0xffffffff)}},
		{name: "mul", e: sv(opLit0+6, opLit0+7, opMul), want: []Piece{value(42)}},
		{name: "div signed", e: sv(opConsts, sleb(-12), opLit0+4, opDiv), want: []Piece{value(0xfffffffd)}},
		{name: "div by zero", e: sv(opLit1, opLit0, opDiv), err: ErrBadExpr},
		{name: "mod", e: sv(opLit0+13, opLit0+5, opMod), want: []Piece{value(3)}},
		{name: "mod by zero", e: sv(opLit1, opLit0, opMod), err: ErrBadExpr},
		{name: "and", e: sv(opConstu, uleb(0xff0), opConstu, uleb(0x0ff), opAnd), want: []Piece{value(0xf0)}},
		{name: "or", e: sv(opLit0+8, opLit1, opOr), want: []Piece{value(9)}},
		{name: "xor", e: sv(opLit0+12, opLit0+10, opXor), want: []Piece{value(6)}},
		{name: "shl", e: sv(opLit1, opLit0+31, opShl), want: []Piece{value(0x80000000)}},
		{name: "shl past width", e: sv(opLit1, opConstu, uleb(40), opShl), want: []Piece{value(0)}},
		{name: "shr", e: sv(opConst4u, u32(0x80000000), opLit0+31, opShr), want: []Piece{value(1)}},
		// LLVM emits the constant sign-extended; the generic type is 32 bits.
		{name: "shr of sign-extended constant", e: sv(opConstu, uleb(0xffffffffffffffe2), opLit0+31, opShr), want: []Piece{value(1)}},
		{name: "shra", e: sv(opConsts, sleb(-8), opLit1, opShra), want: []Piece{value(0xfffffffc)}},
		{name: "neg", e: sv(opLit0+5, opNeg), want: []Piece{value(0xfffffffb)}},
		{name: "not", e: sv(opLit0, opNot), want: []Piece{value(0xffffffff)}},
		{name: "abs", e: sv(opConsts, sleb(-9), opAbs), want: []Piece{value(9)}},
		{name: "plus_uconst", e: sv(opLit0+2, opPlusUconst, uleb(1000)), want: []Piece{value(1002)}},
		// 64-bit operands (an i64 local, a big constant) compute in 64 bits.
		{name: "wide shr", e: sv(opConst8u, u64(1<<40), opLit0+8, opShr), want: []Piece{value(1 << 32)}},
		{name: "wide local plus", e: sv(opWasmLocation, 0, uleb(3), opLit1, opPlus), want: []Piece{value(0)}},
		{name: "wide minus", e: sv(opConst8u, u64(1<<40), opLit1, opMinus), want: []Piece{value(1<<40 - 1)}},

		// Stack operations.
		{name: "dup", e: sv(opLit0+5, opDup, opPlus), want: []Piece{value(10)}},
		{name: "drop", e: sv(opLit0+5, opLit0+6, opDrop), want: []Piece{value(5)}},
		{name: "swap", e: sv(opLit0+5, opLit0+6, opSwap, opMinus), want: []Piece{value(1)}},
		{name: "over", e: sv(opLit0+5, opLit0+6, opOver), want: []Piece{value(5)}},
		{name: "pick", e: sv(opLit0+5, opLit0+6, opLit0+7, opPick, 2), want: []Piece{value(5)}},
		{name: "pick underflow", e: sv(opLit0+5, opPick, 3), err: ErrBadExpr},
		{name: "rot", e: sv(opLit1, opLit0+2, opLit0+3, opRot, opDrop, opDrop), want: []Piece{value(3)}},
		{name: "underflow", e: sv(opPlus), err: ErrBadExpr},

		// Comparisons and control flow.
		{name: "lt signed", e: sv(opConsts, sleb(-1), opLit1, opLt), want: []Piece{value(1)}},
		{name: "gt", e: sv(opLit0+2, opLit1, opGt), want: []Piece{value(1)}},
		{name: "eq", e: sv(opLit0+2, opLit1, opEq), want: []Piece{value(0)}},
		{name: "ne", e: sv(opLit0+2, opLit1, opNe), want: []Piece{value(1)}},
		{name: "le ge", e: sv(opLit1, opLit1, opLe, opLit1, opLit1, opGe, opPlus), want: []Piece{value(2)}},
		// if (1) push 10 else push 20
		{name: "bra taken", e: sv(opLit1, opBra, u16(4), opLit0+20, opSkip, u16(1), opLit0+10), want: []Piece{value(10)}},
		{name: "bra not taken", e: sv(opLit0, opBra, u16(4), opLit0+20, opSkip, u16(1), opLit0+10), want: []Piece{value(20)}},
		{name: "loop", e: x(opSkip, u16(0xfffd)), err: ErrBadExpr},
		{name: "branch out of range", e: x(opSkip, u16(100)), err: ErrBadExpr},

		// Memory.
		{name: "deref", e: sv(opConstu, uleb(0x1010), opDeref), want: []Piece{value(0x3000)}},
		{name: "deref_size", e: sv(opConstu, uleb(0x3000), opDerefSize, 2), want: []Piece{value(0x0201)}},
		{name: "deref_size 8", e: sv(opConstu, uleb(0x3000), opDerefSize, 8), want: []Piece{value(0x0807060504030201)}},
		{name: "deref fault", e: sv(opConstu, uleb(0x9999), opDeref), err: errFault},
		{name: "deref_size 0", e: sv(opLit0, opDerefSize, 0), err: ErrBadExpr},
		{name: "pointer chase", e: x(opConstu, uleb(0x1010), opDeref, opPlusUconst, uleb(4)), want: []Piece{mem(0x3004)}},

		// DW_OP_WASM_location.
		{name: "local value", e: sv(opWasmLocation, 0, uleb(0)), want: []Piece{inLocal(SpaceLocal, 0, 7)}},
		{name: "local big index", e: sv(opWasmLocation, 0, uleb(300)), want: []Piece{inLocal(SpaceLocal, 300, 42)}},
		{name: "i64 local keeps 64 bits", e: sv(opWasmLocation, 0, uleb(3)), want: []Piece{inLocal(SpaceLocal, 3, ^uint64(0))}},
		{name: "global", e: sv(opWasmLocation, 1, uleb(5)), want: []Piece{inLocal(SpaceGlobal, 5, 99)}},
		{name: "global fixed", e: sv(opWasmLocation, 3, u32(5)), want: []Piece{inLocal(SpaceGlobal, 5, 99)}},
		{name: "stack slot", e: sv(opWasmLocation, 2, uleb(1)), want: []Piece{inLocal(SpaceStack, 1, 22)}},
		{name: "local arithmetic is a value", e: sv(opWasmLocation, 0, uleb(1), opLit1, opMinus), want: []Piece{value(0xfffffffd)}},
		{name: "local holds an address", e: x(opWasmLocation, 0, uleb(2)), want: []Piece{mem(0x1000)}},
		{name: "local plus offset is memory", e: x(opWasmLocation, 0, uleb(2), opPlusUconst, uleb(16)), want: []Piece{mem(0x1010)}},
		{name: "missing local", e: sv(opWasmLocation, 0, uleb(9)), err: ErrUnavailable},
		{name: "missing stack slot", e: sv(opWasmLocation, 2, uleb(9)), err: ErrUnavailable},
		{name: "bad wasm kind", e: sv(opWasmLocation, 7, uleb(0)), err: ErrUnsupportedOp{Op: opWasmLocation, Offset: 0}},

		// Frame base.
		{name: "fbreg local", e: x(opFbreg, sleb(16)), fb: fbLocal, want: []Piece{mem(0x1010)}},
		{name: "fbreg negative", e: x(opFbreg, sleb(-16)), fb: fbLocal, want: []Piece{mem(0xff0)}},
		{name: "fbreg global", e: x(opFbreg, sleb(8)), fb: fbGlobal, want: []Piece{mem(0x2008)}},
		{name: "fbreg deref", e: sv(opFbreg, sleb(16), opDeref), fb: fbLocal, want: []Piece{value(0x3000)}},
		{name: "fbreg twice", e: sv(opFbreg, sleb(0), opFbreg, sleb(4), opPlus), fb: fbLocal, want: []Piece{value(0x2004)}},
		{name: "fbreg memory frame base", e: x(opFbreg, sleb(4)), fb: x(opWasmLocation, 0, uleb(2)), want: []Piece{mem(0x1004)}},
		{name: "no frame base", e: x(opFbreg, sleb(16)), err: ErrNoFrameBase},
		{name: "recursive frame base", e: x(opFbreg, sleb(16)), fb: x(opFbreg, sleb(0)), err: ErrBadExpr},

		// Value kinds and pieces.
		{name: "implicit_value", e: x(opImplicitValue, uleb(4), []byte{1, 2, 3, 4}), want: []Piece{{Kind: Implicit, Bytes: []byte{1, 2, 3, 4}}}},
		{name: "pieces", e: x(opLit0, opStackValue, opPiece, uleb(4), opWasmLocation, 0, uleb(0), opStackValue, opPiece, uleb(4)),
			want: []Piece{{Kind: Value, Value: 0, Bytes: u64(0), SizeBytes: 4}, {Kind: InLocal, Value: 7, Bytes: u64(7), Wasm: WasmLoc{SpaceLocal, 0}, SizeBytes: 4}}},
		{name: "partly optimized out", e: x(opPiece, uleb(4), opAddr, u32(0x500), opPiece, uleb(4)),
			want: []Piece{{Kind: Unavailable, SizeBytes: 4}, {Kind: InMemory, Addr: 0x500, SizeBytes: 4}}},
		{name: "all optimized out", e: x(opPiece, uleb(4), opPiece, uleb(4)), err: ErrOptimizedOut},
		{name: "bit_piece", e: x(opLit0+5, opStackValue, opBitPiece, uleb(3), uleb(2)),
			want: []Piece{{Kind: Value, Value: 5, Bytes: u64(5), BitSize: 3, BitOffset: 2}}},
		{name: "ops after last piece", e: x(opLit1, opStackValue, opPiece, uleb(4), opLit1), err: ErrBadExpr},
		{name: "op after stack_value", e: x(opLit1, opStackValue, opLit1), err: ErrBadExpr},
		{name: "empty", e: nil, err: ErrOptimizedOut},
		{name: "empty stack", e: x(opNop), err: ErrBadExpr},

		// What wasm cannot have, or this package does not support.
		{name: "reg", e: x(opReg0 + 5), err: ErrUnsupportedOp{Op: opReg0 + 5, Offset: 0}},
		{name: "regx", e: x(opRegx, uleb(3)), err: ErrUnsupportedOp{Op: opRegx, Offset: 0}},
		{name: "breg", e: x(opLit0, opBreg0+1, sleb(8)), err: ErrUnsupportedOp{Op: opBreg0 + 1, Offset: 1}},
		{name: "bregx", e: x(opBregx, uleb(1), sleb(8)), err: ErrUnsupportedOp{Op: opBregx, Offset: 0}},
		{name: "call_frame_cfa", e: x(opCallFrameCFA), err: ErrUnsupportedOp{Op: opCallFrameCFA, Offset: 0}},
		{name: "entry_value", e: sv(opEntryValue, uleb(2), []byte{opReg0, opStackValue}), err: ErrOptimizedOut},
		{name: "GNU_entry_value", e: sv(opGNUEntryValue, uleb(1), []byte{opReg0}), err: ErrOptimizedOut},
		{name: "convert", e: sv(opLit1, opConvert, uleb(0x30)), err: ErrUnsupportedOp{Op: opConvert, Offset: 1}},
		{name: "regval_type", e: sv(opRegvalType, uleb(1), uleb(0x30)), err: ErrUnsupportedOp{Op: opRegvalType, Offset: 0}},
		{name: "deref_type", e: sv(opLit0, opDerefType, 4, uleb(0x30)), err: ErrUnsupportedOp{Op: opDerefType, Offset: 1}},
		{name: "const_type", e: sv(opConstType, uleb(0x30), 1, 7), err: ErrUnsupportedOp{Op: opConstType, Offset: 0}},
		{name: "tls", e: x(opConst4u, u32(8), opGNUPushTLSAddress), err: ErrUnsupportedOp{Op: opGNUPushTLSAddress, Offset: 5}},
		{name: "form_tls_address", e: x(opLit0, opFormTLSAddress), err: ErrUnsupportedOp{Op: opFormTLSAddress, Offset: 1}},
		{name: "call4", e: x(opCall4, u32(0x40)), err: ErrUnsupportedOp{Op: opCall4, Offset: 0}},
		{name: "push_object_address", e: x(opPushObjectAddress), err: ErrUnsupportedOp{Op: opPushObjectAddress, Offset: 0}},
		{name: "implicit_pointer", e: x(opImplicitPointer, u32(0x40), sleb(0)), err: ErrUnsupportedOp{Op: opImplicitPointer, Offset: 0}},
		{name: "xderef", e: x(opLit0, opLit0, opXderef), err: ErrUnsupportedOp{Op: opXderef, Offset: 2}},
		{name: "addrx needs Data", e: x(opAddrx, uleb(0)), err: ErrUnsupportedOp{Op: opAddrx, Offset: 0}},
		{name: "unknown op", e: x(0xff), err: ErrUnsupportedOp{Op: 0xff, Offset: 0}},
		{name: "truncated operand", e: x(opConst4u, 1, 2), err: ErrBadExpr},
		{name: "truncated implicit value", e: x(opImplicitValue, uleb(9), 1), err: ErrBadExpr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Eval(tt.e, newFrame(), tt.fb)
			if tt.err != nil {
				var uo ErrUnsupportedOp
				if want, ok := tt.err.(ErrUnsupportedOp); ok {
					if !errors.As(err, &uo) || uo != want {
						t.Fatalf("Eval(%v) error = %v, want %v", tt.e, err, want)
					}
					return
				}
				if !errors.Is(err, tt.err) {
					t.Fatalf("Eval(%v) = %+v, %v; want error %v", tt.e, got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Eval(%v): %v", tt.e, err)
			}
			if !reflect.DeepEqual(got.Pieces, tt.want) {
				t.Fatalf("Eval(%v) =\n %+v\nwant\n %+v", tt.e, got.Pieces, tt.want)
			}
		})
	}
}

func TestExprString(t *testing.T) {
	for _, tt := range []struct {
		e    Expr
		want string
	}{
		{x(opWasmLocation, 0, uleb(2), opStackValue), "DW_OP_WASM_location 0x0 0x2, DW_OP_stack_value"},
		{x(opFbreg, sleb(-12)), "DW_OP_fbreg -12"},
		{x(opConsts, sleb(3), opLit0+31, opShr), "DW_OP_consts +3, DW_OP_lit31, DW_OP_shr"},
		{x(opAddr, u32(0x10a70), opPiece, uleb(4)), "DW_OP_addr 0x10a70, DW_OP_piece 0x4"},
		{x(opImplicitValue, uleb(2), []byte{0, 0x40}), "DW_OP_implicit_value 0x2 0x00 0x40"},
		{x(opWasmLocation, 3, u32(0)), "DW_OP_WASM_location 0x3 0x0"},
		{x(0xff), "<bad op 0xff>"},
	} {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%x: got %q, want %q", []byte(tt.e), got, tt.want)
		}
	}
}

func TestLocationAt(t *testing.T) {
	e1, e2, def := x(opLit1, opStackValue), x(opLit0+2, opStackValue), x(opLit0+3, opStackValue)
	l := Location{Valid: true, List: []LocRange{{10, 20, e1}, {20, 30, e2}, {40, 50, nil}}}
	for _, tt := range []struct {
		pc   CodeOffset
		want Expr
	}{{9, nil}, {10, e1}, {19, e1}, {20, e2}, {29, e2}, {30, nil}, {45, nil}} {
		got, ok := l.At(tt.pc)
		if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("At(%d) = %v, %v; want %v", tt.pc, got, ok, tt.want)
		}
	}
	l.Default = def
	if got, ok := l.At(35); !ok || !reflect.DeepEqual(got, def) {
		t.Errorf("default location: At(35) = %v, %v", got, ok)
	}
	if _, ok := (Location{}).At(5); ok {
		t.Error("invalid location available")
	}
	if got, ok := (Location{Valid: true, Expr: e1}).At(5); !ok || !reflect.DeepEqual(got, e1) {
		t.Errorf("single expression: %v, %v", got, ok)
	}
}

const opLit1 = opLit0 + 1
