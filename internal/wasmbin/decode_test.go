package wasmbin

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// Raw-byte builders for hand-made (often broken) modules.

func rawModule(sections ...[]byte) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		b = append(b, s...)
	}
	return b
}

func rawSection(id SectionID, payload ...byte) []byte {
	b := []byte{byte(id)}
	b = appendU32(b, uint32(len(payload)))
	return append(b, payload...)
}

// rawFunc is a module with one function of type () -> () whose body
// entry (locals + instructions) is body.
func rawFunc(body ...byte) []byte {
	code := appendU32([]byte{1}, uint32(len(body)))
	code = append(code, body...)
	return rawModule(
		rawSection(SectionType, 1, 0x60, 0, 0),
		rawSection(SectionFunction, 1, 0),
		rawSection(SectionCode, code...),
	)
}

// checkModule is the full set of checks every real module must pass:
// decode, decode and type every body, re-encode every body and the whole
// module, and have wabt validate the re-encoding.
func checkModule(t *testing.T, path string, b []byte, validate bool) {
	m := mustDecode(t, b)
	requireEqual(t, 0, len(m.Warnings), "warnings: %v", m.Warnings)

	for i := range m.Code {
		c := &m.Code[i]
		// Offsets: the body is where Code says it is in the file.
		requireTrue(t, bytes.Equal(b[m.FileOffset(c.BodyStart):m.FileOffset(c.End)], c.Body), "function %d: Body is not the file bytes at BodyStart", i)
		requireTrue(t, c.Start <= c.BodyStart && c.BodyStart < c.End, "function %d: offsets out of order", i)

		instrs, err := m.DecodeFunc(i)
		requireNoError(t, err)
		for _, in := range instrs {
			f := m.FileOffset(in.Off)
			first := byte(in.Op)
			if in.Op.Prefix() != 0 {
				first = in.Op.Prefix()
			}
			if b[f] != first {
				t.Fatalf("function %d: %s at code offset %#x, but file byte %#x is 0x%02x", i, in.Op, in.Off, f, b[f])
			}
			back, ok := m.CodeOffsetOf(f)
			requireTrue(t, ok && back == in.Off, "CodeOffsetOf(FileOffset(%#x))", in.Off)
		}
		typeFunction(t, m, i, instrs)

		// (3) the body survives EncodeCode and decoding again.
		locals, again, err := decodeCodeEntry(EncodeCode(c.Locals, instrs))
		requireNoError(t, err, "function %d re-encoded", i)
		requireEqual(t, c.Locals, locals, "function %d locals", i)
		requireEqual(t, withoutOffsets(instrs), withoutOffsets(again), "function %d instructions", i)
	}

	// (1) the module survives Encode and Decode, and Encode is stable.
	enc := m.Encode()
	m2 := mustDecode(t, enc)
	requireSameModule(t, m, m2)
	requireTrue(t, bytes.Equal(enc, m2.Encode()), "Encode is not idempotent")
	// (2) wabt accepts the re-encoding.
	if validate {
		wasmValidate(t, enc, path)
	}
}

func TestDecodeFixtures(t *testing.T) {
	for _, path := range fixturePaths(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			b := readFile(t, path)
			checkModule(t, path, b, true)
			m := mustDecode(t, b)
			requireTrue(t, m.Names != nil && len(m.Names.Funcs) > 0, "name section decoded")
			requireTrue(t, len(m.Customs) > 0 && strings.HasPrefix(m.Customs[0].Name, ".debug_"), "DWARF sections kept")
			for _, c := range m.Customs {
				requireTrue(t, c.After == SectionData, "custom %q placed after %s", c.Name, c.After)
				requireTrue(t, bytes.Equal(b[c.Offset:int(c.Offset)+len(c.Data)], c.Data), "custom %q offset", c.Name)
			}
		})
	}
}

func TestDecodeTestdata(t *testing.T) {
	for _, path := range testdataModules(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			// wabt 1.0.32 knows neither try_table/exnref nor table64,
			// which is why those modules are built in Go (builder_test.go).
			validate := !strings.HasPrefix(filepath.Base(path), "built_")
			checkModule(t, path, readFile(t, path), validate)
		})
	}
}

