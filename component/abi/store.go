package abi

import (
	"fmt"
	"math"
)

// Store writes v, a value of type t, to memory at ptr (definitions.py's
// store), allocating strings and lists with cx.Realloc. It traps if ptr is
// misaligned for t or the value is not in bounds, or if realloc returns a
// bad pointer; it returns a *MismatchError if v does not fit t.
//
// Storing own handles adds them to cx.Instance's table; storing borrows
// adds borrow handles counted in cx.BorrowScope (or passes the
// representation itself to the resource's own instance).
func Store(cx *Context, t Type, v Value, ptr uint64) error {
	if err := cx.begin(t); err != nil {
		return err
	}
	if err := cx.checkPtr(ptr, cx.Addr.Alignment(t), cx.Addr.Size(t), "pointer out of bounds of memory"); err != nil {
		return err
	}
	return cx.store(t, v, ptr)
}

// store is definitions.py's store: ptr is aligned and in bounds.
func (cx *Context) store(t Type, v Value, ptr uint64) error {
	switch t := t.(type) {
	case PrimType:
		if t == StringType {
			s, ok := v.(String)
			if !ok {
				return mismatchValue(t, v)
			}
			return cx.storeString(t, s, ptr)
		}
		i, err := cx.lowerScalar(t, v)
		if err != nil {
			return err
		}
		return cx.storeInt(i, ptr, Addr32.Size(t))
	case *ListType, *MapType:
		return cx.storeList(t, v, ptr)
	case *RecordType, *TupleType, mapEntry:
		return cx.storeRecord(t, v, ptr)
	case *VariantType, *EnumType, *OptionType, *ResultType:
		return cx.storeVariant(t, v, ptr)
	case *FlagsType:
		f, ok := v.(Flags)
		if !ok {
			return mismatchValue(t, v)
		}
		return cx.storeInt(packFlags(f, len(t.Labels)), ptr, flagsSize(len(t.Labels)))
	case *OwnType, *BorrowType, *StreamType, *FutureType:
		i, err := cx.lowerHandle(t, v)
		if err != nil {
			return err
		}
		return cx.storeInt(uint64(i), ptr, 4)
	}
	return fmt.Errorf("store: unknown type %T", t)
}

// lowerScalar returns the integer (or float bits) a scalar is stored or
// passed as: store_int's argument, lower_flat_signed, encode_float_as_i32
// and friends, char_to_i32, lower_error_context. Signed values come back
// sign-extended to 64 bits; callers truncate.
func (cx *Context) lowerScalar(t PrimType, v Value) (uint64, error) {
	switch t {
	case BoolType:
		if b, ok := v.(Bool); ok {
			if b {
				return 1, nil
			}
			return 0, nil
		}
	case S8Type:
		if x, ok := v.(S8); ok {
			return uint64(uint32(int32(x))), nil
		}
	case U8Type:
		if x, ok := v.(U8); ok {
			return uint64(x), nil
		}
	case S16Type:
		if x, ok := v.(S16); ok {
			return uint64(uint32(int32(x))), nil
		}
	case U16Type:
		if x, ok := v.(U16); ok {
			return uint64(x), nil
		}
	case S32Type:
		if x, ok := v.(S32); ok {
			return uint64(uint32(x)), nil
		}
	case U32Type:
		if x, ok := v.(U32); ok {
			return uint64(x), nil
		}
	case S64Type:
		if x, ok := v.(S64); ok {
			return uint64(x), nil
		}
	case U64Type:
		if x, ok := v.(U64); ok {
			return uint64(x), nil
		}
	case F32Type:
		if x, ok := v.(F32); ok {
			return uint64(math.Float32bits(canonicalizeNaN32(float32(x)))), nil
		}
	case F64Type:
		if x, ok := v.(F64); ok {
			return math.Float64bits(canonicalizeNaN64(float64(x))), nil
		}
	case CharType:
		if x, ok := v.(Char); ok {
			if x < 0 || x > 0x10ffff || 0xd800 <= x && x <= 0xdfff {
				return 0, mismatch(t, "%#x is not a Unicode scalar value", int32(x))
			}
			return uint64(x), nil
		}
	case ErrorContextType:
		i, err := cx.lowerErrorContext(v)
		return uint64(i), err
	}
	return 0, mismatchValue(t, v)
}

// lowerHandle is lower_own, lower_borrow, lower_stream and lower_future.
func (cx *Context) lowerHandle(t Type, v Value) (uint32, error) {
	h, ok := v.(Handle)
	if !ok {
		return 0, mismatchValue(t, v)
	}
	switch t := t.(type) {
	case *OwnType:
		return cx.lowerOwn(h.Rep, t)
	case *BorrowType:
		return cx.lowerBorrow(h.Rep, t)
	}
	return 0, fmt.Errorf("lower %s: %w", t, ErrUnsupported)
}

// listValues returns the elements of a list value as a length and an
// accessor; Bytes is accepted for list<u8>.
func listValues(t, elem Type, v Value) (int, func(int) Value, error) {
	switch l := v.(type) {
	case List:
		return len(l), func(i int) Value { return l[i] }, nil
	case Bytes:
		if elem == U8Type {
			return len(l), func(i int) Value { return U8(l[i]) }, nil
		}
	}
	return 0, nil, mismatchValue(t, v)
}

