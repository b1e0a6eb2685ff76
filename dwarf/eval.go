package dwarf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// DWARF expression opcodes (DW_OP_*).
const (
	opAddr              = 0x03
	opDeref             = 0x06
	opConst1u           = 0x08
	opConst1s           = 0x09
	opConst2u           = 0x0a
	opConst2s           = 0x0b
	opConst4u           = 0x0c
	opConst4s           = 0x0d
	opConst8u           = 0x0e
	opConst8s           = 0x0f
	opConstu            = 0x10
	opConsts            = 0x11
	opDup               = 0x12
	opDrop              = 0x13
	opOver              = 0x14
	opPick              = 0x15
	opSwap              = 0x16
	opRot               = 0x17
	opXderef            = 0x18
	opAbs               = 0x19
	opAnd               = 0x1a
	opDiv               = 0x1b
	opMinus             = 0x1c
	opMod               = 0x1d
	opMul               = 0x1e
	opNeg               = 0x1f
	opNot               = 0x20
	opOr                = 0x21
	opPlus              = 0x22
	opPlusUconst        = 0x23
	opShl               = 0x24
	opShr               = 0x25
	opShra              = 0x26
	opXor               = 0x27
	opBra               = 0x28
	opEq                = 0x29
	opGe                = 0x2a
	opGt                = 0x2b
	opLe                = 0x2c
	opLt                = 0x2d
	opNe                = 0x2e
	opSkip              = 0x2f
	opLit0              = 0x30
	opLit31             = 0x4f
	opReg0              = 0x50
	opReg31             = 0x6f
	opBreg0             = 0x70
	opBreg31            = 0x8f
	opRegx              = 0x90
	opFbreg             = 0x91
	opBregx             = 0x92
	opPiece             = 0x93
	opDerefSize         = 0x94
	opXderefSize        = 0x95
	opNop               = 0x96
	opPushObjectAddress = 0x97
	opCall2             = 0x98
	opCall4             = 0x99
	opCallRef           = 0x9a
	opFormTLSAddress    = 0x9b
	opCallFrameCFA      = 0x9c
	opBitPiece          = 0x9d
	opImplicitValue     = 0x9e
	opStackValue        = 0x9f
	opImplicitPointer   = 0xa0
	opAddrx             = 0xa1
	opConstx            = 0xa2
	opEntryValue        = 0xa3
	opConstType         = 0xa4
	opRegvalType        = 0xa5
	opDerefType         = 0xa6
	opXderefType        = 0xa7
	opConvert           = 0xa8
	opReinterpret       = 0xa9
	opGNUPushTLSAddress = 0xe0
	opWasmLocation      = 0xed
	opGNUUninit         = 0xf0
	opGNUImplicitPtr    = 0xf2
	opGNUEntryValue     = 0xf3
	opGNUConstType      = 0xf4
	opGNURegvalType     = 0xf5
	opGNUDerefType      = 0xf6
	opGNUConvert        = 0xf7
	opGNUReinterpret    = 0xf9
	opGNUParameterRef   = 0xfa
	opGNUAddrIndex      = 0xfb
	opGNUConstIndex     = 0xfc
	opGNUVariableValue  = 0xfd
)

// Operand kinds of DW_OP_WASM_location.
const (
	wasmLocal       = 0 // ULEB index
	wasmGlobal      = 1 // ULEB index
	wasmStack       = 2 // ULEB index, from the bottom of the operand stack
	wasmGlobalFixed = 3 // fixed 4-byte index (relocatable)
)

// Errors of Eval. Unsupported operations are reported as ErrUnsupportedOp.
var (
	ErrOptimizedOut = errors.New("optimized out")
	ErrUnavailable  = errors.New("value not available in this frame")
	ErrBadExpr      = errors.New("malformed DWARF expression")
	ErrNoFrameBase  = errors.New("DW_OP_fbreg without a frame base")
)

// ErrUnsupportedOp is returned by Eval for an operation it does not
// support (or that has no meaning for WebAssembly, like DW_OP_reg*).
// Front ends show it as "<unsupported DWARF op 0xNN>".
type ErrUnsupportedOp struct {
	Op     byte
	Offset int // of the operation in the expression
}

func (e ErrUnsupportedOp) Error() string {
	return fmt.Sprintf("unsupported DWARF op %#02x at offset %d", e.Op, e.Offset)
}

