package abi

import (
	"fmt"
	"math"
)

// Load reads a value of type t from memory at ptr (definitions.py's load),
// trapping if ptr is misaligned for t or the value is not in bounds, and on
// any invalid contents: a bad discriminant, char or string, a list out of
// bounds, an unknown handle.
//
// Lifting own handles moves them out of cx.Instance's table, and lifting
// borrows lends them to cx.Lenders, unless cx.Inspect is set.
func Load(cx *Context, t Type, ptr uint64) (Value, error) {
	if err := cx.begin(t); err != nil {
		return nil, err
	}
	if err := cx.checkPtr(ptr, cx.Addr.Alignment(t), cx.Addr.Size(t), "pointer out of bounds of memory"); err != nil {
		return nil, err
	}
	return cx.load(t, ptr)
}

// begin validates a top-level call's type and options and resets the lift
// budget.
func (cx *Context) begin(ts ...Type) error {
	cx.spent = 0
	if err := cx.Addr.checkValid(); err != nil {
		return err
	}
	for _, t := range ts {
		if err := Validate(t); err != nil {
			return err
		}
	}
	return nil
}

// load is definitions.py's load: ptr is aligned and the value in bounds.
func (cx *Context) load(t Type, ptr uint64) (Value, error) {
	switch t := t.(type) {
	case PrimType:
		return cx.loadPrim(t, ptr)
	case *ListType, *MapType:
		elem, fixed, _ := listElem(t)
		return cx.loadList(ptr, elem, fixed)
	case *RecordType, *TupleType, mapEntry:
		return cx.loadRecord(t, ptr)
	case *VariantType, *EnumType, *OptionType, *ResultType:
		return cx.loadVariant(t, ptr)
	case *FlagsType:
		i, err := cx.loadInt(ptr, flagsSize(len(t.Labels)))
		if err != nil {
			return nil, err
		}
		return unpackFlags(i, len(t.Labels)), nil
	case *OwnType:
		i, err := cx.loadInt(ptr, 4)
		if err != nil {
			return nil, err
		}
		return cx.liftOwn(uint32(i), t)
	case *BorrowType:
		i, err := cx.loadInt(ptr, 4)
		if err != nil {
			return nil, err
		}
		return cx.liftBorrow(uint32(i), t)
	case *StreamType, *FutureType:
		i, err := cx.loadInt(ptr, 4)
		if err != nil {
			return nil, err
		}
		return cx.liftAsyncValue(uint32(i), t)
	}
	return nil, fmt.Errorf("load: unknown type %T", t)
}

