package abi

import (
	"fmt"
	"strconv"
)

// Flat core values are passed as uint64 bit patterns, as wazero passes
// them: an i32 in the low 32 bits (the high bits are ignored when
// lifting, and zero when lowering), an f32 as its IEEE bits in the low 32
// bits, an f64 or i64 as all 64. Variants overlay their cases' flattenings
// (join), and at the bit level that is all: an f32 carried in an i32 or
// i64 slot, or an i32 in an i64 slot, keeps the same low bits.

// flatIter is definitions.py's CoreValueIter.
type flatIter struct {
	vals []uint64
	i    int
}

func (it *flatIter) next() (uint64, error) {
	if it.i >= len(it.vals) {
		return 0, fmt.Errorf("too few flat values: want more than %d", len(it.vals))
	}
	v := it.vals[it.i]
	it.i++
	return v, nil
}

// nextPtr returns the next value as a pointer of the memory's address type.
func (cx *Context) nextPtr(it *flatIter) (uint64, error) {
	v, err := it.next()
	if cx.Addr == Addr32 {
		v &= 0xffffffff
	}
	return v, err
}

// Lift is lift_flat: it turns the flat core values of one value of type t
// into the value, reading strings and lists from memory. flat must hold
// exactly len(Flatten(t)) values. Traps and handle effects are as for Load.
func Lift(cx *Context, t Type, flat []uint64) (Value, error) {
	if err := cx.begin(t); err != nil {
		return nil, err
	}
	if n := flatCount(t); n != uint64(len(flat)) {
		return nil, fmt.Errorf("lift %s: got %d flat values, want %d", t, len(flat), n)
	}
	return cx.liftFlat(&flatIter{vals: flat}, t)
}

func (cx *Context) liftFlat(it *flatIter, t Type) (Value, error) {
	switch t := t.(type) {
	case PrimType:
		if t == StringType { // lift_flat_string
			ptr, err := cx.nextPtr(it)
			if err != nil {
				return nil, err
			}
			tagged, err := cx.nextPtr(it)
			if err != nil {
				return nil, err
			}
			s, err := cx.loadStringFromRange(ptr, tagged)
			if err != nil {
				return nil, err
			}
			return s, nil
		}
		v, err := it.next()
		if err != nil {
			return nil, err
		}
		return cx.liftScalar(t, v)
	case *ListType, *MapType: // lift_flat_list
		elem, fixed, _ := listElem(t)
		if fixed > 0 {
			return cx.liftFlatFixedList(it, elem, fixed)
		}
		ptr, err := cx.nextPtr(it)
		if err != nil {
			return nil, err
		}
		length, err := cx.nextPtr(it)
		if err != nil {
			return nil, err
		}
		return cx.loadListFromRange(ptr, length, elem)
	case *RecordType, *TupleType, mapEntry: // lift_flat_record
		vs := make([]Value, numFields(t))
		for i := range vs {
			v, err := cx.liftFlat(it, fieldType(t, i))
			if err != nil {
				return nil, atField(err, fieldLabel(t, i))
			}
			vs[i] = v
		}
		if _, ok := t.(*RecordType); ok {
			return Record(vs), nil
		}
		return Tuple(vs), nil
	case *VariantType, *EnumType, *OptionType, *ResultType:
		return cx.liftFlatVariant(it, t)
	case *FlagsType: // lift_flat_flags
		v, err := it.next()
		if err != nil {
			return nil, err
		}
		return unpackFlags(uint64(uint32(v)), len(t.Labels)), nil
	case *OwnType:
		v, err := it.next()
		if err != nil {
			return nil, err
		}
		return cx.liftOwn(uint32(v), t)
	case *BorrowType:
		v, err := it.next()
		if err != nil {
			return nil, err
		}
		return cx.liftBorrow(uint32(v), t)
	case *StreamType, *FutureType:
		v, err := it.next()
		if err != nil {
			return nil, err
		}
		return cx.liftAsyncValue(uint32(v), t)
	}
	return nil, fmt.Errorf("lift: unknown type %T", t)
}

func (cx *Context) liftFlatFixedList(it *flatIter, elem Type, n uint32) (Value, error) {
	if elem == U8Type {
		b := make(Bytes, n)
		for i := range b {
			v, err := it.next()
			if err != nil {
				return nil, err
			}
			b[i] = byte(v)
		}
		return b, nil
	}
	l := make(List, n)
	for i := range l {
		v, err := cx.liftFlat(it, elem)
		if err != nil {
			return nil, atIndex(err, uint64(i))
		}
		l[i] = v
	}
	return l, nil
}