// Frame is the machine state of one frame, as Eval needs it.
type Frame interface {
	Local(i uint32) (uint64, bool)  // wasm local i (DW_OP_WASM_location 0), raw bits
	Global(i uint32) (uint64, bool) // wasm global i (DW_OP_WASM_location 1 and 3)
	Stack(i uint32) (uint64, bool)  // operand stack slot i counted from the bottom (DW_OP_WASM_location 2)
	ReadMemory(addr uint64, p []byte) error
	PC() CodeOffset
}

// PieceKind says where a piece of an object is.
type PieceKind int

const (
	Unavailable PieceKind = iota // optimized out
	InMemory                     // in linear memory at Addr
	InLocal                      // the value of a wasm local, global or operand stack slot (Wasm says which)
	Value                        // a computed value (DW_OP_stack_value)
	Implicit                     // the bytes in Bytes (DW_OP_implicit_value)
)

func (k PieceKind) String() string {
	switch k {
	case Unavailable:
		return "unavailable"
	case InMemory:
		return "memory"
	case InLocal:
		return "local"
	case Value:
		return "value"
	case Implicit:
		return "implicit"
	}
	return fmt.Sprintf("PieceKind(%d)", int(k))
}

// WasmSpace is the kind of a wasm storage location.
type WasmSpace uint8

const (
	SpaceLocal  WasmSpace = wasmLocal
	SpaceGlobal WasmSpace = wasmGlobal
	SpaceStack  WasmSpace = wasmStack
)

// WasmLoc names a wasm local, global or operand stack slot.
type WasmLoc struct {
	Space WasmSpace
	Index uint32
}

// Piece is one part of an object's location.
//
// For Value and InLocal pieces, Value holds the raw 64 bits and Bytes their
// little-endian encoding; a reader takes the first N bytes for an N-byte
// object. Values from arithmetic on the DWARF stack are computed in the
// 32-bit generic type of wasm32 (see Eval); values pushed and returned
// untouched keep all 64 bits.
type Piece struct {
	Kind  PieceKind
	Addr  uint64  // InMemory
	Bytes []byte  // Implicit: the object's bytes; Value and InLocal: Value, little-endian
	Value uint64  // Value and InLocal
	Wasm  WasmLoc // InLocal: where the value lives
	// SizeBytes is the size given by DW_OP_piece; 0 for a location without
	// pieces ("the whole object") and for a DW_OP_bit_piece.
	SizeBytes int
	// BitSize and BitOffset are set by DW_OP_bit_piece: the piece is BitSize
	// bits, starting BitOffset bits into the location.
	BitOffset, BitSize int
}

// Result is the location of an object: one piece without a size for a
// simple location, or the pieces in order.
type Result struct {
	Pieces []Piece
}

const (
	maxEvalSteps = 10000
	maxStack     = 1024
)

// Eval evaluates a location expression against a frame. frameBase is the
// frame's DW_AT_frame_base, needed for DW_OP_fbreg.
//
// The model is wasm32: addresses are 4 bytes (DW_OP_addr, DW_OP_deref) and
// the generic type of the DWARF stack is 32 bits wide. Constants and wasm
// values are pushed with all 64 bits; an operation on operands that all
// fit in 32 bits (zero- or sign-extended) computes in 32 bits, which is
// what LLVM's expressions for wasm32 assume (e.g. DW_OP_constu
// 0xffffffffffffffe2, DW_OP_lit31, DW_OP_shr yields 1); an operand that
// needs 64 bits (an i64 local, a big constant) makes it compute in 64 bits.
//
// DW_OP_WASM_location pushes the value of the local, global or stack slot:
// followed by DW_OP_stack_value the object is that value (an InLocal
// piece); followed by other operations it is a value like any other (for
// example the base address of an object in linear memory).
//
// Eval never guesses: an operation it does not support is an
// ErrUnsupportedOp, DW_OP_entry_value is ErrOptimizedOut, and anything
// malformed is ErrBadExpr.
func Eval(e Expr, f Frame, frameBase Expr) (Result, error) {
	return eval(e, f, frameBase, false)
}

type val struct {
	v    uint64
	wide bool // needs 64 bits: do arithmetic on it in 64 bits
}

// isWide reports whether v needs 64 bits: it is neither a zero- nor a
// sign-extended 32-bit value.
func isWide(v uint64) bool {
	return v>>32 != 0 && v>>31 != 0x1ffffffff
}

