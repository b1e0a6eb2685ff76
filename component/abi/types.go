package abi

import (
	"fmt"
	"strconv"
	"strings"
)

// Type is a component value type (the spec's ValType). The implementations
// are PrimType for the primitive types and pointers to the structs below for
// the rest; they mirror the dataclasses of definitions.py one to one.
//
// Types are immutable once built: share them freely between goroutines and
// component instances. A Type must be valid (see Validate) before it is
// given to Size, Alignment or Flatten; Lift, Lower, Load and Store validate
// it themselves.
type Type interface {
	// String renders the type in WIT syntax, e.g. "list<tuple<u8, string>>".
	// Anonymous records, variants, enums and flags are shown inline.
	String() string
	isType()
}

// PrimType is a primitive value type: one of the constants below.
type PrimType uint8

// The primitive types, named as in definitions.py (BoolType, S8Type, …).
const (
	BoolType PrimType = iota + 1
	S8Type
	U8Type
	S16Type
	U16Type
	S32Type
	U32Type
	S64Type
	U64Type
	F32Type
	F64Type
	CharType
	StringType
	// ErrorContextType is 📝 error-context: a handle to an ErrorContext in
	// the handle table.
	ErrorContextType
)

var primNames = [...]string{
	BoolType: "bool", S8Type: "s8", U8Type: "u8", S16Type: "s16", U16Type: "u16",
	S32Type: "s32", U32Type: "u32", S64Type: "s64", U64Type: "u64",
	F32Type: "f32", F64Type: "f64", CharType: "char", StringType: "string",
	ErrorContextType: "error-context",
}

func (p PrimType) String() string {
	if p >= 1 && int(p) < len(primNames) {
		return primNames[p]
	}
	return "prim(" + strconv.Itoa(int(p)) + ")"
}

func (p PrimType) valid() bool { return p >= BoolType && p <= ErrorContextType }

// ListType is list<T> or, when Len > 0, the 🔧 fixed-length list<T, Len>.
// (A fixed length of 0 is invalid in the spec, so 0 means "not fixed".)
type ListType struct {
	Elem Type
	Len  uint32
}

// FieldType is one named field of a record.
type FieldType struct {
	Label string
	Type  Type
}

// RecordType is record { label: T, … }: one or more named fields.
type RecordType struct {
	Fields []FieldType
}

// TupleType is tuple<T, …>: one or more unnamed fields. The spec
// despecializes it to a record with fields "0", "1", ….
type TupleType struct {
	Types []Type
}

// CaseType is one case of a variant; Type is nil for a case without payload.
type CaseType struct {
	Label string
	Type  Type
}

// VariantType is variant { case, case(T), … }: one or more cases.
type VariantType struct {
	Cases []CaseType
}

// EnumType is enum { label, … }: a variant whose cases have no payload.
type EnumType struct {
	Labels []string
}

// OptionType is option<T>: the variant { none, some(T) }.
type OptionType struct {
	Elem Type
}

// ResultType is result<T, E>: the variant { ok(T), error(E) }. Ok or Err
// is nil when that case has no payload (result<_, E>, result<T>, result).
type ResultType struct {
	Ok  Type
	Err Type
}

// MapType is 🗺️ map<K, V>, laid out as list<tuple<K, V>>.
type MapType struct {
	Key   Type
	Value Type
}

// FlagsType is flags { label, … }: 1 to 32 labels, one bit each.
type FlagsType struct {
	Labels []string
}

// OwnType is own<R>: an owning handle to a resource of type Resource.
type OwnType struct {
	Resource *ResourceType
}

// BorrowType is borrow<R>: a handle borrowed for the duration of a call.
type BorrowType struct {
	Resource *ResourceType
}

// StreamType is 🔀 stream<T> (Elem nil: stream without payload). Only its
// layout is implemented so far; lifting and lowering stream handles needs
// the async ABI.
type StreamType struct {
	Elem Type
}

// FutureType is 🔀 future<T> (Elem nil: future without payload). Only its
// layout is implemented so far, as for StreamType.
type FutureType struct {
	Elem Type
}

func (PrimType) isType()     {}
func (*ListType) isType()    {}
func (*RecordType) isType()  {}
func (*TupleType) isType()   {}
func (*VariantType) isType() {}
func (*EnumType) isType()    {}
func (*OptionType) isType()  {}
func (*ResultType) isType()  {}
func (*MapType) isType()     {}
func (*FlagsType) isType()   {}
func (*OwnType) isType()     {}
func (*BorrowType) isType()  {}
func (*StreamType) isType()  {}
func (*FutureType) isType()  {}

func typeString(t Type) string {
	if t == nil {
		return "<nil>"
	}
	return t.String()
}

func (t *ListType) String() string {
	if t.Len > 0 {
		return "list<" + typeString(t.Elem) + ", " + strconv.FormatUint(uint64(t.Len), 10) + ">"
	}
	return "list<" + typeString(t.Elem) + ">"
}

