package wasmbin

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Format returns the instruction as one line of WebAssembly text, for
// disassembly. The output is meant to be stable (tests golden it):
//
//	i32.const 42            local.get 2             br_table 0 1 2 3
//	call 12 <printf>        global.get 0 <__stack_pointer>
//	i32.load offset=8 align=4   (offset only when non-zero; align in bytes, always)
//	i32.load 1 align=4      (memory index only when non-zero)
//	block (result i32)      loop (type 3)           call_indirect (type 3)
//	ref.null func           select (result i32)     f64.const 0.5
//	v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004
//	try_table (result i32) (catch 0 1) (catch_all_ref 2)
//
// Names in angle brackets come from m (name section, else exports) and
// are left out when m is nil or has none. Floats print in the shortest
// decimal form that reads back to the same bits; NaNs print as nan or
// nan:0x<payload>.
func (in *Instr) Format(m *Module) string {
	d := lookupOp(in.Op)
	if d == nil {
		return in.Op.String()
	}
	var b strings.Builder
	b.WriteString(d.name)
	switch d.imm {
	case immBlock:
		b.WriteString(formatBlockType(in.Block))
	case immLabel, immLocal, immTag, immData, immElem, immLane, immTable:
		fmt.Fprintf(&b, " %d", in.Index)
	case immFunc:
		fmt.Fprintf(&b, " %d", in.Index)
		if m != nil {
			writeName(&b, m.FuncName(in.Index))
		}
	case immGlobal:
		fmt.Fprintf(&b, " %d", in.Index)
		if m != nil {
			writeName(&b, m.GlobalName(in.Index))
		}
	case immBrTable:
		for _, l := range in.Labels {
			fmt.Fprintf(&b, " %d", l)
		}
	case immCallIndirect:
		if in.Index2 != 0 {
			fmt.Fprintf(&b, " %d", in.Index2)
		}
		fmt.Fprintf(&b, " (type %d)", in.Index)
	case immMem:
		writeMemArg(&b, in.Mem)
	case immMemLane:
		writeMemArg(&b, in.Mem)
		fmt.Fprintf(&b, " %d", in.Index)
	case immMemIdx:
		if in.Index != 0 {
			fmt.Fprintf(&b, " %d", in.Index)
		}
	case immI32:
		fmt.Fprintf(&b, " %d", in.I32())
	case immI64:
		fmt.Fprintf(&b, " %d", in.I64())
	case immF32:
		b.WriteString(" " + formatF32(uint32(in.Const)))
	case immF64:
		b.WriteString(" " + formatF64(in.Const))
	case immSelectT:
		if len(in.Types) > 0 {
			b.WriteString(" (result")
			for _, t := range in.Types {
				b.WriteString(" " + t.String())
			}
			b.WriteString(")")
		}
	case immHeapType:
		b.WriteString(" " + ValType(in.Index).heapTypeName())
	case immTryTable:
		b.WriteString(formatBlockType(in.Block))
		for _, c := range in.Catches {
			switch c.Kind {
			case CatchTag:
				fmt.Fprintf(&b, " (catch %d %d)", c.Tag, c.Label)
			case CatchRef:
				fmt.Fprintf(&b, " (catch_ref %d %d)", c.Tag, c.Label)
			case CatchAll:
				fmt.Fprintf(&b, " (catch_all %d)", c.Label)
			case CatchAllRef:
				fmt.Fprintf(&b, " (catch_all_ref %d)", c.Label)
			}
		}
	case immMemInit:
		// Text order is memory then data, memory omitted when 0.
		if in.Index2 != 0 {
			fmt.Fprintf(&b, " %d", in.Index2)
		}
		fmt.Fprintf(&b, " %d", in.Index)
	case immTableInit:
		if in.Index2 != 0 {
			fmt.Fprintf(&b, " %d", in.Index2)
		}
		fmt.Fprintf(&b, " %d", in.Index)
	case immMemCopy, immTableCopy:
		if in.Index != 0 || in.Index2 != 0 {
			fmt.Fprintf(&b, " %d %d", in.Index, in.Index2)
		}
	case immV128:
		b.WriteString(" i32x4")
		for i := 0; i < 16; i += 4 {
			fmt.Fprintf(&b, " 0x%08x", binary.LittleEndian.Uint32(in.V128[i:]))
		}
	case immShuffle:
		for _, l := range in.V128 {
			fmt.Fprintf(&b, " %d", l)
		}
	}
	return b.String()
}

func writeName(b *strings.Builder, name string) {
	if name != "" {
		b.WriteString(" <" + name + ">")
	}
}

func writeMemArg(b *strings.Builder, m MemArg) {
	if m.Mem != 0 {
		fmt.Fprintf(b, " %d", m.Mem)
	}
	if m.Offset != 0 {
		fmt.Fprintf(b, " offset=%d", m.Offset)
	}
	if m.Align < 64 {
		fmt.Fprintf(b, " align=%d", uint64(1)<<m.Align)
	} else {
		fmt.Fprintf(b, " align=2**%d", m.Align)
	}
}

func formatBlockType(bt BlockType) string {
	switch bt.Kind {
	case BlockVal:
		return " (result " + bt.Val.String() + ")"
	case BlockTypeIndex:
		return fmt.Sprintf(" (type %d)", bt.TypeIndex)
	}
	return ""
}

func formatF32(bits uint32) string {
	f := math.Float32frombits(bits)
	switch {
	case f != f:
		return nanString(bits>>31 != 0, uint64(bits&0x7fffff), 0x400000)
	case math.IsInf(float64(f), 1):
		return "inf"
	case math.IsInf(float64(f), -1):
		return "-inf"
	}
	return strconv.FormatFloat(float64(f), 'g', -1, 32)
}

func formatF64(bits uint64) string {
	f := math.Float64frombits(bits)
	switch {
	case f != f:
		return nanString(bits>>63 != 0, bits&(1<<52-1), 1<<51)
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func nanString(neg bool, payload, canonical uint64) string {
	s := "nan"
	if payload != canonical {
		s += fmt.Sprintf(":0x%x", payload)
	}
	if neg {
		return "-" + s
	}
	return s
}
