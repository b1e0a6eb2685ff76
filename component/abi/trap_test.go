package abi

import (
	"errors"
	"testing"
)

// TestTraps checks that invalid guest data traps with the expected
// message, as the spec traps in each case (the spec function is named).
func TestTraps(t *testing.T) {
	mem := func(b ...byte) ByteMemory { return append(make(ByteMemory, 0, 64), b...) }
	le32 := func(v uint32) []byte { return []byte{byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24)} }
	cat := func(bs ...[]byte) ByteMemory {
		var m ByteMemory
		for _, b := range bs {
			m = append(m, b...)
		}
		return m
	}
	tests := []struct {
		name string
		enc  StringEncoding
		addr AddrType
		mem  ByteMemory
		// either Load at ptr, or Lift of flat
		t    Type
		ptr  uint64
		flat []uint64
		want string
	}{
		// load: the top-level checks (lift_flat_values' trap_ifs).
		{name: "load out of bounds", mem: make(ByteMemory, 62), t: U32Type, ptr: 60,
			want: "pointer out of bounds of memory: 4 bytes at 0x3c, memory is 62 bytes"},
		{name: "load past the end of memory", mem: make(ByteMemory, 8), t: U64Type, ptr: 1<<64 - 8,
			want: "pointer out of bounds of memory: 8 bytes at 0xfffffffffffffff8, memory is 8 bytes"},
		{name: "load misaligned", mem: make(ByteMemory, 8), t: U32Type, ptr: 2,
			want: "unaligned pointer: 0x2 is not 4-aligned"},
		{name: "load misaligned record", mem: make(ByteMemory, 32), t: point, ptr: 1,
			want: "unaligned pointer: 0x1 is not 4-aligned"},
		// convert_i32_to_char
		{name: "char surrogate", mem: mem(le32(0xd800)...), t: CharType, want: "invalid `char` bit pattern: 0xd800"},
		{name: "char too big", t: CharType, flat: []uint64{0x110000}, want: "invalid `char` bit pattern: 0x110000"},
		{name: "char in a list", mem: cat(le32(8), le32(2), le32('a'), le32(0xdfff)), t: &ListType{Elem: CharType},
			want: "invalid `char` bit pattern: 0xdfff (at [1])"},
		// load_variant, lift_flat_variant
		{name: "variant discriminant", mem: mem(3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), t: shape,
			want: "invalid variant discriminant: 3 (the type has 3 cases)"},
		{name: "enum discriminant", t: &EnumType{Labels: []string{"a", "b"}}, flat: []uint64{2},
			want: "invalid variant discriminant: 2 (the type has 2 cases)"},
		{name: "option discriminant", mem: mem(2, 0, 0, 0), t: &OptionType{Elem: U16Type},
			want: "invalid variant discriminant: 2 (the type has 2 cases)"},
		{name: "u16 discriminant", mem: mem(0x2c, 0x01), t: &EnumType{Labels: labels("e", 300)},
			want: "invalid variant discriminant: 300 (the type has 300 cases)"},
		{name: "result in a record", t: &RecordType{Fields: []FieldType{{"a", U8Type}, {"r", &ResultType{Ok: U8Type}}}}, flat: []uint64{1, 5, 0},
			want: "invalid variant discriminant: 5 (the type has 2 cases) (at .r)"},
		{name: "nested payload", t: &OptionType{Elem: &ResultType{Ok: CharType}}, flat: []uint64{1, 0, 0xd800},
			want: "invalid `char` bit pattern: 0xd800 (at .some.ok)"},
		// load_string_from_range
		{name: "invalid utf-8", mem: mem(0xff), t: StringType, flat: []uint64{0, 1}, want: "invalid utf-8 at byte 0"},
		{name: "surrogate in utf-8", mem: mem('a', 0xed, 0xa0, 0x80), t: StringType, flat: []uint64{0, 4}, want: "invalid utf-8 at byte 1"},
		{name: "overlong utf-8", mem: mem(0xc0, 0x80), t: StringType, flat: []uint64{0, 2}, want: "invalid utf-8 at byte 0"},
		{name: "incomplete utf-8", mem: mem('o', 'k', 0xc3), t: StringType, flat: []uint64{0, 3}, want: "incomplete utf-8 byte sequence at byte 2"},
		{name: "lone high surrogate", enc: UTF16, mem: mem('a', 0, 0x00, 0xd8), t: StringType, flat: []uint64{0, 2},
			want: "invalid utf-16: unpaired surrogate 0xd800 at byte 2"},
		{name: "lone low surrogate", enc: Latin1UTF16, mem: mem(0x00, 0xdc, 'a', 0), t: StringType, flat: []uint64{0, 2 | 1<<31},
			want: "invalid utf-16: unpaired surrogate 0xdc00 at byte 0"},
		{name: "string out of bounds", mem: mem('h', 'i'), t: StringType, flat: []uint64{1, 2},
			want: "string content out-of-bounds: 2 bytes at 0x1, memory is 2 bytes"},
		{name: "empty string out of bounds", mem: mem('h', 'i'), t: StringType, flat: []uint64{0xdeadbeef, 0},
			want: "string content out-of-bounds: 0 bytes at 0xdeadbeef, memory is 2 bytes"},
		{name: "utf16 string misaligned", enc: UTF16, mem: make(ByteMemory, 8), t: StringType, flat: []uint64{1, 1},
			want: "unaligned pointer: string at 0x1 is not 2-aligned"},
		{name: "latin1 string misaligned", enc: Latin1UTF16, mem: make(ByteMemory, 8), t: StringType, flat: []uint64{1, 1},
			want: "unaligned pointer: string at 0x1 is not 2-aligned"},
		{name: "string too long", mem: make(ByteMemory, 8), t: StringType, flat: []uint64{0, 1 << 28},
			want: "string too long: 268435456 bytes (at most 268435455)"},
		{name: "utf16 string too long", enc: UTF16, addr: Addr64, mem: make(ByteMemory, 8), t: StringType, flat: []uint64{0, 1<<63 - 1},
			want: "string too long: 4611686018427387904 bytes (at most 268435455)"},
		// load_list_from_range
		{name: "list out of bounds", mem: make(ByteMemory, 16), t: &ListType{Elem: U32Type}, flat: []uint64{8, 3},
			want: "list content out-of-bounds: 12 bytes at 0x8, memory is 16 bytes"},
		{name: "list misaligned", mem: make(ByteMemory, 16), t: &ListType{Elem: U16Type}, flat: []uint64{1, 3},
			want: "unaligned pointer: 0x1 is not 2-aligned"},
		{name: "list too long", mem: make(ByteMemory, 16), t: &ListType{Elem: U64Type}, flat: []uint64{0, 1 << 25},
			want: "list too long: 33554432 elements of 8 bytes (at most 268435455 bytes)"},
		{name: "list of strings, one bad", mem: cat(le32(16), le32(1), le32(0), le32(0), []byte{0xff}), t: &ListType{Elem: StringType, Len: 2},
			want: "invalid utf-8 at byte 0 (at [0])"},
		// lift_flat_values
		{name: "spilled values misaligned", mem: make(ByteMemory, 64), t: nil, flat: []uint64{2},
			want: "unaligned pointer: 0x2 is not 4-aligned"},
		{name: "spilled values out of bounds", mem: make(ByteMemory, 64), t: nil, flat: []uint64{60},
			want: "pointer out of bounds of memory: 20 bytes at 0x3c, memory is 64 bytes"},
		// lift_own, lift_borrow
		{name: "unknown handle", t: &OwnType{Resource: fileRT}, flat: []uint64{5}, want: "unknown handle index 5"},
		{name: "handle 0", t: &BorrowType{Resource: fileRT}, flat: []uint64{0}, want: "unknown handle index 0"},
	}
	spilled := []Type{U32Type, U32Type, U32Type, U32Type, U32Type}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cx := &Context{Options: Options{StringEncoding: tt.enc, Memory: tt.mem, Addr: tt.addr},
				Instance: &Instance{}, Lenders: &Lenders{}}
			var err error
			switch {
			case tt.t == nil:
				_, err = LiftValues(cx, MaxFlatResults, spilled, tt.flat)
			case tt.flat == nil:
				_, err = Load(cx, tt.t, tt.ptr)
			default:
				_, err = Lift(cx, tt.t, tt.flat)
			}
			var trap *Trap
			if !errors.As(err, &trap) {
				t.Fatalf("got %v, want a trap", err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err, tt.want)
			}
		})
	}
}

