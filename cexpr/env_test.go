package cexpr_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"wdbg/cexpr"
	"wdbg/dwarf"
)

// This file is a fake cexpr.Env: a wasm32 C program stopped somewhere,
// with a small linear memory, global variables of hand-built DWARF types,
// data and code symbols, a function table, the value history and
// convenience variables. It mirrors session/expr.go (the real Env) and
// the C program in testdata/gdbtruth.c, whose globals it lays out as
// clang does for wasm32 (int and long 4 bytes, pointers 4 bytes).

// The base types, spelled as clang names them.
var (
	tInt      = &dwarf.Base{TypeName: "int", ByteSize: 4, Encoding: dwarf.EncSigned}
	tUInt     = &dwarf.Base{TypeName: "unsigned int", ByteSize: 4, Encoding: dwarf.EncUnsigned}
	tChar     = &dwarf.Base{TypeName: "char", ByteSize: 1, Encoding: dwarf.EncSignedChar}
	tSChar    = &dwarf.Base{TypeName: "signed char", ByteSize: 1, Encoding: dwarf.EncSignedChar}
	tUChar    = &dwarf.Base{TypeName: "unsigned char", ByteSize: 1, Encoding: dwarf.EncUnsignedChar}
	tShort    = &dwarf.Base{TypeName: "short", ByteSize: 2, Encoding: dwarf.EncSigned}
	tUShort   = &dwarf.Base{TypeName: "unsigned short", ByteSize: 2, Encoding: dwarf.EncUnsigned}
	tLong     = &dwarf.Base{TypeName: "long", ByteSize: 4, Encoding: dwarf.EncSigned}
	tLongLong = &dwarf.Base{TypeName: "long long", ByteSize: 8, Encoding: dwarf.EncSigned}
	tULL      = &dwarf.Base{TypeName: "unsigned long long", ByteSize: 8, Encoding: dwarf.EncUnsigned}
	tFloat    = &dwarf.Base{TypeName: "float", ByteSize: 4, Encoding: dwarf.EncFloat}
	tDouble   = &dwarf.Base{TypeName: "double", ByteSize: 8, Encoding: dwarf.EncFloat}
	tBool     = &dwarf.Base{TypeName: "_Bool", ByteSize: 1, Encoding: dwarf.EncBool}
	tVoid     = &dwarf.Void{}
)

func ptrTo(t dwarf.Type) *dwarf.Pointer { return &dwarf.Pointer{Elem: t, ByteSize: 4} }

func arrayOf(t dwarf.Type, dims ...int64) *dwarf.Array { return &dwarf.Array{Elem: t, Dims: dims} }