// TestDecodeLayout pins offsets against what wasm-objdump -h reports for
// the same file, so the two address spaces are anchored to an outside
// reference and not only to this package's own arithmetic.
func TestDecodeLayout(t *testing.T) {
	m := mustDecode(t, readFile(t, "../../fixtures/testdata/c/wasi/wasi.O2.wasm"))
	// wasm-objdump -h: Code start=0x00000327 end=0x00007a91 (size=0x0000776a) count: 96
	requireEqual(t, FileOffset(0x327), m.CodeStart)
	var code Section
	for _, s := range m.Sections {
		if s.ID == SectionCode {
			code = s
		}
	}
	requireEqual(t, Section{ID: SectionCode, Start: 0x323, PayloadStart: 0x327, Size: 0x776a}, code)
	requireEqual(t, 96, len(m.Code))
	requireEqual(t, 14, len(m.Imports))
	requireEqual(t, 19, len(m.Sections))
	requireEqual(t, "type", m.Sections[0].ID.String())
	requireEqual(t, "name", m.Sections[16].Name)
	requireEqual(t, 6, m.Names.CustomsBefore, "six .debug_* sections between data and name")
	// The first body starts right after the function count (1 byte) and
	// its own size LEB.
	requireEqual(t, CodeOffset(1+ulebLen(uint64(m.Code[0].End-m.Code[0].Start))), m.Code[0].Start)
	_, ok := m.CodeOffsetOf(0x326)
	requireTrue(t, !ok, "offset before the code payload")
	_, ok = m.CodeOffsetOf(0x7a91)
	requireTrue(t, !ok, "offset after the code payload")
	c, ok := m.CodeOffsetOf(0x327)
	requireTrue(t, ok && c == 0)

	requireEqual(t, "__wasm_call_ctors", m.FuncName(uint32(m.NumImportedFuncs())))
	requireEqual(t, "__stack_pointer", m.GlobalName(0))
}