// locState says what the most recent operations made of the current piece.
type locState int

const (
	locMemory   locState = iota // the top of the stack is an address (or the stack is empty)
	locValue                    // DW_OP_stack_value
	locImplicit                 // DW_OP_implicit_value
	locLocal                    // DW_OP_WASM_location + DW_OP_stack_value
)

type evaluator struct {
	f         Frame
	frameBase Expr
	inFB      bool
	stack     []val
	pieces    []Piece
	state     locState
	implicit  []byte
	wasm      WasmLoc
	lastWasm  bool // the previous operation was DW_OP_WASM_location
	wasmLoc   WasmLoc
	fb        *uint64
}

func eval(e Expr, f Frame, frameBase Expr, inFB bool) (Result, error) {
	if len(e) == 0 {
		return Result{}, ErrOptimizedOut
	}
	ev := &evaluator{f: f, frameBase: frameBase, inFB: inFB}
	pc := 0
	lastPieceEnd := -1
	for steps := 0; pc < len(e); steps++ {
		if steps >= maxEvalSteps {
			return Result{}, fmt.Errorf("%w: too many steps (a loop?)", ErrBadExpr)
		}
		in, err := decodeOp(e, pc, 4)
		if err != nil {
			return Result{}, err
		}
		if ev.state != locMemory && in.op != opPiece && in.op != opBitPiece {
			return Result{}, fmt.Errorf("%w: op %#02x at offset %d follows a stack or implicit value", ErrBadExpr, in.op, pc)
		}
		next, err := ev.step(in, pc)
		if err != nil {
			return Result{}, err
		}
		if in.op == opPiece || in.op == opBitPiece {
			lastPieceEnd = next
		}
		if next < 0 || next > len(e) {
			return Result{}, fmt.Errorf("%w: branch at offset %d out of range", ErrBadExpr, pc)
		}
		pc = next
	}
	if ev.pieces == nil {
		p, err := ev.finish(0, 0, 0)
		if err != nil {
			return Result{}, err
		}
		if p.Kind == Unavailable {
			return Result{}, fmt.Errorf("%w: empty location", ErrBadExpr)
		}
		ev.pieces = []Piece{p}
	} else if lastPieceEnd != len(e) {
		return Result{}, fmt.Errorf("%w: operations after the last piece", ErrBadExpr)
	}
	avail := false
	for _, p := range ev.pieces {
		avail = avail || p.Kind != Unavailable
	}
	if !avail {
		return Result{}, ErrOptimizedOut
	}
	return Result{Pieces: ev.pieces}, nil
}

// instr is one decoded operation.
type instr struct {
	op    byte
	u     uint64 // first unsigned operand
	u2    uint64 // second unsigned operand
	s     int64  // signed operand
	block []byte // implicit_value, entry_value
	next  int    // offset of the next operation
}

