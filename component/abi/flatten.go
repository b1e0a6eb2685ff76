package abi

import "strings"

// CoreType is a core WebAssembly value type that component values flatten
// to.
type CoreType uint8

// The core types flattening uses.
const (
	CoreI32 CoreType = iota + 1
	CoreI64
	CoreF32
	CoreF64
)

func (c CoreType) String() string {
	switch c {
	case CoreI32:
		return "i32"
	case CoreI64:
		return "i64"
	case CoreF32:
		return "f32"
	case CoreF64:
		return "f64"
	}
	return "?"
}

// Limits on the number of flat values (definitions.py's MAX_FLAT_*).
const (
	MaxFlatParams      = 16
	MaxFlatAsyncParams = 4
	MaxFlatResults     = 1
)

// Flatten returns flatten_type(t) for a 32-bit memory: the core values a
// value of type t is passed as. t must be valid.
func Flatten(t Type) []CoreType { return Addr32.Flatten(t) }

// Flatten returns flatten_type(t) for memories of address type a.
func (a AddrType) Flatten(t Type) []CoreType { return a.appendFlat(nil, t) }

// FlattenTypes returns flatten_types(ts): the flattenings of ts, one after
// the other.
func (a AddrType) FlattenTypes(ts []Type) []CoreType {
	var flat []CoreType
	for _, t := range ts {
		flat = a.appendFlat(flat, t)
	}
	return flat
}

func (a AddrType) appendFlat(dst []CoreType, t Type) []CoreType {
	switch t := t.(type) {
	case PrimType:
		switch t {
		case S64Type, U64Type:
			return append(dst, CoreI64)
		case F32Type:
			return append(dst, CoreF32)
		case F64Type:
			return append(dst, CoreF64)
		case StringType:
			return append(dst, a.CoreType(), a.CoreType())
		}
		return append(dst, CoreI32)
	case *ListType, *MapType:
		elem, fixed, _ := listElem(t)
		if fixed == 0 {
			return append(dst, a.CoreType(), a.CoreType())
		}
		one := a.appendFlat(nil, elem)
		for range fixed {
			dst = append(dst, one...)
		}
		return dst
	case *RecordType, *TupleType, mapEntry:
		for i := range numFields(t) {
			dst = a.appendFlat(dst, fieldType(t, i))
		}
		return dst
	case *VariantType, *EnumType, *OptionType, *ResultType:
		// flatten_variant: the discriminant, then the case payloads
		// overlaid, each position joined across the cases.
		var flat []CoreType
		for i := range numCases(t) {
			c := caseType(t, i)
			if c == nil {
				continue
			}
			for j, ft := range a.appendFlat(nil, c) {
				if j < len(flat) {
					flat[j] = join(flat[j], ft)
				} else {
					flat = append(flat, ft)
				}
			}
		}
		return append(append(dst, CoreI32), flat...)
	}
	// flags, own, borrow, stream, future
	return append(dst, CoreI32)
}

// join is definitions.py's join: the core type that can carry both a and b.
func join(a, b CoreType) CoreType {
	switch {
	case a == b:
		return a
	case a == CoreI32 && b == CoreF32, a == CoreF32 && b == CoreI32:
		return CoreI32
	}
	return CoreI64
}

// flatCount returns len(flatten_type(t)) without building the list (it does
// not depend on the address type). It saturates for huge fixed lists.
func flatCount(t Type) uint64 {
	switch t := t.(type) {
	case PrimType:
		if t == StringType {
			return 2
		}
		return 1
	case *ListType, *MapType:
		elem, fixed, _ := listElem(t)
		if fixed == 0 {
			return 2
		}
		return satMul(uint64(fixed), flatCount(elem))
	case *RecordType, *TupleType, mapEntry:
		n := uint64(0)
		for i := range numFields(t) {
			n = satAdd(n, flatCount(fieldType(t, i)))
		}
		return n
	case *VariantType, *EnumType, *OptionType, *ResultType:
		n := uint64(0)
		for i := range numCases(t) {
			if c := caseType(t, i); c != nil {
				n = max(n, flatCount(c))
			}
		}
		return satAdd(n, 1)
	}
	return 1
}

func flatCountTypes(ts []Type) uint64 {
	n := uint64(0)
	for _, t := range ts {
		n = satAdd(n, flatCount(t))
	}
	return n
}

// Canon says which canonical definition a function type is flattened for.
type Canon uint8

// The two directions: canon lift (a core function becomes a component
// function) and canon lower (a component function becomes a core function).
const (
	CanonLift Canon = iota
	CanonLower
)

func (c Canon) String() string {
	if c == CanonLower {
		return "lower"
	}
	return "lift"
}

// CoreFuncType is the core function type a component function flattens to.
type CoreFuncType struct {
	Params  []CoreType
	Results []CoreType
}

// String renders the type as in the text format: "(param i32 i32) (result i32)".
func (f CoreFuncType) String() string {
	var b strings.Builder
	b.WriteString("(param")
	for _, p := range f.Params {
		b.WriteString(" " + p.String())
	}
	b.WriteString(") (result")
	for _, r := range f.Results {
		b.WriteString(" " + r.String())
	}
	b.WriteString(")")
	return b.String()
}

// FlattenFunc is flatten_functype(opts, ft, context): the core signature of
// a component function with the given parameter and result types, for canon
// lift or canon lower under the canonical options o (only o.Addr, o.Async
// and o.Callback matter). When the flat parameters exceed MaxFlatParams
// (MaxFlatAsyncParams for an async lower) they are passed through memory and
// replaced by one pointer; when the flat results exceed MaxFlatResults, a
// lifted function returns a pointer to them and a lowered function takes a
// pointer to a caller-allocated return area as its last parameter:
//
//	canon lift,  sync:  (params | ptr) -> (results | ptr)
//	canon lower, sync:  (params | ptr) (retptr if results spill) -> (results | nothing)
//	canon lift,  async: (params | ptr) -> (i32 with a callback | nothing)
//	canon lower, async: (≤4 params | ptr) (retptr if any results) -> i32
//
// The types must be valid.
func FlattenFunc(o Options, params, results []Type, c Canon) CoreFuncType {
	ptr := o.Addr.CoreType()
	var ft CoreFuncType
	np, nr := flatCountTypes(params), flatCountTypes(results)
	flatParams := func(limit uint64) []CoreType {
		if np > limit {
			return []CoreType{ptr}
		}
		return o.Addr.FlattenTypes(params)
	}
	if !o.Async {
		ft.Params = flatParams(MaxFlatParams)
		switch {
		case nr <= MaxFlatResults:
			ft.Results = o.Addr.FlattenTypes(results)
		case c == CanonLift:
			ft.Results = []CoreType{ptr}
		default:
			ft.Params = append(ft.Params, ptr)
		}
		return ft
	}
	if c == CanonLift {
		ft.Params = flatParams(MaxFlatParams)
		if o.Callback {
			ft.Results = []CoreType{CoreI32}
		}
		return ft
	}
	ft.Params = flatParams(MaxFlatAsyncParams)
	if nr > 0 {
		ft.Params = append(ft.Params, ptr)
	}
	ft.Results = []CoreType{CoreI32}
	return ft
}