func TestModuleAccessors(t *testing.T) {
	m := mustDecode(t, readFile(t, "testdata/control.wasm"))
	requireEqual(t, 1, m.NumImportedFuncs())
	requireEqual(t, 1, m.NumImportedGlobals())
	requireEqual(t, 0, m.NumImportedTables())
	requireEqual(t, 0, m.NumImportedMems())
	requireEqual(t, 0, m.NumImportedTags())
	ft, ok := m.FuncType(0)
	requireTrue(t, ok)
	requireEqual(t, "(i32) -> ()", ft.String())
	ft, ok = m.FuncType(3)
	requireTrue(t, ok)
	requireEqual(t, "(i32, i32) -> (i32, i32)", ft.String())
	_, ok = m.FuncType(100)
	requireTrue(t, !ok)
	requireEqual(t, "log", m.FuncName(0))
	requireEqual(t, "id", m.FuncName(2))
	requireEqual(t, "", m.FuncName(100))
	gt, ok := m.GlobalType(1)
	requireTrue(t, ok)
	requireEqual(t, GlobalType{Type: I32, Mutable: true}, gt)
	_, ok = m.GlobalType(9)
	requireTrue(t, !ok)
	requireEqual(t, "sp", m.GlobalName(1))
	// $blocks: (param $x i32) (local $y i64) (local $f f32) (local $d f64) (local $v v128)
	requireEqual(t, []ValType{I32, I64, F32, F64, V128}, m.LocalTypes(3))
	requireEqual(t, "x", m.LocalName(4, 0))
	requireEqual(t, "v", m.LocalName(4, 4))
	requireTrue(t, m.LocalTypes(99) == nil)
	requireEqual(t, uint32(1), *m.Start)
	requireEqual(t, "control", m.Names.Module)
	// Extended constant expressions survive in Global.Init.
	requireEqual(t, []Op{OpI64Const, OpI64Const, OpI64Const, OpI64Mul, OpI64Add}, opsOf(m.Globals[1].Init.Instrs))
	requireEqual(t, []Op{OpGlobalGet, OpI32Const, OpI32Sub}, opsOf(m.Globals[2].Init.Instrs))

	m = mustDecode(t, readFile(t, "testdata/memory.wasm"))
	requireEqual(t, 1, m.NumImportedMems())
	requireEqual(t, []MemType{
		{Limits{Min: 1, Max: 100, HasMax: true, Is64: true}},
		{Limits{Min: 2, Max: 4, HasMax: true, Shared: true}},
		{Limits{Min: 0, Is64: true}},
	}, m.Mems)
	mt, ok := m.MemType(0)
	requireTrue(t, ok && mt.Limits.Min == 1 && !mt.Limits.Is64)
	mt, ok = m.MemType(2)
	requireTrue(t, ok && mt.Limits.Shared)
	_, ok = m.MemType(4)
	requireTrue(t, !ok)
	requireEqual(t, []Data{
		{Mode: ModeActive, Mem: 0, Offset: ConstExpr{[]Instr{{Op: OpI32Const}}}, Init: []byte("hello")},
		{Mode: ModePassive, Init: []byte("passive")},
		{Mode: ModeActive, Mem: 1, Offset: ConstExpr{[]Instr{{Op: OpI64Const, Const: 16}}}, Init: []byte("sixty-four")},
	}, m.Datas)
	requireEqual(t, uint32(3), *m.DataCount)

	m = mustDecode(t, readFile(t, "testdata/refs.wasm"))
	requireEqual(t, 1, m.NumImportedTables())
	tt, ok := m.TableType(0)
	requireTrue(t, ok)
	requireEqual(t, TableType{Elem: ExternRef, Limits: Limits{Min: 1}}, tt)
	tt, ok = m.TableType(1)
	requireTrue(t, ok)
	requireEqual(t, TableType{Elem: FuncRef, Limits: Limits{Min: 2, Max: 10, HasMax: true}}, tt)
	_, ok = m.TableType(3)
	requireTrue(t, !ok)
	requireEqual(t, 6, len(m.Elems))
	requireEqual(t, Elem{Mode: ModeActive, Table: 1, Offset: ConstExpr{[]Instr{{Op: OpI32Const}}}, Type: FuncRef, Funcs: []uint32{0}}, m.Elems[0])
	requireEqual(t, Elem{Mode: ModeActive, Table: 2, Offset: ConstExpr{[]Instr{{Op: OpI32Const}}}, Type: ExternRef,
		Exprs: []ConstExpr{{[]Instr{{Op: OpRefNull, Index: uint32(ExternRef)}}}}}, m.Elems[2])
	requireEqual(t, ModePassive, m.Elems[3].Mode)
	requireEqual(t, 2, len(m.Elems[3].Exprs))
	requireEqual(t, Elem{Mode: ModePassive, Type: FuncRef, Funcs: []uint32{1}}, m.Elems[4])
	requireEqual(t, Elem{Mode: ModeDeclarative, Type: FuncRef, Funcs: []uint32{1}}, m.Elems[5])

	m = mustDecode(t, readFile(t, "testdata/eh_legacy.wasm"))
	requireEqual(t, 1, m.NumImportedTags())
	requireEqual(t, 2, len(m.Tags))
	tag, ok := m.TagType(1)
	requireTrue(t, ok)
	requireEqual(t, "(i32) -> ()", tag.String())
	tag, ok = m.TagType(0)
	requireTrue(t, ok)
	requireEqual(t, "(i64) -> ()", tag.String())
	_, ok = m.TagType(3)
	requireTrue(t, !ok)
	requireEqual(t, []Export{{Name: "e0", Kind: TagKind, Index: 1}}, m.Exports)
}

func opsOf(instrs []Instr) []Op {
	var ops []Op
	for _, in := range instrs {
		ops = append(ops, in.Op)
	}
	return ops
}