// The program's own types (see testdata/gdbtruth.c).
var (
	tColor = &dwarf.Enum{TypeName: "color", ByteSize: 4, Values: []dwarf.EnumValue{
		{Name: "RED", Value: 0}, {Name: "GREEN", Value: 1}, {Name: "BLUE", Value: 2}}}
	tFlags = &dwarf.Enum{TypeName: "flags", ByteSize: 4, Values: []dwarf.EnumValue{
		{Name: "FA", Value: 1}, {Name: "FB", Value: 2}, {Name: "FC", Value: 4}}}
	// tSigned is not a flag enum: it has a negative enumerator.
	tSigned = &dwarf.Enum{TypeName: "sgn", ByteSize: 4, Signed: true, Values: []dwarf.EnumValue{
		{Name: "MINUS", Value: -1}, {Name: "ZERO", Value: 0}, {Name: "PLUS", Value: 1}}}
	tInner = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "inner", ByteSize: 4, Fields: []dwarf.Field{
		{Name: "c", Type: tInt, Offset: 0}}}
	tPt = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "pt", ByteSize: 8, Fields: []dwarf.Field{
		{Name: "x", Type: tInt, Offset: 0}, {Name: "y", Type: tInt, Offset: 4}}}
	// struct rec { int a; struct inner b; int arr[4]; unsigned flag:1;
	// unsigned mode:3; int sbits:4; char name[8]; char *str; struct pt *p; }
	tRec = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "rec", ByteSize: 44, Fields: []dwarf.Field{
		{Name: "a", Type: tInt, Offset: 0},
		{Name: "b", Type: tInner, Offset: 4},
		{Name: "arr", Type: arrayOf(tInt, 4), Offset: 8},
		{Name: "flag", Type: tUInt, Offset: 24, BitOffset: 0, BitSize: 1},
		{Name: "mode", Type: tUInt, Offset: 24, BitOffset: 1, BitSize: 3},
		{Name: "sbits", Type: tInt, Offset: 24, BitOffset: 4, BitSize: 4},
		{Name: "name", Type: arrayOf(tChar, 8), Offset: 25},
		{Name: "str", Type: ptrTo(tChar), Offset: 36},
		{Name: "p", Type: ptrTo(tPt), Offset: 40},
	}}
	tUnion = &dwarf.Struct{Kind: dwarf.KindUnion, TypeName: "u", ByteSize: 4, Fields: []dwarf.Field{
		{Name: "i", Type: tInt}, {Name: "f", Type: tFloat}, {Name: "bytes", Type: arrayOf(tUChar, 4)}}}
	// struct anon { int k; union { int ui; float uf; }; struct { char ch; } sub;
	// enum { ONE = 1, TWO } e; }
	tAnonUnion = &dwarf.Struct{Kind: dwarf.KindUnion, ByteSize: 4, Fields: []dwarf.Field{
		{Name: "ui", Type: tInt}, {Name: "uf", Type: tFloat}}}
	tAnonStruct = &dwarf.Struct{Kind: dwarf.KindStruct, ByteSize: 1, Fields: []dwarf.Field{
		{Name: "ch", Type: tChar}}}
	tAnonEnum = &dwarf.Enum{ByteSize: 4, Values: []dwarf.EnumValue{{Name: "ONE", Value: 1}, {Name: "TWO", Value: 2}}}
	tAnon     = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "anon", ByteSize: 16, Fields: []dwarf.Field{
		{Name: "k", Type: tInt, Offset: 0},
		{Type: tAnonUnion, Offset: 4},
		{Name: "sub", Type: tAnonStruct, Offset: 8},
		{Name: "e", Type: tAnonEnum, Offset: 12},
	}}
	// struct list { int v; struct list *next; }
	tList = func() *dwarf.Struct {
		s := &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "list", ByteSize: 8}
		s.Fields = []dwarf.Field{{Name: "v", Type: tInt}, {Name: "next", Type: ptrTo(s), Offset: 4}}
		return s
	}()
	// struct flex { int n; int data[]; }: a flexible array member.
	tFlex = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "flex", ByteSize: 4, Fields: []dwarf.Field{
		{Name: "n", Type: tInt}, {Name: "data", Type: arrayOf(tInt, -1), Offset: 4}}}
	// struct __attribute__((packed)) wide { unsigned char a; unsigned w : 20;
	// int s : 11; unsigned long long big : 40; }: bitfields across bytes.
	tWide = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "wide", ByteSize: 10, Fields: []dwarf.Field{
		{Name: "a", Type: tUChar},
		{Name: "w", Type: tUInt, Offset: 1, BitOffset: 0, BitSize: 20},
		{Name: "s", Type: tInt, Offset: 3, BitOffset: 4, BitSize: 11},
		{Name: "big", Type: tULL, Offset: 4, BitOffset: 7, BitSize: 40},
	}}
	tLongDouble = &dwarf.Base{TypeName: "long double", ByteSize: 16, Encoding: dwarf.EncFloat}
	tCFlex      = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "cflex", ByteSize: 4, Fields: []dwarf.Field{
		{Name: "n", Type: tInt}, {Name: "s", Type: arrayOf(tChar, -1), Offset: 4}}}
	tInt128  = &dwarf.Base{TypeName: "__int128", ByteSize: 16, Encoding: dwarf.EncSigned}
	tUInt128 = &dwarf.Base{TypeName: "unsigned __int128", ByteSize: 16, Encoding: dwarf.EncUnsigned}
	tEmpty   = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "empty"}
	tOpaque  = &dwarf.Struct{Kind: dwarf.KindStruct, TypeName: "opaque", Declaration: true}
	tMyint   = &dwarf.Typedef{TypeName: "myint", Type: tInt}
	tPtT     = &dwarf.Typedef{TypeName: "pt_t", Type: tPt}
	tSqFunc  = &dwarf.FuncType{Return: tInt, Params: []dwarf.Type{tInt}, Prototyped: true}
	tAddFunc = &dwarf.FuncType{Return: tInt, Params: []dwarf.Type{tInt, tInt}, Prototyped: true}
	tBinop   = &dwarf.Typedef{TypeName: "binop", Type: ptrTo(tAddFunc)}
	tUint32  = &dwarf.Typedef{TypeName: "uint32", Type: tUInt}
	tSizeT   = &dwarf.Typedef{TypeName: "size_t", Type: &dwarf.Base{TypeName: "unsigned long", ByteSize: 4, Encoding: dwarf.EncUnsigned}}
	tCInt    = &dwarf.Qualified{Const: true, Type: tInt}
	tStrT    = &dwarf.Typedef{TypeName: "string_t", Type: ptrTo(tChar)}
)

