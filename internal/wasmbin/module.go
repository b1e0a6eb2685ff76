package wasmbin

import "fmt"

// FileOffset is a byte offset in the original module file.
type FileOffset uint32

// CodeOffset is an offset relative to the first byte of the code section's
// payload (just after the section size). DWARF in WebAssembly and wazero's
// SourceOffsetForPC both use this address space.
type CodeOffset uint32

// ValType is a value type, by its binary encoding.
type ValType byte

const (
	// Unknown is the "bottom" type the Typer pushes in unreachable code for
	// values whose type is not constrained. It never appears in a module.
	Unknown   ValType = 0
	I32       ValType = 0x7f
	I64       ValType = 0x7e
	F32       ValType = 0x7d
	F64       ValType = 0x7c
	V128      ValType = 0x7b
	FuncRef   ValType = 0x70
	ExternRef ValType = 0x6f
	ExnRef    ValType = 0x69
)

func (v ValType) String() string {
	switch v {
	case Unknown:
		return "unknown"
	case I32:
		return "i32"
	case I64:
		return "i64"
	case F32:
		return "f32"
	case F64:
		return "f64"
	case V128:
		return "v128"
	case FuncRef:
		return "funcref"
	case ExternRef:
		return "externref"
	case ExnRef:
		return "exnref"
	}
	return fmt.Sprintf("valtype(0x%02x)", byte(v))
}

// IsRef reports whether v is a reference type.
func (v ValType) IsRef() bool { return v == FuncRef || v == ExternRef || v == ExnRef }

// heapTypeName is the text-format heap type of a reference type, as
// printed after ref.null.
func (v ValType) heapTypeName() string {
	switch v {
	case FuncRef:
		return "func"
	case ExternRef:
		return "extern"
	case ExnRef:
		return "exn"
	}
	return v.String()
}

// FuncType is a function signature.
type FuncType struct{ Params, Results []ValType }

// String formats the type as "(i32, i64) -> (f32)"; an empty side is "()".
func (f FuncType) String() string {
	return valTypeList(f.Params) + " -> " + valTypeList(f.Results)
}

func valTypeList(ts []ValType) string {
	s := "("
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += t.String()
	}
	return s + ")"
}

func sameTypes(a, b []ValType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ExternKind is the kind of an import or export.
type ExternKind byte

const (
	FuncKind   ExternKind = 0
	TableKind  ExternKind = 1
	MemoryKind ExternKind = 2
	GlobalKind ExternKind = 3
	TagKind    ExternKind = 4
)

func (k ExternKind) String() string {
	switch k {
	case FuncKind:
		return "func"
	case TableKind:
		return "table"
	case MemoryKind:
		return "memory"
	case GlobalKind:
		return "global"
	case TagKind:
		return "tag"
	}
	return fmt.Sprintf("externkind(%d)", byte(k))
}

// Limits are the size limits of a table or memory. Is64 is the memory64
// (and table64) index type; Shared is the threads proposal's shared memory.
// Min and Max count pages for memories and elements for tables.
type Limits struct {
	Min    uint64
	Max    uint64
	HasMax bool
	Shared bool
	Is64   bool
}

// TableType is the type of a table.
type TableType struct {
	Elem   ValType
	Limits Limits
}

// MemType is the type of a linear memory.
type MemType struct{ Limits Limits }

// GlobalType is the type of a global.
type GlobalType struct {
	Type    ValType
	Mutable bool
}

// Import is one entry of the import section. Which of Func, Table, Mem,
// Global and Tag is meaningful depends on Kind; Func and Tag are type
// indices.
type Import struct {
	Module, Name string
	Kind         ExternKind
	Func         uint32
	Table        TableType
	Mem          MemType
	Global       GlobalType
	Tag          uint32
}

// Export is one entry of the export section; Index is in the index space
// of Kind.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
}

// ConstExpr is a constant expression (global initialiser, segment offset,
// element expression): its instructions without the final end. The Off
// field of these instructions is always zero: they are not in the code
// section.
type ConstExpr struct{ Instrs []Instr }

// Global is a defined global.
type Global struct {
	Type GlobalType
	Init ConstExpr
}

// SegmentMode says how an element or data segment is used.
type SegmentMode byte

