package compbin

import (
	"fmt"
	"strings"
)

// PrimType is a primitive value type; the values are the binary opcodes.
type PrimType uint8

// Primitive value types.
const (
	PrimBool         PrimType = 0x7f
	PrimS8           PrimType = 0x7e
	PrimU8           PrimType = 0x7d
	PrimS16          PrimType = 0x7c
	PrimU16          PrimType = 0x7b
	PrimS32          PrimType = 0x7a
	PrimU32          PrimType = 0x79
	PrimS64          PrimType = 0x78
	PrimU64          PrimType = 0x77
	PrimF32          PrimType = 0x76
	PrimF64          PrimType = 0x75
	PrimChar         PrimType = 0x74
	PrimString       PrimType = 0x73
	PrimErrorContext PrimType = 0x64
)

var primNames = map[PrimType]string{
	PrimBool: "bool", PrimS8: "s8", PrimU8: "u8", PrimS16: "s16", PrimU16: "u16",
	PrimS32: "s32", PrimU32: "u32", PrimS64: "s64", PrimU64: "u64", PrimF32: "f32",
	PrimF64: "f64", PrimChar: "char", PrimString: "string", PrimErrorContext: "error-context",
}

// String returns the type's name ("u32", "error-context").
func (p PrimType) String() string {
	if s, ok := primNames[p]; ok {
		return s
	}
	return fmt.Sprintf("prim(0x%02x)", uint8(p))
}

// ValType is a component value type: a primitive, or an index in the type
// index space when Prim is 0.
type ValType struct {
	// Prim is the primitive type, or 0 for a type index.
	Prim PrimType
	// Index is the type index when Prim is 0.
	Index uint32
}

// String returns the primitive's name or the type index.
func (v ValType) String() string {
	if v.Prim != 0 {
		return v.Prim.String()
	}
	return fmt.Sprint(v.Index)
}

// TypeKind is the kind of a type definition.
type TypeKind uint8

// Type kinds. Defined value types first, then functions, components,
// instances and resources.
const (
	TypePrim TypeKind = iota
	TypeRecord
	TypeVariant
	TypeList
	TypeFixedList
	TypeTuple
	TypeFlags
	TypeEnum
	TypeOption
	TypeResult
	TypeOwn
	TypeBorrow
	TypeStream
	TypeFuture
	TypeMap
	TypeFunc
	TypeComponent
	TypeInstance
	TypeResource
)

var typeKindNames = [...]string{"prim", "record", "variant", "list", "list", "tuple", "flags", "enum",
	"option", "result", "own", "borrow", "stream", "future", "map", "func", "component", "instance", "resource"}

// String returns the kind's text-format keyword.
func (k TypeKind) String() string {
	if int(k) < len(typeKindNames) {
		return typeKindNames[k]
	}
	return fmt.Sprintf("typekind(%d)", uint8(k))
}

// Type is a type definition (section 7, or inside a component or instance
// type). Which fields are set depends on Kind.
type Type struct {
	// Index is the type's index in the type index space (0 inside types).
	Index uint32
	// Offset is the file offset of the definition's opcode.
	Offset int
	// Kind is the kind of type.
	Kind TypeKind

	// Prim is the primitive type for TypePrim.
	Prim PrimType
	// Fields are a record's fields, or a function's parameters.
	Fields []Field
	// Cases are a variant's cases.
	Cases []Case
	// Elem is the element type of list, fixed-size list and option, the
	// optional payload of stream and future (nil for none), a function's
	// optional result, and a map's value type.
	Elem *ValType
	// Key is a map's key type.
	Key ValType
	// Len is a fixed-size list's length.
	Len uint32
	// Tuple holds a tuple's element types.
	Tuple []ValType
	// Labels are the labels of flags and enum.
	Labels []string
	// Ok and Err are a result's optional types.
	Ok, Err *ValType
	// Resource is the resource type index of own and borrow.
	Resource uint32
	// Async is set for "func async" (opcode 0x43).
	Async bool
	// Decls are the declarations of a component or instance type.
	Decls []Decl
	// Rep is a resource's representation (a core value type, i32).
	Rep CoreValType
	// Dtor is a resource's destructor, a core function index, or nil.
	Dtor *uint32
}

