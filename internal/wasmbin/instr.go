package wasmbin

import (
	"fmt"
	"math"
)

// BlockKind says which form a block type takes.
type BlockKind byte

const (
	// BlockEmpty is the 0x40 block type: no params, no results.
	BlockEmpty BlockKind = iota
	// BlockVal is a single result type, in Val.
	BlockVal
	// BlockTypeIndex refers to a function type (multi-value), in TypeIndex.
	BlockTypeIndex
)

// BlockType is the type immediate of block, loop, if, try and try_table.
type BlockType struct {
	Kind      BlockKind
	Val       ValType
	TypeIndex uint32
}

// MemArg is the memory immediate of loads, stores, atomics and SIMD memory
// instructions. Align is the alignment exponent as encoded (log2 of the
// alignment in bytes). Mem is the memory index; it is encoded only when
// non-zero (multi-memory sets bit 6 of the alignment field for it).
type MemArg struct {
	Align  uint32
	Offset uint64
	Mem    uint32
}

// Catch clause kinds of try_table.
const (
	CatchTag    byte = 0x00 // catch tag label
	CatchRef    byte = 0x01 // catch_ref tag label
	CatchAll    byte = 0x02 // catch_all label
	CatchAllRef byte = 0x03 // catch_all_ref label
)

// Catch is one catch clause of try_table. Tag is meaningful for CatchTag
// and CatchRef only.
type Catch struct {
	Kind  byte
	Tag   uint32
	Label uint32
}

// Instr is one decoded instruction. Which immediate fields are used
// depends on Op; the rest are zero.
type Instr struct {
	Op Op
	// Off is the code offset of the instruction's first byte.
	Off CodeOffset
	// Block is the type of block, loop, if, try and try_table.
	Block BlockType
	// Index is the main index immediate: label (br, br_if, rethrow,
	// delegate), function (call, return_call, ref.func), type
	// (call_indirect), local, global, table (table.*), tag, SIMD lane,
	// data/element segment, memory (memory.size, memory.grow,
	// memory.fill, destination of memory.copy), and for ref.null the heap
	// type byte (0x70 func, 0x6f extern, 0x69 exn).
	Index uint32
	// Index2 is the second index: the table of call_indirect and
	// return_call_indirect, the source of memory.copy and table.copy, the
	// memory of memory.init and the table of table.init.
	Index2 uint32
	// Labels are the br_table targets; the default target is the LAST
	// element.
	Labels []uint32
	Mem    MemArg
	// Const is the value of i32.const/i64.const (sign-extended to 64
	// bits), or the bit pattern of f32.const/f64.const.
	Const uint64
	// V128 is the v128.const value or the i8x16.shuffle lane indices.
	V128    [16]byte
	Types   []ValType // select t*
	Catches []Catch   // try_table
}

// I32 returns the immediate of i32.const.
func (in *Instr) I32() int32 { return int32(in.Const) }

// I64 returns the immediate of i64.const.
func (in *Instr) I64() int64 { return int64(in.Const) }

// F32 returns the immediate of f32.const.
func (in *Instr) F32() float32 { return math.Float32frombits(uint32(in.Const)) }

// F64 returns the immediate of f64.const.
func (in *Instr) F64() float64 { return math.Float64frombits(in.Const) }

// DecodeBody decodes a whole function body (Code.Body: the instructions
// including the final end). start is the code offset of body[0], normally
// Code.BodyStart; every Instr.Off is start plus its position in body.
//
// It checks the structure that decoding needs (every block is closed, the
// final end is the last byte) but not types: that is the Typer's job.
// Errors are *CodeError with Func -1; Module.DecodeFunc adds the function.
func DecodeBody(body []byte, start CodeOffset) ([]Instr, error) {
	// Most instructions take 2-3 bytes; guessing low avoids reserving a
	// lot of memory for bodies full of wide constants.
	return DecodeBodyInto(make([]Instr, 0, len(body)/3+1), body, start)
}