// liftFlatVariant is lift_flat_variant: the discriminant, then the case's
// payload from the front of the joined payload slots, whose remaining slots
// are skipped. (The spec's CoerceValueIter conversions are no-ops on bit
// patterns: each want reads the low bits it needs.)
func (cx *Context) liftFlatVariant(it *flatIter, t Type) (Value, error) {
	d, err := it.next()
	if err != nil {
		return nil, err
	}
	n := numCases(t)
	c := uint64(uint32(d))
	if c >= uint64(n) {
		return nil, trapf("invalid variant discriminant: %d (the type has %d cases)", c, n)
	}
	slots := flatCount(t) - 1
	if uint64(len(it.vals)-it.i) < slots {
		return nil, fmt.Errorf("too few flat values for %s", t)
	}
	payload := &flatIter{vals: it.vals[it.i : it.i+int(slots)]}
	it.i += int(slots)
	ct := caseType(t, int(c))
	if ct == nil {
		return Variant{Case: uint32(c)}, nil
	}
	v, err := cx.liftFlat(payload, ct)
	if err != nil {
		return nil, atField(err, caseLabel(t, int(c)))
	}
	return Variant{Case: uint32(c), Payload: v}, nil
}

// Lower is lower_flat: it turns v, a value of type t, into flat core values,
// allocating strings and lists in memory with realloc. Traps and handle
// effects are as for Store.
func Lower(cx *Context, t Type, v Value) ([]uint64, error) {
	if err := cx.begin(t); err != nil {
		return nil, err
	}
	return cx.lowerFlat(nil, t, v)
}

func (cx *Context) lowerFlat(dst []uint64, t Type, v Value) ([]uint64, error) {
	switch t := t.(type) {
	case PrimType:
		if t == StringType { // lower_flat_string
			s, ok := v.(String)
			if !ok {
				return nil, mismatchValue(t, v)
			}
			ptr, tagged, err := cx.storeStringIntoRange(t, s)
			if err != nil {
				return nil, err
			}
			return append(dst, ptr, tagged), nil
		}
		i, err := cx.lowerScalar(t, v)
		if err != nil {
			return nil, err
		}
		switch t {
		case S8Type, S16Type, S32Type: // lower_flat_signed(i, 32)
			i &= 0xffffffff
		}
		return append(dst, i), nil
	case *ListType, *MapType: // lower_flat_list
		elem, fixed, _ := listElem(t)
		n, at, err := listValues(t, elem, v)
		if err != nil {
			return nil, err
		}
		if fixed > 0 {
			if uint64(n) != uint64(fixed) {
				return nil, mismatch(t, "%d elements", n)
			}
			for i := range n {
				if dst, err = cx.lowerFlat(dst, elem, at(i)); err != nil {
					return nil, atIndex(err, uint64(i))
				}
			}
			return dst, nil
		}
		ptr, length, err := cx.storeListIntoRange(n, at, elem)
		if err != nil {
			return nil, err
		}
		return append(dst, ptr, length), nil
	case *RecordType, *TupleType, mapEntry: // lower_flat_record
		vs, err := fieldValues(t, v)
		if err != nil {
			return nil, err
		}
		for i, fv := range vs {
			if dst, err = cx.lowerFlat(dst, fieldType(t, i), fv); err != nil {
				return nil, atField(err, fieldLabel(t, i))
			}
		}
		return dst, nil
	case *VariantType, *EnumType, *OptionType, *ResultType: // lower_flat_variant
		c, payload, err := matchCase(t, v)
		if err != nil {
			return nil, err
		}
		dst = append(dst, uint64(c))
		start := len(dst)
		if ct := caseType(t, c); ct != nil {
			if dst, err = cx.lowerFlat(dst, ct, payload); err != nil {
				return nil, atField(err, caseLabel(t, c))
			}
		}
		for pad := start + int(flatCount(t)-1) - len(dst); pad > 0; pad-- {
			dst = append(dst, 0)
		}
		return dst, nil
	case *FlagsType: // lower_flat_flags
		f, ok := v.(Flags)
		if !ok {
			return nil, mismatchValue(t, v)
		}
		return append(dst, packFlags(f, len(t.Labels))), nil
	case *OwnType, *BorrowType, *StreamType, *FutureType:
		i, err := cx.lowerHandle(t, v)
		if err != nil {
			return nil, err
		}
		return append(dst, uint64(i)), nil
	}
	return nil, fmt.Errorf("lower: unknown type %T", t)
}

