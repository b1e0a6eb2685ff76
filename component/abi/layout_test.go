package abi

import (
	"slices"
	"strings"
	"testing"
)

var (
	fileRT = &ResourceType{Name: "file"}
	point  = &RecordType{Fields: []FieldType{{"x", S32Type}, {"y", S32Type}}}
	shape  = &VariantType{Cases: []CaseType{{"circle", F32Type}, {"rect", point}, {"none", nil}}}
)

// TestLayout checks elem_size, alignment and flatten_type for many types,
// in 32- and 64-bit memories.
func TestLayout(t *testing.T) {
	const i32, i64, f32, f64 = "i32", "i64", "f32", "f64"
	tests := []struct {
		t               Type
		size, align     uint64 // memory32
		size64, align64 uint64
		flat, flat64    string // space-separated; flat64 "" means same as flat
	}{
		{BoolType, 1, 1, 1, 1, i32, ""},
		{S8Type, 1, 1, 1, 1, i32, ""},
		{U8Type, 1, 1, 1, 1, i32, ""},
		{S16Type, 2, 2, 2, 2, i32, ""},
		{U16Type, 2, 2, 2, 2, i32, ""},
		{S32Type, 4, 4, 4, 4, i32, ""},
		{U32Type, 4, 4, 4, 4, i32, ""},
		{S64Type, 8, 8, 8, 8, i64, ""},
		{U64Type, 8, 8, 8, 8, i64, ""},
		{F32Type, 4, 4, 4, 4, f32, ""},
		{F64Type, 8, 8, 8, 8, f64, ""},
		{CharType, 4, 4, 4, 4, i32, ""},
		{StringType, 8, 4, 16, 8, "i32 i32", "i64 i64"},
		{ErrorContextType, 4, 4, 4, 4, i32, ""},
		{&ListType{Elem: U8Type}, 8, 4, 16, 8, "i32 i32", "i64 i64"},
		{&ListType{Elem: U64Type}, 8, 4, 16, 8, "i32 i32", "i64 i64"},
		{&ListType{Elem: U8Type, Len: 3}, 3, 1, 3, 1, "i32 i32 i32", ""},
		{&ListType{Elem: U32Type, Len: 2}, 8, 4, 8, 4, "i32 i32", ""},
		{&ListType{Elem: StringType, Len: 2}, 16, 4, 32, 8, "i32 i32 i32 i32", "i64 i64 i64 i64"},
		{&ListType{Elem: &ListType{Elem: U16Type, Len: 3}, Len: 2}, 12, 2, 12, 2, "i32 i32 i32 i32 i32 i32", ""},
		{point, 8, 4, 8, 4, "i32 i32", ""},
		{&RecordType{Fields: []FieldType{{"a", U8Type}, {"b", U16Type}, {"c", U8Type}}}, 6, 2, 6, 2, "i32 i32 i32", ""},
		{&RecordType{Fields: []FieldType{{"a", U8Type}, {"b", StringType}, {"c", &OptionType{Elem: U16Type}}}}, 16, 4, 32, 8, "i32 i32 i32 i32 i32", "i32 i64 i64 i32 i32"},
		{&RecordType{Fields: []FieldType{{"a", U8Type}, {"b", U64Type}}}, 16, 8, 16, 8, "i32 i64", ""},
		{&TupleType{Types: []Type{U8Type, U8Type, U16Type, U32Type}}, 8, 4, 8, 4, "i32 i32 i32 i32", ""},
		{&TupleType{Types: []Type{U16Type, U8Type}}, 4, 2, 4, 2, "i32 i32", ""},
		{&TupleType{Types: []Type{&TupleType{Types: []Type{U16Type, U8Type}}, U8Type}}, 6, 2, 6, 2, "i32 i32 i32", ""},
		{&TupleType{Types: []Type{F32Type, F64Type}}, 16, 8, 16, 8, "f32 f64", ""},
		{shape, 12, 4, 12, 4, "i32 i32 i32", ""},
		{&VariantType{Cases: []CaseType{{"a", U8Type}, {"b", F32Type}, {"c", nil}}}, 8, 4, 8, 4, "i32 i32", ""},
		{&VariantType{Cases: []CaseType{{"a", F32Type}, {"b", F64Type}}}, 16, 8, 16, 8, "i32 i64", ""},
		{&VariantType{Cases: []CaseType{{"a", F32Type}, {"b", F32Type}}}, 8, 4, 8, 4, "i32 f32", ""},
		{&VariantType{Cases: []CaseType{{"a", F64Type}, {"b", U32Type}}}, 16, 8, 16, 8, "i32 i64", ""},
		{&VariantType{Cases: []CaseType{{"a", &TupleType{Types: []Type{F32Type, U8Type}}}, {"b", &TupleType{Types: []Type{U64Type}}}, {"c", StringType}}}, 16, 8, 24, 8, "i32 i64 i32", "i32 i64 i64"},
		{&VariantType{Cases: []CaseType{{"only", nil}}}, 1, 1, 1, 1, i32, ""},
		{&EnumType{Labels: labels("e", 2)}, 1, 1, 1, 1, i32, ""},
		{&EnumType{Labels: labels("e", 256)}, 1, 1, 1, 1, i32, ""},
		{&EnumType{Labels: labels("e", 257)}, 2, 2, 2, 2, i32, ""},
		{&EnumType{Labels: labels("e", 65536)}, 2, 2, 2, 2, i32, ""},
		{&EnumType{Labels: labels("e", 65537)}, 4, 4, 4, 4, i32, ""},
		{&VariantType{Cases: append([]CaseType{{"big", U8Type}}, func() []CaseType {
			cs := make([]CaseType, 299)
			for i := range cs {
				cs[i].Label = labels("c", 299)[i]
			}
			return cs
		}()...)}, 4, 2, 4, 2, "i32 i32", ""},
		{&OptionType{Elem: U8Type}, 2, 1, 2, 1, "i32 i32", ""},
		{&OptionType{Elem: F32Type}, 8, 4, 8, 4, "i32 f32", ""},
		{&OptionType{Elem: StringType}, 12, 4, 24, 8, "i32 i32 i32", "i32 i64 i64"},
		{&OptionType{Elem: &OptionType{Elem: U64Type}}, 24, 8, 24, 8, "i32 i32 i64", ""},
		{&ResultType{}, 1, 1, 1, 1, i32, ""},
		{&ResultType{Ok: U8Type, Err: U32Type}, 8, 4, 8, 4, "i32 i32", ""},
		{&ResultType{Err: StringType}, 12, 4, 24, 8, "i32 i32 i32", "i32 i64 i64"},
		{&ResultType{Ok: F64Type, Err: F32Type}, 16, 8, 16, 8, "i32 i64", ""},
		{&FlagsType{Labels: labels("f", 1)}, 1, 1, 1, 1, i32, ""},
		{&FlagsType{Labels: labels("f", 8)}, 1, 1, 1, 1, i32, ""},
		{&FlagsType{Labels: labels("f", 9)}, 2, 2, 2, 2, i32, ""},
		{&FlagsType{Labels: labels("f", 16)}, 2, 2, 2, 2, i32, ""},
		{&FlagsType{Labels: labels("f", 17)}, 4, 4, 4, 4, i32, ""},
		{&FlagsType{Labels: labels("f", 32)}, 4, 4, 4, 4, i32, ""},
		{&MapType{Key: U8Type, Value: U16Type}, 8, 4, 16, 8, "i32 i32", "i64 i64"},
		{&OwnType{Resource: fileRT}, 4, 4, 4, 4, i32, ""},
		{&BorrowType{Resource: fileRT}, 4, 4, 4, 4, i32, ""},
		{&StreamType{Elem: U8Type}, 4, 4, 4, 4, i32, ""},
		{&StreamType{}, 4, 4, 4, 4, i32, ""},
		{&FutureType{Elem: StringType}, 4, 4, 4, 4, i32, ""},
		{&ListType{Elem: &TupleType{Types: []Type{U8Type, &ListType{Elem: U8Type, Len: 5}}}, Len: 2}, 12, 1, 12, 1, "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32", ""},
	}
	for _, tt := range tests {
		t.Run(tt.t.String(), func(t *testing.T) {
			if err := Validate(tt.t); err != nil {
				t.Fatal(err)
			}
			if got := Size(tt.t); got != tt.size {
				t.Errorf("Size = %d, want %d", got, tt.size)
			}
			if got := Alignment(tt.t); got != tt.align {
				t.Errorf("Alignment = %d, want %d", got, tt.align)
			}
			if got := Addr64.Size(tt.t); got != tt.size64 {
				t.Errorf("Addr64.Size = %d, want %d", got, tt.size64)
			}
			if got := Addr64.Alignment(tt.t); got != tt.align64 {
				t.Errorf("Addr64.Alignment = %d, want %d", got, tt.align64)
			}
			if got := coreString(Flatten(tt.t)); got != tt.flat {
				t.Errorf("Flatten = %s, want %s", got, tt.flat)
			}
			want64 := tt.flat64
			if want64 == "" {
				want64 = tt.flat
			}
			if got := coreString(Addr64.Flatten(tt.t)); got != want64 {
				t.Errorf("Addr64.Flatten = %s, want %s", got, want64)
			}
			if n := flatCount(tt.t); n != uint64(len(Flatten(tt.t))) {
				t.Errorf("flatCount = %d, want %d", n, len(Flatten(tt.t)))
			}
		})
	}
}