// DecodeBodyInto is DecodeBody decoding into buf's storage (from buf[:0]),
// so that a caller decoding many bodies in turn can reuse one buffer. The
// result aliases buf when it fits.
func DecodeBodyInto(buf []Instr, body []byte, start CodeOffset) ([]Instr, error) {
	r := &reader{b: body, base: int(start)}
	instrs := buf[:0]
	depth := 1
	for {
		pos := r.pos
		if pos >= len(body) {
			return instrs, &CodeError{Func: -1, Off: start + CodeOffset(pos),
				Err: fmt.Errorf("function body has no final end: %w", ErrTruncated)}
		}
		instrs = append(instrs, Instr{Off: start + CodeOffset(pos)})
		in := &instrs[len(instrs)-1]
		if err := decodeInstr(r, in); err != nil {
			return instrs[:len(instrs)-1], bodyError(err, start+CodeOffset(pos))
		}
		switch in.Op {
		case OpBlock, OpLoop, OpIf, OpTry, OpTryTable:
			depth++
		case OpEnd, OpDelegate:
			depth--
		}
		if depth == 0 {
			if r.pos != len(body) {
				return instrs, &CodeError{Func: -1, Off: start + CodeOffset(r.pos),
					Err: fmt.Errorf("%d bytes after the function's final end", len(body)-r.pos)}
			}
			return instrs, nil
		}
	}
}

// bodyError turns a reader error into a CodeError at the instruction
// start.
func bodyError(err error, off CodeOffset) error {
	_, cause, _ := asOffsetError(err)
	return &CodeError{Func: -1, Off: off, Err: cause}
}

// readOp reads an opcode, with its subopcode if it is prefixed.
func readOp(r *reader) (Op, error) {
	c, err := r.byte()
	if err != nil {
		return 0, err
	}
	switch c {
	case prefixMisc, prefixSIMD, prefixAtomic:
		sub, err := r.u32()
		if err != nil {
			return 0, err
		}
		if sub > 0xffffff {
			// Would not fit in Op; certainly not a known opcode.
			return 0, r.errorf(r.pos, "%w 0x%02x 0x%x", ErrUnknownOpcode, c, sub)
		}
		return Op(c)<<24 | Op(sub), nil
	}
	return Op(c), nil
}

// decodeInstr reads one instruction into in (all fields but Off).
func decodeInstr(r *reader, in *Instr) error {
	op, err := readOp(r)
	if err != nil {
		return err
	}
	in.Op = op
	d := lookupOp(op)
	if d == nil {
		return r.errorf(r.pos, "%w %s", ErrUnknownOpcode, op.bytesString())
	}
	if err := decodeImm(r, d, in); err != nil {
		off, cause, _ := asOffsetError(err)
		return &offsetError{off: off, err: fmt.Errorf("%s: %w", d.name, cause)}
	}
	return nil
}

func decodeImm(r *reader, d *opInfo, in *Instr) error {
	var err error
	switch d.imm {
	case immNone:
	case immBlock:
		in.Block, err = readBlockType(r)
	case immLabel, immFunc, immLocal, immGlobal, immTable, immMemIdx, immTag, immData, immElem:
		in.Index, err = r.u32()
	case immBrTable:
		var n int
		if n, err = r.count(1); err != nil {
			return err
		}
		in.Labels = make([]uint32, n+1)
		for i := range in.Labels {
			if in.Labels[i], err = r.u32(); err != nil {
				return err
			}
		}
	case immCallIndirect, immMemInit, immMemCopy, immTableInit, immTableCopy:
		if in.Index, err = r.u32(); err != nil {
			return err
		}
		in.Index2, err = r.u32()
	case immMem:
		in.Mem, err = readMemArg(r)
	case immMemLane:
		if in.Mem, err = readMemArg(r); err != nil {
			return err
		}
		var c byte
		c, err = r.byte()
		in.Index = uint32(c)
	case immLane:
		var c byte
		c, err = r.byte()
		in.Index = uint32(c)
	case immI32:
		var v int64
		v, err = r.sleb(32)
		in.Const = uint64(v)
	case immI64:
		var v int64
		v, err = r.sleb(64)
		in.Const = uint64(v)
	case immF32:
		var v uint32
		v, err = r.u32le()
		in.Const = uint64(v)
	case immF64:
		in.Const, err = r.u64le()
	case immSelectT:
		var n int
		if n, err = r.count(1); err != nil {
			return err
		}
		in.Types = make([]ValType, n)
		for i := range in.Types {
			if in.Types[i], err = r.valType(); err != nil {
				return err
			}
		}
	case immHeapType:
		in.Index, err = readHeapType(r)
	case immTryTable:
		if in.Block, err = readBlockType(r); err != nil {
			return err
		}
		var n int
		if n, err = r.count(2); err != nil {
			return err
		}
		in.Catches = make([]Catch, n)
		for i := range in.Catches {
			if in.Catches[i], err = readCatch(r); err != nil {
				return err
			}
		}
	case immV128, immShuffle:
		var b []byte
		if b, err = r.bytes(16); err != nil {
			return err
		}
		copy(in.V128[:], b)
	case immFence:
		start := r.pos
		var c byte
		if c, err = r.byte(); err == nil && c != 0 {
			err = r.errorf(start, "reserved byte must be 0, got 0x%02x", c)
		}
	default:
		err = r.errorf(r.pos, "internal error: no decoder for immediate kind %d", d.imm)
	}
	return err
}