func TestIsComponent(t *testing.T) {
	component := []byte("\x00asm\x0d\x00\x01\x00")
	requireTrue(t, IsComponent(component))
	requireTrue(t, !IsComponent(rawModule()))
	requireTrue(t, !IsComponent([]byte("\x00asm")))
	_, err := Decode(append(component, 0, 0))
	requireTrue(t, err == ErrComponent, "want ErrComponent itself, got %v", err)
	requireEqualError(t, err, "this is a WebAssembly component, not a core module")
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		input  []byte
		want   string
		target error
	}{
		{"empty", nil, "bad magic number at offset 0", ErrNotWasm},
		{"bad magic", []byte("\x00ELF\x01\x00\x00\x00"), "bad magic number at offset 0", ErrNotWasm},
		{"short header", []byte("\x00asm\x01"), "unexpected end of data at offset 0x4", ErrTruncated},
		{"version 2", []byte("\x00asm\x02\x00\x00\x00"), "unsupported binary version 0x2 (want 1) at offset 0x4", ErrUnsupportedVersion},
		{"section past end", rawModule([]byte{1, 10, 1, 0x60}),
			"type section at offset 0x8: section size 10 runs past the end of the module (2 bytes left): unexpected end of data", ErrTruncated},
		{"unknown section", rawModule(rawSection(14, 0)), "unknown section id 14 at offset 0x8", nil},
		{"truncated section size", rawModule([]byte{2, 0x80}), "import section at offset 0x9: unexpected end of data", ErrTruncated},
		{"import truncated", rawModule(rawSection(SectionImport, 1, 1, 'a', 1)),
			"import section at offset 0xa: vector length 1 exceeds the 3 bytes left: unexpected end of data", ErrTruncated},
		{"huge vector", rawModule(rawSection(SectionFunction, 0xff, 0xff, 0xff, 0xff, 0x0f)),
			"function section at offset 0xa: vector length 4294967295 exceeds the 0 bytes left: unexpected end of data", ErrTruncated},
		{"LEB too long", rawModule(rawSection(SectionStart, 0x80, 0x80, 0x80, 0x80, 0x80, 0)),
			"start section at offset 0xa: integer representation too long", nil},
		{"LEB too large", rawModule(rawSection(SectionStart, 0xff, 0xff, 0xff, 0xff, 0x1f)),
			"start section at offset 0xa: integer too large", nil},
		{"size mismatch", rawModule(rawSection(SectionStart, 0, 0)), "start section at offset 0xb: section size mismatch: 1 bytes left over", nil},
		{"duplicate section", rawModule(rawSection(SectionType, 0), rawSection(SectionType, 0)),
			"type section at offset 0xb: duplicate section (after the type section)", nil},
		{"out of order", rawModule(rawSection(SectionImport, 0), rawSection(SectionType, 0)),
			"type section at offset 0xb: out of order section (after the import section)", nil},
		{"tag before global is in order, global before tag is not", rawModule(rawSection(SectionGlobal, 0), rawSection(SectionTag, 0)),
			"tag section at offset 0xb: out of order section (after the global section)", nil},
		{"GC struct type", rawModule(rawSection(SectionType, 1, 0x5f, 0)),
			"type section at offset 0xb: type form 0x5f (struct): GC proposal types are not supported", ErrUnsupported},
		{"GC rec group", rawModule(rawSection(SectionType, 1, 0x4e, 0)),
			"type section at offset 0xb: type form 0x4e (rec): GC proposal types are not supported", ErrUnsupported},
		{"typed ref param", rawModule(rawSection(SectionType, 1, 0x60, 1, 0x64, 0x00, 0)),
			"type section at offset 0xd: typed reference type 0x64 (function references/GC proposal) is not supported", ErrUnsupported},
		{"bad valtype", rawModule(rawSection(SectionType, 1, 0x60, 1, 0x42, 0)), "type section at offset 0xd: invalid value type 0x42", nil},
		{"bad import kind", rawModule(rawSection(SectionImport, 1, 1, 'a', 1, 'b', 7, 0)), "import section at offset 0xf: invalid import kind 0x07", nil},
		{"bad utf8 name", rawModule(rawSection(SectionExport, 1, 1, 0xff, 0, 0)), "export section at offset 0xb: name is not valid UTF-8", nil},
		{"bad limits", rawModule(rawSection(SectionMemory, 1, 8, 0)), "memory section at offset 0xb: invalid limits flags 0x08", nil},
		{"shared table", rawModule(rawSection(SectionTable, 1, 0x70, 3, 0, 0)), "table section at offset 0xc: invalid limits flags 0x03", nil},
		{"table initializer", rawModule(rawSection(SectionTable, 1, 0x40, 0, 0x70, 0, 0, 0x0b)),
			"table section at offset 0xb: table with initializer expression is not supported", ErrUnsupported},
		{"non-constant init", rawModule(rawSection(SectionGlobal, 1, 0x7f, 0, 0x20, 0, 0x0b)),
			"global section at offset 0xd: local.get is not allowed in a constant expression", nil},
		{"bad elem flags", rawModule(rawSection(SectionElement, 1, 8)), "element section at offset 0xb: invalid element segment flags 8", nil},
		{"bad data flags", rawModule(rawSection(SectionData, 1, 3)), "data section at offset 0xb: invalid data segment flags 3", nil},
		{"func without code", rawModule(rawSection(SectionType, 1, 0x60, 0, 0), rawSection(SectionFunction, 1, 0)),
			"function section at offset 0xe: function section declares 1 functions but code section has 0 bodies", nil},
		{"data count mismatch", rawModule(rawSection(SectionDataCount, 2)), "data count section at offset 0x8: data count 2 does not match the 0 data segments", nil},
		{"body size past section", rawModule(rawSection(SectionType, 1, 0x60, 0, 0), rawSection(SectionFunction, 1, 0), rawSection(SectionCode, 1, 9, 0, 0x0b)),
			"code section at offset 0x15: function body size 9 runs past the end of the section (2 bytes left): unexpected end of data", ErrTruncated},
		{"body without end", rawFunc(0, 0x01), "code section at offset 0x15: function body does not finish with end", nil},
		{"too many locals", rawFunc(1, 0xff, 0xff, 0x03, 0x7f, 0x0b), "code section at offset 0x17: too many locals (more than 50000)", nil},
		{"custom name truncated", rawModule(rawSection(SectionCustom, 5, 'a')),
			"custom section at offset 0xa: name length 5 exceeds the 1 bytes left: unexpected end of data", ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Decode(tc.input)
			requireTrue(t, m == nil, "module returned with an error")
			requireEqualError(t, err, tc.want)
			if tc.target != nil {
				requireErrorIs(t, err, tc.target)
			}
			var de *DecodeError
			requireTrue(t, errors.As(err, &de), "error is a *DecodeError")
		})
	}
}