// decodeOp decodes the operation at off.
func decodeOp(e []byte, off, addrSize int) (instr, error) {
	r := newReader("expression", e, off)
	in := instr{op: r.u8()}
	op := in.op
	switch {
	case op == opAddr:
		in.u = r.sized(addrSize)
	case op == opConst1u, op == opPick, op == opDerefSize, op == opXderefSize:
		in.u = uint64(r.u8())
	case op == opConst1s:
		in.s = int64(int8(r.u8()))
	case op == opConst2u, op == opCall2:
		in.u = uint64(r.u16())
	case op == opConst2s, op == opSkip, op == opBra:
		in.s = int64(int16(r.u16()))
	case op == opConst4u, op == opCall4, op == opCallRef, op == opGNUParameterRef, op == opGNUVariableValue:
		in.u = uint64(r.u32())
	case op == opConst4s:
		in.s = int64(int32(r.u32()))
	case op == opConst8u:
		in.u = r.u64()
	case op == opConst8s:
		in.s = int64(r.u64())
	case op == opConstu, op == opPlusUconst, op == opRegx, op == opPiece, op == opAddrx, op == opConstx,
		op == opConvert, op == opReinterpret, op == opGNUConvert, op == opGNUReinterpret,
		op == opGNUAddrIndex, op == opGNUConstIndex:
		in.u = r.uleb()
	case op == opConsts, op == opFbreg, op >= opBreg0 && op <= opBreg31:
		in.s = r.sleb()
	case op == opBregx:
		in.u = r.uleb()
		in.s = r.sleb()
	case op == opBitPiece, op == opRegvalType, op == opGNURegvalType:
		in.u = r.uleb()
		in.u2 = r.uleb()
	case op == opImplicitValue, op == opEntryValue, op == opGNUEntryValue:
		n := r.uleb()
		if n > uint64(r.left()) {
			return in, fmt.Errorf("%w: operand of op %#02x at offset %d runs past the end", ErrBadExpr, op, off)
		}
		in.block = r.bytes(int(n))
	case op == opImplicitPointer, op == opGNUImplicitPtr:
		in.u = uint64(r.u32())
		in.s = r.sleb()
	case op == opConstType, op == opGNUConstType:
		in.u = r.uleb()
		in.block = r.bytes(int(r.u8()))
	case op == opDerefType, op == opXderefType, op == opGNUDerefType:
		in.u = uint64(r.u8())
		in.u2 = r.uleb()
	case op == opWasmLocation:
		in.u = uint64(r.u8())
		switch in.u {
		case wasmLocal, wasmGlobal, wasmStack:
			in.u2 = r.uleb()
		case wasmGlobalFixed:
			in.u2 = uint64(r.u32())
		default:
			return in, ErrUnsupportedOp{Op: op, Offset: off}
		}
	case op == opDeref, op >= opDup && op <= opXor && op != opPick && op != opPlusUconst,
		op >= opEq && op <= opNe, op >= opLit0 && op <= opLit31, op >= opReg0 && op <= opReg31,
		op == opNop, op == opPushObjectAddress, op == opFormTLSAddress, op == opCallFrameCFA,
		op == opStackValue, op == opGNUPushTLSAddress, op == opGNUUninit:
		// No operands.
	default:
		return in, ErrUnsupportedOp{Op: op, Offset: off}
	}
	if r.err != nil {
		return in, fmt.Errorf("%w: operand of op %#02x at offset %d runs past the end", ErrBadExpr, op, off)
	}
	in.next = r.off
	return in, nil
}

// walkOps calls fn for each operation of e with its offset and raw bytes,
// until fn returns false. It fails on an operation it cannot decode.
func walkOps(e []byte, addrSize int, fn func(op byte, off int, raw []byte) bool) error {
	for off := 0; off < len(e); {
		in, err := decodeOp(e, off, addrSize)
		if err != nil {
			return err
		}
		if !fn(in.op, off, e[off:in.next]) {
			return nil
		}
		off = in.next
	}
	return nil
}

func (ev *evaluator) push(v val) error {
	if len(ev.stack) >= maxStack {
		return fmt.Errorf("%w: stack overflow", ErrBadExpr)
	}
	ev.stack = append(ev.stack, v)
	return nil
}

func (ev *evaluator) pushConst(v uint64) error { return ev.push(val{v, isWide(v)}) }

func (ev *evaluator) pop(pc int) (val, error) {
	if len(ev.stack) == 0 {
		return val{}, fmt.Errorf("%w: stack underflow at offset %d", ErrBadExpr, pc)
	}
	v := ev.stack[len(ev.stack)-1]
	ev.stack = ev.stack[:len(ev.stack)-1]
	return v, nil
}

func (ev *evaluator) need(n, pc int) error {
	if len(ev.stack) < n {
		return fmt.Errorf("%w: stack underflow at offset %d", ErrBadExpr, pc)
	}
	return nil
}