// storeList is store_list.
func (cx *Context) storeList(t Type, v Value, ptr uint64) error {
	elem, fixed, _ := listElem(t)
	n, at, err := listValues(t, elem, v)
	if err != nil {
		return err
	}
	if fixed > 0 {
		if uint64(n) != uint64(fixed) {
			return mismatch(t, "%d elements", n)
		}
		return cx.storeListIntoValidRange(n, at, ptr, elem)
	}
	begin, length, err := cx.storeListIntoRange(n, at, elem)
	if err != nil {
		return err
	}
	ps := cx.Addr.ptrSize()
	if err := cx.storeInt(begin, ptr, ps); err != nil {
		return err
	}
	return cx.storeInt(length, ptr+ps, ps)
}

// storeListIntoRange is store_list_into_range: allocate the elements with
// realloc and store them.
func (cx *Context) storeListIntoRange(n int, at func(int) Value, elem Type) (uint64, uint64, error) {
	size := satMul(uint64(n), cx.Addr.Size(elem))
	if size > reallocI32Max {
		return 0, 0, mismatch(elem, "list of %d elements too long to lower", n)
	}
	align := cx.Addr.Alignment(elem)
	ptr, err := cx.allocate(align, size)
	if err != nil {
		return 0, 0, err
	}
	if err := cx.checkRealloc(ptr, align, size); err != nil {
		return 0, 0, err
	}
	return ptr, uint64(n), cx.storeListIntoValidRange(n, at, ptr, elem)
}

// storeListIntoValidRange is store_list_into_valid_range.
func (cx *Context) storeListIntoValidRange(n int, at func(int) Value, ptr uint64, elem Type) error {
	size := cx.Addr.Size(elem)
	if elem == U8Type {
		b := make([]byte, n)
		for i := range b {
			x, ok := at(i).(U8)
			if !ok {
				return atIndex(mismatchValue(elem, at(i)), uint64(i))
			}
			b[i] = byte(x)
		}
		return cx.write(ptr, b)
	}
	for i := range n {
		if err := cx.store(elem, at(i), ptr+uint64(i)*size); err != nil {
			return atIndex(err, uint64(i))
		}
	}
	return nil
}

// fieldValues returns the fields of a record or tuple value.
func fieldValues(t Type, v Value) ([]Value, error) {
	var vs []Value
	switch x := v.(type) {
	case Record:
		if _, ok := t.(*RecordType); !ok {
			return nil, mismatchValue(t, v)
		}
		vs = x
	case Tuple:
		if _, ok := t.(*RecordType); ok {
			return nil, mismatchValue(t, v)
		}
		vs = x
	default:
		return nil, mismatchValue(t, v)
	}
	if len(vs) != numFields(t) {
		return nil, mismatch(t, "%d fields", len(vs))
	}
	return vs, nil
}

// storeRecord is store_record.
func (cx *Context) storeRecord(t Type, v Value, ptr uint64) error {
	vs, err := fieldValues(t, v)
	if err != nil {
		return err
	}
	for i, fv := range vs {
		f := fieldType(t, i)
		ptr = alignTo(ptr, cx.Addr.Alignment(f))
		if err := cx.store(f, fv, ptr); err != nil {
			return atField(err, fieldLabel(t, i))
		}
		ptr += cx.Addr.Size(f)
	}
	return nil
}

// matchCase is match_case: the case index and payload of a variant value.
func matchCase(t Type, v Value) (int, Value, error) {
	x, ok := v.(Variant)
	if !ok {
		return 0, nil, mismatchValue(t, v)
	}
	if uint64(x.Case) >= uint64(numCases(t)) {
		return 0, nil, mismatch(t, "case %d of %d", x.Case, numCases(t))
	}
	c := int(x.Case)
	if (caseType(t, c) == nil) != (x.Payload == nil) {
		if x.Payload == nil {
			return 0, nil, mismatch(t, "case %s without its payload", caseLabel(t, c))
		}
		return 0, nil, mismatch(t, "case %s has no payload, got %T", caseLabel(t, c), x.Payload)
	}
	return c, x.Payload, nil
}

// storeVariant is store_variant.
func (cx *Context) storeVariant(t Type, v Value, ptr uint64) error {
	c, payload, err := matchCase(t, v)
	if err != nil {
		return err
	}
	ds := discriminantSize(numCases(t))
	if err := cx.storeInt(uint64(c), ptr, ds); err != nil {
		return err
	}
	ptr = alignTo(ptr+ds, cx.Addr.maxCaseAlignment(t))
	if ct := caseType(t, c); ct != nil {
		if err := cx.store(ct, payload, ptr); err != nil {
			return atField(err, caseLabel(t, c))
		}
	}
	return nil
}

// packFlags is pack_flags_into_int: only the type's labels are kept.
func packFlags(f Flags, n int) uint64 {
	return uint64(f) & (1<<n - 1)
}
