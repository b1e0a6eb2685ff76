package abi

import (
	"bytes"
	"fmt"
	"testing"
)

// roundTripTypes are hand-written types covering every kind, nested.
func roundTripTypes() []Type {
	return []Type{
		BoolType, S8Type, U8Type, S16Type, U16Type, S32Type, U32Type, S64Type, U64Type,
		F32Type, F64Type, CharType, StringType,
		&ListType{Elem: U8Type},
		&ListType{Elem: U8Type, Len: 3},
		&ListType{Elem: StringType},
		&ListType{Elem: &ListType{Elem: StringType}},
		&ListType{Elem: &ListType{Elem: U16Type, Len: 2}, Len: 2},
		&ListType{Elem: &OptionType{Elem: &TupleType{Types: []Type{StringType, U16Type}}}},
		point,
		&RecordType{Fields: []FieldType{{"name", StringType}, {"tags", &ListType{Elem: StringType}}, {"pos", point}, {"score", F64Type}}},
		&TupleType{Types: []Type{U8Type, StringType, CharType, F32Type}},
		shape,
		&VariantType{Cases: []CaseType{{"x", &TupleType{Types: []Type{U32Type, U32Type, U32Type, U32Type, U32Type, U32Type, U32Type, U32Type,
			U32Type, U32Type, U32Type, U32Type, U32Type, U32Type, U32Type, U32Type, StringType}}}}},
		&EnumType{Labels: []string{"red", "green", "blue"}},
		&EnumType{Labels: labels("e", 300)},
		&OptionType{Elem: &OptionType{Elem: StringType}},
		&ResultType{Ok: StringType, Err: &ListType{Elem: CharType}},
		&ResultType{},
		&ResultType{Err: F64Type},
		&FlagsType{Labels: labels("f", 3)},
		&FlagsType{Labels: labels("f", 17)},
		&FlagsType{Labels: labels("f", 32)},
		&MapType{Key: StringType, Value: &ListType{Elem: U32Type}},
		&OwnType{Resource: fileRT},
		&BorrowType{Resource: fileRT},
		&ListType{Elem: &ResultType{Ok: &OwnType{Resource: fileRT}, Err: StringType}},
	}
}

// TestRoundTrip lowers and lifts, and stores and loads, values of every
// kind, nested, in both address types and all string encodings, and
// requires the same value back.
func TestRoundTrip(t *testing.T) {
	types := roundTripTypes()
	g := newGen(7, fileRT)
	for range 300 {
		if ty := g.typ(4); Validate(ty) == nil {
			types = append(types, ty)
		}
	}
	for ti, ty := range types {
		for _, addr := range []AddrType{Addr32, Addr64} {
			for _, enc := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
				for k := range 4 {
					v := g.value(ty)
					name := fmt.Sprintf("%d %v %v %v #%d", ti, ty, addr, enc, k)

					cx, _ := newCx(1<<16, 1024, enc, addr)
					fileRT.Impl = nil
					flat, err := Lower(cx, ty, v)
					if err != nil {
						t.Fatalf("%s: Lower(%s): %v", name, Format(ty, v), err)
					}
					if got := len(flat); uint64(got) != flatCount(ty) {
						t.Fatalf("%s: Lower gave %d flat values, want %d", name, got, flatCount(ty))
					}
					got, err := Lift(cx, ty, flat)
					if err != nil {
						t.Fatalf("%s: Lift(%x) of %s: %v", name, flat, Format(ty, v), err)
					}
					if !equalValues(v, got) {
						t.Fatalf("%s: lower/lift %s gave %s", name, Format(ty, v), Format(ty, got))
					}

					cx, _ = newCx(1<<16, 1024, enc, addr)
					ptr := alignTo(8, addr.Alignment(ty))
					if err := Store(cx, ty, v, ptr); err != nil {
						t.Fatalf("%s: Store(%s): %v", name, Format(ty, v), err)
					}
					got, err = Load(cx, ty, ptr)
					if err != nil {
						t.Fatalf("%s: Load of %s: %v", name, Format(ty, v), err)
					}
					if !equalValues(v, got) {
						t.Fatalf("%s: store/load %s gave %s", name, Format(ty, v), Format(ty, got))
					}
					// Own handles moved in by Store moved back out with Load;
					// borrow handles stay, lent to the call.
					for i, e := range cx.Instance.Handles.All() {
						if h := e.(*ResourceHandle); h.Own || h.NumLends != 1 {
							t.Fatalf("%s: handle %d left as %+v", name, i, h)
						}
					}
				}
			}
		}
	}
}