// step executes one operation and returns the offset of the next.
func (ev *evaluator) step(in instr, pc int) (int, error) {
	op := in.op
	wasm := ev.lastWasm
	ev.lastWasm = false
	unsupported := ErrUnsupportedOp{Op: op, Offset: pc}
	switch {
	case op >= opLit0 && op <= opLit31:
		return in.next, ev.pushConst(uint64(op - opLit0))
	case op == opAddr && (in.u == 0xffffffff || in.u == 0xfffffffe):
		// wasm-ld's tombstone: the linker dropped the object.
		return in.next, ErrOptimizedOut
	case op == opAddr, op == opConst1u, op == opConst2u, op == opConst4u, op == opConst8u, op == opConstu:
		return in.next, ev.pushConst(in.u)
	case op == opConst1s, op == opConst2s, op == opConst4s, op == opConst8s, op == opConsts:
		return in.next, ev.pushConst(uint64(in.s))
	case op == opNop:
		ev.lastWasm = wasm
		return in.next, nil

	case op == opDup:
		if err := ev.need(1, pc); err != nil {
			return 0, err
		}
		return in.next, ev.push(ev.stack[len(ev.stack)-1])
	case op == opDrop:
		_, err := ev.pop(pc)
		return in.next, err
	case op == opOver:
		if err := ev.need(2, pc); err != nil {
			return 0, err
		}
		return in.next, ev.push(ev.stack[len(ev.stack)-2])
	case op == opPick:
		if err := ev.need(int(in.u)+1, pc); err != nil {
			return 0, err
		}
		return in.next, ev.push(ev.stack[len(ev.stack)-1-int(in.u)])
	case op == opSwap:
		if err := ev.need(2, pc); err != nil {
			return 0, err
		}
		s := ev.stack
		s[len(s)-1], s[len(s)-2] = s[len(s)-2], s[len(s)-1]
		return in.next, nil
	case op == opRot:
		if err := ev.need(3, pc); err != nil {
			return 0, err
		}
		s := ev.stack
		n := len(s)
		s[n-1], s[n-2], s[n-3] = s[n-2], s[n-3], s[n-1]
		return in.next, nil

	case op == opAbs, op == opNeg, op == opNot:
		a, err := ev.pop(pc)
		if err != nil {
			return 0, err
		}
		return in.next, ev.push(unary(op, a))
	case op == opAnd, op == opDiv, op == opMinus, op == opMod, op == opMul, op == opOr, op == opPlus,
		op == opShl, op == opShr, op == opShra, op == opXor,
		op >= opEq && op <= opNe:
		b, err := ev.pop(pc)
		if err != nil {
			return 0, err
		}
		a, err := ev.pop(pc)
		if err != nil {
			return 0, err
		}
		r, err := binary2(op, a, b, pc)
		if err != nil {
			return 0, err
		}
		return in.next, ev.push(r)
	case op == opPlusUconst:
		a, err := ev.pop(pc)
		if err != nil {
			return 0, err
		}
		r, _ := binary2(opPlus, a, val{in.u, isWide(in.u)}, pc)
		return in.next, ev.push(r)

	case op == opSkip, op == opBra:
		target := in.next + int(in.s)
		if op == opBra {
			c, err := ev.pop(pc)
			if err != nil {
				return 0, err
			}
			if c.v == 0 || !c.wide && uint32(c.v) == 0 {
				return in.next, nil
			}
		}
		return target, nil

	case op == opDeref, op == opDerefSize:
		n := 4
		if op == opDerefSize {
			n = int(in.u)
		}
		if n < 1 || n > 8 {
			return 0, fmt.Errorf("%w: DW_OP_deref_size %d at offset %d", ErrBadExpr, n, pc)
		}
		a, err := ev.pop(pc)
		if err != nil {
			return 0, err
		}
		addr, err := address(a)
		if err != nil {
			return 0, err
		}
		var buf [8]byte
		if ev.f == nil {
			return 0, ErrUnavailable
		}
		if err := ev.f.ReadMemory(addr, buf[:n]); err != nil {
			return 0, fmt.Errorf("read memory at %#x: %w", addr, err)
		}
		v := binary.LittleEndian.Uint64(buf[:])
		return in.next, ev.push(val{v, isWide(v)})

	case op == opFbreg:
		base, err := ev.frameBaseValue()
		if err != nil {
			return 0, err
		}
		r, _ := binary2(opPlus, val{base, isWide(base)}, val{uint64(in.s), isWide(uint64(in.s))}, pc)
		return in.next, ev.push(r)

	case op == opWasmLocation:
		if ev.f == nil {
			return 0, ErrUnavailable
		}
		if in.u2 > 0xffffffff {
			return 0, fmt.Errorf("%w: wasm index %d at offset %d", ErrBadExpr, in.u2, pc)
		}
		idx := uint32(in.u2)
		var v uint64
		var ok bool
		var loc WasmLoc
		switch in.u {
		case wasmLocal:
			v, ok = ev.f.Local(idx)
			loc = WasmLoc{SpaceLocal, idx}
		case wasmGlobal, wasmGlobalFixed:
			v, ok = ev.f.Global(idx)
			loc = WasmLoc{SpaceGlobal, idx}
		case wasmStack:
			v, ok = ev.f.Stack(idx)
			loc = WasmLoc{SpaceStack, idx}
		}
		if !ok {
			return 0, fmt.Errorf("%w: wasm %s %d", ErrUnavailable, spaceName(loc.Space), idx)
		}
		ev.lastWasm, ev.wasmLoc = true, loc
		return in.next, ev.push(val{v, v>>32 != 0})

	case op == opStackValue:
		if err := ev.need(1, pc); err != nil {
			return 0, err
		}
		ev.state = locValue
		if wasm {
			ev.state, ev.wasm = locLocal, ev.wasmLoc
		}
		return in.next, nil
	case op == opImplicitValue:
		ev.state, ev.implicit = locImplicit, in.block
		return in.next, nil

	case op == opPiece, op == opBitPiece:
		var p Piece
		var err error
		if op == opPiece {
			if in.u > 1<<20 {
				return 0, fmt.Errorf("%w: piece of %d bytes", ErrBadExpr, in.u)
			}
			p, err = ev.finish(int(in.u), 0, 0)
		} else {
			if in.u > 1<<23 || in.u2 > 1<<23 {
				return 0, fmt.Errorf("%w: bit piece of %d bits", ErrBadExpr, in.u)
			}
			p, err = ev.finish(0, int(in.u), int(in.u2))
		}
		if err != nil {
			return 0, err
		}
		ev.pieces = append(ev.pieces, p)
		return in.next, nil

	case op == opEntryValue, op == opGNUEntryValue:
		// The value a register had on entry: wasm locals are not
		// recoverable once overwritten.
		return 0, ErrOptimizedOut
	}
	// Registers, calls, TLS, CFA, typed stack, implicit pointers and the
	// like: meaningless for wasm or not supported.
	return 0, unsupported
}