// Code addresses (module file offsets) of the functions, and the function
// table: a function pointer is an index into it.
const (
	sqAddr   = 0x1a3
	addAddr  = 0x1c3
	mainAddr = 0x1e3
	codeEnd  = 0x260
	memSize  = 0x3000
	rodata   = 0x400 // "text"
)

type fakeVar struct {
	name string
	t    dwarf.Type
	addr uint64
}

// fakeGlobals are the program's globals: name, type, address. Their
// initial contents are written by newFakeEnv.
var fakeGlobals = []fakeVar{
	{"i", tInt, 0x1000},
	{"neg", tInt, 0x1004},
	{"ui", tUInt, 0x1008},
	{"uc", tUChar, 0x100c},
	{"c", tChar, 0x100d},
	{"sc", tSChar, 0x100e},
	{"sh", tShort, 0x1010},
	{"us", tUShort, 0x1012},
	{"lg", tLong, 0x1014},
	{"ll", tLongLong, 0x1018},
	{"ull", tULL, 0x1020},
	{"f", tFloat, 0x1028},
	{"fnan", tFloat, 0x102c},
	{"d", tDouble, 0x1030},
	{"dinf", tDouble, 0x1038},
	{"dnan", tDouble, 0x1040},
	{"b", tBool, 0x1048},
	{"b2", tBool, 0x1049},
	{"col", tColor, 0x104c},
	{"badcol", tColor, 0x1050},
	{"fl", tFlags, 0x1054},
	{"fl2", tFlags, 0x1058},
	{"fl0", tFlags, 0x105c},
	{"sg", tSigned, 0x1060},
	{"pt1", tPt, 0x1064},
	{"pts", arrayOf(tPt, 3), 0x106c},
	{"un", tUnion, 0x1084},
	{"r", tRec, 0x1088},
	{"rp", ptrTo(tRec), 0x10b4},
	{"ip", ptrTo(tInt), 0x10b8},
	{"ipp", ptrTo(ptrTo(tInt)), 0x10bc},
	{"grid", arrayOf(tInt, 2, 3), 0x10c0},
	{"zeros", arrayOf(tInt, 16), 0x10d8},
	{"name", arrayOf(tChar, 8), 0x1118},
	{"nul", arrayOf(tChar, 8), 0x1120},
	{"zbuf", arrayOf(tChar, 16), 0x1128},
	{"esc", arrayOf(tChar, 6), 0x1138},
	{"rep", arrayOf(tChar, 20), 0x1140},
	{"msg", ptrTo(tChar), 0x1154},
	{"nullstr", ptrTo(tChar), 0x1158},
	{"fp", ptrTo(tSqFunc), 0x115c},
	{"bop", tBinop, 0x1160},
	{"mi", tMyint, 0x1164},
	{"ptt", tPtT, 0x1168},
	{"ci", tCInt, 0x1170},
	{"parr", ptrTo(arrayOf(tInt, 3)), 0x1174},
	{"vp", ptrTo(tVoid), 0x1178},
	{"an", tAnon, 0x117c},
	{"u32", tUint32, 0x118c},
	{"nullpt", ptrTo(tPt), 0x1190},
	{"node", tList, 0x1194},
	{"node2", tList, 0x119c},
	{"sz", tSizeT, 0x11a4},
	{"cmsg", ptrTo(&dwarf.Qualified{Const: true, Type: tChar}), 0x11a8},
	{"umsg", ptrTo(tUChar), 0x11ac},
	{"smsg", tStrT, 0x11b0},
	{"e", tEmpty, 0x11b4},
	{"op", ptrTo(tOpaque), 0x11b8},
	{"big", arrayOf(tInt, 300), 0x1200},
	{"cbig", arrayOf(tChar, 300), 0x1700},
	{"rows", arrayOf(tInt, 30, 10), 0x1900},
	{"crep", arrayOf(tChar, 300), 0x1e00},
	{"irep", arrayOf(tInt, 300), 0x1f30},
	{"cfull", arrayOf(tChar, 4), 0x23e0},
	{"run10", arrayOf(tInt, 21), 0x23e4},
	{"ctl", arrayOf(tChar, 8), 0x2438},
	{"tail", ptrTo(tChar), 0x2440}, // "abc" at the end of memory, no NUL
	{"past", ptrTo(tChar), 0x2444}, // just past the end of memory
	{"buf", arrayOf(tInt, 4), 0x2448},
	{"fx", ptrTo(tFlex), 0x2458},
	{"ld", tLongDouble, 0x2460},
	{"wd", tWide, 0x2470},
	{"cbuf", arrayOf(tChar, 8), 0x247c},
	{"cf", ptrTo(tCFlex), 0x2484},
	{"big128", tInt128, 0x2490},
	{"ubig128", tUInt128, 0x24a0},
}