const (
	// ModeActive segments are copied into a table or memory at
	// instantiation, at Offset.
	ModeActive SegmentMode = iota
	// ModePassive segments are used by table.init / memory.init.
	ModePassive
	// ModeDeclarative element segments only declare functions for ref.func.
	ModeDeclarative
)

func (m SegmentMode) String() string {
	switch m {
	case ModeActive:
		return "active"
	case ModePassive:
		return "passive"
	case ModeDeclarative:
		return "declarative"
	}
	return fmt.Sprintf("mode(%d)", byte(m))
}

// Elem is an element segment. Its contents are either function indices
// (Funcs) or constant expressions (Exprs): a segment is in expression form
// exactly when Exprs is non-nil, and Decode always sets the one the file
// used (possibly empty but non-nil). Table and Offset are meaningful for
// active segments only. Type is FuncRef for function-index segments.
type Elem struct {
	Mode   SegmentMode
	Table  uint32
	Offset ConstExpr
	Type   ValType
	Funcs  []uint32
	Exprs  []ConstExpr
}

// Data is a data segment. Mem and Offset are meaningful for active
// segments only.
type Data struct {
	Mode   SegmentMode
	Mem    uint32
	Offset ConstExpr
	Init   []byte
}

// LocalDecl is one entry of a function's local declarations: Count locals
// of type Type.
type LocalDecl struct {
	Count uint32
	Type  ValType
}

// Code is one entry of the code section.
//
//	size LEB | locals vector | instructions ... end
//	         ^Start          ^BodyStart           ^End
type Code struct {
	// Start is the offset of the local-declarations vector, just after
	// the body-size LEB: DWARF's DW_AT_low_pc for the function.
	Start CodeOffset
	// BodyStart is the offset of the first instruction.
	BodyStart CodeOffset
	// End is the offset just past the final end.
	End    CodeOffset
	Locals []LocalDecl
	// Body is the raw instruction bytes from BodyStart to End, including
	// the final end. Encode writes it back verbatim, so an instrumenter
	// replaces Body (with EncodeBody's output) and Locals rather than
	// editing instructions in place.
	Body []byte
}

// Custom is a custom section other than a well-formed "name" section.
type Custom struct {
	Name string
	Data []byte
	// After is the id of the last non-custom section before this one in
	// the file, 0 if none. Encode puts the section back after that
	// section (or where it would have been, if the module no longer has
	// it).
	After SectionID
	// Offset is the file offset of the payload (the byte after the
	// name); 0 for sections that were not decoded from a file.
	Offset FileOffset
}

// SectionID is the id byte of a section.
type SectionID byte

const (
	SectionCustom    SectionID = 0
	SectionType      SectionID = 1
	SectionImport    SectionID = 2
	SectionFunction  SectionID = 3
	SectionTable     SectionID = 4
	SectionMemory    SectionID = 5
	SectionGlobal    SectionID = 6
	SectionExport    SectionID = 7
	SectionStart     SectionID = 8
	SectionElement   SectionID = 9
	SectionCode      SectionID = 10
	SectionData      SectionID = 11
	SectionDataCount SectionID = 12
	SectionTag       SectionID = 13

	// NoSection is used in DecodeError for failures outside any section
	// (the preamble, a section's id or size).
	NoSection SectionID = 0xff
)

var sectionNames = [...]string{
	SectionCustom:    "custom",
	SectionType:      "type",
	SectionImport:    "import",
	SectionFunction:  "function",
	SectionTable:     "table",
	SectionMemory:    "memory",
	SectionGlobal:    "global",
	SectionExport:    "export",
	SectionStart:     "start",
	SectionElement:   "element",
	SectionCode:      "code",
	SectionData:      "data",
	SectionDataCount: "data count",
	SectionTag:       "tag",
}

func (s SectionID) String() string {
	if int(s) < len(sectionNames) {
		return sectionNames[s]
	}
	if s == NoSection {
		return "module header"
	}
	return fmt.Sprintf("section(%d)", byte(s))
}

// sectionOrder is the order the spec requires non-custom sections to
// appear in. The tag section sits between memory and global, and data
// count between element and code, so ids alone do not give the order.
var sectionOrder = [...]SectionID{
	SectionType, SectionImport, SectionFunction, SectionTable, SectionMemory,
	SectionTag, SectionGlobal, SectionExport, SectionStart, SectionElement,
	SectionDataCount, SectionCode, SectionData,
}