// TestLowerTraps checks the traps of lowering: bad realloc results and a
// full lift budget.
func TestLowerTraps(t *testing.T) {
	for _, tt := range []struct {
		name string
		mode string
		enc  StringEncoding
		t    Type
		v    Value
		want string
	}{
		{"list, misaligned realloc", "misalign", UTF8, &ListType{Elem: U32Type}, List{U32(1)},
			"realloc return: result not aligned: 0x9 is not 4-aligned"},
		{"list, realloc out of bounds", "oob", UTF8, &ListType{Elem: U32Type}, List{U32(1)},
			"realloc return: beyond end of memory: 4 bytes at 0x40, memory is 64 bytes"},
		{"utf16 string, misaligned realloc", "misalign", UTF16, StringType, Str("a"),
			"realloc return: result not aligned: 0x9 is not 2-aligned"},
		{"utf8 string, realloc out of bounds", "oob", UTF8, StringType, Str("abc"),
			"realloc return: beyond end of memory: 3 bytes at 0x40, memory is 64 bytes"},
		{"nested string", "oob", UTF8, &RecordType{Fields: []FieldType{{"name", StringType}}}, Record{Str("x")},
			"realloc return: beyond end of memory: 1 bytes at 0x40, memory is 64 bytes (at .name)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cx, h := newCx(64, 8, tt.enc, Addr32)
			h.mode = tt.mode
			_, err := Lower(cx, tt.t, tt.v)
			if !isTrap(err) || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}

	// A realloc that traps in the guest: its error comes back wrapped.
	cx, h := newCx(16, 8, UTF8, Addr32)
	_, err := Lower(cx, StringType, Str("much too long for the heap"))
	if want := "realloc(0, 0, 1, 26): test heap exhausted"; err == nil || err.Error() != want || !isTrap(err) {
		t.Errorf("realloc trap: got %v, want %s", err, want)
	}
	_ = h

	// The lift budget: 1000 lists aliasing the same 4 KiB. The outer list
	// costs 1000*8*16 bytes, each inner one 4096: the 225th goes over.
	m := make(ByteMemory, 1<<13)
	for i := range 1000 {
		copy(m[8*i:], []byte{0, 0x10, 0, 0, 0, 0x10, 0, 0}) // list<u8> at 4096, 4096 bytes
	}
	cx = &Context{Options: Options{Memory: m}, MaxLiftBytes: 1 << 20}
	_, err = Lift(cx, &ListType{Elem: &ListType{Elem: U8Type}}, []uint64{0, 1000})
	if want := "lifted value too large: over the host's limit of 1048576 bytes (at [224])"; err == nil || err.Error() != want {
		t.Errorf("budget: got %v, want %s", err, want)
	}
	cx.MaxLiftBytes = 0 // the default allows this much
	if _, err := Lift(cx, &ListType{Elem: &ListType{Elem: U8Type}}, []uint64{0, 1000}); err != nil {
		t.Errorf("default budget: %v", err)
	}
}

// TestMismatch checks the errors for host values that do not fit their
// type: Go errors, not traps.
func TestMismatch(t *testing.T) {
	for _, tt := range []struct {
		t    Type
		v    Value
		want string
	}{
		{U32Type, S32(1), "value does not match u32: got abi.S32"},
		{U32Type, nil, "value does not match u32: missing value"},
		{CharType, Char(0xd800), "value does not match char: 0xd800 is not a Unicode scalar value"},
		{StringType, String{Text: "\xff"}, "value does not match string: string is not valid UTF-8"},
		{StringType, String{Text: "é", Src: SourceLatin1, CodeUnits: 2}, `value does not match string: latin1 string "é" has 1 code units, not 2`},
		{StringType, String{Text: "Ā", Src: SourceLatin1, CodeUnits: 1}, "value does not match string: Latin-1 source string contains U+0100"},
		{&ListType{Elem: U16Type}, Bytes{1}, "value does not match list<u16>: got abi.Bytes"},
		{&ListType{Elem: U8Type, Len: 2}, Bytes{1}, "value does not match list<u8, 2>: 1 elements"},
		{point, Tuple{S32(1), S32(2)}, "value does not match record { x: s32, y: s32 }: got abi.Tuple"},
		{point, Record{S32(1)}, "value does not match record { x: s32, y: s32 }: 1 fields"},
		{point, Record{S32(1), U8(2)}, "value does not match s32: got abi.U8 (at .y)"},
		{shape, Variant{Case: 3}, "value does not match " + shape.String() + ": case 3 of 3"},
		{shape, Variant{Case: 0}, "value does not match " + shape.String() + ": case circle without its payload"},
		{shape, Variant{Case: 2, Payload: U8(1)}, "value does not match " + shape.String() + ": case none has no payload, got abi.U8"},
		{&ListType{Elem: &OptionType{Elem: U8Type}}, List{Some(U8(1)), Some(U16(2))}, "value does not match u8: got abi.U16 (at [1].some)"},
		{&StreamType{Elem: U8Type}, Handle{Index: 1}, "lower stream<u8>: not supported yet"},
	} {
		cx, _ := newCx(64, 8, UTF8, Addr32)
		_, err := Lower(cx, tt.t, tt.v)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Lower(%v, %#v) = %v\nwant %s", tt.t, tt.v, err, tt.want)
		}
		if isTrap(err) {
			t.Errorf("Lower(%v, %#v) trapped", tt.t, tt.v)
		}
	}
	var m *MismatchError
	cx, _ := newCx(64, 8, UTF8, Addr32)
	if err := Store(cx, U8Type, Bool(true), 0); !errors.As(err, &m) {
		t.Errorf("Store mismatch: %v", err)
	}
	if _, err := Lift(cx, &FutureType{}, []uint64{1}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("Lift future: %v", err)
	}
	if _, err := Lift(cx, U8Type, []uint64{1, 2}); err == nil || err.Error() != "lift u8: got 2 flat values, want 1" {
		t.Errorf("Lift with too many values: %v", err)
	}
	cx.Memory = nil
	if _, err := Lower(cx, StringType, Str("x")); !errors.Is(err, ErrNoMemory) {
		t.Errorf("no memory: %v", err)
	}
	cx, _ = newCx(64, 8, UTF8, Addr32)
	cx.Realloc = nil
	if _, err := Lower(cx, StringType, Str("x")); !errors.Is(err, ErrNoRealloc) {
		t.Errorf("no realloc: %v", err)
	}
}