// fakeEnv implements cexpr.Env.
type fakeEnv struct {
	mem     []byte
	vars    map[string]cexpr.Value
	types   map[string]dwarf.Type
	objects []fakeVar // by address, for DataSymbol
	history []cexpr.Value
	conv    map[string]cexpr.Value
	wasm    map[dwarf.WasmLoc]uint64
	reads   int // ReadMemory calls
	read    int // bytes read
}

func le16(v uint64) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func le32(v uint64) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }
func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// newFakeEnv returns the program stopped in main, with its globals
// initialized as in testdata/gdbtruth.c (and a local in a wasm local, an
// optimized-out local and a local holding a constant).
func newFakeEnv() *fakeEnv {
	e := &fakeEnv{
		mem:   make([]byte, memSize),
		vars:  map[string]cexpr.Value{},
		conv:  map[string]cexpr.Value{},
		wasm:  map[dwarf.WasmLoc]uint64{},
		types: map[string]dwarf.Type{},
	}
	addr := map[string]uint64{}
	for _, g := range fakeGlobals {
		addr[g.name] = g.addr
		e.vars[g.name] = cexpr.Memory(g.t, g.addr)
		e.objects = append(e.objects, g)
	}
	sort.SliceStable(e.objects, func(i, j int) bool { return e.objects[i].addr < e.objects[j].addr })
	for k := 1; k < len(e.objects); k++ {
		a, b := e.objects[k-1], e.objects[k]
		if a.addr+uint64(max(a.t.Size(), 1)) > b.addr && a.t.Size() > 0 {
			panic(fmt.Sprintf("fake globals %s and %s overlap", a.name, b.name))
		}
	}
	put := func(name string, b []byte) { copy(e.mem[addr[name]:], b) }
	copy(e.mem[rodata:], "text\x00")
	put("i", le32(42))
	put("neg", le32(uint64(0xfffffffb)))
	put("ui", le32(4000000000))
	put("uc", []byte{200})
	put("c", []byte{'A'})
	put("sc", []byte{0xfd})
	put("sh", le16(0xfffe))
	put("us", le16(65535))
	put("lg", le32(uint64(0xffffff9c))) // -100
	put("ll", le64(1<<40))
	put("ull", le64(math.MaxUint64))
	put("f", le32(uint64(math.Float32bits(1.5))))
	put("fnan", le32(0x7fc00000))
	put("d", le64(math.Float64bits(0.1)))
	put("dinf", le64(math.Float64bits(math.Inf(1))))
	put("dnan", le64(0xfff8000000000000))
	put("b", []byte{1})
	put("b2", []byte{2})
	put("col", le32(1))
	put("badcol", le32(7))
	put("fl", le32(3))
	put("fl2", le32(9))
	put("fl0", le32(0))
	put("sg", le32(uint64(0xfffffffe))) // -2: no enumerator
	put("pt1", append(le32(1), le32(2)...))
	for k := range 6 {
		copy(e.mem[addr["pts"]+uint64(4*k):], le32(uint64(k+1)))
	}
	put("un", le32(0x3fc00000))
	// r = {1, {2}, {10, 20, 30, 40}, 1, 5, -3, "abc", msg, &pt1}
	rec := addr["r"]
	copy(e.mem[rec:], le32(1))
	copy(e.mem[rec+4:], le32(2))
	for k := range 4 {
		copy(e.mem[rec+8+uint64(4*k):], le32(uint64(10*(k+1))))
	}
	e.mem[rec+24] = 1 | 5<<1 | 0xd<<4 // flag=1, mode=5, sbits=-3
	copy(e.mem[rec+25:], "abc")
	copy(e.mem[rec+36:], le32(rodata))
	copy(e.mem[rec+40:], le32(addr["pt1"]))
	put("rp", le32(rec))
	put("ip", le32(addr["i"]))
	put("ipp", le32(addr["ip"]))
	for k := range 6 {
		copy(e.mem[addr["grid"]+uint64(4*k):], le32(uint64(k+1)))
	}
	put("name", []byte("abc"))
	put("nul", []byte("a\x00b"))
	put("esc", []byte("a\n\"\\\t"))
	put("rep", []byte("xaaaaaaaaaaaaaaaay"))
	put("msg", le32(rodata))
	put("fp", le32(1))
	put("bop", le32(2))
	put("mi", le32(7))
	put("ptt", append(le32(3), le32(4)...))
	put("ci", le32(9))
	put("parr", le32(addr["grid"]))
	put("vp", le32(addr["i"]))
	// an = {1, {2}, {'z'}, TWO}
	put("an", append(append(le32(1), le32(2)...), 'z', 0, 0, 0, 2, 0, 0, 0))
	put("u32", le32(5))
	// node = {1, &node2}, node2 = {2, &node}: a cycle.
	put("node", append(le32(1), le32(addr["node2"])...))
	put("node2", append(le32(2), le32(addr["node"])...))
	put("sz", le32(12))
	put("cmsg", le32(rodata))
	put("umsg", le32(rodata))
	put("smsg", le32(rodata))
	put("op", le32(0x1000))
	for k := range 300 {
		copy(e.mem[addr["big"]+uint64(4*k):], le32(uint64(k)))
	}
	for k := range 300 {
		e.mem[addr["cbig"]+uint64(k)] = 'a' + byte(k%26)
	}
	for k := range 300 {
		copy(e.mem[addr["rows"]+uint64(4*k):], le32(uint64(k)))
	}
	for k := range 300 {
		c, n := byte('x'), uint64(0)
		if k >= 50 {
			c, n = 'a'+byte(k%26), uint64(k)
		}
		e.mem[addr["crep"]+uint64(k)] = c
		copy(e.mem[addr["irep"]+uint64(4*k):], le32(n))
	}
	put("cfull", []byte("abcd"))
	for k := range 21 {
		copy(e.mem[addr["run10"]+uint64(4*k):], le32(uint64(7+min(k/10, 1))))
	}
	put("ctl", []byte{1, 27, 127, 128, 255, '\'', 'x', 0})
	for k, n := range []uint64{3, 10, 20, 30} {
		copy(e.mem[addr["buf"]+uint64(4*k):], le32(n))
	}
	put("fx", le32(addr["buf"]))
	ldBytes, _ := cexpr.RawBytes(cexpr.Float(tLongDouble, 1.5))
	put("ld", ldBytes)
	// wd = {1, 0xabcde, -1000, 0x123456789a}, packed from bit 0 up.
	var bits [10]byte
	setBits := func(at, n int, v uint64) {
		for k := range n {
			if v>>k&1 != 0 {
				bits[(at+k)/8] |= 1 << ((at + k) % 8)
			}
		}
	}
	setBits(0, 8, 1)
	setBits(8, 20, 0xabcde)
	setBits(28, 11, uint64(0x800-1000))
	setBits(39, 40, 0x123456789a)
	put("wd", bits[:])
	put("cbuf", []byte{3, 0, 0, 0, 'h', 'i', 0})
	put("cf", le32(addr["cbuf"]))
	put("big128", append(le64(0), le64(0xfffffff000000000)...)) // -(1 << 100)
	put("ubig128", append(le64(5), le64(1<<63)...))
	copy(e.mem[memSize-3:], "abc")
	put("tail", le32(memSize-3))
	put("past", le32(memSize))

	// Locals of main: one in a wasm local, one optimized out.
	loc := dwarf.WasmLoc{Space: dwarf.SpaceLocal, Index: 3}
	e.wasm[loc] = 17 // loc, read by Lookup
	e.vars["gone"] = cexpr.OptimizedOut(tInt)
	e.vars["nosave"] = cexpr.Unavailable(tInt, "not saved")
	// half is a struct whose second member was optimized out (DWARF pieces).
	e.vars["half"] = cexpr.Bytes(tPt, append(le32(5), 0, 0, 0, 0)).
		WithMissing([]bool{false, false, false, false, true, true, true, true}).
		Place(cexpr.Loc{Kind: cexpr.Composite})

	for _, t := range []dwarf.Type{tInt, tUInt, tChar, tUChar, tSChar, tShort, tLongLong, tULL, tFloat,
		tDouble, tBool, tColor, tFlags, tSigned, tInner, tPt, tRec, tUnion, tAnon, tList, tEmpty,
		tFlex, tWide, tCFlex, tMyint, tPtT, tBinop, tUint32, tSizeT, tStrT} {
		e.types[t.Name()] = t
	}
	// struct opaque is only declared: like the real Env, Type does not
	// know it ("No struct type named opaque."), but op points to one.
	return e
}