func spaceName(s WasmSpace) string {
	switch s {
	case SpaceLocal:
		return "local"
	case SpaceGlobal:
		return "global"
	}
	return "stack slot"
}

// address converts a stack value to a linear memory address.
func address(a val) (uint64, error) {
	if !a.wide {
		return uint64(uint32(a.v)), nil
	}
	if a.v > 0xffffffff {
		return 0, fmt.Errorf("%w: address %#x out of the wasm32 range", ErrBadExpr, a.v)
	}
	return a.v, nil
}

// frameBaseValue evaluates the frame base (once per Eval).
func (ev *evaluator) frameBaseValue() (uint64, error) {
	if ev.fb != nil {
		return *ev.fb, nil
	}
	if ev.inFB {
		return 0, fmt.Errorf("%w: DW_OP_fbreg in a frame base", ErrBadExpr)
	}
	if len(ev.frameBase) == 0 {
		return 0, ErrNoFrameBase
	}
	r, err := eval(ev.frameBase, ev.f, nil, true)
	if err != nil {
		return 0, fmt.Errorf("frame base: %w", err)
	}
	if len(r.Pieces) != 1 {
		return 0, fmt.Errorf("%w: frame base has %d pieces", ErrBadExpr, len(r.Pieces))
	}
	var v uint64
	switch p := r.Pieces[0]; p.Kind {
	case Value, InLocal:
		v = p.Value
	case InMemory:
		v = p.Addr
	default:
		return 0, fmt.Errorf("%w: frame base is %v", ErrBadExpr, p.Kind)
	}
	ev.fb = &v
	return v, nil
}

// finish turns the current location into a piece.
func (ev *evaluator) finish(size, bitSize, bitOff int) (Piece, error) {
	p := Piece{SizeBytes: size, BitSize: bitSize, BitOffset: bitOff}
	switch ev.state {
	case locImplicit:
		p.Kind, p.Bytes = Implicit, ev.implicit
	case locValue, locLocal:
		v, err := ev.pop(0)
		if err != nil {
			return p, err
		}
		p.Kind, p.Value = Value, v.v
		p.Bytes = binary.LittleEndian.AppendUint64(nil, v.v)
		if ev.state == locLocal {
			p.Kind, p.Wasm = InLocal, ev.wasm
		}
	default:
		if len(ev.stack) == 0 {
			p.Kind = Unavailable
			break
		}
		v, _ := ev.pop(0)
		addr, err := address(v)
		if err != nil {
			return p, err
		}
		p.Kind, p.Addr = InMemory, addr
	}
	ev.state = locMemory
	return p, nil
}