func (t *RecordType) String() string {
	var b strings.Builder
	b.WriteString("record { ")
	for i, f := range t.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(label(f.Label))
		b.WriteString(": ")
		b.WriteString(typeString(f.Type))
	}
	b.WriteString(" }")
	return b.String()
}

func (t *TupleType) String() string {
	parts := make([]string, len(t.Types))
	for i, u := range t.Types {
		parts[i] = typeString(u)
	}
	return "tuple<" + strings.Join(parts, ", ") + ">"
}

func (t *VariantType) String() string {
	var b strings.Builder
	b.WriteString("variant { ")
	for i, c := range t.Cases {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(label(c.Label))
		if c.Type != nil {
			b.WriteString("(" + c.Type.String() + ")")
		}
	}
	b.WriteString(" }")
	return b.String()
}

func labelList(kind string, labels []string) string {
	parts := make([]string, len(labels))
	for i, l := range labels {
		parts[i] = label(l)
	}
	return kind + " { " + strings.Join(parts, ", ") + " }"
}

func (t *EnumType) String() string   { return labelList("enum", t.Labels) }
func (t *FlagsType) String() string  { return labelList("flags", t.Labels) }
func (t *OptionType) String() string { return "option<" + typeString(t.Elem) + ">" }

func (t *ResultType) String() string {
	switch {
	case t.Ok == nil && t.Err == nil:
		return "result"
	case t.Err == nil:
		return "result<" + t.Ok.String() + ">"
	case t.Ok == nil:
		return "result<_, " + t.Err.String() + ">"
	}
	return "result<" + t.Ok.String() + ", " + t.Err.String() + ">"
}

func (t *MapType) String() string {
	return "map<" + typeString(t.Key) + ", " + typeString(t.Value) + ">"
}

func (t *OwnType) String() string    { return "own<" + t.Resource.name() + ">" }
func (t *BorrowType) String() string { return "borrow<" + t.Resource.name() + ">" }

func (t *StreamType) String() string {
	if t.Elem == nil {
		return "stream"
	}
	return "stream<" + t.Elem.String() + ">"
}

func (t *FutureType) String() string {
	if t.Elem == nil {
		return "future"
	}
	return "future<" + t.Elem.String() + ">"
}

// Validate reports whether t is a valid value type as far as the canonical
// ABI is concerned: no nil types, no empty records, tuples, variants, enums
// or flags, at most 32 flags, unique labels, and, as the spec's validation
// requires since CM#688, elem_size(t, 'i64') < 2^28. (Label spelling and
// where borrows may appear are the decoder's business.)
func Validate(t Type) error {
	if err := validate(t); err != nil {
		return fmt.Errorf("invalid type %s: %w", typeString(t), err)
	}
	if s := Addr64.Size(t); s >= sizeCap {
		return fmt.Errorf("invalid type %s: size exceeds the maximum of %d bytes", t, MaxListByteLength)
	} else if s > MaxListByteLength {
		return fmt.Errorf("invalid type %s: size %d exceeds the maximum of %d bytes", t, s, MaxListByteLength)
	}
	return nil
}

func validate(t Type) error {
	switch t := t.(type) {
	case nil:
		return fmt.Errorf("missing type")
	case PrimType:
		if !t.valid() {
			return fmt.Errorf("unknown primitive type %d", uint8(t))
		}
	case *ListType:
		if t == nil {
			return fmt.Errorf("nil list type")
		}
		return validate(t.Elem)
	case *RecordType:
		if t == nil || len(t.Fields) == 0 {
			return fmt.Errorf("record without fields")
		}
		if l, dup := duplicate(len(t.Fields), func(i int) string { return t.Fields[i].Label }); dup {
			return fmt.Errorf("duplicate field %q", l)
		}
		for _, f := range t.Fields {
			if err := validate(f.Type); err != nil {
				return fmt.Errorf("field %q: %w", f.Label, err)
			}
		}
	case *TupleType:
		if t == nil || len(t.Types) == 0 {
			return fmt.Errorf("tuple without fields")
		}
		for _, u := range t.Types {
			if err := validate(u); err != nil {
				return err
			}
		}
	case *VariantType:
		if t == nil || len(t.Cases) == 0 {
			return fmt.Errorf("variant without cases")
		}
		if uint64(len(t.Cases)) >= 1<<32 {
			return fmt.Errorf("variant with %d cases", len(t.Cases))
		}
		if l, dup := duplicate(len(t.Cases), func(i int) string { return t.Cases[i].Label }); dup {
			return fmt.Errorf("duplicate case %q", l)
		}
		for _, c := range t.Cases {
			if c.Type != nil {
				if err := validate(c.Type); err != nil {
					return fmt.Errorf("case %q: %w", c.Label, err)
				}
			}
		}
	case *EnumType:
		if t == nil || len(t.Labels) == 0 {
			return fmt.Errorf("enum without cases")
		}
		if uint64(len(t.Labels)) >= 1<<32 {
			return fmt.Errorf("enum with %d cases", len(t.Labels))
		}
		return uniqueLabels(t.Labels)
	case *FlagsType:
		if t == nil || len(t.Labels) == 0 {
			return fmt.Errorf("flags without labels")
		}
		if len(t.Labels) > MaxFlags {
			return fmt.Errorf("%d flags (at most %d)", len(t.Labels), MaxFlags)
		}
		return uniqueLabels(t.Labels)
	case *OptionType:
		if t == nil {
			return fmt.Errorf("nil option type")
		}
		return validate(t.Elem)
	case *ResultType:
		if t == nil {
			return fmt.Errorf("nil result type")
		}
		for _, u := range []Type{t.Ok, t.Err} {
			if u != nil {
				if err := validate(u); err != nil {
					return err
				}
			}
		}
	case *MapType:
		if t == nil {
			return fmt.Errorf("nil map type")
		}
		if err := validate(t.Key); err != nil {
			return err
		}
		return validate(t.Value)
	case *OwnType:
		if t == nil || t.Resource == nil {
			return fmt.Errorf("own without a resource type")
		}
	case *BorrowType:
		if t == nil || t.Resource == nil {
			return fmt.Errorf("borrow without a resource type")
		}
	case *StreamType:
		if t == nil {
			return fmt.Errorf("nil stream type")
		}
		if t.Elem != nil {
			return validate(t.Elem)
		}
	case *FutureType:
		if t == nil {
			return fmt.Errorf("nil future type")
		}
		if t.Elem != nil {
			return validate(t.Elem)
		}
	default:
		return fmt.Errorf("unknown type %T", t)
	}
	return nil
}