func coreString(ts []CoreType) string {
	s := make([]string, len(ts))
	for i, c := range ts {
		s[i] = c.String()
	}
	return strings.Join(s, " ")
}

// TestFlattenFunc checks flatten_functype's spilling rules, including the
// cases of run_tests.py's test_flatten.
func TestFlattenFunc(t *testing.T) {
	u8s := func(n int) []Type { return slices.Repeat([]Type{U8Type}, n) }
	pair := &TupleType{Types: []Type{U8Type, U8Type}}
	tests := []struct {
		name            string
		o               Options
		params, results []Type
		lift, lower     string
	}{
		{"no results", Options{}, []Type{U8Type, F32Type, F64Type}, nil, "(param i32 f32 f64) (result)", "(param i32 f32 f64) (result)"},
		{"f32 result", Options{}, []Type{U8Type}, []Type{F32Type}, "(param i32) (result f32)", "(param i32) (result f32)"},
		{"tuple<f32> result", Options{}, nil, []Type{&TupleType{Types: []Type{F32Type}}}, "(param) (result f32)", "(param) (result f32)"},
		{"two results spill", Options{}, nil, []Type{F32Type, F32Type}, "(param) (result i32)", "(param i32) (result)"},
		{"string result", Options{}, nil, []Type{StringType}, "(param) (result i32)", "(param i32) (result)"},
		{"16 params flat", Options{}, u8s(16), nil, "(param " + strings.Repeat("i32 ", 15) + "i32) (result)", "(param " + strings.Repeat("i32 ", 15) + "i32) (result)"},
		{"17 params spill", Options{}, u8s(17), nil, "(param i32) (result)", "(param i32) (result)"},
		{"17 params spill, memory64", Options{Addr: Addr64}, u8s(17), nil, "(param i64) (result)", "(param i64) (result)"},
		{"both spill", Options{}, u8s(17), []Type{pair}, "(param i32) (result i32)", "(param i32 i32) (result)"},
		{"both spill, memory64", Options{Addr: Addr64}, u8s(17), []Type{pair}, "(param i64) (result i64)", "(param i64 i64) (result)"},
		{"8 strings", Options{}, slices.Repeat([]Type{StringType}, 8), nil, "(param " + strings.Repeat("i32 ", 15) + "i32) (result)", "(param " + strings.Repeat("i32 ", 15) + "i32) (result)"},
		{"async stackful", Options{Async: true}, u8s(5), []Type{U8Type}, "(param i32 i32 i32 i32 i32) (result)", "(param i32 i32) (result i32)"},
		{"async callback", Options{Async: true, Callback: true}, u8s(4), []Type{StringType}, "(param i32 i32 i32 i32) (result i32)", "(param i32 i32 i32 i32 i32) (result i32)"},
		{"async no results", Options{Async: true}, u8s(17), nil, "(param i32) (result)", "(param i32) (result i32)"},
		{"huge fixed list", Options{}, []Type{&ListType{Elem: U8Type, Len: 1 << 20}}, []Type{&ListType{Elem: U8Type, Len: 1 << 20}}, "(param i32) (result i32)", "(param i32 i32) (result)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FlattenFunc(tt.o, tt.params, tt.results, CanonLift).String(); got != tt.lift {
				t.Errorf("lift: %s, want %s", got, tt.lift)
			}
			if got := FlattenFunc(tt.o, tt.params, tt.results, CanonLower).String(); got != tt.lower {
				t.Errorf("lower: %s, want %s", got, tt.lower)
			}
		})
	}
}