// Lookup implements cexpr.Env as frameEnv does: variables, then
// enumerators, then functions.
func (e *fakeEnv) Lookup(name string) (cexpr.Value, bool, error) {
	if name == "loc" {
		loc := dwarf.WasmLoc{Space: dwarf.SpaceLocal, Index: 3}
		return cexpr.Int(tInt, int64(int32(e.wasm[loc]))).Place(cexpr.Loc{Kind: cexpr.InWasm, Wasm: loc}), true, nil
	}
	if v, ok := e.vars[name]; ok {
		return v, true, nil
	}
	for _, en := range []*dwarf.Enum{tColor, tFlags, tSigned, tAnonEnum} {
		for _, v := range en.Values {
			if v.Name == name {
				return cexpr.Int(en, v.Value), true, nil
			}
		}
	}
	switch name {
	case "sq":
		return cexpr.Function(tSqFunc, "sq", sqAddr), true, nil
	case "add":
		return cexpr.Function(tAddFunc, "add", addAddr), true, nil
	case "main":
		return cexpr.Function(&dwarf.FuncType{Return: tInt, Prototyped: true}, "main", mainAddr), true, nil
	case "broken":
		return cexpr.Value{}, true, errors.New("cannot read broken: bad DWARF")
	}
	return cexpr.Value{}, false, nil
}

