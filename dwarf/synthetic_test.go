package dwarf

// Tests on hand-assembled DWARF, for encodings clang does not produce for
// wasm but other producers (or older clangs) do.

import (
	"bytes"
	"debug/dwarf"
	"encoding/binary"
	"reflect"
	"slices"
	"testing"
)

// dwarfAsm assembles DWARF 4 .debug_abbrev and .debug_info.
type dwarfAsm struct {
	abbrev, info bytes.Buffer
	next         uint64
}

type attrForm struct{ attr, form uint64 }

// abbr declares an abbreviation and returns its code.
func (a *dwarfAsm) abbr(tag uint64, children bool, attrs ...attrForm) uint64 {
	a.next++
	a.abbrev.Write(binary.AppendUvarint(nil, a.next))
	a.abbrev.Write(binary.AppendUvarint(nil, tag))
	if children {
		a.abbrev.WriteByte(1)
	} else {
		a.abbrev.WriteByte(0)
	}
	for _, f := range attrs {
		a.abbrev.Write(binary.AppendUvarint(nil, f.attr))
		a.abbrev.Write(binary.AppendUvarint(nil, f.form))
	}
	a.abbrev.Write([]byte{0, 0})
	return a.next
}

// die writes an entry: its abbreviation code, then raw attribute bytes.
func (a *dwarfAsm) die(code uint64, vals ...any) {
	a.info.Write(binary.AppendUvarint(nil, code))
	for _, v := range vals {
		switch v := v.(type) {
		case string:
			a.info.WriteString(v)
			a.info.WriteByte(0)
		case byte:
			a.info.WriteByte(v)
		case uint32:
			a.info.Write(u32(v))
		case []byte:
			a.info.Write(v)
		}
	}
}

func (a *dwarfAsm) end() { a.info.WriteByte(0) }

// off returns the offset the next entry will have (the unit header is 11
// bytes).
func (a *dwarfAsm) off() uint32 { return uint32(11 + a.info.Len()) }

func (a *dwarfAsm) sections() Sections {
	a.abbrev.WriteByte(0)
	var info []byte
	info = binary.LittleEndian.AppendUint32(info, uint32(7+a.info.Len()))
	info = binary.LittleEndian.AppendUint16(info, 4)
	info = binary.LittleEndian.AppendUint32(info, 0)
	info = append(info, 4)
	info = append(info, a.info.Bytes()...)
	return Sections{secInfo: info, secAbbrev: a.abbrev.Bytes()}
}

// DWARF constants used by the assembler.
const (
	tagArrayType     = 0x01
	tagCompileUnit   = 0x11
	tagMember        = 0x0d
	tagStructType    = 0x13
	tagLexicalBlock  = 0x0b
	tagSubprogram    = 0x2e
	tagVariable      = 0x34
	tagBaseType      = 0x24
	tagTypedef       = 0x16
	tagPointerType   = 0x0f
	atName           = 0x03
	atByteSize       = 0x0b
	atBitOffset      = 0x0c
	atBitSize        = 0x0d
	atLowPC          = 0x11
	atHighPC         = 0x12
	atLanguage       = 0x13
	atMemberLocation = 0x38
	atEncoding       = 0x3e
	atType           = 0x49
	atLocation       = 0x02
)