// LiftValues is lift_flat_values: it lifts the values of types ts (a
// function's parameters or results) from flat. When they flatten to more
// than maxFlat core values they were spilled to memory, and flat holds
// just a pointer to them, laid out as tuple<ts…>. flat must be exactly the
// core values FlattenFunc says (without an async lower's return pointer).
func LiftValues(cx *Context, maxFlat int, ts []Type, flat []uint64) ([]Value, error) {
	if err := cx.begin(ts...); err != nil {
		return nil, err
	}
	it := &flatIter{vals: flat}
	var vs []Value
	if flatCountTypes(ts) > uint64(maxFlat) {
		if len(flat) != 1 {
			return nil, fmt.Errorf("lift values: got %d flat values, want 1 pointer", len(flat))
		}
		ptr, _ := cx.nextPtr(it)
		tuple := &TupleType{Types: ts}
		if err := cx.checkPtr(ptr, cx.Addr.Alignment(tuple), cx.Addr.Size(tuple), "pointer out of bounds of memory"); err != nil {
			return nil, err
		}
		v, err := cx.load(tuple, ptr)
		if err != nil {
			return nil, err
		}
		return v.(Tuple), nil
	}
	if n := flatCountTypes(ts); n != uint64(len(flat)) {
		return nil, fmt.Errorf("lift values: got %d flat values, want %d", len(flat), n)
	}
	for i, t := range ts {
		v, err := cx.liftFlat(it, t)
		if err != nil {
			return nil, atField(err, strconv.Itoa(i))
		}
		vs = append(vs, v)
	}
	return vs, nil
}

// LowerValues is lower_flat_values without an out_param: it lowers vs, of
// types ts, to flat core values, or, when they flatten to more than maxFlat
// values, stores them as tuple<ts…> in memory allocated with realloc and
// returns just the pointer. This is how canon lift passes arguments.
func LowerValues(cx *Context, maxFlat int, ts []Type, vs []Value) ([]uint64, error) {
	return cx.lowerValues(maxFlat, ts, vs, nil)
}

// LowerValuesTo is lower_flat_values with an out_param: as LowerValues, but
// spilled values go to retptr, the caller-allocated return area canon lower
// receives as its last parameter, and nothing is returned for them. This is
// how canon lower returns results.
func LowerValuesTo(cx *Context, maxFlat int, ts []Type, vs []Value, retptr uint64) ([]uint64, error) {
	return cx.lowerValues(maxFlat, ts, vs, &retptr)
}

func (cx *Context) lowerValues(maxFlat int, ts []Type, vs []Value, retptr *uint64) ([]uint64, error) {
	if err := cx.begin(ts...); err != nil {
		return nil, err
	}
	if len(vs) != len(ts) {
		return nil, fmt.Errorf("lower values: %d values for %d types", len(vs), len(ts))
	}
	if flatCountTypes(ts) <= uint64(maxFlat) {
		var flat []uint64
		for i, t := range ts {
			var err error
			if flat, err = cx.lowerFlat(flat, t, vs[i]); err != nil {
				return nil, atField(err, strconv.Itoa(i))
			}
		}
		return flat, nil
	}
	tuple := &TupleType{Types: ts}
	align, size := cx.Addr.Alignment(tuple), cx.Addr.Size(tuple)
	var ptr uint64
	var flat []uint64
	if retptr == nil {
		var err error
		if ptr, err = cx.allocate(align, size); err != nil {
			return nil, err
		}
		if err := cx.checkRealloc(ptr, align, size); err != nil {
			return nil, err
		}
		flat = []uint64{ptr}
	} else {
		ptr = *retptr
		if cx.Addr == Addr32 {
			ptr &= 0xffffffff
		}
		if err := cx.checkPtr(ptr, align, size, "pointer out of bounds of memory"); err != nil {
			return nil, err
		}
	}
	if err := cx.store(tuple, Tuple(vs), ptr); err != nil {
		return nil, err
	}
	return flat, nil
}