func (cx *Context) loadPrim(t PrimType, ptr uint64) (Value, error) {
	if t == StringType {
		s, err := cx.loadString(ptr)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	i, err := cx.loadInt(ptr, Addr32.Size(t))
	if err != nil {
		return nil, err
	}
	return cx.liftScalar(t, i)
}

// liftScalar converts the integer (or float bits) a scalar was loaded or
// passed as to its value: convert_int_to_bool, the wrapping of
// lift_flat_unsigned/lift_flat_signed, decode_i32_as_float and friends,
// convert_i32_to_char, lift_error_context. The bits above the type's width
// are ignored.
func (cx *Context) liftScalar(t PrimType, i uint64) (Value, error) {
	switch t {
	case BoolType:
		return Bool(uint32(i) != 0), nil
	case S8Type:
		return S8(int8(i)), nil
	case U8Type:
		return U8(uint8(i)), nil
	case S16Type:
		return S16(int16(i)), nil
	case U16Type:
		return U16(uint16(i)), nil
	case S32Type:
		return S32(int32(i)), nil
	case U32Type:
		return U32(uint32(i)), nil
	case S64Type:
		return S64(int64(i)), nil
	case U64Type:
		return U64(i), nil
	case F32Type:
		return F32(canonicalizeNaN32(math.Float32frombits(uint32(i)))), nil
	case F64Type:
		return F64(canonicalizeNaN64(math.Float64frombits(i))), nil
	case CharType:
		return convertI32ToChar(uint32(i))
	case ErrorContextType:
		return cx.liftErrorContext(uint32(i))
	}
	return nil, fmt.Errorf("lift: unknown primitive type %v", t)
}

// Canonical NaNs (CANONICAL_FLOAT32_NAN, CANONICAL_FLOAT64_NAN).
const (
	CanonicalNaN32 = 0x7fc00000
	CanonicalNaN64 = 0x7ff8000000000000
)

// canonicalizeNaN32 is canonicalize_nan32: lifting forgets NaN payloads.
func canonicalizeNaN32(f float32) float32 {
	if f != f {
		return math.Float32frombits(CanonicalNaN32)
	}
	return f
}

// canonicalizeNaN64 is canonicalize_nan64.
func canonicalizeNaN64(f float64) float64 {
	if f != f {
		return math.Float64frombits(CanonicalNaN64)
	}
	return f
}

// convertI32ToChar is convert_i32_to_char.
func convertI32ToChar(i uint32) (Value, error) {
	if i >= 0x110000 || 0xd800 <= i && i <= 0xdfff {
		return nil, trapf("invalid `char` bit pattern: %#x", i)
	}
	return Char(i), nil
}

// loadList is load_list.
func (cx *Context) loadList(ptr uint64, elem Type, fixed uint32) (Value, error) {
	if fixed > 0 {
		return cx.loadListFromValidRange(ptr, uint64(fixed), elem)
	}
	ps := cx.Addr.ptrSize()
	begin, err := cx.loadInt(ptr, ps)
	if err != nil {
		return nil, err
	}
	length, err := cx.loadInt(ptr+ps, ps)
	if err != nil {
		return nil, err
	}
	return cx.loadListFromRange(begin, length, elem)
}

// loadListFromRange is load_list_from_range.
func (cx *Context) loadListFromRange(ptr, length uint64, elem Type) (Value, error) {
	size := cx.Addr.Size(elem)
	n := satMul(length, size)
	if n > MaxListByteLength {
		return nil, trapf("list too long: %d elements of %d bytes (at most %d bytes)", length, size, MaxListByteLength)
	}
	if err := cx.checkPtr(ptr, cx.Addr.Alignment(elem), n, "list content out-of-bounds"); err != nil {
		return nil, err
	}
	return cx.loadListFromValidRange(ptr, length, elem)
}

// loadListFromValidRange is load_list_from_valid_range.
func (cx *Context) loadListFromValidRange(ptr, length uint64, elem Type) (Value, error) {
	size := cx.Addr.Size(elem)
	if elem == U8Type {
		if err := cx.charge(length); err != nil {
			return nil, err
		}
		b, err := cx.read(ptr, length)
		if err != nil {
			return nil, err
		}
		return Bytes(append([]byte(nil), b...)), nil
	}
	if err := cx.charge(satMul(16, satMul(length, size))); err != nil {
		return nil, err
	}
	l := make(List, length)
	for i := range length {
		v, err := cx.load(elem, ptr+i*size)
		if err != nil {
			return nil, atIndex(err, i)
		}
		l[i] = v
	}
	return l, nil
}

// loadRecord is load_record (for tuples and map entries too).
func (cx *Context) loadRecord(t Type, ptr uint64) (Value, error) {
	vs := make([]Value, numFields(t))
	for i := range vs {
		f := fieldType(t, i)
		ptr = alignTo(ptr, cx.Addr.Alignment(f))
		v, err := cx.load(f, ptr)
		if err != nil {
			return nil, atField(err, fieldLabel(t, i))
		}
		vs[i] = v
		ptr += cx.Addr.Size(f)
	}
	if _, ok := t.(*RecordType); ok {
		return Record(vs), nil
	}
	return Tuple(vs), nil
}

// loadVariant is load_variant (for enums, options and results too).
func (cx *Context) loadVariant(t Type, ptr uint64) (Value, error) {
	n := numCases(t)
	ds := discriminantSize(n)
	c, err := cx.loadInt(ptr, ds)
	if err != nil {
		return nil, err
	}
	if c >= uint64(n) {
		return nil, trapf("invalid variant discriminant: %d (the type has %d cases)", c, n)
	}
	ptr = alignTo(ptr+ds, cx.Addr.maxCaseAlignment(t))
	ct := caseType(t, int(c))
	if ct == nil {
		return Variant{Case: uint32(c)}, nil
	}
	v, err := cx.load(ct, ptr)
	if err != nil {
		return nil, atField(err, caseLabel(t, int(c)))
	}
	return Variant{Case: uint32(c), Payload: v}, nil
}

// unpackFlags is unpack_flags_from_int: bits above the labels are ignored.
func unpackFlags(i uint64, n int) Flags {
	return Flags(i & (1<<n - 1))
}