// TestOldStyleBitfields decodes DWARF 2/3 DW_AT_bit_offset (counted from
// the most significant bit of the storage unit) into little-endian
// positions.
func TestOldStyleBitfields(t *testing.T) {
	var a dwarfAsm
	cu := a.abbr(tagCompileUnit, true, attrForm{atName, formString}, attrForm{atLanguage, formData1})
	st := a.abbr(tagStructType, true, attrForm{atName, formString}, attrForm{atByteSize, formData1})
	mem := a.abbr(tagMember, false, attrForm{atName, formString}, attrForm{atType, formRef4},
		attrForm{atByteSize, formData1}, attrForm{atBitSize, formData1}, attrForm{atBitOffset, formData1},
		attrForm{atMemberLocation, formData1})
	base := a.abbr(tagBaseType, false, attrForm{atName, formString}, attrForm{atByteSize, formData1}, attrForm{atEncoding, formData1})

	a.die(cu, "old.c", byte(0x0c))
	structOff := a.off()
	a.die(st, "bits", byte(4))
	intOff := structOff + 7 + 3*11 + 1 // the struct entry, three members of 11 bytes, the NULL
	// struct bits { unsigned a:3; unsigned b:5; unsigned c:4; } as GCC's
	// DWARF 3 describes it: bit_offset = 32 - position - size.
	for _, m := range []struct {
		name           string
		size, bitOff   byte
		wantOff, wantB int
	}{{"a", 3, 29, 0, 0}, {"b", 5, 24, 0, 3}, {"c", 4, 20, 1, 0}} {
		a.die(mem, m.name, intOff, byte(4), m.size, m.bitOff, byte(0))
		_ = m.wantOff
	}
	a.end()
	if a.off() != intOff {
		t.Fatalf("layout: int at %#x, computed %#x", a.off(), intOff)
	}
	a.die(base, "unsigned int", byte(4), byte(0x07))
	a.end()
	d, err := Load(a.sections())
	if err != nil {
		t.Fatal(err)
	}
	ts := d.TypeByName("struct bits")
	if len(ts) != 1 {
		t.Fatalf("TypeByName = %v", ts)
	}
	var got [][3]int64
	for _, f := range ts[0].(*Struct).Fields {
		got = append(got, [3]int64{f.Offset, int64(f.BitOffset), int64(f.BitSize)})
	}
	want := [][3]int64{{0, 0, 3}, {0, 3, 5}, {1, 0, 4}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
}

// TestDeepNesting loads a function with 200000 nested blocks: no stack
// overflow, and the depth limit is reported.
func TestDeepNesting(t *testing.T) {
	var a dwarfAsm
	cu := a.abbr(tagCompileUnit, true, attrForm{atName, formString})
	sub := a.abbr(tagSubprogram, true, attrForm{atName, formString}, attrForm{atLowPC, formAddr}, attrForm{atHighPC, formData4})
	blk := a.abbr(tagLexicalBlock, true)
	a.die(cu, "deep.c")
	a.die(sub, "f", uint32(0x10), uint32(0x20))
	const n = 200000
	for range n {
		a.die(blk)
	}
	for range n {
		a.end()
	}
	a.end()
	a.end()
	d, err := Load(a.sections())
	if err != nil {
		t.Fatal(err)
	}
	f := d.FuncAt(0x18)
	if f == nil || f.Name != "f" {
		t.Fatalf("FuncAt = %v", f)
	}
	d.ScopeVars(0x18)
	d.InlineChain(0x18)
	if len(d.Errors()) == 0 {
		t.Error("depth limit not reported")
	}
}

// TestTypeCycles: corrupt types that refer to themselves without going
// through a struct must not hang Name or Size.
func TestTypeCycles(t *testing.T) {
	var a dwarfAsm
	cu := a.abbr(tagCompileUnit, true, attrForm{atName, formString})
	td := a.abbr(tagTypedef, false, attrForm{atName, formString}, attrForm{atType, formRef4})
	ptr := a.abbr(tagPointerType, false, attrForm{atType, formRef4})
	arr := a.abbr(tagArrayType, false, attrForm{atType, formRef4})
	a.die(cu, "cyc.c")
	self := a.off()
	a.die(td, "loop", self) // typedef loop loop;
	p := a.off()
	a.die(ptr, p)         // a pointer to itself
	a.die(arr, a.off()+5) // an array of the next entry ...
	a.die(ptr, a.off()-5) // ... which points back to the array
	a.end()
	d, err := Load(a.sections())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"loop", "loop *"} {
		for _, ty := range d.TypeByName(n) {
			ty.Name()
			ty.Size()
		}
	}
	d.mu.Lock()
	for _, off := range []uint32{p, p + 5, p + 10} {
		ty := d.typeAt(dwarfOffset(off))
		ty.Name()
		ty.Size()
	}
	d.mu.Unlock()
	if len(d.Errors()) == 0 {
		t.Error("cycles not reported")
	}
}

// lineProgram assembles a DWARF 4 line table with one file and the given
// program bytes.
func lineProgram(prog []byte) []byte {
	var h []byte
	h = append(h, 1, 1, 1, 0xfb, 14, 13) // min_inst, max_ops, default_is_stmt, line_base -5, line_range, opcode_base
	h = append(h, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1)
	h = append(h, "dir\x00\x00"...)
	h = append(h, "a.c\x00\x01\x00\x00\x00"...)
	var u []byte
	u = binary.LittleEndian.AppendUint16(u, 4)
	u = binary.LittleEndian.AppendUint32(u, uint32(len(h)))
	u = append(u, h...)
	u = append(u, prog...)
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(u))), u...)
}

