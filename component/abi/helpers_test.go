package abi

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// testHeap is a bump allocator over a ByteMemory, used as realloc. It is
// the same algorithm as Heap in testdata/differential.py, so both sides of
// the differential test allocate at the same addresses: shrinking keeps the
// pointer, growing allocates anew and copies.
type testHeap struct {
	mem   ByteMemory
	next  uint64
	mode  string // "", "ok", "misalign" or "oob"
	calls [][4]uint64
}

func (h *testHeap) realloc(oldPtr, oldSize, align, newSize uint64) (uint64, error) {
	h.calls = append(h.calls, [4]uint64{oldPtr, oldSize, align, newSize})
	switch {
	case h.mode == "misalign" && align > 1:
		return alignTo(h.next, align) + 1, nil
	case h.mode == "oob":
		return uint64(len(h.mem)), nil
	}
	if oldPtr != 0 && newSize <= oldSize {
		return oldPtr, nil
	}
	ret := alignTo(h.next, align)
	if ret+newSize > uint64(len(h.mem)) {
		return 0, &Trap{Msg: "test heap exhausted"}
	}
	h.next = ret + newSize
	n := min(oldSize, newSize)
	copy(h.mem[ret:ret+n], h.mem[oldPtr:oldPtr+n])
	return ret, nil
}

// newCx returns a context over a fresh memory of n bytes whose heap starts
// at base.
func newCx(n int, base uint64, enc StringEncoding, addr AddrType) (*Context, *testHeap) {
	h := &testHeap{mem: make(ByteMemory, n), next: base}
	return &Context{
		Options:     Options{StringEncoding: enc, Memory: h.mem, Addr: addr, Realloc: h.realloc},
		Instance:    &Instance{},
		BorrowScope: &BorrowScope{},
		Lenders:     &Lenders{},
	}, h
}

func isTrap(err error) bool {
	var t *Trap
	return errors.As(err, &t)
}

// gen makes random types and values for the round-trip, differential and
// fuzz tests.
type gen struct {
	r   *rand.Rand
	rts []*ResourceType
}

func newGen(seed uint64, rts ...*ResourceType) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), rts: rts}
}

var genPrims = []PrimType{BoolType, S8Type, U8Type, S16Type, U16Type, S32Type, U32Type, S64Type, U64Type, F32Type, F64Type, CharType, StringType}

func labels(prefix string, n int) []string {
	l := make([]string, n)
	for i := range l {
		l[i] = prefix + strconv.Itoa(i)
	}
	return l
}

// typ returns a random valid type nested at most depth deep.
func (g *gen) typ(depth int) Type {
	if depth <= 0 || g.r.IntN(3) == 0 {
		return genPrims[g.r.IntN(len(genPrims))]
	}
	switch g.r.IntN(13) {
	case 0:
		return &ListType{Elem: g.typ(depth - 1)}
	case 1:
		return &ListType{Elem: g.typ(depth - 1), Len: uint32(1 + g.r.IntN(4))}
	case 2:
		fs := make([]FieldType, 1+g.r.IntN(4))
		for i := range fs {
			fs[i] = FieldType{Label: "f" + strconv.Itoa(i), Type: g.typ(depth - 1)}
		}
		return &RecordType{Fields: fs}
	case 3:
		ts := make([]Type, 1+g.r.IntN(4))
		for i := range ts {
			ts[i] = g.typ(depth - 1)
		}
		return &TupleType{Types: ts}
	case 4:
		cs := make([]CaseType, 1+g.r.IntN(4))
		for i := range cs {
			cs[i].Label = "c" + strconv.Itoa(i)
			if g.r.IntN(4) != 0 {
				cs[i].Type = g.typ(depth - 1)
			}
		}
		return &VariantType{Cases: cs}
	case 5:
		n := 1 + g.r.IntN(4)
		if g.r.IntN(8) == 0 { // a u16 discriminant now and then
			n = []int{256, 257, 300}[g.r.IntN(3)]
		}
		return &EnumType{Labels: labels("e", n)}
	case 6:
		return &OptionType{Elem: g.typ(depth - 1)}
	case 7:
		var ok, err Type
		if g.r.IntN(3) != 0 {
			ok = g.typ(depth - 1)
		}
		if g.r.IntN(3) != 0 {
			err = g.typ(depth - 1)
		}
		return &ResultType{Ok: ok, Err: err}
	case 8:
		n := []int{1, 2, 8, 9, 16, 17, 31, 32}[g.r.IntN(8)]
		return &FlagsType{Labels: labels("g", n)}
	case 9:
		return &MapType{Key: genPrims[g.r.IntN(len(genPrims))], Value: g.typ(depth - 1)}
	case 10:
		if len(g.rts) > 0 {
			return &OwnType{Resource: g.rts[g.r.IntN(len(g.rts))]}
		}
	case 11:
		if len(g.rts) > 0 {
			return &BorrowType{Resource: g.rts[g.r.IntN(len(g.rts))]}
		}
	}
	return genPrims[g.r.IntN(len(genPrims))]
}

// funStrings are the strings the string tests and generators use: ASCII,
// Latin-1 (é), outside Latin-1 but in the BMP, and astral (😀), including
// run_tests.py's fun_strings.
var funStrings = []string{
	"", "a", "hi", "\x00", "a\x00b", "\u0080", "\u0080b", "ab\u00efc",
	"\u01ffy", "xy\u01ff", "a\ud7ffb", "a\u02ff\u03ff\u04ffbc",
	"\uf123", "\uf123\uf123abc", "abcdef\uf123",
	"é", "café", "héllo wörld ÿ", "😀", "a😀b", "日本語", "naïve 😀 ça",
	"abcdefghij\u00e9\u0100", "\u00ff\u0100", "line\nbreak\t\"q\"",
}