func TestDecodeFuncErrors(t *testing.T) {
	tests := []struct {
		name   string
		body   []byte // locals + instructions
		want   string
		target error
	}{
		{"unknown SIMD opcode", []byte{0, 0xfd, 0xff, 0x03, 0x0b},
			"code section: function 0 at offset 0x17: unknown opcode 0xfd 0x1ff", ErrUnknownOpcode},
		{"unknown single-byte opcode", []byte{0, 0x27, 0x0b}, "code section: function 0 at offset 0x17: unknown opcode 0x27", ErrUnknownOpcode},
		{"unknown 0xFC opcode", []byte{0, 0xfc, 18, 0x0b}, "code section: function 0 at offset 0x17: unknown opcode 0xfc 0x12", ErrUnknownOpcode},
		{"huge subopcode", []byte{0, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b}, "code section: function 0 at offset 0x17: unknown opcode 0xfe 0xffffffff", ErrUnknownOpcode},
		{"overlong immediate", []byte{0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x0b}, "code section: function 0 at offset 0x17: i32.const: integer representation too long", nil},
		{"truncated immediate", []byte{0, 0x44, 0, 0, 0x0b}, "code section: function 0 at offset 0x17: f64.const: unexpected end of data", ErrTruncated},
		{"i32.const too large", []byte{0, 0x41, 0xff, 0xff, 0xff, 0xff, 0x4f, 0x0b}, "code section: function 0 at offset 0x17: i32.const: integer too large", nil},
		{"missing end", []byte{0, 0x02, 0x40, 0x0b}, "code section: function 0 at offset 0x1a: function body has no final end: unexpected end of data", ErrTruncated},
		{"bytes after end", []byte{0, 0x0b, 0x01, 0x0b}, "code section: function 0 at offset 0x18: 2 bytes after the function's final end", nil},
		{"bad memarg flags", []byte{0, 0x41, 0, 0x28, 0x80, 0x01, 0, 0x1a, 0x0b}, "code section: function 0 at offset 0x19: i32.load: malformed memop flags 0x80", nil},
		{"bad block type", []byte{0, 0x02, 0x42, 0x0b, 0x0b}, "code section: function 0 at offset 0x17: block: invalid value type 0x42", nil},
		{"typed ref heap type", []byte{0, 0xd0, 0x00, 0x1a, 0x0b},
			"code section: function 0 at offset 0x17: ref.null: concrete heap type 0 (function references/GC proposal) is not supported", ErrUnsupported},
		{"fence reserved byte", []byte{0, 0xfe, 0x03, 0x01, 0x0b}, "code section: function 0 at offset 0x17: atomic.fence: reserved byte must be 0, got 0x01", nil},
		{"bad catch kind", []byte{0, 0x1f, 0x40, 1, 4, 0, 0x0b, 0x0b}, "code section: function 0 at offset 0x17: try_table: invalid catch kind 0x04", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustDecode(t, rawFunc(tc.body...))
			_, err := m.DecodeFunc(0)
			requireEqualError(t, err, tc.want)
			if tc.target != nil {
				requireErrorIs(t, err, tc.target)
			}
			var ce *CodeError
			requireTrue(t, errors.As(err, &ce) && ce.Func == 0)
			requireEqual(t, m.CodeStart+FileOffset(ce.Off), ce.File)
		})
	}
	// DecodeBody on its own knows no function and reports code offsets.
	_, err := DecodeBody([]byte{0xfd, 0xff, 0x03, 0x0b}, 0x40)
	requireEqualError(t, err, "instruction at code offset 0x40: unknown opcode 0xfd 0x1ff")
	_, err = (&Module{}).DecodeFunc(0)
	requireEqualError(t, err, "no defined function 0 (module has 0)")
}