func setAddr(a uint32) []byte { return append([]byte{0, 5, lneSetAddress}, u32(a)...) }

var endSeq = []byte{0, 1, lneEndSequence}

// TestTombstonedSequences drops sequences of functions the linker removed,
// whatever tombstone it used.
func TestTombstonedSequences(t *testing.T) {
	var prog []byte
	for _, start := range []uint32{0xffffffff, 0x40, 0xfffffffe, 0, 0x10} {
		prog = append(prog, setAddr(start)...)
		prog = append(prog, lnsCopy, lnsAdvancePC, 4, lnsAdvanceLine, 2, lnsCopy, lnsAdvancePC, 2)
		prog = append(prog, endSeq...)
	}
	d, err := Load(Sections{secLine: lineProgram(prog)})
	if err != nil {
		t.Fatal(err)
	}
	var got []CodeOffset
	for _, r := range d.LineRows() {
		got = append(got, r.Addr)
	}
	if want := []CodeOffset{0x10, 0x14, 0x16, 0x40, 0x44, 0x46}; !slices.Equal(got, want) {
		t.Errorf("rows at %#x, want %#x", got, want)
	}
	if r, ok := d.LineAt(0x15); !ok || r.Line != 3 || r.File.Path != "dir/a.c" || r.File.Name != "a.c" {
		t.Errorf("LineAt(0x15) = %+v, %v", r, ok)
	}
	if _, ok := d.LineAt(0x16); ok {
		t.Error("LineAt past the end of a sequence")
	}
	if _, ok := d.LineAt(0x30); ok {
		t.Error("LineAt between sequences")
	}
}

// fakeCU returns a compile unit for calling the list readers directly.
func fakeCU(version int, base uint64) *CU {
	return &CU{Version: version, AddrSize: 4, base: base, addrBase: 8, locBase: 12, hasLocBase: true}
}