// TestStringTranscoding lowers strings that fit Latin-1 and strings that do
// not, from every source encoding into every destination encoding, checks
// the bytes and code units in memory, and lifts them back.
func TestStringTranscoding(t *testing.T) {
	tests := []struct {
		s      string
		latin1 bool
	}{
		{"hello", true},
		{"é", true},
		{"héllo wörld ÿ", true},
		{"😀", false},
		{"a😀b", false},
		{"naïve Ā", false},
		{"日本語", false},
	}
	for _, addr := range []AddrType{Addr32, Addr64} {
		for _, tt := range tests {
			for _, src := range []SourceEncoding{SourceUTF8, SourceUTF16, SourceLatin1, SourceCompactUTF16} {
				in := stringAs(tt.s, src)
				for _, dst := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
					name := fmt.Sprintf("%q %v->%v %v", tt.s, in.Src, dst, addr)
					cx, h := newCx(4096, 64, dst, addr)
					flat, err := Lower(cx, StringType, in)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					ptr, tagged := flat[0], flat[1]
					var want []byte
					var wantUnits uint64
					wantSrc := map[StringEncoding]SourceEncoding{UTF8: SourceUTF8, UTF16: SourceUTF16, Latin1UTF16: SourceLatin1}[dst]
					switch {
					case dst == UTF8:
						want, wantUnits = []byte(tt.s), uint64(len(tt.s))
					case dst == UTF16:
						want = appendUTF16LE(nil, tt.s)
						wantUnits = uint64(len(want) / 2)
					case tt.latin1:
						want = appendLatin1(nil, tt.s)
						wantUnits = uint64(len(want))
					default:
						want = appendUTF16LE(nil, tt.s)
						wantUnits = uint64(len(want)/2) | addr.utf16Tag()
						wantSrc = SourceCompactUTF16
					}
					if tagged != wantUnits {
						t.Errorf("%s: code units %#x, want %#x", name, tagged, wantUnits)
					}
					if got := h.mem[ptr : ptr+uint64(len(want))]; !bytes.Equal(got, want) {
						t.Errorf("%s: memory % x, want % x", name, got, want)
					}
					v, err := Lift(cx, StringType, flat)
					if err != nil {
						t.Fatalf("%s: lift: %v", name, err)
					}
					s := v.(String)
					if s.Text != tt.s || s.Src != wantSrc || s.CodeUnits != wantUnits&^addr.utf16Tag() {
						t.Errorf("%s: lifted %+v", name, s)
					}
					// The last realloc call leaves exactly the string's size
					// allocated: the worst case is always shrunk to fit.
					last := h.calls[len(h.calls)-1]
					if last[3] != uint64(len(want)) {
						t.Errorf("%s: last realloc %v leaves %d bytes, want %d (calls %v)", name, last, last[3], len(want), h.calls)
					}
				}
			}
		}
	}
}