func (e *fakeEnv) Type(name string) (dwarf.Type, bool) {
	t, ok := e.types[name]
	return t, ok
}

func (e *fakeEnv) ReadMemory(addr uint64, p []byte) error {
	e.reads++
	e.read += len(p)
	if addr > uint64(len(e.mem)) || uint64(len(p)) > uint64(len(e.mem))-addr {
		return fmt.Errorf("address 0x%x is past the end of memory", addr)
	}
	copy(p, e.mem[addr:])
	return nil
}

func (e *fakeEnv) WriteMemory(addr uint64, p []byte) error {
	if addr > uint64(len(e.mem)) || uint64(len(p)) > uint64(len(e.mem))-addr {
		return fmt.Errorf("address 0x%x is past the end of memory", addr)
	}
	copy(e.mem[addr:], p)
	return nil
}

func (e *fakeEnv) WriteWasm(loc dwarf.WasmLoc, bits uint64) error {
	if loc.Space != dwarf.SpaceLocal {
		return fmt.Errorf("cannot write wasm %v", loc)
	}
	e.wasm[loc] = bits
	return nil
}

func (e *fakeEnv) DataSymbol(addr uint64) string {
	i := sort.Search(len(e.objects), func(i int) bool { return e.objects[i].addr > addr }) - 1
	if i < 0 {
		return ""
	}
	o := e.objects[i]
	if addr >= o.addr+uint64(max(o.t.Size(), 1)) {
		return ""
	}
	if addr == o.addr {
		return o.name
	}
	return fmt.Sprintf("%s+%d", o.name, addr-o.addr)
}

func (e *fakeEnv) CodeSymbol(addr uint64) string {
	funcs := []struct {
		name string
		lo   uint64
	}{{"sq", sqAddr}, {"add", addAddr}, {"main", mainAddr}}
	for k := len(funcs) - 1; k >= 0; k-- {
		f := funcs[k]
		if addr >= f.lo && addr < codeEnd {
			if addr == f.lo {
				return f.name
			}
			return fmt.Sprintf("%s+%d", f.name, addr-f.lo)
		}
	}
	return ""
}