func readBlockType(r *reader) (BlockType, error) {
	start := r.pos
	if r.pos >= len(r.b) {
		return BlockType{}, r.errAt(r.pos, ErrTruncated)
	}
	c := r.b[r.pos]
	if c == 0x40 {
		r.pos++
		return BlockType{Kind: BlockEmpty}, nil
	}
	switch ValType(c) {
	case I32, I64, F32, F64, V128, FuncRef, ExternRef, ExnRef:
		r.pos++
		return BlockType{Kind: BlockVal, Val: ValType(c)}, nil
	}
	v, err := r.sleb(33)
	if err != nil {
		return BlockType{}, err
	}
	if v < 0 {
		return BlockType{}, r.errAt(start, badValType(c))
	}
	if v > math.MaxUint32 {
		return BlockType{}, r.errorf(start, "block type index %d out of range", v)
	}
	return BlockType{Kind: BlockTypeIndex, TypeIndex: uint32(v)}, nil
}

func readMemArg(r *reader) (MemArg, error) {
	start := r.pos
	flags, err := r.u32()
	if err != nil {
		return MemArg{}, err
	}
	var m MemArg
	if flags >= 1<<7 {
		return MemArg{}, r.errorf(start, "malformed memop flags 0x%x", flags)
	}
	if flags&(1<<6) != 0 {
		if m.Mem, err = r.u32(); err != nil {
			return MemArg{}, err
		}
		flags &^= 1 << 6
	}
	m.Align = flags
	// memory64 widened the offset to u64 for every memory; validation, not
	// decoding, limits it to 32 bits for 32-bit memories.
	if m.Offset, err = r.u64(); err != nil {
		return MemArg{}, err
	}
	return m, nil
}

func readHeapType(r *reader) (uint32, error) {
	start := r.pos
	v, err := r.sleb(33)
	if err != nil {
		return 0, err
	}
	if v >= 0 {
		return 0, r.errorf(start, "concrete heap type %d (function references/GC proposal) is %w", v, ErrUnsupported)
	}
	if v < -64 {
		return 0, r.errorf(start, "invalid heap type %d", v)
	}
	c := byte(v + 0x80)
	switch ValType(c) {
	case FuncRef, ExternRef, ExnRef:
		return uint32(c), nil
	}
	return 0, r.errAt(start, badValType(c))
}

func readCatch(r *reader) (Catch, error) {
	start := r.pos
	k, err := r.byte()
	if err != nil {
		return Catch{}, err
	}
	c := Catch{Kind: k}
	switch k {
	case CatchTag, CatchRef:
		if c.Tag, err = r.u32(); err != nil {
			return Catch{}, err
		}
	case CatchAll, CatchAllRef:
	default:
		return Catch{}, r.errorf(start, "invalid catch kind 0x%02x", k)
	}
	c.Label, err = r.u32()
	return c, err
}

