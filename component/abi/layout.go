package abi

import "fmt"

// Limits from definitions.py.
const (
	// MaxStringByteLength is MAX_STRING_BYTE_LENGTH: longer strings trap.
	MaxStringByteLength = 1<<28 - 1
	// MaxListByteLength is MAX_LIST_BYTE_LENGTH: longer lists trap, and
	// no valid type is this large.
	MaxListByteLength = 1<<28 - 1
	// MaxFlags is the most labels a flags type may have.
	MaxFlags = 32
	// reallocI32Max is REALLOC_I32_MAX, the largest size passed to realloc.
	reallocI32Max = 1<<32 - 1
)

// AddrType is the address type of the linear memory named by the memory
// canonical option: Addr32 for ordinary memories, Addr64 for 🐘 memory64.
// It decides the size of pointers and lengths (the spec's ptr_type).
type AddrType uint8

// The two address types.
const (
	Addr32 AddrType = iota
	Addr64
)

func (a AddrType) String() string {
	if a == Addr64 {
		return "i64"
	}
	return "i32"
}

// ptrSize is ptr_size(ptr_type).
func (a AddrType) ptrSize() uint64 {
	if a == Addr64 {
		return 8
	}
	return 4
}

// CoreType returns the core type of a pointer: CoreI32 or CoreI64.
func (a AddrType) CoreType() CoreType {
	if a == Addr64 {
		return CoreI64
	}
	return CoreI32
}

// utf16Tag is utf16_tag(ptr_type): the bit that marks a latin1+utf16 string
// as UTF-16.
func (a AddrType) utf16Tag() uint64 { return 1 << (a.ptrSize()*8 - 1) }

// Size returns elem_size(t, 'i32'): the bytes a value of type t takes in
// memory, as a list element or a record field. t must be valid.
func Size(t Type) uint64 { return Addr32.Size(t) }

// Alignment returns alignment(t, 'i32'). t must be valid.
func Alignment(t Type) uint64 { return Addr32.Alignment(t) }

// sizeCap is where size computations saturate, so that Validate can reject
// huge fixed-length lists without overflowing.
const sizeCap = 1 << 62

func satAdd(a, b uint64) uint64 {
	if a >= sizeCap || b >= sizeCap || a+b >= sizeCap {
		return sizeCap
	}
	return a + b
}

func satMul(a, b uint64) uint64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a >= sizeCap/b {
		return sizeCap
	}
	return a * b
}

// alignTo is align_to(ptr, alignment) for a power-of-two alignment.
func alignTo(ptr, alignment uint64) uint64 {
	if ptr >= sizeCap {
		return sizeCap
	}
	return (ptr + alignment - 1) &^ (alignment - 1)
}

// Alignment returns alignment(t, ptr_type) for memories of address type a.
// t must be valid.
func (a AddrType) Alignment(t Type) uint64 {
	switch t := t.(type) {
	case PrimType:
		switch t {
		case BoolType, S8Type, U8Type:
			return 1
		case S16Type, U16Type:
			return 2
		case S32Type, U32Type, F32Type, CharType, ErrorContextType:
			return 4
		case S64Type, U64Type, F64Type:
			return 8
		case StringType:
			return a.ptrSize()
		}
	case *ListType, *MapType:
		elem, fixed, _ := listElem(t)
		if fixed > 0 {
			return a.Alignment(elem)
		}
		return a.ptrSize()
	case *RecordType, *TupleType, mapEntry:
		al := uint64(1)
		for i := range numFields(t) {
			al = max(al, a.Alignment(fieldType(t, i)))
		}
		return al
	case *VariantType, *EnumType, *OptionType, *ResultType:
		return max(discriminantSize(numCases(t)), a.maxCaseAlignment(t))
	case *FlagsType:
		return flagsSize(len(t.Labels))
	case *OwnType, *BorrowType, *StreamType, *FutureType:
		return 4
	}
	return 1
}

// Size returns elem_size(t, ptr_type) for memories of address type a. t must
// be valid; for types larger than any valid type the result saturates.
func (a AddrType) Size(t Type) uint64 {
	switch t := t.(type) {
	case PrimType:
		switch t {
		case BoolType, S8Type, U8Type:
			return 1
		case S16Type, U16Type:
			return 2
		case S32Type, U32Type, F32Type, CharType, ErrorContextType:
			return 4
		case S64Type, U64Type, F64Type:
			return 8
		case StringType:
			return 2 * a.ptrSize()
		}
	case *ListType, *MapType:
		elem, fixed, _ := listElem(t)
		if fixed > 0 {
			return satMul(uint64(fixed), a.Size(elem))
		}
		return 2 * a.ptrSize()
	case *RecordType, *TupleType, mapEntry:
		s := uint64(0)
		for i := range numFields(t) {
			f := fieldType(t, i)
			s = satAdd(alignTo(s, a.Alignment(f)), a.Size(f))
		}
		return alignTo(s, a.Alignment(t))
	case *VariantType, *EnumType, *OptionType, *ResultType:
		s := alignTo(discriminantSize(numCases(t)), a.maxCaseAlignment(t))
		cs := uint64(0)
		for i := range numCases(t) {
			if c := caseType(t, i); c != nil {
				cs = max(cs, a.Size(c))
			}
		}
		return alignTo(satAdd(s, cs), a.Alignment(t))
	case *FlagsType:
		return flagsSize(len(t.Labels))
	case *OwnType, *BorrowType, *StreamType, *FutureType:
		return 4
	}
	return 1
}

// maxCaseAlignment is max_case_alignment(cases, ptr_type).
func (a AddrType) maxCaseAlignment(t Type) uint64 {
	al := uint64(1)
	for i := range numCases(t) {
		if c := caseType(t, i); c != nil {
			al = max(al, a.Alignment(c))
		}
	}
	return al
}

// discriminantSize is elem_size(discriminant_type(cases)): the smallest of
// u8, u16 and u32 that can number n cases.
func discriminantSize(n int) uint64 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

// flagsSize is elem_size_flags(labels) (and alignment_flags).
func flagsSize(n int) uint64 {
	switch {
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4
}

func (a AddrType) checkValid() error {
	if a > Addr64 {
		return fmt.Errorf("unknown address type %d", a)
	}
	return nil
}
