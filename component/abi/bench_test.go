package abi

import "testing"

// BenchmarkLiftRecord lifts a typical WASI-sized record from flat values.
func BenchmarkLiftRecord(b *testing.B) {
	ty := &RecordType{Fields: []FieldType{{"name", StringType}, {"size", U64Type}, {"kind", &EnumType{Labels: []string{"file", "dir", "link"}}}, {"pos", point}}}
	cx, _ := newCx(1<<16, 1024, UTF8, Addr32)
	flat, err := Lower(cx, ty, Record{Str("hello.txt"), U64(1234), Variant{Case: 1}, Record{S32(1), S32(2)}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Lift(cx, ty, flat); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadBytes loads a 64 KiB list<u8>, the shape of WASI I/O.
func BenchmarkLoadBytes(b *testing.B) {
	cx, _ := newCx(1<<17, 1024, UTF8, Addr32)
	buf := make(Bytes, 1<<16)
	if err := Store(cx, &ListType{Elem: U8Type}, buf, 0); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(1 << 16)
	for b.Loop() {
		if _, err := Load(cx, &ListType{Elem: U8Type}, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStoreString lowers a non-ASCII string into each encoding.
func BenchmarkStoreString(b *testing.B) {
	s := Str("naïve café — 😀 " + string(make([]byte, 200)))
	for _, enc := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
		b.Run(enc.String(), func(b *testing.B) {
			for b.Loop() {
				cx, _ := newCx(4096, 64, enc, Addr32)
				if _, err := Lower(cx, StringType, s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFormat formats a nested value for tracing.
func BenchmarkFormat(b *testing.B) {
	ty := &ListType{Elem: &RecordType{Fields: []FieldType{{"name", StringType}, {"shape", shape}}}}
	v := make(List, 100)
	for i := range v {
		v[i] = Record{Str("item"), Variant{Case: 0, Payload: F32(1.5)}}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Format(ty, v)
	}
}