func uniqueLabels(labels []string) error {
	if l, dup := duplicate(len(labels), func(i int) string { return labels[i] }); dup {
		return fmt.Errorf("duplicate label %q", l)
	}
	return nil
}

// duplicate returns a label that occurs twice among n labels. Lift and
// Lower validate their type on every call, so small label lists (the usual
// case) are checked without allocating.
func duplicate(n int, label func(int) string) (string, bool) {
	if n <= 16 {
		for i := range n {
			for j := range i {
				if label(i) == label(j) {
					return label(i), true
				}
			}
		}
		return "", false
	}
	seen := make(map[string]bool, n)
	for i := range n {
		if seen[label(i)] {
			return label(i), true
		}
		seen[label(i)] = true
	}
	return "", false
}

// The "despecialized" views below let the layout, load, store and flat code
// treat tuples and map entries as records and enums, options and results as
// variants without building new Type values (definitions.py's despecialize).

// mapEntry is the tuple<K, V> a map is a list of.
type mapEntry struct{ m *MapType }

func (mapEntry) isType() {}
func (e mapEntry) String() string {
	return "tuple<" + typeString(e.m.Key) + ", " + typeString(e.m.Value) + ">"
}

// listElem returns the element type of a list or map, and the fixed length.
func listElem(t Type) (elem Type, fixed uint32, ok bool) {
	switch t := t.(type) {
	case *ListType:
		return t.Elem, t.Len, true
	case *MapType:
		return mapEntry{t}, 0, true
	}
	return nil, 0, false
}

// numFields returns the number of fields of a record-like type (record,
// tuple, map entry), or -1.
func numFields(t Type) int {
	switch t := t.(type) {
	case *RecordType:
		return len(t.Fields)
	case *TupleType:
		return len(t.Types)
	case mapEntry:
		return 2
	}
	return -1
}

// fieldType returns field i of a record-like type.
func fieldType(t Type, i int) Type {
	switch t := t.(type) {
	case *RecordType:
		return t.Fields[i].Type
	case *TupleType:
		return t.Types[i]
	case mapEntry:
		if i == 0 {
			return t.m.Key
		}
		return t.m.Value
	}
	return nil
}

// fieldLabel returns the label of field i as the spec spells it ("0", "1",
// … for tuples).
func fieldLabel(t Type, i int) string {
	if r, ok := t.(*RecordType); ok {
		return r.Fields[i].Label
	}
	return strconv.Itoa(i)
}

// numCases returns the number of cases of a variant-like type (variant,
// enum, option, result), or -1.
func numCases(t Type) int {
	switch t := t.(type) {
	case *VariantType:
		return len(t.Cases)
	case *EnumType:
		return len(t.Labels)
	case *OptionType, *ResultType:
		return 2
	}
	return -1
}

// caseType returns the payload type of case i of a variant-like type, or nil.
func caseType(t Type, i int) Type {
	switch t := t.(type) {
	case *VariantType:
		return t.Cases[i].Type
	case *OptionType:
		if i == 1 {
			return t.Elem
		}
	case *ResultType:
		if i == 0 {
			return t.Ok
		}
		return t.Err
	}
	return nil
}

// caseLabel returns the label of case i as the spec spells it ("none",
// "some", "ok", "error" for options and results).
func caseLabel(t Type, i int) string {
	switch t := t.(type) {
	case *VariantType:
		return t.Cases[i].Label
	case *EnumType:
		return t.Labels[i]
	case *OptionType:
		return [2]string{"none", "some"}[i]
	case *ResultType:
		return [2]string{"ok", "error"}[i]
	}
	return ""
}
