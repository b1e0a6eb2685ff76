package abi

import (
	"encoding/binary"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// typeReader decodes a type from fuzz input, one byte per decision.
type typeReader struct {
	b   []byte
	rts []*ResourceType
}

func (r *typeReader) next() int {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return int(c)
}

func (r *typeReader) typ(depth int) Type {
	k := r.next()
	if depth <= 0 {
		k %= len(genPrims)
	}
	switch k % 27 {
	case 13:
		return &ListType{Elem: r.typ(depth - 1)}
	case 14:
		return &ListType{Elem: r.typ(depth - 1), Len: uint32(1 + r.next()%8)}
	case 15:
		fs := make([]FieldType, 1+r.next()%4)
		for i := range fs {
			fs[i] = FieldType{Label: labels("f", 4)[i], Type: r.typ(depth - 1)}
		}
		return &RecordType{Fields: fs}
	case 16:
		ts := make([]Type, 1+r.next()%4)
		for i := range ts {
			ts[i] = r.typ(depth - 1)
		}
		return &TupleType{Types: ts}
	case 17:
		n := 1 + r.next()%4
		cs := make([]CaseType, n)
		for i := range cs {
			cs[i].Label = labels("c", n)[i]
			if r.next()%4 != 0 {
				cs[i].Type = r.typ(depth - 1)
			}
		}
		return &VariantType{Cases: cs}
	case 18:
		n := 1 + r.next()%4
		if r.next()%8 == 0 {
			n = 300
		}
		return &EnumType{Labels: labels("e", n)}
	case 19:
		return &OptionType{Elem: r.typ(depth - 1)}
	case 20:
		var ok, err Type
		if m := r.next(); m&1 != 0 {
			ok = r.typ(depth - 1)
		}
		if m := r.next(); m&1 != 0 {
			err = r.typ(depth - 1)
		}
		return &ResultType{Ok: ok, Err: err}
	case 21:
		return &FlagsType{Labels: labels("g", 1+r.next()%32)}
	case 22:
		return &MapType{Key: genPrims[r.next()%len(genPrims)], Value: r.typ(depth - 1)}
	case 23:
		return &OwnType{Resource: r.rts[r.next()%len(r.rts)]}
	case 24:
		return &BorrowType{Resource: r.rts[r.next()%len(r.rts)]}
	case 25:
		return ErrorContextType
	case 26:
		return &StreamType{Elem: U8Type}
	}
	return genPrims[k%27%len(genPrims)]
}

// fuzzWorld is the instance fuzz lifts happen in: a few resource handles
// and an error context, so that some handles lift.
func fuzzWorld() (*Instance, []*ResourceType) {
	inst := &Instance{}
	a, b := &ResourceType{Name: "a", Impl: inst}, &ResourceType{Name: "b"}
	inst.ResourceNew(a, 1)
	inst.ResourceNew(b, 2)
	inst.Handles.Add(&ResourceHandle{Type: a, Rep: 3})
	inst.Handles.Add(&ErrorContext{DebugMessage: Str("e")})
	return inst, []*ResourceType{a, b}
}

// fuzzLoad is FuzzLoad's body, shared with the regression tests: it loads
// and lifts a value of the type described by typ from mem, and, when that
// works, stores and lowers it again and checks it comes back the same.
func fuzzLoad(t *testing.T, typ, mem []byte, ptr uint32, sel uint8) {
	inst, rts := fuzzWorld()
	ty := (&typeReader{b: typ, rts: rts}).typ(5)
	if len(mem) > 1<<16 {
		mem = mem[:1<<16]
	}
	enc := []StringEncoding{UTF8, UTF16, Latin1UTF16}[int(sel)%3]
	addr := AddrType(sel >> 2 & 1)
	cx := &Context{
		Options:      Options{StringEncoding: enc, Memory: ByteMemory(mem), Addr: addr},
		Instance:     inst,
		Lenders:      &Lenders{},
		Inspect:      sel&8 != 0,
		MaxLiftBytes: 1 << 22,
	}
	if err := Validate(ty); err != nil {
		t.Fatalf("fuzz made an invalid type: %v", err)
	}
	p := uint64(ptr)
	if size := addr.Size(ty); sel&32 == 0 && size <= 1<<20 {
		// Mostly aim inside the memory, aligned, and make room for the
		// value.
		p = p % uint64(len(mem)+1) &^ (addr.Alignment(ty) - 1)
		if end := int(p + size); end > len(mem) {
			mem = append(mem, make([]byte, end-len(mem))...)
			cx.Memory = ByteMemory(mem)
		}
	}
	v, err := Load(cx, ty, p)
	if err == nil {
		checkValue(t, cx, ty, v)
	}
	// Lift the same type from flat values taken from the memory.
	if n := flatCount(ty); n <= 64 {
		flat := make([]uint64, n)
		cts := Addr32.Flatten(ty)
		for i := range flat {
			var w [8]byte
			copy(w[:], mem[min(len(mem), i*8):])
			flat[i] = binary.LittleEndian.Uint64(w[:])
			if cts[i] == CoreI32 && sel&16 == 0 { // small: plausible pointers and lengths
				flat[i] &= 0xffff
			}
		}
		inst, _ = fuzzWorld()
		cx.Instance, cx.Lenders = inst, &Lenders{}
		if v, err := Lift(cx, ty, flat); err == nil {
			checkValue(t, cx, ty, v)
		}
	}
}

// checkValue checks a successfully lifted value: it formats, and it stores
// into and loads back from a fresh memory unchanged.
func checkValue(t *testing.T, from *Context, ty Type, v Value) {
	_ = Format(ty, v)
	if from.Inspect {
		return // handles lifted for display cannot be lowered
	}
	// Stored, the value takes at most about twice what lifting it cost
	// (transcoding and the test heap's waste included) plus its own size.
	cx, _ := newCx(int(4*from.spent+2*Addr64.Size(ty))+4096, 64, from.StringEncoding, from.Addr)
	fuzzInst, _ := fuzzWorld()
	cx.Instance = fuzzInst
	ptr := alignTo(8, cx.Addr.Alignment(ty))
	if err := Store(cx, ty, v, ptr); err != nil {
		t.Fatalf("storing a lifted %v: %v", ty, err)
	}
	got, err := Load(cx, ty, ptr)
	if err != nil {
		t.Fatalf("loading a stored %v: %v", ty, err)
	}
	if !equalValues(v, got) {
		t.Fatalf("%v: stored %s, loaded %s", ty, Format(ty, v), Format(ty, got))
	}
}

// FuzzLoad loads and lifts values of arbitrary types from arbitrary memory.
// It must never panic and never allocate without bound (lists are bounded
// by the memory and, when they alias it, by Context.MaxLiftBytes), and
// whatever lifts must store and load back the same. typ describes the type
// (see typeReader); sel picks the encoding (sel%3), the address type (bit
// 2), inspect mode (bit 3), small flat i32s (bit 4 clear) and a pointer
// folded into the memory and aligned (bit 5 clear).
func FuzzLoad(f *testing.F) {
	f.Add([]byte{12}, []byte("\x08\x00\x00\x00\x02\x00\x00\x00hi"), uint32(0), uint8(0))
	f.Add([]byte{13, 12}, []byte("\x08\x00\x00\x00\x01\x00\x00\x00\x10\x00\x00\x00\x02\x00\x00\x00hi"), uint32(0), uint8(0))
	f.Add([]byte{15, 2, 0, 17, 2, 1, 10, 0, 1, 12}, make([]byte, 64), uint32(8), uint8(1))
	f.Add([]byte{14, 3, 16, 1, 2, 11}, make([]byte, 64), uint32(0), uint8(4))
	f.Add([]byte{21, 31}, []byte{0xff, 0xff, 0xff, 0xff}, uint32(0), uint8(0))
	f.Add([]byte{22, 12, 23, 0}, []byte("\x08\x00\x00\x00\x01\x00\x00\x00\x14\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00x"), uint32(0), uint8(2))
	f.Add([]byte{13, 13, 2}, []byte("\x00\x00\x00\x00\xff\x00\x00\x00"), uint32(0), uint8(0))
	f.Fuzz(fuzzLoad)
}

// fuzzLiftString is FuzzLiftString's body: lift a string from arbitrary
// memory and check the result against the standard library's decoders.
func fuzzLiftString(t *testing.T, mem []byte, ptr, units uint64, sel uint8) {
	enc := []StringEncoding{UTF8, UTF16, Latin1UTF16}[int(sel)%3]
	addr := AddrType(sel >> 2 & 1)
	if addr == Addr32 {
		ptr &= 0xffffffff
		units &= 0xffffffff
	}
	cx := &Context{Options: Options{StringEncoding: enc, Memory: ByteMemory(mem), Addr: addr}}
	v, err := Lift(cx, StringType, []uint64{ptr, units})
	if err != nil {
		if !isTrap(err) {
			t.Fatalf("not a trap: %v", err)
		}
		return
	}
	s := v.(String)
	if !utf8.ValidString(s.Text) {
		t.Fatalf("lifted invalid UTF-8 %q", s.Text)
	}
	// Check against the standard library.
	tag := addr.utf16Tag()
	switch {
	case enc == UTF8:
		if b := mem[ptr : ptr+units]; !utf8.Valid(b) || string(b) != s.Text {
			t.Fatalf("utf8 %q lifted as %q", b, s.Text)
		}
	case enc == UTF16 || units&tag != 0:
		n := units &^ tag
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(mem[ptr+2*uint64(i):])
		}
		if want := string(utf16.Decode(u)); want != s.Text || utf16Len(want) != n {
			t.Fatalf("utf16 %04x lifted as %q", u, s.Text)
		}
	default:
		if want := decodeLatin1(mem[ptr : ptr+units]); want != s.Text {
			t.Fatalf("latin1 lifted as %q", s.Text)
		}
	}
	// And it lowers into every encoding and back.
	for _, dst := range []StringEncoding{UTF8, UTF16, Latin1UTF16} {
		cx, _ := newCx(8*len(mem)+64, 64, dst, addr)
		flat, err := Lower(cx, StringType, s)
		if err != nil {
			t.Fatalf("lower %q to %v: %v", s.Text, dst, err)
		}
		back, err := Lift(cx, StringType, flat)
		if err != nil || back.(String).Text != s.Text {
			t.Fatalf("%q to %v and back: %v, %v", s.Text, dst, back, err)
		}
	}
}

// FuzzLiftString lifts strings from arbitrary memory in every encoding: it
// must trap or produce exactly what the standard library decodes.
func FuzzLiftString(f *testing.F) {
	f.Add([]byte("hello"), uint64(0), uint64(5), uint8(0))
	f.Add([]byte("h\x00\xe9\x00=\xd8\x00\xde"), uint64(0), uint64(4), uint8(1))
	f.Add([]byte("h\x00\xe9\x00=\xd8\x00\xde"), uint64(0), uint64(4|1<<31), uint8(2))
	f.Add([]byte("caf\xe9"), uint64(0), uint64(4), uint8(2))
	f.Add([]byte("\xed\xa0\x80"), uint64(0), uint64(3), uint8(0))
	f.Add([]byte("\x00\xd8a\x00"), uint64(0), uint64(2), uint8(1))
	f.Add([]byte("ab"), uint64(0), uint64(1<<63|1), uint8(6))
	f.Fuzz(fuzzLiftString)
}