// str returns a random string value whose recorded source encoding is
// consistent with its text.
func (g *gen) str() String {
	s := funStrings[g.r.IntN(len(funStrings))]
	return stringAs(s, []SourceEncoding{SourceUTF8, SourceUTF16, SourceLatin1, SourceCompactUTF16}[g.r.IntN(4)])
}

// stringAs returns s as lifted from a memory with the given source
// encoding; SourceLatin1 falls back to SourceCompactUTF16 when s does not
// fit Latin-1.
func stringAs(s string, src SourceEncoding) String {
	switch src {
	case SourceUTF16, SourceCompactUTF16:
		return String{Text: s, Src: src, CodeUnits: utf16Len(s)}
	case SourceLatin1:
		n := uint64(0)
		for _, r := range s {
			if r > 0xff {
				return stringAs(s, SourceCompactUTF16)
			}
			n++
		}
		return String{Text: s, Src: SourceLatin1, CodeUnits: n}
	}
	return Str(s)
}

var specialF32 = []uint32{0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc00001, 0xffffffff, 0x3fc00000, 0x00000001}
var specialF64 = []uint64{0, 1 << 63, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff8000000000001, 0x3ff0000000000000, 1}

// value returns a random value of type t. Lists stay short.
func (g *gen) value(t Type) Value {
	r := g.r
	switch t := t.(type) {
	case PrimType:
		switch t {
		case BoolType:
			return Bool(r.IntN(2) == 1)
		case S8Type:
			return S8(r.Uint32())
		case U8Type:
			return U8(r.Uint32())
		case S16Type:
			return S16(r.Uint32())
		case U16Type:
			return U16(r.Uint32())
		case S32Type:
			return S32(r.Uint32())
		case U32Type:
			return U32(r.Uint32())
		case S64Type:
			return S64(r.Uint64())
		case U64Type:
			return U64(r.Uint64())
		case F32Type:
			if r.IntN(3) == 0 {
				return F32(canonicalizeNaN32(math.Float32frombits(specialF32[r.IntN(len(specialF32))])))
			}
			return F32(canonicalizeNaN32(math.Float32frombits(r.Uint32())))
		case F64Type:
			if r.IntN(3) == 0 {
				return F64(canonicalizeNaN64(math.Float64frombits(specialF64[r.IntN(len(specialF64))])))
			}
			return F64(canonicalizeNaN64(math.Float64frombits(r.Uint64())))
		case CharType:
			for {
				c := []rune{0, 'a', 0xe9, 0xd7ff, 0xe000, 0x1f600, 0x10ffff, rune(r.IntN(0x110000))}[r.IntN(8)]
				if c < 0xd800 || c > 0xdfff {
					return Char(c)
				}
			}
		case StringType:
			return g.str()
		}
	case *ListType, *MapType:
		elem, fixed, _ := listElem(t)
		n := int(fixed)
		if fixed == 0 {
			n = r.IntN(4)
		}
		if elem == U8Type && r.IntN(2) == 0 {
			b := make(Bytes, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			return b
		}
		l := make(List, n)
		for i := range l {
			l[i] = g.value(elem)
		}
		return l
	case *RecordType, *TupleType, mapEntry:
		vs := make([]Value, numFields(t))
		for i := range vs {
			vs[i] = g.value(fieldType(t, i))
		}
		if _, ok := t.(*RecordType); ok {
			return Record(vs)
		}
		return Tuple(vs)
	case *VariantType, *EnumType, *OptionType, *ResultType:
		c := r.IntN(numCases(t))
		if ct := caseType(t, c); ct != nil {
			return Variant{Case: uint32(c), Payload: g.value(ct)}
		}
		return Variant{Case: uint32(c)}
	case *FlagsType:
		return Flags(r.Uint32() & uint32(1<<len(t.Labels)-1))
	case *OwnType, *BorrowType:
		return Handle{Rep: r.Uint32()}
	}
	panic(fmt.Sprintf("gen: no values for %v", t))
}

// equalValues compares lifted values, ignoring how strings were encoded
// (as run_tests.py's equal_modulo_string_encoding) and the handle index.
func equalValues(a, b Value) bool {
	switch x := a.(type) {
	case String:
		y, ok := b.(String)
		return ok && x.Text == y.Text
	case F32:
		y, ok := b.(F32)
		return ok && math.Float32bits(float32(x)) == math.Float32bits(float32(y))
	case F64:
		y, ok := b.(F64)
		return ok && math.Float64bits(float64(x)) == math.Float64bits(float64(y))
	case List:
		switch y := b.(type) {
		case List:
			return equalSlices(x, y)
		case Bytes:
			return equalValues(b, a)
		}
		return false
	case Bytes:
		switch y := b.(type) {
		case Bytes:
			return string(x) == string(y)
		case List:
			if len(x) != len(y) {
				return false
			}
			for i := range x {
				if y[i] != U8(x[i]) {
					return false
				}
			}
			return true
		}
		return false
	case Record:
		y, ok := b.(Record)
		return ok && equalSlices(x, y)
	case Tuple:
		y, ok := b.(Tuple)
		return ok && equalSlices(x, y)
	case Variant:
		y, ok := b.(Variant)
		if !ok || x.Case != y.Case || (x.Payload == nil) != (y.Payload == nil) {
			return false
		}
		return x.Payload == nil || equalValues(x.Payload, y.Payload)
	case Handle:
		y, ok := b.(Handle)
		return ok && x.Rep == y.Rep
	}
	return a == b
}

func equalSlices(a, b []Value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !equalValues(a[i], b[i]) {
			return false
		}
	}
	return true
}