// Field is a labelled value type: a record field or a function parameter.
type Field struct {
	// Name is the label.
	Name string
	// Type is the field's type.
	Type ValType
}

// Case is a variant case.
type Case struct {
	// Name is the case label.
	Name string
	// Type is the payload type, or nil.
	Type *ValType
}

// String renders the type in a compact text form, e.g.
// "(func async (param \"x\" u32) (result 3))" or "(instance 12 decls)".
func (t *Type) String() string {
	var b strings.Builder
	opt := func(v *ValType) {
		if v != nil {
			b.WriteString(" " + v.String())
		}
	}
	switch t.Kind {
	case TypePrim:
		return t.Prim.String()
	case TypeRecord:
		b.WriteString("(record")
		for _, f := range t.Fields {
			fmt.Fprintf(&b, " (field %q %s)", f.Name, f.Type)
		}
	case TypeVariant:
		b.WriteString("(variant")
		for _, c := range t.Cases {
			fmt.Fprintf(&b, " (case %q", c.Name)
			opt(c.Type)
			b.WriteString(")")
		}
	case TypeList, TypeOption:
		b.WriteString("(" + t.Kind.String())
		opt(t.Elem)
	case TypeFixedList:
		b.WriteString("(list")
		opt(t.Elem)
		fmt.Fprintf(&b, " %d", t.Len)
	case TypeTuple:
		b.WriteString("(tuple")
		for _, v := range t.Tuple {
			b.WriteString(" " + v.String())
		}
	case TypeFlags, TypeEnum:
		b.WriteString("(" + t.Kind.String())
		for _, l := range t.Labels {
			fmt.Fprintf(&b, " %q", l)
		}
	case TypeResult:
		b.WriteString("(result")
		opt(t.Ok)
		if t.Err != nil {
			fmt.Fprintf(&b, " (error %s)", t.Err)
		}
	case TypeOwn, TypeBorrow:
		fmt.Fprintf(&b, "(%s %d", t.Kind, t.Resource)
	case TypeStream, TypeFuture:
		b.WriteString("(" + t.Kind.String())
		opt(t.Elem)
	case TypeMap:
		fmt.Fprintf(&b, "(map %s", t.Key)
		opt(t.Elem)
	case TypeFunc:
		b.WriteString("(func")
		if t.Async {
			b.WriteString(" async")
		}
		for _, f := range t.Fields {
			fmt.Fprintf(&b, " (param %q %s)", f.Name, f.Type)
		}
		if t.Elem != nil {
			fmt.Fprintf(&b, " (result %s)", t.Elem)
		}
	case TypeComponent, TypeInstance:
		fmt.Fprintf(&b, "(%s %d decls", t.Kind, len(t.Decls))
	case TypeResource:
		fmt.Fprintf(&b, "(resource (rep %s)", t.Rep)
		if t.Dtor != nil {
			fmt.Fprintf(&b, " (dtor %d)", *t.Dtor)
		}
	default:
		return t.Kind.String()
	}
	b.WriteString(")")
	return b.String()
}

// DeclKind is the kind of a declaration in a component or instance type.
type DeclKind uint8

// Declaration kinds; the values are the binary opcodes.
const (
	DeclCoreType DeclKind = 0x00
	DeclType     DeclKind = 0x01
	DeclAlias    DeclKind = 0x02
	DeclImport   DeclKind = 0x03
	DeclExport   DeclKind = 0x04
)

// Decl is a declaration inside a component type or an instance type.
// Imports only occur in component types.
type Decl struct {
	// Kind is the kind of declaration.
	Kind DeclKind
	// Offset is the file offset of the declaration.
	Offset int
	// CoreType is set for DeclCoreType.
	CoreType *CoreType
	// Type is set for DeclType.
	Type *Type
	// Alias is set for DeclAlias.
	Alias *Alias
	// Name and Extern are set for DeclImport and DeclExport.
	Name ExternName
	// Extern is the declared item's type for DeclImport and DeclExport.
	Extern ExternType
}
