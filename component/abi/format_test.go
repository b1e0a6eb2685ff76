package abi

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestFormat renders values of every kind in WIT value syntax and compares
// the whole output with testdata/format.golden (go test -update rewrites
// it).
func TestFormat(t *testing.T) {
	color := &EnumType{Labels: []string{"red", "green", "blue"}}
	perms := &FlagsType{Labels: []string{"read", "write", "exec"}}
	keyword := &VariantType{Cases: []CaseType{{"none", nil}, {"some", U8Type}, {"ok", nil}, {"plain", nil}}}
	long := make(Bytes, 1000)
	for i := range long {
		long[i] = byte(i)
	}
	deep := Type(U8Type)
	var deepV Value = U8(7)
	for range 12 {
		deep = &OptionType{Elem: deep}
		deepV = Some(deepV)
	}
	strs := make(List, 40)
	for i := range strs {
		strs[i] = Str(strings.Repeat("x", 40))
	}
	cases := []struct {
		name string
		l    Limits
		t    Type
		v    Value
	}{
		{"bool", Limits{}, BoolType, Bool(true)},
		{"false", Limits{}, BoolType, Bool(false)},
		{"u32", Limits{}, U32Type, U32(42)},
		{"s8", Limits{}, S8Type, S8(-1)},
		{"s64 min", Limits{}, S64Type, S64(math.MinInt64)},
		{"u64 max", Limits{}, U64Type, U64(math.MaxUint64)},
		{"f32", Limits{}, F32Type, F32(3.5)},
		{"f32 0.1", Limits{}, F32Type, F32(0.1)},
		{"f64 0.1", Limits{}, F64Type, F64(0.1)},
		{"f64 integral", Limits{}, F64Type, F64(42)},
		{"f64 -0", Limits{}, F64Type, F64(math.Copysign(0, -1))},
		{"f64 big", Limits{}, F64Type, F64(1e21)},
		{"f64 small", Limits{}, F64Type, F64(1.5e-7)},
		{"f64 max", Limits{}, F64Type, F64(math.MaxFloat64)},
		{"f32 nan", Limits{}, F32Type, F32(math.Float32frombits(CanonicalNaN32))},
		{"f64 inf", Limits{}, F64Type, F64(math.Inf(1))},
		{"f64 -inf", Limits{}, F64Type, F64(math.Inf(-1))},
		{"char", Limits{}, CharType, Char('a')},
		{"char quote", Limits{}, CharType, Char('\'')},
		{"char double quote", Limits{}, CharType, Char('"')},
		{"char backslash", Limits{}, CharType, Char('\\')},
		{"char newline", Limits{}, CharType, Char('\n')},
		{"char nul", Limits{}, CharType, Char(0)},
		{"char del", Limits{}, CharType, Char(0x7f)},
		{"char é", Limits{}, CharType, Char('é')},
		{"char emoji", Limits{}, CharType, Char('😀')},
		{"char zero width joiner", Limits{}, CharType, Char(0x200d)},
		{"string", Limits{}, StringType, Str("hello\n")},
		{"string escapes", Limits{}, StringType, Str("tab\there \"q\" 'a' \\ \r \x00 \x1b")},
		{"string unicode", Limits{}, StringType, Str("café 😀 日本語")},
		{"string empty", Limits{}, StringType, Str("")},
		{"string long", Limits{}, StringType, Str(strings.Repeat("abcdefghij", 100))},
		{"string cut before a multibyte char", Limits{MaxBytes: 4}, StringType, Str("abcé and more")},
		{"list", Limits{}, &ListType{Elem: U32Type}, List{U32(1), U32(2)}},
		{"list empty", Limits{}, &ListType{Elem: U32Type}, List{}},
		{"bytes", Limits{}, &ListType{Elem: U8Type}, Bytes{1, 2, 255}},
		{"bytes long", Limits{}, &ListType{Elem: U8Type}, long},
		{"bytes long, 3 shown", Limits{MaxElems: 3}, &ListType{Elem: U8Type}, long},
		{"bytes long, unlimited", Limits{MaxElems: -1, MaxLen: 100}, &ListType{Elem: U8Type}, long},
		{"fixed list", Limits{}, &ListType{Elem: F32Type, Len: 3}, List{F32(1), F32(2.5), F32(-3)}},
		{"record", Limits{}, point, Record{S32(3), S32(4)}},
		{"record keyword label", Limits{}, &RecordType{Fields: []FieldType{{"true", BoolType}, {"nan", F32Type}}}, Record{Bool(false), F32(1)}},
		{"tuple", Limits{}, &TupleType{Types: []Type{U8Type, StringType}}, Tuple{U8(1), Str("a")}},
		{"tuple of one", Limits{}, &TupleType{Types: []Type{U8Type}}, Tuple{U8(1)}},
		{"variant payload", Limits{}, shape, Variant{Case: 0, Payload: F32(2.5)}},
		{"variant record payload", Limits{}, shape, Variant{Case: 1, Payload: Record{S32(1), S32(2)}}},
		{"variant no payload", Limits{}, shape, Variant{Case: 2}},
		{"variant keyword cases", Limits{}, keyword, Variant{Case: 0}},
		{"variant keyword case with payload", Limits{}, keyword, Variant{Case: 1, Payload: U8(1)}},
		{"enum", Limits{}, color, Variant{Case: 1}},
		{"flags", Limits{}, perms, Flags(0b011)},
		{"flags all", Limits{}, perms, Flags(0b111)},
		{"flags none", Limits{}, perms, Flags(0)},
		{"option some", Limits{}, &OptionType{Elem: U8Type}, Some(U8(5))},
		{"option none", Limits{}, &OptionType{Elem: U8Type}, None()},
		{"option nested", Limits{}, &OptionType{Elem: &OptionType{Elem: U8Type}}, Some(None())},
		{"result ok", Limits{}, &ResultType{Ok: U8Type, Err: StringType}, Ok(U8(5))},
		{"result err", Limits{}, &ResultType{Ok: U8Type, Err: StringType}, Err(Str("bad"))},
		{"result ok without payload", Limits{}, &ResultType{Err: StringType}, Ok(nil)},
		{"result err without payload", Limits{}, &ResultType{}, Err(nil)},
		{"map", Limits{}, &MapType{Key: StringType, Value: U32Type}, List{Tuple{Str("a"), U32(1)}, Tuple{Str("b"), U32(2)}}},
		{"map long", Limits{MaxElems: 2}, &MapType{Key: U8Type, Value: U8Type}, List{Tuple{U8(1), U8(1)}, Tuple{U8(2), U8(4)}, Tuple{U8(3), U8(9)}}},
		{"own", Limits{}, &OwnType{Resource: fileRT}, Handle{Index: 3, Rep: 100}},
		{"borrow", Limits{}, &BorrowType{Resource: fileRT}, Handle{Index: 3, Rep: 100}},
		{"own without an index", Limits{}, &OwnType{Resource: fileRT}, Handle{Rep: 7}},
		{"stream", Limits{}, &StreamType{Elem: U8Type}, Handle{Index: 5}},
		{"future", Limits{}, &FutureType{}, Handle{Index: 2}},
		{"error-context", Limits{}, ErrorContextType, &ErrorContext{DebugMessage: Str("oops")}},
		{"nested", Limits{}, &ListType{Elem: &RecordType{Fields: []FieldType{{"name", StringType}, {"shape", shape}, {"tags", &ListType{Elem: color}}}}},
			List{Record{Str("a"), Variant{Case: 0, Payload: F32(1)}, List{Variant{Case: 0}, Variant{Case: 2}}}, Record{Str("b"), Variant{Case: 2}, List{}}}},
		{"deep", Limits{}, deep, deepV},
		{"deep, depth 2", Limits{MaxDepth: 2}, deep, deepV},
		{"long output cut", Limits{}, &ListType{Elem: StringType}, strs},
		{"long output cut at 50", Limits{MaxLen: 50}, &ListType{Elem: StringType}, strs},
		{"mismatch", Limits{}, U8Type, S8(1)},
		{"mismatch nil", Limits{}, StringType, nil},
		{"mismatch in a record", Limits{}, point, Record{S32(1), Str("y")}},
		{"mismatch record arity", Limits{}, point, Record{S32(1)}},
		{"mismatch case", Limits{}, color, Variant{Case: 7}},
		{"mismatch bytes for list<u16>", Limits{}, &ListType{Elem: U16Type}, Bytes{1}},
	}
	var b strings.Builder
	for _, c := range cases {
		fmt.Fprintf(&b, "%-36s %s\n", c.name+":", c.l.Format(c.t, c.v))
	}
	golden(t, "format.golden", b.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s line %d:\n got  %s\n want %s", path, i+1, g, w)
			}
		}
	}
}