// TestDecodeTruncated cuts a real module at every byte. Each prefix must
// either fail with an error that says where, or be a valid module because
// the cut fell between sections.
func TestDecodeTruncated(t *testing.T) {
	b := readFile(t, "../../fixtures/testdata/c/loop/loop.O2.wasm")
	full := mustDecode(t, b)
	boundary := map[int]bool{8: true} // just the preamble: an empty module
	for _, s := range full.Sections {
		boundary[int(s.PayloadStart)+int(s.Size)] = true
	}
	for n := range len(b) {
		m, err := Decode(b[:n])
		if err == nil {
			if !boundary[n] {
				t.Fatalf("prefix of %d bytes decoded, but it does not end at a section boundary", n)
			}
			requireTrue(t, m != nil)
			continue
		}
		if !strings.Contains(err.Error(), "offset") {
			t.Fatalf("prefix of %d bytes: error does not say where: %v", n, err)
		}
	}
}

// TestNameSection covers the name section: decoded, round-tripped, and
// kept raw with a warning when malformed.
func TestNameSection(t *testing.T) {
	names := &Names{
		Module:  "mod",
		Funcs:   map[uint32]string{0: "f", 3: "g"},
		Locals:  map[uint32]map[uint32]string{0: {0: "x", 1: "y"}, 3: {}},
		Globals: map[uint32]string{1: "sp"},
		Other:   []RawSubsection{{ID: 3, Data: []byte{0}}, {ID: 11, Data: []byte{0}}},
	}
	payload := append(appendName(nil, "name"), encodeNames(names)...)
	m := mustDecode(t, rawModule(rawSection(SectionCustom, payload...)))
	requireEqual(t, names, m.Names)
	requireEqual(t, 0, len(m.Customs))

	bad := append(appendName(nil, "name"), 1, 5, 1, 0) // function names, size runs past the end
	m = mustDecode(t, rawModule(rawSection(SectionType, 0), rawSection(SectionCustom, bad...)))
	requireTrue(t, m.Names == nil)
	requireEqual(t, []Custom{{Name: "name", Data: []byte{1, 5, 1, 0}, After: SectionType, Offset: 0x12}}, m.Customs)
	requireEqual(t, []string{`custom section "name": name subsection 1 size 5 runs past the end: unexpected end of data at offset 0x12 (kept as raw bytes)`}, m.Warnings)
	// The raw copy survives re-encoding byte for byte.
	requireSameModule(t, m, mustDecode(t, m.Encode()))

	outOfOrder := append(appendName(nil, "name"), 1, 1, 0, 0, 1, 0)
	m = mustDecode(t, rawModule(rawSection(SectionCustom, outOfOrder...)))
	requireTrue(t, m.Names == nil && len(m.Warnings) == 1 && strings.Contains(m.Warnings[0], "out of order"))

	twice := rawModule(rawSection(SectionCustom, payload...), rawSection(SectionCustom, payload...))
	m = mustDecode(t, twice)
	requireTrue(t, m.Names != nil && len(m.Customs) == 1 && len(m.Warnings) == 1, "second name section kept raw")
}