// TestValidate checks the types Validate rejects, with its messages.
func TestValidate(t *testing.T) {
	tests := []struct {
		t    Type
		want string
	}{
		{nil, "invalid type <nil>: missing type"},
		{PrimType(99), "invalid type prim(99): unknown primitive type 99"},
		{&RecordType{}, "invalid type record {  }: record without fields"},
		{&TupleType{}, "invalid type tuple<>: tuple without fields"},
		{&VariantType{}, "invalid type variant {  }: variant without cases"},
		{&EnumType{}, "invalid type enum {  }: enum without cases"},
		{&FlagsType{}, "invalid type flags {  }: flags without labels"},
		{&FlagsType{Labels: labels("f", 33)}, "invalid type " + (&FlagsType{Labels: labels("f", 33)}).String() + ": 33 flags (at most 32)"},
		{&RecordType{Fields: []FieldType{{"a", U8Type}, {"a", U8Type}}}, `invalid type record { a: u8, a: u8 }: duplicate field "a"`},
		{&EnumType{Labels: []string{"x", "x"}}, `invalid type enum { x, x }: duplicate label "x"`},
		{&ListType{}, "invalid type list<<nil>>: missing type"},
		{&OwnType{}, "invalid type own<resource>: own without a resource type"},
		{&ListType{Elem: U8Type, Len: 1 << 28}, "invalid type list<u8, 268435456>: size 268435456 exceeds the maximum of 268435455 bytes"},
		{&ListType{Elem: &ListType{Elem: U64Type, Len: 1 << 20}, Len: 1 << 20}, "invalid type list<list<u64, 1048576>, 1048576>: size 8796093022208 exceeds the maximum of 268435455 bytes"},
		{&ListType{Elem: &ListType{Elem: U64Type, Len: 1<<32 - 1}, Len: 1<<32 - 1}, "invalid type list<list<u64, 4294967295>, 4294967295>: size exceeds the maximum of 268435455 bytes"},
		{&ListType{Elem: StringType, Len: 1 << 24}, "invalid type list<string, 16777216>: size 268435456 exceeds the maximum of 268435455 bytes"},
	}
	for _, tt := range tests {
		err := Validate(tt.t)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Validate(%v) = %v, want %s", tt.t, err, tt.want)
		}
	}
	// The boundaries of the spec's max-value-size.wast are valid; elem_size
	// is computed for i64 (so list<string, 16777215> is 268435440 bytes).
	for _, ok := range []Type{
		&ListType{Elem: U8Type, Len: 1<<28 - 1},
		&ListType{Elem: U64Type, Len: 33554431},
		&ListType{Elem: StringType, Len: 16777215},
		&TupleType{Types: []Type{&ListType{Elem: U8Type, Len: 1<<28 - 2}, &ListType{Elem: U8Type, Len: 1}}},
		&ListType{Elem: &ListType{Elem: U8Type, Len: 134217727}, Len: 2},
	} {
		if err := Validate(ok); err != nil {
			t.Errorf("Validate(%v) = %v", ok, err)
		}
	}
}