// TestTranscodingReallocPattern pins the realloc calls of each transcoding
// path: optimistic size first, then grow to the worst case, then shrink.
func TestTranscodingReallocPattern(t *testing.T) {
	tests := []struct {
		in    String
		dst   StringEncoding
		calls [][4]uint64
	}{
		// utf8 -> utf8: one exact allocation.
		{Str("é"), UTF8, [][4]uint64{{0, 0, 1, 2}}},
		// utf16 -> utf8: one byte per unit, then 3 per unit, then shrink.
		{stringAs("aé", SourceUTF16), UTF8, [][4]uint64{{0, 0, 1, 2}, {64, 2, 1, 6}, {66, 6, 1, 3}}},
		// latin1 -> utf8: worst case is 2 bytes per unit; no shrink needed.
		{stringAs("éé", SourceLatin1), UTF8, [][4]uint64{{0, 0, 1, 2}, {64, 2, 1, 4}}},
		// ASCII latin1 -> utf8: the first guess fits.
		{stringAs("ab", SourceLatin1), UTF8, [][4]uint64{{0, 0, 1, 2}}},
		// utf8 -> utf16: 2 bytes per UTF-8 byte, then shrink.
		{Str("é😀"), UTF16, [][4]uint64{{0, 0, 2, 12}, {64, 12, 2, 6}}},
		// utf8 -> latin1+utf16, fits Latin-1: units bytes, then shrink.
		{Str("é"), Latin1UTF16, [][4]uint64{{0, 0, 2, 2}, {64, 2, 2, 1}}},
		// utf8 -> latin1+utf16, does not fit: grow to 2 per unit, shrink.
		{Str("aĀ"), Latin1UTF16, [][4]uint64{{0, 0, 2, 3}, {64, 3, 2, 6}, {68, 6, 2, 4}}},
		// compact utf16 -> latin1+utf16, fits Latin-1: narrow in place.
		{stringAs("éa", SourceCompactUTF16), Latin1UTF16, [][4]uint64{{0, 0, 2, 4}, {64, 4, 1, 2}}},
		// compact utf16 -> latin1+utf16, does not fit: stays utf16.
		{stringAs("Āa", SourceCompactUTF16), Latin1UTF16, [][4]uint64{{0, 0, 2, 4}}},
		// plain utf16 -> latin1+utf16 goes the latin1-first way.
		{stringAs("Āa", SourceUTF16), Latin1UTF16, [][4]uint64{{0, 0, 2, 2}, {64, 2, 2, 4}}},
	}
	for _, tt := range tests {
		cx, h := newCx(256, 64, tt.dst, Addr32)
		if _, err := Lower(cx, StringType, tt.in); err != nil {
			t.Fatalf("%+v: %v", tt.in, err)
		}
		if fmt.Sprint(h.calls) != fmt.Sprint(tt.calls) {
			t.Errorf("%+v -> %v: realloc calls %v, want %v", tt.in, tt.dst, h.calls, tt.calls)
		}
	}
}

// TestLiftValues checks spilling of many parameters and results to memory
// and back.
func TestLiftValues(t *testing.T) {
	ts := []Type{StringType, U8Type, &ListType{Elem: U32Type}, F64Type}
	vs := []Value{Str("a"), U8(1), List{U32(2), U32(3)}, F64(4.5)}
	for _, maxFlat := range []int{MaxFlatParams, 5, MaxFlatResults} {
		cx, _ := newCx(1024, 256, UTF8, Addr32)
		flat, err := LowerValues(cx, maxFlat, ts, vs)
		if err != nil {
			t.Fatal(err)
		}
		wantFlat := 6
		if maxFlat < 6 {
			wantFlat = 1
		}
		if len(flat) != wantFlat {
			t.Errorf("max %d: %d flat values, want %d", maxFlat, len(flat), wantFlat)
		}
		got, err := LiftValues(cx, maxFlat, ts, flat)
		if err != nil {
			t.Fatal(err)
		}
		if !equalSlices(got, vs) {
			t.Errorf("max %d: got %v", maxFlat, got)
		}
		// The caller-allocated return area of canon lower.
		flat, err = LowerValuesTo(cx, maxFlat, ts, vs, 16)
		if err != nil {
			t.Fatal(err)
		}
		if maxFlat < 6 {
			if len(flat) != 0 {
				t.Errorf("max %d: LowerValuesTo returned %v", maxFlat, flat)
			}
			flat = []uint64{16}
		}
		if got, err = LiftValues(cx, maxFlat, ts, flat); err != nil || !equalSlices(got, vs) {
			t.Errorf("max %d: LowerValuesTo then LiftValues: %v, %v", maxFlat, got, err)
		}
	}
}