// TestEncodeCustomPlacement checks that custom sections come back where
// they were, relative to the other sections.
func TestEncodeCustomPlacement(t *testing.T) {
	in := rawModule(
		rawSection(SectionCustom, append(appendName(nil, "first"), 1)...),
		rawSection(SectionType, 1, 0x60, 0, 0),
		rawSection(SectionCustom, append(appendName(nil, "after-type"), 2)...),
		rawSection(SectionFunction, 1, 0),
		rawSection(SectionCode, 1, 2, 0, 0x0b),
		rawSection(SectionCustom, append(appendName(nil, "name"), encodeNames(&Names{Funcs: map[uint32]string{0: "f"}})...)...),
		rawSection(SectionCustom, append(appendName(nil, "last"), 3)...),
	)
	m := mustDecode(t, in)
	requireEqual(t, in, m.Encode(), "canonical input re-encodes byte for byte")
	requireEqual(t, 0, m.Names.CustomsBefore)

	// An emptied section stays as an anchor; a custom section whose anchor
	// cannot be written (no start function) goes where it would have been.
	m.Funcs, m.Code = nil, nil
	m.Names = nil
	m.Customs = append(m.Customs, Custom{Name: "after-code", After: SectionCode}, Custom{Name: "after-start", After: SectionStart})
	m2 := mustDecode(t, m.Encode())
	var order []string
	for _, s := range m2.Sections {
		if s.ID == SectionCustom {
			order = append(order, s.Name)
		} else {
			order = append(order, s.ID.String())
		}
	}
	requireEqual(t, []string{"first", "type", "after-type", "after-start", "code", "last", "after-code"}, order)
}

// TestEncodeCanonical checks that Encode minimises LEBs that the input
// padded, while keeping the padded code body as is.
func TestEncodeCanonical(t *testing.T) {
	padded := rawModule(
		rawSection(SectionType, 0x81, 0x80, 0x80, 0x80, 0x00, 0x60, 0, 0),
		rawSection(SectionFunction, 1, 0x80, 0x00),
		rawSection(SectionCode, 1, 5, 0, 0x41, 0x80, 0x00, 0x0b),
	)
	m := mustDecode(t, padded)
	want := rawModule(
		rawSection(SectionType, 1, 0x60, 0, 0),
		rawSection(SectionFunction, 1, 0),
		rawSection(SectionCode, 1, 5, 0, 0x41, 0x80, 0x00, 0x0b),
	)
	requireEqual(t, want, m.Encode())
	instrs, err := m.DecodeFunc(0)
	requireNoError(t, err)
	requireEqual(t, []byte{0, 0x41, 0, 0x0b}, EncodeCode(m.Code[0].Locals, instrs))
}

// TestRewriteBodies does what the instrumenter does: put a probe (here
// "local.get; drop" of a new local) before every instruction of every
// function, re-encode, and check that the result is still valid.
func TestRewriteBodies(t *testing.T) {
	path := "../../fixtures/testdata/c/wasi/wasi.O2.wasm"
	m := mustDecode(t, readFile(t, path))
	for i := range m.Code {
		instrs, err := m.DecodeFunc(i)
		requireNoError(t, err)
		probe := uint32(len(m.LocalTypes(i)))
		var out []Instr
		for _, in := range instrs {
			out = append(out, Instr{Op: OpLocalGet, Index: probe}, Instr{Op: OpDrop}, in)
		}
		m.Code[i].Locals = append(m.Code[i].Locals, LocalDecl{Count: 1, Type: I32})
		m.Code[i].Body = EncodeBody(out)
	}
	enc := m.Encode()
	m2 := mustDecode(t, enc)
	for i := range m2.Code {
		requireNoError(t, m2.TypeCheck(i))
	}
	wasmValidate(t, enc, path)
}

func BenchmarkDecode(b *testing.B) {
	// The largest fixture.
	data := readFile(b, "../../fixtures/testdata/c/wasi/wasi.O2.wasm")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAndTypeAll(b *testing.B) {
	data := readFile(b, "../../fixtures/testdata/c/wasi/wasi.O2.wasm")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		for i := range m.Code {
			if err := m.TypeCheck(i); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestCodeLayout: CodeLayout predicts the body offsets and code size that
// decoding the encoded module gives, for every module under testdata.
func TestCodeLayout(t *testing.T) {
	for _, path := range testdataModules(t) {
		m, err := Decode(readFile(t, path))
		if err != nil {
			continue // the malformed ones
		}
		starts, size := CodeLayout(m.Code)
		again, err := Decode(m.Encode())
		requireNoError(t, err, path)
		for i, c := range again.Code {
			requireEqual(t, c.BodyStart, starts[i], path, i)
		}
		if n := len(again.Code); n > 0 {
			requireEqual(t, uint32(again.Code[n-1].End), size, path)
		}
	}
}