// sectionRank is the position of id in sectionOrder, 0 for custom (and
// anything unknown), so that "after section 0" means "at the start".
func sectionRank(id SectionID) int {
	for i, s := range sectionOrder {
		if s == id {
			return i + 1
		}
	}
	return 0
}

// Section describes one section as it was laid out in the file.
type Section struct {
	ID SectionID
	// Name is the custom section's name; empty for other sections.
	Name string
	// Start is the file offset of the id byte.
	Start FileOffset
	// PayloadStart is the file offset of the first payload byte (for a
	// custom section, the first byte of its name).
	PayloadStart FileOffset
	// Size is the payload size, as in the section header.
	Size uint32
}

// Module is a decoded core WebAssembly module. Byte slices in it (code
// bodies, custom section and data payloads) alias the input of Decode.
type Module struct {
	// Sections lists every section in file order.
	Sections []Section
	Types    []FuncType
	Imports  []Import
	// Funcs holds the type index of each defined function.
	Funcs  []uint32
	Tables []TableType
	Mems   []MemType
	// Tags holds the type index of each defined tag.
	Tags      []uint32
	Globals   []Global
	Exports   []Export
	Start     *uint32
	Elems     []Elem
	DataCount *uint32
	Code      []Code
	Datas     []Data
	// Customs holds every custom section except a well-formed "name"
	// section, in file order.
	Customs []Custom
	// Names is the decoded "name" section, nil if absent or malformed. A
	// malformed one stays in Customs as raw bytes, with a warning.
	Names *Names
	// Warnings are problems that did not stop decoding.
	Warnings []string
	// CodeStart is the file offset of the code section payload, 0 if the
	// module has no code section.
	CodeStart FileOffset
}

// FileOffset converts a code offset to a file offset. This and
// CodeOffsetOf are the only places that convert between the two spaces.
func (m *Module) FileOffset(c CodeOffset) FileOffset { return m.CodeStart + FileOffset(c) }

// CodeOffsetOf converts a file offset to a code offset; false if f is not
// inside the code section payload. It uses Sections, so it only answers
// for a decoded module.
func (m *Module) CodeOffsetOf(f FileOffset) (CodeOffset, bool) {
	for _, s := range m.Sections {
		if s.ID == SectionCode {
			if f >= s.PayloadStart && uint64(f) < uint64(s.PayloadStart)+uint64(s.Size) {
				return CodeOffset(f - s.PayloadStart), true
			}
			return 0, false
		}
	}
	return 0, false
}

func (m *Module) countImports(k ExternKind) int {
	n := 0
	for i := range m.Imports {
		if m.Imports[i].Kind == k {
			n++
		}
	}
	return n
}

// NumImportedFuncs is the number of imported functions: defined function
// i has index NumImportedFuncs()+i.
func (m *Module) NumImportedFuncs() int { return m.countImports(FuncKind) }

// NumImportedGlobals is the number of imported globals.
func (m *Module) NumImportedGlobals() int { return m.countImports(GlobalKind) }

// NumImportedTables is the number of imported tables.
func (m *Module) NumImportedTables() int { return m.countImports(TableKind) }

// NumImportedMems is the number of imported memories.
func (m *Module) NumImportedMems() int { return m.countImports(MemoryKind) }

// NumImportedTags is the number of imported tags.
func (m *Module) NumImportedTags() int { return m.countImports(TagKind) }

// importedN returns the n-th import of kind k.
func (m *Module) importedN(k ExternKind, n uint32) (*Import, bool) {
	for i := range m.Imports {
		if m.Imports[i].Kind != k {
			continue
		}
		if n == 0 {
			return &m.Imports[i], true
		}
		n--
	}
	return nil, false
}

// typeAt returns type idx, false if out of range.
func (m *Module) typeAt(idx uint32) (FuncType, bool) {
	if uint64(idx) >= uint64(len(m.Types)) {
		return FuncType{}, false
	}
	return m.Types[idx], true
}

// FuncTypeIndex returns the type index of function funcIdx in the whole
// function index space (imports first).
func (m *Module) FuncTypeIndex(funcIdx uint32) (uint32, bool) {
	if imp, ok := m.importedN(FuncKind, funcIdx); ok {
		return imp.Func, true
	}
	d := uint64(funcIdx) - uint64(m.NumImportedFuncs())
	if d >= uint64(len(m.Funcs)) {
		return 0, false
	}
	return m.Funcs[d], true
}