// TestDebugLoc reads DWARF 4 location lists: base address selection,
// tombstones (-2 in .debug_loc) and the end of list.
func TestDebugLoc(t *testing.T) {
	e1, e2 := []byte{opLit1, opStackValue}, []byte{opLit0 + 2, opStackValue}
	var b []byte
	entry := func(lo, hi uint32, e []byte) {
		b = append(b, u32(lo)...)
		b = append(b, u32(hi)...)
		if e != nil {
			b = append(b, u16(uint16(len(e)))...)
			b = append(b, e...)
		}
	}
	entry(0x10, 0x20, e1)              // relative to the unit's base 0x100
	entry(0xffffffff, 0x1000, nil)     // base address selection
	entry(0x4, 0x8, e2)                // 0x1004..0x1008
	entry(0xfffffffe, 0xfffffffe, e1)  // a dropped function
	entry(0xffffffff, 0xfffffffe, nil) // base = tombstone ...
	entry(0x4, 0x8, e2)                // ... so this is dropped too
	entry(0, 0, nil)
	d := &Data{secs: Sections{secLoc: b}}
	loc, err := d.debugLoc(fakeCU(4, 0x100), 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []LocRange{{0x110, 0x120, e1}, {0x1004, 0x1008, e2}}
	if !loc.Valid || !reflect.DeepEqual(loc.List, want) {
		t.Errorf("list = %+v, want %+v", loc.List, want)
	}
	if _, err := d.debugLoc(fakeCU(4, 0), uint64(len(b)-3)); err == nil {
		t.Error("truncated list: no error")
	}
}

// TestLoclists reads every DWARF 5 location list entry kind, with
// addresses through .debug_addr.
func TestLoclists(t *testing.T) {
	e1, e2, e3 := []byte{opLit1, opStackValue}, []byte{opLit0 + 2, opStackValue}, []byte{opLit0 + 3, opStackValue}
	// .debug_addr: an 8-byte header, then 0x100, 0x200, a tombstone.
	addr := append(make([]byte, 8), u32(0x100)...)
	addr = append(addr, u32(0x200)...)
	addr = append(addr, u32(0xffffffff)...)
	// .debug_loclists: a 12-byte header, one offset (to the list), the list.
	var l []byte
	ex := func(e []byte) { l = append(l, byte(len(e))); l = append(l, e...) }
	l = append(l, make([]byte, 8)...) // length, version, address and segment size (unused)
	l = append(l, u32(1)...)          // offset_entry_count
	l = append(l, u32(4)...)          // offset of the list, from the base (12)
	l = append(l, lleBaseAddressx, 0)
	l = append(l, lleOffsetPair, 0x10, 0x20)
	ex(e1) // 0x110..0x120
	l = append(l, lleStartxLength, 1, 0x8)
	ex(e2) // 0x200..0x208
	l = append(l, lleStartxEndx, 0, 1)
	ex(e3) // 0x100..0x200
	l = append(l, lleBaseAddress)
	l = append(l, u32(0x1000)...)
	l = append(l, lleOffsetPair, 0x0, 0x4)
	ex(e1) // 0x1000..0x1004
	l = append(l, lleStartEnd)
	l = append(l, u32(0x2000)...)
	l = append(l, u32(0x2010)...)
	ex(e2)
	l = append(l, lleStartLength)
	l = append(l, u32(0x3000)...)
	l = append(l, 0x10)
	ex(e3)
	l = append(l, lleBaseAddressx, 2) // a dropped function's base ...
	l = append(l, lleOffsetPair, 0x0, 0x4)
	ex(e1) // ... drops its entries
	l = append(l, lleStartxLength, 2, 0x4)
	ex(e1) // dropped
	l = append(l, lleDefaultLocation)
	ex(e3)
	l = append(l, lleEndOfList)

	d := &Data{secs: Sections{secLoclists: l, secAddr: addr}}
	cu := fakeCU(5, 0)
	off, err := d.loclistx(cu, 0)
	if err != nil || off != 16 {
		t.Fatalf("loclistx(0) = %d, %v", off, err)
	}
	loc, err := d.loclist(cu, off)
	if err != nil {
		t.Fatal(err)
	}
	want := []LocRange{{0x100, 0x200, e3}, {0x110, 0x120, e1}, {0x200, 0x208, e2}, {0x1000, 0x1004, e1}, {0x2000, 0x2010, e2}, {0x3000, 0x3010, e3}}
	if !reflect.DeepEqual(loc.List, want) {
		t.Errorf("list =\n %+v\nwant\n %+v", loc.List, want)
	}
	if !bytes.Equal(loc.Default, e3) {
		t.Errorf("default = %v", loc.Default)
	}
	if got, _ := loc.At(0x5000); !bytes.Equal(got, e3) {
		t.Errorf("At outside the list = %v, want the default", got)
	}
	if _, err := d.loclistx(cu, 1); err == nil {
		t.Error("loclistx out of range: no error")
	}
	if _, err := d.loclist(cu, uint64(len(l)-2)); err == nil {
		t.Error("truncated list: no error")
	}
}

// TestRnglists reads DWARF 5 range lists and DWARF 4 .debug_ranges.
func TestRnglists(t *testing.T) {
	addr := append(make([]byte, 8), u32(0x100)...)
	addr = append(addr, u32(0xffffffff)...)
	var l []byte
	l = append(l, rleBaseAddressx, 0, rleOffsetPair, 0x0, 0x10)
	l = append(l, rleStartxLength, 0, 0x4)
	l = append(l, rleStartxEndx, 1, 1) // tombstone
	l = append(l, rleStartLength)
	l = append(l, u32(0x400)...)
	l = append(l, 0x8, rleEndOfList)
	d := &Data{secs: Sections{secRnglists: l, secAddr: addr}}
	rs, err := d.rnglist(fakeCU(5, 0), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]CodeOffset{{0x100, 0x110}, {0x100, 0x104}, {0x400, 0x408}}; !reflect.DeepEqual(rs, want) {
		t.Errorf("rnglist = %#x, want %#x", rs, want)
	}

	var r []byte
	for _, v := range []uint32{0x10, 0x20, 0xffffffff, 0x1000, 0x4, 0x8, 0xfffffffe, 0xfffffffe, 0, 0} {
		r = append(r, u32(v)...)
	}
	d = &Data{secs: Sections{secRanges: r}}
	rs, err = d.debugRanges(fakeCU(4, 0x100), 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][2]CodeOffset{{0x110, 0x120}, {0x1004, 0x1008}}; !reflect.DeepEqual(rs, want) {
		t.Errorf("debug_ranges = %#x, want %#x", rs, want)
	}
}

func dwarfOffset(o uint32) dwarf.Offset { return dwarf.Offset(o) }