func (e *fakeEnv) FuncPointer(v uint64) string {
	return map[uint64]string{1: "sq", 2: "add", 3: "main"}[v]
}

func (e *fakeEnv) Dollar(name string) (cexpr.Value, bool, error) {
	if v, ok := e.conv[name]; ok {
		return v, true, nil
	}
	switch name {
	case "pc":
		return cexpr.Code(cexpr.TypeCodePtr, mainAddr+20), true, nil
	case "sp":
		return cexpr.Int(cexpr.TypeVoidPtr, 0x2ff0), true, nil
	case "local3":
		loc := dwarf.WasmLoc{Space: dwarf.SpaceLocal, Index: 3}
		return cexpr.Int(cexpr.TypeI32, int64(int32(e.wasm[loc]))).Place(cexpr.Loc{Kind: cexpr.InWasm, Wasm: loc}), true, nil
	case "global0":
		return cexpr.Int(cexpr.TypeI32, 0x2ff0).Place(cexpr.Loc{Kind: cexpr.InWasm,
			Wasm: dwarf.WasmLoc{Space: dwarf.SpaceGlobal}}), true, nil
	}
	return cexpr.Value{}, false, nil
}

func (e *fakeEnv) SetDollar(name string, v cexpr.Value) error {
	if name == "pc" || name == "sp" {
		return fmt.Errorf("cannot set $%s", name)
	}
	e.conv[name] = v
	return nil
}

// History is frameEnv.History.
func (e *fakeEnv) History(n int) (cexpr.Value, error) {
	h := e.history
	if n <= 0 {
		if len(h) == 0 {
			if n == 0 {
				return cexpr.Value{}, errors.New("History is empty.")
			}
			return cexpr.Value{}, errors.New("History has not yet reached $$.")
		}
		i := len(h) - 1 + n
		if i < 0 {
			return cexpr.Value{}, fmt.Errorf("History has not yet reached $$%d.", -n)
		}
		return h[i], nil
	}
	if n > len(h) {
		return cexpr.Value{}, fmt.Errorf("History has not yet reached $%d.", n)
	}
	return h[n-1], nil
}

// run executes one gdb command over the env, as session.Print, Ptype and
// Whatis do, and returns what gdb would print: "$3 = 42" (the value is
// recorded in the history), "type = int", or the error message.
// Commands: "p[/F] EXPR", "output[/F] EXPR" (print without recording),
// "ptype EXPR", "whatis EXPR", "x EXPR" (the address of EXPR, as x
// takes it).
func (e *fakeEnv) run(cmd string) string {
	verb, arg, _ := strings.Cut(cmd, " ")
	verb, format, _ := strings.Cut(verb, "/")
	var f byte
	if format != "" {
		f = format[len(format)-1]
		if err := cexpr.ValidFormat(f); err != nil {
			return err.Error()
		}
	}
	switch verb {
	case "p", "print", "output":
		v, err := cexpr.Evaluate(e, arg)
		if err != nil {
			return err.Error()
		}
		text := cexpr.Format(e, v, cexpr.Options{Format: f, TopLevel: true})
		if verb == "output" {
			return text
		}
		// gdb records void values too: "$1 = void".
		e.history = append(e.history, cexpr.Snapshot(e, v))
		return fmt.Sprintf("$%d = %s", len(e.history), text)
	case "ptype", "whatis":
		x, err := cexpr.Parse(arg, cexpr.TypeNames(e))
		if err != nil {
			return err.Error()
		}
		t, err := x.EvalType(e)
		if err != nil {
			return err.Error()
		}
		switch {
		case verb == "ptype":
			return "type = " + cexpr.Ptype(t)
		case x.IsType():
			return "type = " + cexpr.WhatisTypedef(t)
		}
		return "type = " + cexpr.Whatis(t)
	case "set":
		// set var EXPR
		if _, err := cexpr.Evaluate(e, strings.TrimPrefix(arg, "var ")); err != nil {
			return err.Error()
		}
		return ""
	case "x":
		v, err := cexpr.Evaluate(e, arg)
		if err != nil {
			return err.Error()
		}
		a, err := cexpr.Address(e, v)
		if err != nil {
			return err.Error()
		}
		return fmt.Sprintf("0x%x", a)
	}
	return "unknown command " + verb
}