func unary(op byte, a val) val {
	if a.wide {
		switch op {
		case opAbs:
			if int64(a.v) < 0 {
				return val{-a.v, true}
			}
			return a
		case opNeg:
			return val{-a.v, true}
		default:
			return val{^a.v, true}
		}
	}
	x := uint32(a.v)
	switch op {
	case opAbs:
		if int32(x) < 0 {
			x = -x
		}
	case opNeg:
		x = -x
	default:
		x = ^x
	}
	return val{uint64(x), false}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// binary2 applies a binary operation: in 32 bits unless an operand is wide.
// Division is signed and DW_OP_mod unsigned, as in GDB for the generic type.
func binary2(op byte, a, b val, pc int) (val, error) {
	if a.wide || b.wide {
		x, y := a.v, b.v
		var r uint64
		switch op {
		case opAnd:
			r = x & y
		case opOr:
			r = x | y
		case opXor:
			r = x ^ y
		case opPlus:
			r = x + y
		case opMinus:
			r = x - y
		case opMul:
			r = x * y
		case opDiv:
			if y == 0 {
				return val{}, fmt.Errorf("%w: division by zero at offset %d", ErrBadExpr, pc)
			}
			if int64(y) == -1 {
				r = -x
			} else {
				r = uint64(int64(x) / int64(y))
			}
		case opMod:
			if y == 0 {
				return val{}, fmt.Errorf("%w: division by zero at offset %d", ErrBadExpr, pc)
			}
			r = x % y
		case opShl:
			if y < 64 {
				r = x << y
			}
		case opShr:
			if y < 64 {
				r = x >> y
			}
		case opShra:
			r = uint64(int64(x) >> min(y, 63))
		case opEq:
			r = b2u(x == y)
		case opNe:
			r = b2u(x != y)
		case opLt:
			r = b2u(int64(x) < int64(y))
		case opLe:
			r = b2u(int64(x) <= int64(y))
		case opGt:
			r = b2u(int64(x) > int64(y))
		case opGe:
			r = b2u(int64(x) >= int64(y))
		}
		return val{r, true}, nil
	}
	x, y := uint32(a.v), uint32(b.v)
	var r uint32
	switch op {
	case opAnd:
		r = x & y
	case opOr:
		r = x | y
	case opXor:
		r = x ^ y
	case opPlus:
		r = x + y
	case opMinus:
		r = x - y
	case opMul:
		r = x * y
	case opDiv:
		if y == 0 {
			return val{}, fmt.Errorf("%w: division by zero at offset %d", ErrBadExpr, pc)
		}
		if int32(y) == -1 {
			r = -x
		} else {
			r = uint32(int32(x) / int32(y))
		}
	case opMod:
		if y == 0 {
			return val{}, fmt.Errorf("%w: division by zero at offset %d", ErrBadExpr, pc)
		}
		r = x % y
	case opShl:
		if y < 32 {
			r = x << y
		}
	case opShr:
		if y < 32 {
			r = x >> y
		}
	case opShra:
		r = uint32(int32(x) >> min(y, 31))
	case opEq:
		r = uint32(b2u(x == y))
	case opNe:
		r = uint32(b2u(x != y))
	case opLt:
		r = uint32(b2u(int32(x) < int32(y)))
	case opLe:
		r = uint32(b2u(int32(x) <= int32(y)))
	case opGt:
		r = uint32(b2u(int32(x) > int32(y)))
	case opGe:
		r = uint32(b2u(int32(x) >= int32(y)))
	}
	return val{uint64(r), false}, nil
}

var opNames = map[byte]string{
	opAddr: "addr", opDeref: "deref", opConst1u: "const1u", opConst1s: "const1s", opConst2u: "const2u",
	opConst2s: "const2s", opConst4u: "const4u", opConst4s: "const4s", opConst8u: "const8u",
	opConst8s: "const8s", opConstu: "constu", opConsts: "consts", opDup: "dup", opDrop: "drop",
	opOver: "over", opPick: "pick", opSwap: "swap", opRot: "rot", opXderef: "xderef", opAbs: "abs",
	opAnd: "and", opDiv: "div", opMinus: "minus", opMod: "mod", opMul: "mul", opNeg: "neg",
	opNot: "not", opOr: "or", opPlus: "plus", opPlusUconst: "plus_uconst", opShl: "shl",
	opShr: "shr", opShra: "shra", opXor: "xor", opBra: "bra", opEq: "eq", opGe: "ge", opGt: "gt",
	opLe: "le", opLt: "lt", opNe: "ne", opSkip: "skip", opRegx: "regx", opFbreg: "fbreg",
	opBregx: "bregx", opPiece: "piece", opDerefSize: "deref_size", opXderefSize: "xderef_size",
	opNop: "nop", opPushObjectAddress: "push_object_address", opCall2: "call2", opCall4: "call4",
	opCallRef: "call_ref", opFormTLSAddress: "form_tls_address", opCallFrameCFA: "call_frame_cfa",
	opBitPiece: "bit_piece", opImplicitValue: "implicit_value", opStackValue: "stack_value",
	opImplicitPointer: "implicit_pointer", opAddrx: "addrx", opConstx: "constx",
	opEntryValue: "entry_value", opConstType: "const_type", opRegvalType: "regval_type",
	opDerefType: "deref_type", opXderefType: "xderef_type", opConvert: "convert",
	opReinterpret: "reinterpret", opGNUPushTLSAddress: "GNU_push_tls_address",
	opWasmLocation: "WASM_location", opGNUUninit: "GNU_uninit", opGNUImplicitPtr: "GNU_implicit_pointer",
	opGNUEntryValue: "GNU_entry_value", opGNUConstType: "GNU_const_type", opGNURegvalType: "GNU_regval_type",
	opGNUDerefType: "GNU_deref_type", opGNUConvert: "GNU_convert", opGNUReinterpret: "GNU_reinterpret",
	opGNUParameterRef: "GNU_parameter_ref", opGNUAddrIndex: "GNU_addr_index",
	opGNUConstIndex: "GNU_const_index", opGNUVariableValue: "GNU_variable_value",
}

// OpName returns the name of a DWARF expression opcode ("DW_OP_plus").
func OpName(op byte) string {
	switch {
	case op >= opLit0 && op <= opLit31:
		return fmt.Sprintf("DW_OP_lit%d", op-opLit0)
	case op >= opReg0 && op <= opReg31:
		return fmt.Sprintf("DW_OP_reg%d", op-opReg0)
	case op >= opBreg0 && op <= opBreg31:
		return fmt.Sprintf("DW_OP_breg%d", op-opBreg0)
	}
	if n, ok := opNames[op]; ok {
		return "DW_OP_" + n
	}
	return fmt.Sprintf("DW_OP_unknown_%#x", op)
}

// String disassembles e in llvm-dwarfdump's notation:
// "DW_OP_WASM_location 0x0 0x2, DW_OP_stack_value".
func (e Expr) String() string {
	var b []byte
	for off := 0; off < len(e); {
		if off > 0 {
			b = append(b, ", "...)
		}
		in, err := decodeOp(e, off, 4)
		if err != nil {
			b = fmt.Appendf(b, "<bad op %#02x>", e[off])
			break
		}
		b = append(b, OpName(in.op)...)
		op := in.op
		switch {
		case op == opConst1s, op == opConst2s, op == opConst4s, op == opConst8s, op == opConsts,
			op == opFbreg, op >= opBreg0 && op <= opBreg31:
			b = fmt.Appendf(b, " %+d", in.s)
		case op == opSkip, op == opBra:
			b = fmt.Appendf(b, " %d", in.s)
		case op == opBregx:
			b = fmt.Appendf(b, " %#x %+d", in.u, in.s)
		case op == opBitPiece, op == opWasmLocation, op == opRegvalType, op == opGNURegvalType,
			op == opDerefType, op == opXderefType, op == opGNUDerefType:
			b = fmt.Appendf(b, " %#x %#x", in.u, in.u2)
		case op == opImplicitValue:
			b = fmt.Appendf(b, " %#x", len(in.block))
			for _, c := range in.block {
				b = fmt.Appendf(b, " 0x%02x", c)
			}
		case op == opEntryValue, op == opGNUEntryValue:
			b = fmt.Appendf(b, " %#x (%s)", len(in.block), Expr(in.block))
		case op == opImplicitPointer, op == opGNUImplicitPtr:
			b = fmt.Appendf(b, " %#x %+d", in.u, in.s)
		case in.next-off > 1:
			b = fmt.Appendf(b, " %#x", in.u)
		}
		off = in.next
	}
	return string(b)
}
