package compbin

import (
	"fmt"
	"strings"
)

// CoreValType is a core value type, a packed storage type, or a reference
// type.
type CoreValType struct {
	// Code is the opcode: 0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, 0x7b v128,
	// 0x78 i8 and 0x77 i16 (packed, in struct and array fields), or 0x64
	// for every reference type (shorthands included).
	Code byte
	// Nullable is set for nullable reference types.
	Nullable bool
	// Heap is a reference type's heap type.
	Heap HeapType
}

// HeapType is the heap type of a reference type.
type HeapType struct {
	// Abstract is the abstract heap type's opcode (0x70 func, 0x6f extern,
	// 0x6e any, ...), or 0 for a concrete type index.
	Abstract byte
	// Index is the concrete type index when Abstract is 0.
	Index uint32
	// Shared is set for "shared" abstract heap types.
	Shared bool
}

const refCode = 0x64

var coreValNames = map[byte]string{0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128", 0x78: "i8", 0x77: "i16"}

var heapNames = map[byte]string{
	0x73: "nofunc", 0x72: "noextern", 0x71: "none", 0x70: "func", 0x6f: "extern", 0x6e: "any",
	0x6d: "eq", 0x6c: "i31", 0x6b: "struct", 0x6a: "array", 0x69: "exn", 0x74: "noexn",
	0x68: "cont", 0x75: "nocont",
}

// String returns e.g. "i32" or "(ref null func)".
func (v CoreValType) String() string {
	if v.Code != refCode {
		if s, ok := coreValNames[v.Code]; ok {
			return s
		}
		return fmt.Sprintf("valtype(0x%02x)", v.Code)
	}
	var b strings.Builder
	b.WriteString("(ref ")
	if v.Nullable {
		b.WriteString("null ")
	}
	if v.Heap.Shared {
		b.WriteString("(shared ")
	}
	if v.Heap.Abstract != 0 {
		b.WriteString(heapNames[v.Heap.Abstract])
	} else {
		fmt.Fprint(&b, v.Heap.Index)
	}
	if v.Heap.Shared {
		b.WriteString(")")
	}
	b.WriteString(")")
	return b.String()
}

// CoreType is a core type definition (section 3, or a core type declared in
// a component or instance type): a module type, or a GC recursion group
// (a plain function type is a group of one).
type CoreType struct {
	// Index is the core type index of the module type or of the group's
	// first type (0 inside types).
	Index uint32
	// Offset is the file offset of the definition.
	Offset int
	// IsModule is set for a module type (0x50 vec(moduledecl)).
	IsModule bool
	// Module holds a module type's declarations.
	Module []ModuleDecl
	// Rec is set when the group was written with an explicit "rec" (0x4e).
	Rec bool
	// SubTypes are the group's types.
	SubTypes []SubType
}

// SubType is one type of a recursion group.
type SubType struct {
	// Final is false only for "sub" without "final".
	Final bool
	// Supers are the declared supertypes.
	Supers []uint32
	// Comp is the composite type.
	Comp CompType
}

// CompKind is the kind of a composite core type; the values are the opcodes.
type CompKind byte

// Composite type kinds.
const (
	CompFunc   CompKind = 0x60
	CompStruct CompKind = 0x5f
	CompArray  CompKind = 0x5e
	CompCont   CompKind = 0x5d
)

// CompType is a composite core type: func, struct, array or cont.
type CompType struct {
	// Kind is the kind of composite type.
	Kind CompKind
	// Shared is set for a "shared" composite type.
	Shared bool
	// Params and Results are a function type's.
	Params, Results []CoreValType
	// Fields are a struct's fields or an array's single element.
	Fields []FieldType
	// Cont is a continuation type's function type index.
	Cont uint32
}

// FieldType is a struct field or array element type.
type FieldType struct {
	// Storage is a value type or a packed type (i8, i16).
	Storage CoreValType
	// Mutable is set for "mut" fields.
	Mutable bool
}

// String renders a function type as "(func (param i32 i32) (result i32))",
// and other composite types briefly.
func (c CompType) String() string {
	var b strings.Builder
	switch c.Kind {
	case CompFunc:
		b.WriteString("(func")
		list := func(kw string, vs []CoreValType) {
			if len(vs) == 0 {
				return
			}
			b.WriteString(" (" + kw)
			for _, v := range vs {
				b.WriteString(" " + v.String())
			}
			b.WriteString(")")
		}
		list("param", c.Params)
		list("result", c.Results)
		b.WriteString(")")
	case CompStruct:
		fmt.Fprintf(&b, "(struct %d fields)", len(c.Fields))
	case CompArray:
		b.WriteString("(array")
		if len(c.Fields) == 1 {
			if c.Fields[0].Mutable {
				fmt.Fprintf(&b, " (mut %s)", c.Fields[0].Storage)
			} else {
				fmt.Fprintf(&b, " %s", c.Fields[0].Storage)
			}
		}
		b.WriteString(")")
	case CompCont:
		fmt.Fprintf(&b, "(cont %d)", c.Cont)
	}
	return b.String()
}

// ModuleDeclKind is the kind of a module type declaration; the values are
// the opcodes.
type ModuleDeclKind uint8

// Module type declaration kinds.
const (
	ModuleDeclImport ModuleDeclKind = 0x00
	ModuleDeclType   ModuleDeclKind = 0x01
	ModuleDeclAlias  ModuleDeclKind = 0x02
	ModuleDeclExport ModuleDeclKind = 0x03
)

// ModuleDecl is a declaration in a core module type.
type ModuleDecl struct {
	// Kind is the kind of declaration.
	Kind ModuleDeclKind
	// Offset is the file offset of the declaration.
	Offset int
	// Module is an import's module name.
	Module string
	// Name is an import's or export's name.
	Name string
	// Extern is an import's or export's type.
	Extern CoreExtern
	// Type is a declared type (recursion group) for ModuleDeclType.
	Type *CoreType
	// Count and Idx are an outer core type alias's operands.
	Count, Idx uint32
}

// CoreExternKind is the kind of a core import or export; the values are the opcodes.
type CoreExternKind uint8

// Core extern kinds.
const (
	CoreExternFunc   CoreExternKind = 0x00
	CoreExternTable  CoreExternKind = 0x01
	CoreExternMemory CoreExternKind = 0x02
	CoreExternGlobal CoreExternKind = 0x03
	CoreExternTag    CoreExternKind = 0x04
)

// String returns "func", "table", "memory", "global" or "tag".
func (k CoreExternKind) String() string {
	switch k {
	case CoreExternFunc:
		return "func"
	case CoreExternTable:
		return "table"
	case CoreExternMemory:
		return "memory"
	case CoreExternGlobal:
		return "global"
	case CoreExternTag:
		return "tag"
	}
	return fmt.Sprintf("coreextern(%d)", uint8(k))
}

// CoreExtern is a core extern type.
type CoreExtern struct {
	// Kind is the kind of item.
	Kind CoreExternKind
	// Type is the type index of a function or tag.
	Type uint32
	// Val is a table's element type or a global's value type.
	Val CoreValType
	// Mutable is set for mutable globals.
	Mutable bool
	// Shared is set for shared globals.
	Shared bool
	// Limits are a table's or memory's limits.
	Limits Limits
}

// String returns e.g. "func (type 0)", "memory 1 2", "table 1 (ref null
// func)" or "global (mut i32)".
func (e CoreExtern) String() string {
	switch e.Kind {
	case CoreExternFunc, CoreExternTag:
		return fmt.Sprintf("%s (type %d)", e.Kind, e.Type)
	case CoreExternTable:
		return fmt.Sprintf("table %s %s", e.Limits, e.Val)
	case CoreExternMemory:
		return "memory " + e.Limits.String()
	case CoreExternGlobal:
		s := e.Val.String()
		if e.Mutable {
			s = "(mut " + s + ")"
		}
		if e.Shared {
			s = "shared " + s
		}
		return "global " + s
	}
	return e.Kind.String()
}

// String returns the limits as in the text format: "i64 1 2 shared".
func (l Limits) String() string {
	var b strings.Builder
	if l.Is64 {
		b.WriteString("i64 ")
	}
	fmt.Fprint(&b, l.Min)
	if l.HasMax {
		fmt.Fprintf(&b, " %d", l.Max)
	}
	if l.Shared {
		b.WriteString(" shared")
	}
	if l.HasPageSize {
		fmt.Fprintf(&b, " (pagesize %d)", uint64(1)<<min(l.PageSizeLog2, 63))
	}
	return b.String()
}

// Limits are table or memory limits.
type Limits struct {
	// Min and Max are the bounds; Max is meaningful when HasMax.
	Min, Max uint64
	// HasMax is set when a maximum is given.
	HasMax bool
	// Shared is set for shared memories.
	Shared bool
	// Is64 is set for 64-bit memories and tables.
	Is64 bool
	// PageSizeLog2 is the custom page size's log2, when HasPageSize.
	PageSizeLog2 uint32
	// HasPageSize is set for memories with a custom page size.
	HasPageSize bool
}

// coreValType reads a core value or storage type; packed allows i8/i16.
func (r *reader) coreValType(packed bool) CoreValType {
	off := r.pos
	c := r.byte()
	switch {
	case c >= 0x7b && c <= 0x7f:
		return CoreValType{Code: c}
	case packed && (c == 0x78 || c == 0x77):
		return CoreValType{Code: c}
	case c == 0x64 || c == 0x63:
		return CoreValType{Code: refCode, Nullable: c == 0x63, Heap: r.heapType()}
	case heapNames[c] != "":
		return CoreValType{Code: refCode, Nullable: true, Heap: HeapType{Abstract: c}}
	}
	r.fail(off, "unknown core value type 0x%02x", c)
	return CoreValType{}
}

func (r *reader) heapType() HeapType {
	off := r.pos
	c := r.peek()
	if c == 0x65 {
		r.pos++
		off = r.pos
		a := r.byte()
		if heapNames[a] == "" {
			r.fail(off, "unknown shared heap type 0x%02x", a)
		}
		return HeapType{Abstract: a, Shared: true}
	}
	if heapNames[c] != "" {
		r.pos++
		return HeapType{Abstract: c}
	}
	v := r.sleb(33)
	if v < 0 || v > 0xffffffff {
		r.fail(off, "unknown heap type %d", v)
	}
	return HeapType{Index: uint32(v)}
}

// coreType reads a core:type in a core type section or a component/instance
// type declaration: a module type (0x50), a non-final sub prefixed by 0x00,
// or a recursion group.
func (r *reader) coreType() CoreType {
	off := r.pos
	switch r.peek() {
	case 0x50:
		r.pos++
		if r.depth >= maxDepth {
			r.fail(off, "types nested too deeply")
		}
		r.depth++
		defer func() { r.depth-- }()
		n := r.count()
		decls := make([]ModuleDecl, 0, capHint(n))
		for range n {
			decls = append(decls, r.moduleDecl())
		}
		return CoreType{Offset: off, IsModule: true, Module: decls}
	case 0x00:
		r.pos++
		if r.peek() != 0x50 {
			r.fail(r.pos, "expected 0x50 after 0x00 in core type, got 0x%02x", r.peek())
		}
		return CoreType{Offset: off, SubTypes: []SubType{r.subType()}}
	}
	return r.recGroup()
}

// recGroup reads a core:rectype (where 0x50 is a non-final sub).
func (r *reader) recGroup() CoreType {
	off := r.pos
	if r.peek() == 0x4e {
		r.pos++
		n := r.count()
		subs := make([]SubType, 0, capHint(n))
		for range n {
			subs = append(subs, r.subType())
		}
		return CoreType{Offset: off, Rec: true, SubTypes: subs}
	}
	if r.peek() == 0x00 { // tolerate the component-level 0x00 0x50 prefix here too
		r.pos++
		if r.peek() != 0x50 {
			r.fail(r.pos, "expected 0x50 after 0x00 in core type, got 0x%02x", r.peek())
		}
	}
	return CoreType{Offset: off, SubTypes: []SubType{r.subType()}}
}

func (r *reader) subType() SubType {
	c := r.peek()
	if c == 0x50 || c == 0x4f {
		r.pos++
		n := r.count()
		supers := make([]uint32, 0, capHint(n))
		for range n {
			supers = append(supers, r.u32())
		}
		return SubType{Final: c == 0x4f, Supers: supers, Comp: r.compType()}
	}
	return SubType{Final: true, Comp: r.compType()}
}

func (r *reader) compType() CompType {
	off := r.pos
	c := r.byte()
	shared := false
	if c == 0x65 {
		shared = true
		off = r.pos
		c = r.byte()
	}
	switch CompKind(c) {
	case CompFunc:
		return CompType{Kind: CompFunc, Shared: shared, Params: r.coreValTypes(), Results: r.coreValTypes()}
	case CompStruct:
		n := r.count()
		fs := make([]FieldType, 0, capHint(n))
		for range n {
			fs = append(fs, r.fieldType())
		}
		return CompType{Kind: CompStruct, Shared: shared, Fields: fs}
	case CompArray:
		return CompType{Kind: CompArray, Shared: shared, Fields: []FieldType{r.fieldType()}}
	case CompCont:
		return CompType{Kind: CompCont, Shared: shared, Cont: r.u32()}
	}
	r.fail(off, "unknown core composite type 0x%02x", c)
	return CompType{}
}

func (r *reader) coreValTypes() []CoreValType {
	n := r.count()
	vs := make([]CoreValType, 0, capHint(n))
	for range n {
		vs = append(vs, r.coreValType(false))
	}
	return vs
}

func (r *reader) fieldType() FieldType {
	st := r.coreValType(true)
	return FieldType{Storage: st, Mutable: r.bool01("mutability")}
}

func (r *reader) moduleDecl() ModuleDecl {
	off := r.pos
	k := r.byte()
	d := ModuleDecl{Kind: ModuleDeclKind(k), Offset: off}
	switch d.Kind {
	case ModuleDeclImport:
		d.Module = r.name()
		d.Name = r.name()
		d.Extern = r.coreExtern()
	case ModuleDeclType:
		t := r.recGroup()
		d.Type = &t
	case ModuleDeclAlias:
		aoff := r.pos
		if s := r.byte(); s != 0x10 {
			r.fail(aoff, "core alias in a module type must be of sort type (0x10), got 0x%02x", s)
		}
		aoff = r.pos
		if k := r.byte(); k != 0x01 {
			r.fail(aoff, "core alias in a module type must be outer (0x01), got 0x%02x", k)
		}
		d.Count = r.u32()
		d.Idx = r.u32()
	case ModuleDeclExport:
		d.Name = r.name()
		d.Extern = r.coreExtern()
	default:
		r.fail(off, "unknown module type declaration 0x%02x", k)
	}
	return d
}

func (r *reader) coreExtern() CoreExtern {
	off := r.pos
	k := CoreExternKind(r.byte())
	e := CoreExtern{Kind: k}
	switch k {
	case CoreExternFunc:
		e.Type = r.u32()
	case CoreExternTable:
		e.Val = r.coreValType(false)
		if e.Val.Code != refCode {
			r.fail(off+1, "table element type must be a reference type, got %s", e.Val)
		}
		e.Limits = r.limits(false)
	case CoreExternMemory:
		e.Limits = r.limits(true)
	case CoreExternGlobal:
		e.Val = r.coreValType(false)
		moff := r.pos
		switch m := r.byte(); m {
		case 0, 1:
			e.Mutable = m == 1
		case 2, 3:
			e.Shared, e.Mutable = true, m == 3
		default:
			r.fail(moff, "invalid global mutability 0x%02x", m)
		}
	case CoreExternTag:
		aoff := r.pos
		if a := r.byte(); a != 0 {
			r.fail(aoff, "invalid tag attribute 0x%02x", a)
		}
		e.Type = r.u32()
	default:
		r.fail(off, "unknown core extern kind 0x%02x", byte(k))
	}
	return e
}

func (r *reader) limits(memory bool) Limits {
	off := r.pos
	f := r.byte()
	allowed := byte(0x05) // max, 64-bit
	if memory {
		allowed = 0x0f // max, shared, 64-bit, page size
	}
	if f&^allowed != 0 {
		r.fail(off, "invalid limits flags 0x%02x", f)
	}
	l := Limits{HasMax: f&1 != 0, Shared: f&2 != 0, Is64: f&4 != 0, HasPageSize: f&8 != 0}
	bits := uint(32)
	if l.Is64 {
		bits = 64
	}
	l.Min = r.uleb(bits)
	if l.HasMax {
		l.Max = r.uleb(bits)
	}
	if l.HasPageSize {
		l.PageSizeLog2 = r.u32()
	}
	return l
}