// AppendInstr appends the canonical encoding of in (minimal LEBs, memory
// index only when non-zero). An opcode unknown to this package is written
// without immediates.
func AppendInstr(dst []byte, in *Instr) []byte {
	if p := in.Op.Prefix(); p != 0 {
		dst = append(dst, p)
		dst = appendU32(dst, in.Op.Sub())
	} else {
		dst = append(dst, byte(in.Op))
	}
	d := lookupOp(in.Op)
	if d == nil {
		return dst
	}
	switch d.imm {
	case immBlock:
		dst = appendBlockType(dst, in.Block)
	case immLabel, immFunc, immLocal, immGlobal, immTable, immMemIdx, immTag, immData, immElem:
		dst = appendU32(dst, in.Index)
	case immBrTable:
		if len(in.Labels) == 0 {
			// Not representable; encode "br_table with default 0" rather
			// than an invalid vector.
			return append(dst, 0, 0)
		}
		dst = appendU32(dst, uint32(len(in.Labels)-1))
		for _, l := range in.Labels {
			dst = appendU32(dst, l)
		}
	case immCallIndirect, immMemInit, immMemCopy, immTableInit, immTableCopy:
		dst = appendU32(dst, in.Index)
		dst = appendU32(dst, in.Index2)
	case immMem:
		dst = appendMemArg(dst, in.Mem)
	case immMemLane:
		dst = appendMemArg(dst, in.Mem)
		dst = append(dst, byte(in.Index))
	case immLane:
		dst = append(dst, byte(in.Index))
	case immI32:
		dst = appendSleb(dst, int64(int32(in.Const)))
	case immI64:
		dst = appendSleb(dst, int64(in.Const))
	case immF32:
		c := uint32(in.Const)
		dst = append(dst, byte(c), byte(c>>8), byte(c>>16), byte(c>>24))
	case immF64:
		for i := range 8 {
			dst = append(dst, byte(in.Const>>(8*i)))
		}
	case immSelectT:
		dst = appendU32(dst, uint32(len(in.Types)))
		for _, t := range in.Types {
			dst = append(dst, byte(t))
		}
	case immHeapType:
		dst = append(dst, byte(in.Index))
	case immTryTable:
		dst = appendBlockType(dst, in.Block)
		dst = appendU32(dst, uint32(len(in.Catches)))
		for _, c := range in.Catches {
			dst = append(dst, c.Kind)
			if c.Kind == CatchTag || c.Kind == CatchRef {
				dst = appendU32(dst, c.Tag)
			}
			dst = appendU32(dst, c.Label)
		}
	case immV128, immShuffle:
		dst = append(dst, in.V128[:]...)
	case immFence:
		dst = append(dst, 0)
	}
	return dst
}

func appendBlockType(dst []byte, bt BlockType) []byte {
	switch bt.Kind {
	case BlockVal:
		return append(dst, byte(bt.Val))
	case BlockTypeIndex:
		return appendSleb(dst, int64(bt.TypeIndex))
	}
	return append(dst, 0x40)
}

func appendMemArg(dst []byte, m MemArg) []byte {
	if m.Mem != 0 {
		dst = appendU32(dst, m.Align|1<<6)
		dst = appendU32(dst, m.Mem)
	} else {
		dst = appendU32(dst, m.Align)
	}
	return appendUleb(dst, m.Offset)
}

// EncodeCode encodes a function body entry without its leading size LEB:
// the local declarations followed by the instructions. instrs must include
// the final end.
func EncodeCode(locals []LocalDecl, instrs []Instr) []byte {
	dst := appendLocals(make([]byte, 0, 3*len(instrs)+8), locals)
	for i := range instrs {
		dst = AppendInstr(dst, &instrs[i])
	}
	return dst
}

// EncodeBody encodes instructions only: the inverse of DecodeBody, and
// what goes in Code.Body. instrs must include the final end.
func EncodeBody(instrs []Instr) []byte {
	dst := make([]byte, 0, 3*len(instrs))
	for i := range instrs {
		dst = AppendInstr(dst, &instrs[i])
	}
	return dst
}

func appendLocals(dst []byte, locals []LocalDecl) []byte {
	dst = appendU32(dst, uint32(len(locals)))
	for _, l := range locals {
		dst = appendU32(dst, l.Count)
		dst = append(dst, byte(l.Type))
	}
	return dst
}