// FuncType returns the signature of function funcIdx in the whole function
// index space (imports first).
func (m *Module) FuncType(funcIdx uint32) (FuncType, bool) {
	ti, ok := m.FuncTypeIndex(funcIdx)
	if !ok {
		return FuncType{}, false
	}
	return m.typeAt(ti)
}

// NumFuncs is the size of the function index space.
func (m *Module) NumFuncs() int { return m.NumImportedFuncs() + len(m.Funcs) }

// FuncName returns the name of function funcIdx from the name section,
// else its first export name, else "".
func (m *Module) FuncName(funcIdx uint32) string {
	if m.Names != nil {
		if n, ok := m.Names.Funcs[funcIdx]; ok {
			return n
		}
	}
	for _, e := range m.Exports {
		if e.Kind == FuncKind && e.Index == funcIdx {
			return e.Name
		}
	}
	return ""
}

// GlobalName returns the name of global idx from the name section, else
// its first export name, else "".
func (m *Module) GlobalName(idx uint32) string {
	if m.Names != nil {
		if n, ok := m.Names.Globals[idx]; ok {
			return n
		}
	}
	for _, e := range m.Exports {
		if e.Kind == GlobalKind && e.Index == idx {
			return e.Name
		}
	}
	return ""
}

// GlobalType returns the type of global idx in the global index space
// (imports first).
func (m *Module) GlobalType(idx uint32) (GlobalType, bool) {
	if imp, ok := m.importedN(GlobalKind, idx); ok {
		return imp.Global, true
	}
	d := uint64(idx) - uint64(m.NumImportedGlobals())
	if d >= uint64(len(m.Globals)) {
		return GlobalType{}, false
	}
	return m.Globals[d].Type, true
}

// TableType returns the type of table idx in the table index space.
func (m *Module) TableType(idx uint32) (TableType, bool) {
	if imp, ok := m.importedN(TableKind, idx); ok {
		return imp.Table, true
	}
	d := uint64(idx) - uint64(m.NumImportedTables())
	if d >= uint64(len(m.Tables)) {
		return TableType{}, false
	}
	return m.Tables[d], true
}

// MemType returns the type of memory idx in the memory index space.
func (m *Module) MemType(idx uint32) (MemType, bool) {
	if imp, ok := m.importedN(MemoryKind, idx); ok {
		return imp.Mem, true
	}
	d := uint64(idx) - uint64(m.NumImportedMems())
	if d >= uint64(len(m.Mems)) {
		return MemType{}, false
	}
	return m.Mems[d], true
}

// TagType returns the signature of tag idx in the tag index space.
func (m *Module) TagType(idx uint32) (FuncType, bool) {
	var ti uint32
	if imp, ok := m.importedN(TagKind, idx); ok {
		ti = imp.Tag
	} else {
		d := uint64(idx) - uint64(m.NumImportedTags())
		if d >= uint64(len(m.Tags)) {
			return FuncType{}, false
		}
		ti = m.Tags[d]
	}
	return m.typeAt(ti)
}

// LocalTypes returns the types of the locals of defined function defIdx:
// its parameters followed by its declared locals, expanded. It returns nil
// if defIdx or the function's type is out of range.
func (m *Module) LocalTypes(defIdx int) []ValType {
	if defIdx < 0 || defIdx >= len(m.Funcs) || defIdx >= len(m.Code) {
		return nil
	}
	ft, ok := m.typeAt(m.Funcs[defIdx])
	if !ok {
		return nil
	}
	n := uint64(len(ft.Params))
	for _, l := range m.Code[defIdx].Locals {
		n += uint64(l.Count)
	}
	if n > maxLocals+uint64(len(ft.Params)) {
		return nil // only possible for a hand-built Module; Decode enforces the limit
	}
	out := make([]ValType, 0, n)
	out = append(out, ft.Params...)
	for _, l := range m.Code[defIdx].Locals {
		for range l.Count {
			out = append(out, l.Type)
		}
	}
	return out
}

// IsComponent reports whether b starts with the preamble of a
// component-model binary: the magic, version 0x0d and layer 1.
func IsComponent(b []byte) bool {
	return len(b) >= 8 && string(b[:4]) == "\x00asm" && b[4] == 0x0d && b[5] == 0 && b[6] == 1 && b[7] == 0
}