// TestTypeString checks the WIT rendering of types.
func TestTypeString(t *testing.T) {
	tests := []struct {
		t    Type
		want string
	}{
		{&ListType{Elem: &TupleType{Types: []Type{U8Type, StringType}}}, "list<tuple<u8, string>>"},
		{&ListType{Elem: F32Type, Len: 4}, "list<f32, 4>"},
		{point, "record { x: s32, y: s32 }"},
		{shape, "variant { circle(f32), rect(record { x: s32, y: s32 }), %none }"},
		{&ResultType{}, "result"},
		{&ResultType{Ok: U8Type}, "result<u8>"},
		{&ResultType{Err: StringType}, "result<_, string>"},
		{&ResultType{Ok: U8Type, Err: StringType}, "result<u8, string>"},
		{&OptionType{Elem: CharType}, "option<char>"},
		{&MapType{Key: StringType, Value: U32Type}, "map<string, u32>"},
		{&OwnType{Resource: fileRT}, "own<file>"},
		{&BorrowType{Resource: &ResourceType{}}, "borrow<resource>"},
		{&StreamType{}, "stream"},
		{&FutureType{Elem: U8Type}, "future<u8>"},
		{&EnumType{Labels: []string{"red", "true"}}, "enum { red, %true }"},
		{&FlagsType{Labels: []string{"read", "write"}}, "flags { read, write }"},
		{ErrorContextType, "error-context"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}
