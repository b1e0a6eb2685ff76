package dwarf

import (
	"debug/dwarf"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Type is a source-level type. The concrete types are *Base, *Void,
// *Pointer, *Reference, *Struct (also classes and unions), *Enum, *Array,
// *Typedef, *Qualified, *FuncType and *Unknown.
//
// Name returns the type's C spelling ("struct account", "int *",
// "const char *", "int [8]", "int (*)(int, int)"); C++ (and Rust) types are spelled
// without the struct/class/enum keyword and with their namespaces
// ("geo::Shape"). Size returns the size in bytes (0 for void, functions
// and arrays of unknown length).
//
// Note: Go does not allow a field and a method of the same name, so the
// structs hold their DWARF name in TypeName and their size in ByteSize.
type Type interface {
	Name() string
	Size() int64
	isType()
}

// Encoding is the encoding of a base type (DW_ATE_*).
type Encoding int

const (
	EncOther        Encoding = iota // an encoding this package does not model (decimal float, fixed point, ...)
	EncSigned                       // DW_ATE_signed
	EncUnsigned                     // DW_ATE_unsigned
	EncFloat                        // DW_ATE_float
	EncBool                         // DW_ATE_boolean
	EncSignedChar                   // DW_ATE_signed_char
	EncUnsignedChar                 // DW_ATE_unsigned_char
	EncUTF                          // DW_ATE_UTF (char8_t, char16_t, char32_t)
	EncComplexFloat                 // DW_ATE_complex_float
)

// Base is a base type: int, char, float, bool...
type Base struct {
	TypeName string
	ByteSize int64
	Encoding Encoding
}

// Void is the void type.
type Void struct{}

// Pointer is a pointer type.
type Pointer struct {
	Elem     Type // *Void for void *
	ByteSize int64
}

// Reference is a C++ reference (&) or rvalue reference (&&).
type Reference struct {
	Elem     Type
	ByteSize int64
	RValue   bool
}

// StructKind distinguishes structs, classes and unions.
type StructKind int

const (
	KindStruct StructKind = iota
	KindClass
	KindUnion
)

func (k StructKind) keyword() string {
	switch k {
	case KindClass:
		return "class"
	case KindUnion:
		return "union"
	}
	return "struct"
}

// Struct is a struct, class or union.
type Struct struct {
	Kind     StructKind
	TypeName string // the tag ("account"); qualified in C++ ("geo::Shape"); "" if anonymous
	ByteSize int64
	Fields   []Field
	// Declaration is set for an incomplete type whose definition was found
	// in no compile unit. Declarations are otherwise resolved to their
	// definitions by name.
	Declaration bool
	cpp         bool
}

// Field is a data member of a struct, class or union.
//
// A bitfield of BitSize bits starts BitOffset bits (0-7, counted from the
// least significant bit) into the byte at Offset: read the bytes from
// Offset, shift right by BitOffset and keep BitSize bits. Both the DWARF 4+
// DW_AT_data_bit_offset and the older big-endian-style DW_AT_bit_offset are
// converted to this little-endian form.
type Field struct {
	Name      string
	Type      Type
	Offset    int64 // bytes from the start of the object; -1 if not a constant (virtual bases)
	BitOffset int
	BitSize   int  // 0 for an ordinary member
	IsBase    bool // a C++ base class subobject (DW_TAG_inheritance)
}

// Enum is an enumeration type.
type Enum struct {
	TypeName string // the tag; qualified in C++
	ByteSize int64
	Signed   bool
	Values   []EnumValue
	cpp      bool
}

// EnumValue is one enumerator. Values of unsigned 64-bit enums above
// MaxInt64 are stored as their two's complement.
type EnumValue struct {
	Name  string
	Value int64
}

// Array is an array type. Dims has one entry per dimension, outermost
// first; -1 means unknown (a flexible array member or a VLA).
type Array struct {
	Elem Type
	Dims []int64
}

// Typedef is a typedef name.
type Typedef struct {
	TypeName string
	Type     Type
}

// Qualified adds cv-qualifiers to a type. Chains of qualifiers are merged.
type Qualified struct {
	Const, Volatile, Restrict, Atomic bool
	Type                              Type
}

// FuncType is a function type, as pointed to by function pointers. (Func
// is taken by subprograms.)
type FuncType struct {
	Return     Type // *Void for void
	Params     []Type
	Variadic   bool
	Prototyped bool
	cpp        bool
}

// Unknown stands for a type this package does not model (pointers to
// members, Fortran strings...) or cannot decode. TypeName says which.
type Unknown struct {
	TypeName string
	ByteSize int64
}

var voidType = &Void{}

func (*Base) isType()      {}
func (*Void) isType()      {}
func (*Pointer) isType()   {}
func (*Reference) isType() {}
func (*Struct) isType()    {}
func (*Enum) isType()      {}
func (*Array) isType()     {}
func (*Typedef) isType()   {}
func (*Qualified) isType() {}
func (*FuncType) isType()  {}
func (*Unknown) isType()   {}

func (t *Base) Name() string      { return t.TypeName }
func (t *Void) Name() string      { return "void" }
func (t *Pointer) Name() string   { return declare(t, "") }
func (t *Reference) Name() string { return declare(t, "") }
func (t *Array) Name() string     { return declare(t, "") }
func (t *Qualified) Name() string { return declare(t, "") }
func (t *FuncType) Name() string  { return declare(t, "") }
func (t *Typedef) Name() string   { return t.TypeName }
func (t *Unknown) Name() string   { return t.TypeName }

func (t *Struct) Name() string {
	switch {
	case t.cpp && t.TypeName != "":
		return t.TypeName
	case t.cpp:
		return "(anonymous " + t.Kind.keyword() + ")"
	case t.TypeName == "":
		return t.Kind.keyword() + " {...}"
	}
	return t.Kind.keyword() + " " + t.TypeName
}

func (t *Enum) Name() string {
	switch {
	case t.cpp && t.TypeName != "":
		return t.TypeName
	case t.cpp:
		return "(anonymous enum)"
	case t.TypeName == "":
		return "enum {...}"
	}
	return "enum " + t.TypeName
}

func (t *Base) Size() int64      { return t.ByteSize }
func (t *Void) Size() int64      { return 0 }
func (t *Pointer) Size() int64   { return t.ByteSize }
func (t *Reference) Size() int64 { return t.ByteSize }
func (t *Struct) Size() int64    { return t.ByteSize }
func (t *Enum) Size() int64      { return t.ByteSize }
func (t *FuncType) Size() int64  { return 0 }
func (t *Unknown) Size() int64   { return t.ByteSize }
func (t *Typedef) Size() int64   { return sizeOf(t.Type) }
func (t *Qualified) Size() int64 { return sizeOf(t.Type) }

// Size returns the size of the whole array, 0 if a dimension is unknown
// or the size overflows.
func (t *Array) Size() int64 {
	n := sizeOf(t.Elem)
	for _, d := range t.Dims {
		if d < 0 {
			return 0
		}
		hi, lo := bits.Mul64(uint64(n), uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0
		}
		n = int64(lo)
	}
	return n
}

// Count returns the number of elements of the outermost dimension, -1 if
// unknown.
func (t *Array) Count() int64 {
	if len(t.Dims) == 0 {
		return -1
	}
	return t.Dims[0]
}

// ElemType returns the type of the array's elements, which is an array
// itself for a multi-dimensional array.
func (t *Array) ElemType() Type {
	if len(t.Dims) <= 1 {
		return t.Elem
	}
	return &Array{Elem: t.Elem, Dims: t.Dims[1:]}
}

func sizeOf(t Type) int64 {
	if t == nil {
		return 0
	}
	return t.Size()
}

// Strip returns t without typedefs and qualifiers.
func Strip(t Type) Type {
	for range 64 {
		switch u := t.(type) {
		case *Typedef:
			t = u.Type
		case *Qualified:
			t = u.Type
		default:
			return t
		}
	}
	return t
}

// declare spells type t around the declarator inner, C style.
func declare(t Type, inner string) string {
	switch t := t.(type) {
	case nil:
		return join("void", inner)
	case *Pointer:
		return declare(t.Elem, parenIfNeeded(t.Elem, "*"+inner))
	case *Reference:
		sym := "&"
		if t.RValue {
			sym = "&&"
		}
		return declare(t.Elem, parenIfNeeded(t.Elem, sym+inner))
	case *Array:
		s := inner
		for _, d := range t.Dims {
			if d < 0 {
				s += "[]"
			} else {
				s += "[" + strconv.FormatInt(d, 10) + "]"
			}
		}
		if len(t.Dims) == 0 {
			s += "[]"
		}
		return declare(t.Elem, s)
	case *FuncType:
		var ps []string
		for _, p := range t.Params {
			ps = append(ps, declare(p, ""))
		}
		if t.Variadic {
			ps = append(ps, "...")
		}
		if len(ps) == 0 && t.Prototyped && !t.cpp {
			ps = []string{"void"}
		}
		return declare(t.Return, inner+"("+strings.Join(ps, ", ")+")")
	case *Qualified:
		q := t.quals()
		switch e := t.Type.(type) {
		case *Pointer:
			return declare(e.Elem, parenIfNeeded(e.Elem, "*"+join(q, inner)))
		case *Reference:
			return declare(e, inner) // references cannot be qualified
		}
		return join(q, declare(t.Type, inner))
	}
	return join(t.Name(), inner)
}

func (t *Qualified) quals() string {
	var q []string
	if t.Const {
		q = append(q, "const")
	}
	if t.Volatile {
		q = append(q, "volatile")
	}
	if t.Restrict {
		q = append(q, "restrict")
	}
	if t.Atomic {
		q = append(q, "_Atomic")
	}
	return strings.Join(q, " ")
}

func join(a, b string) string {
	switch {
	case b == "":
		return a
	case a == "":
		return b
	}
	return a + " " + b
}

// parenIfNeeded wraps a pointer declarator in parentheses when the pointee
// is an array or function: "int (*)[8]", "int (*)(int)".
func parenIfNeeded(elem Type, s string) string {
	switch elem.(type) {
	case *Array, *FuncType:
		return "(" + s + ")"
	}
	return s
}

// typeAt decodes the type at off. Callers hold d.mu.
func (d *Data) typeAt(off dwarf.Offset) Type {
	return d.decodeType(off, 0)
}

const maxTypeDepth = 200

func (d *Data) decodeType(off dwarf.Offset, depth int) Type {
	if t, ok := d.types[off]; ok {
		return t
	}
	bad := func(format string, args ...any) Type {
		d.noteErr(fmt.Errorf("%s: type at %#x: %s", secInfo, off, fmt.Sprintf(format, args...)))
		return &Unknown{TypeName: "<bad type>"}
	}
	if d.typing[off] {
		return bad("refers to itself")
	}
	if depth > maxTypeDepth {
		return bad("nested too deeply")
	}
	e, err := d.entry(off)
	if err != nil {
		d.noteErr(err)
		return &Unknown{TypeName: "<bad type>"}
	}
	cu := d.cuAt(off)
	if cu == nil {
		return bad("outside any compile unit")
	}
	// elem decodes the type referenced by attr, Void if there is none.
	elem := func(attr dwarf.Attr) Type {
		ref, ok := e.Val(attr).(dwarf.Offset)
		if !ok {
			return voidType
		}
		return d.decodeType(ref, depth+1)
	}
	name, _ := e.Val(dwarf.AttrName).(string)
	size, hasSize := e.Val(dwarf.AttrByteSize).(int64)
	if size < 0 {
		size = 0
	}
	var t Type
	switch e.Tag {
	case dwarf.TagBaseType:
		enc, _ := e.Val(dwarf.AttrEncoding).(int64)
		t = &Base{TypeName: name, ByteSize: size, Encoding: encoding(enc)}
	case dwarf.TagUnspecifiedType:
		if name == "void" || name == "" {
			t = voidType
		} else {
			t = &Unknown{TypeName: name, ByteSize: size}
		}
	case dwarf.TagStructType, dwarf.TagClassType, dwarf.TagUnionType:
		return d.decodeStruct(e, cu, name, size, depth)
	case dwarf.TagEnumerationType:
		return d.decodeEnum(e, cu, name, size, depth)
	case dwarf.TagPointerType, dwarf.TagReferenceType, dwarf.TagRvalueReferenceType:
		if !hasSize {
			size = int64(cu.AddrSize)
		}
		d.typing[off] = true
		el := elem(dwarf.AttrType)
		delete(d.typing, off)
		if e.Tag == dwarf.TagPointerType {
			t = &Pointer{Elem: el, ByteSize: size}
		} else {
			t = &Reference{Elem: el, ByteSize: size, RValue: e.Tag == dwarf.TagRvalueReferenceType}
		}
	case dwarf.TagTypedef:
		d.typing[off] = true
		t = &Typedef{TypeName: d.qualify(off, name), Type: elem(dwarf.AttrType)}
		delete(d.typing, off)
	case dwarf.TagConstType, dwarf.TagVolatileType, dwarf.TagRestrictType, dwarf.TagAtomicType:
		d.typing[off] = true
		inner := elem(dwarf.AttrType)
		delete(d.typing, off)
		q := &Qualified{Type: inner}
		if iq, ok := inner.(*Qualified); ok {
			*q = *iq
		}
		switch e.Tag {
		case dwarf.TagConstType:
			q.Const = true
		case dwarf.TagVolatileType:
			q.Volatile = true
		case dwarf.TagRestrictType:
			q.Restrict = true
		default:
			q.Atomic = true
		}
		t = q
	case dwarf.TagArrayType:
		d.typing[off] = true
		t = d.decodeArray(e, elem(dwarf.AttrType))
		delete(d.typing, off)
	case dwarf.TagSubroutineType:
		d.typing[off] = true
		t = d.decodeFuncType(e, cu, depth)
		delete(d.typing, off)
	case dwarf.TagPtrToMemberType:
		t = &Unknown{TypeName: "<pointer to member>", ByteSize: size}
	default:
		return bad("unsupported tag %v", e.Tag)
	}
	d.types[off] = t
	return t
}

func encoding(enc int64) Encoding {
	switch enc {
	case 0x02:
		return EncBool
	case 0x03:
		return EncComplexFloat
	case 0x04:
		return EncFloat
	case 0x05:
		return EncSigned
	case 0x06:
		return EncSignedChar
	case 0x07:
		return EncUnsigned
	case 0x08:
		return EncUnsignedChar
	case 0x10:
		return EncUTF
	}
	return EncOther
}

// children returns the direct children of the entry at off, without their
// own children. Callers hold d.mu.
func (d *Data) children(e *dwarf.Entry) []*dwarf.Entry {
	if !e.Children {
		return nil
	}
	r := d.dw.Reader()
	r.Seek(e.Offset)
	if _, err := r.Next(); err != nil {
		d.noteErr(err)
		return nil
	}
	cu := d.cuAt(e.Offset)
	var out []*dwarf.Entry
	for {
		c, err := r.Next()
		if err != nil {
			d.noteErr(fmt.Errorf("%s: children of %#x: %w", secInfo, e.Offset, err))
			return out
		}
		if c == nil || c.Tag == 0 {
			return out
		}
		out = append(out, c)
		if cu != nil {
			cu.skipSubtree(r, c)
		} else if c.Children {
			skipChildren(r)
		}
	}
}

func (d *Data) decodeStruct(e *dwarf.Entry, cu *CU, name string, size int64, depth int) Type {
	kind := KindStruct
	switch e.Tag {
	case dwarf.TagClassType:
		kind = KindClass
	case dwarf.TagUnionType:
		kind = KindUnion
	}
	qname := d.qualify(e.Offset, name)
	decl, _ := e.Val(dwarf.AttrDeclaration).(bool)
	if decl && name != "" {
		if def, ok := d.idx.definition(typeKey(kind.keyword(), qname, cu.qualifiedNames()), e.Offset); ok {
			t := d.decodeType(def, depth+1)
			d.types[e.Offset] = t
			return t
		}
	}
	s := &Struct{Kind: kind, TypeName: qname, ByteSize: size, Declaration: decl, cpp: cu.qualifiedNames()}
	d.types[e.Offset] = s // before the members, which may point back
	// A reference back to a pointer or typedef being decoded is not a
	// cycle once it goes through this struct: start a new cycle guard.
	saved := d.typing
	d.typing = map[dwarf.Offset]bool{}
	defer func() { d.typing = saved }()
	for _, c := range d.children(e) {
		if c.Tag != dwarf.TagMember && c.Tag != dwarf.TagInheritance {
			continue
		}
		if isDecl, _ := c.Val(dwarf.AttrDeclaration).(bool); isDecl {
			continue // a static member
		}
		f := Field{IsBase: c.Tag == dwarf.TagInheritance}
		f.Name, _ = c.Val(dwarf.AttrName).(string)
		f.Type = voidType
		if ref, ok := c.Val(dwarf.AttrType).(dwarf.Offset); ok {
			f.Type = d.decodeType(ref, depth+1)
		}
		if f.IsBase && f.Name == "" {
			f.Name = f.Type.Name()
		}
		switch v := c.Val(dwarf.AttrDataMemberLoc).(type) {
		case int64:
			f.Offset = v
		case []byte:
			f.Offset = memberOffsetExpr(v)
		}
		if bs, ok := c.Val(dwarf.AttrBitSize).(int64); ok && bs > 0 && bs < 1<<16 {
			f.BitSize = int(bs)
			var dbo int64
			if v, ok := c.Val(dwarf.AttrDataBitOffset).(int64); ok {
				dbo = v
			} else if v, ok := c.Val(dwarf.AttrBitOffset).(int64); ok {
				// DWARF 2/3: bits from the most significant bit of the
				// storage unit (of DW_AT_byte_size, else the type's size)
				// at data_member_location.
				storage, ok := c.Val(dwarf.AttrByteSize).(int64)
				if !ok {
					storage = sizeOf(f.Type)
				}
				dbo = max(f.Offset, 0)*8 + storage*8 - v - bs
			} else {
				dbo = max(f.Offset, 0) * 8
			}
			if dbo < 0 {
				dbo = 0
			}
			f.Offset, f.BitOffset = dbo/8, int(dbo%8)
		} else if v, ok := c.Val(dwarf.AttrDataBitOffset).(int64); ok && v >= 0 {
			f.Offset = v / 8
		}
		s.Fields = append(s.Fields, f)
	}
	return s
}

// memberOffsetExpr evaluates the usual DW_AT_data_member_location
// expressions (DW_OP_plus_uconst N, DW_OP_constu N); -1 for anything else.
func memberOffsetExpr(e []byte) int64 {
	in, err := decodeOp(e, 0, 4)
	if err != nil || in.next != len(e) || in.u > math.MaxInt32 {
		return -1
	}
	switch in.op {
	case opPlusUconst, opConstu:
		return int64(in.u)
	}
	return -1
}

func (d *Data) decodeEnum(e *dwarf.Entry, cu *CU, name string, size int64, depth int) Type {
	qname := d.qualify(e.Offset, name)
	if decl, _ := e.Val(dwarf.AttrDeclaration).(bool); decl && name != "" {
		if def, ok := d.idx.definition(typeKey("enum", qname, cu.qualifiedNames()), e.Offset); ok {
			t := d.decodeType(def, depth+1)
			d.types[e.Offset] = t
			return t
		}
	}
	en := &Enum{TypeName: qname, ByteSize: size, cpp: cu.qualifiedNames()}
	d.types[e.Offset] = en
	if ref, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
		if b, ok := Strip(d.decodeType(ref, depth+1)).(*Base); ok {
			en.Signed = b.Encoding == EncSigned || b.Encoding == EncSignedChar
			if size == 0 {
				en.ByteSize = b.ByteSize
			}
		}
	}
	for _, c := range d.children(e) {
		if c.Tag != dwarf.TagEnumerator {
			continue
		}
		n, _ := c.Val(dwarf.AttrName).(string)
		v, _ := c.Val(dwarf.AttrConstValue).(int64)
		if v < 0 {
			en.Signed = true
		}
		en.Values = append(en.Values, EnumValue{Name: n, Value: v})
	}
	// Constants of data forms come zero-extended: sign-extend them for a
	// signed enum.
	if en.Signed && en.ByteSize > 0 && en.ByteSize < 8 {
		bits := uint(en.ByteSize * 8)
		for i := range en.Values {
			v := en.Values[i].Value
			if v > 0 && v>>(bits-1) == 1 {
				en.Values[i].Value = v - 1<<bits
			}
		}
	}
	return en
}

func (d *Data) decodeArray(e *dwarf.Entry, el Type) Type {
	a := &Array{Elem: el}
	for _, c := range d.children(e) {
		if c.Tag != dwarf.TagSubrangeType && c.Tag != dwarf.TagEnumerationType {
			continue
		}
		n := int64(-1)
		if v, ok := c.Val(dwarf.AttrCount).(int64); ok && c.AttrField(dwarf.AttrCount).Class == dwarf.ClassConstant {
			n = v
		} else if ub, ok := c.Val(dwarf.AttrUpperBound).(int64); ok && c.AttrField(dwarf.AttrUpperBound).Class == dwarf.ClassConstant {
			lb, _ := c.Val(dwarf.AttrLowerBound).(int64)
			n = ub - lb + 1
		}
		if n < 0 {
			n = -1
		}
		a.Dims = append(a.Dims, n)
		if len(a.Dims) > 64 {
			break
		}
	}
	if len(a.Dims) == 0 {
		a.Dims = []int64{-1}
	}
	return a
}

func (d *Data) decodeFuncType(e *dwarf.Entry, cu *CU, depth int) Type {
	ft := &FuncType{Return: voidType, cpp: cu.qualifiedNames()}
	ft.Prototyped, _ = e.Val(dwarf.AttrPrototyped).(bool)
	if ref, ok := e.Val(dwarf.AttrType).(dwarf.Offset); ok {
		ft.Return = d.decodeType(ref, depth+1)
	}
	for _, c := range d.children(e) {
		switch c.Tag {
		case dwarf.TagFormalParameter:
			var p Type = voidType
			if ref, ok := c.Val(dwarf.AttrType).(dwarf.Offset); ok {
				p = d.decodeType(ref, depth+1)
			}
			ft.Params = append(ft.Params, p)
		case dwarf.TagUnspecifiedParameters:
			ft.Variadic = true
		}
	}
	return ft
}

// qualify prefixes a C++ name with its namespaces and classes.
func (d *Data) qualify(off dwarf.Offset, name string) string {
	if name == "" {
		return ""
	}
	if p, ok := d.idx.prefix[off]; ok {
		return p + name
	}
	return name
}

// typeKey is the index key of a named type: "struct node" in C, the
// qualified name in C++.
func typeKey(keyword, name string, cpp bool) string {
	if cpp || keyword == "" {
		return name
	}
	return keyword + " " + name
}

// canonBase spells a C base type name canonically, so that
// "long unsigned int", "unsigned long" and "unsigned long int" are equal.
// ok is false if s is not made of base type words.
func canonBase(s string) (string, bool) {
	var signed, unsigned, char, short, int_, float, double bool
	longs := 0
	words := strings.Fields(s)
	if len(words) == 0 {
		return s, false
	}
	if len(words) == 1 {
		return words[0], true
	}
	for _, w := range words {
		switch w {
		case "signed":
			signed = true
		case "unsigned":
			unsigned = true
		case "char":
			char = true
		case "short":
			short = true
		case "int":
			int_ = true
		case "long":
			longs++
		case "float":
			float = true
		case "double":
			double = true
		default:
			return s, false
		}
	}
	_ = int_
	switch {
	case float:
		return "float", !double && longs == 0
	case double && longs == 1:
		return "long double", true
	case double:
		return "double", longs == 0
	case char && unsigned:
		return "unsigned char", true
	case char && signed:
		return "signed char", true
	case char:
		return "char", true
	}
	var base string
	switch {
	case short:
		base = "short"
	case longs == 1:
		base = "long"
	case longs >= 2:
		base = "long long"
	default:
		base = "int"
	}
	if unsigned {
		if base == "int" {
			return "unsigned int", true
		}
		return "unsigned " + base, true
	}
	return base, true
}

// TypeByName returns the types named name, for casts: "struct txn",
// "int", "unsigned long", a typedef name, "geo::Shape" in C++. Trailing
// "*"s and leading const/volatile are applied to the result. Identical
// definitions from several compile units are returned once.
func (d *Data) TypeByName(name string) []Type {
	if d == nil || d.idx == nil {
		return nil
	}
	name = strings.TrimSpace(name)
	ptrs := 0
	for strings.HasSuffix(name, "*") {
		ptrs++
		name = strings.TrimSpace(strings.TrimSuffix(name, "*"))
	}
	var cv Qualified
	for {
		if s, ok := strings.CutPrefix(name, "const "); ok {
			name, cv.Const = strings.TrimSpace(s), true
		} else if s, ok := strings.CutPrefix(name, "volatile "); ok {
			name, cv.Volatile = strings.TrimSpace(s), true
		} else {
			break
		}
	}
	name = strings.Join(strings.Fields(name), " ")
	if c, ok := canonBase(name); ok {
		name = c
	}
	refs := d.idx.types[name]
	if len(refs) == 0 {
		// Be lenient: "txn" for "struct txn" in C, "struct Shape" for
		// "Shape" in C++.
		for _, kw := range []string{"struct ", "union ", "enum ", "class "} {
			refs = append(refs, d.idx.types[kw+name]...)
			if s, ok := strings.CutPrefix(name, kw); ok {
				refs = append(refs, d.idx.types[s]...)
			}
		}
	}
	if len(refs) == 0 {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Type
	seen := map[string]bool{}
	// Definitions first, so that a declaration is only returned if no
	// definition exists.
	for pass := 0; pass < 2; pass++ {
		for _, r := range refs {
			if r.decl != (pass == 1) {
				continue
			}
			t := d.safeType(r.off)
			if t == nil {
				continue
			}
			key := fmt.Sprintf("%T %s %d", t, t.Name(), t.Size())
			if s, ok := t.(*Struct); ok && s.Declaration {
				key = fmt.Sprintf("%T %s", t, t.Name())
			}
			if seen[key] || pass == 1 && len(out) > 0 {
				continue
			}
			seen[key] = true
			out = append(out, t)
		}
	}
	for i, t := range out {
		if cv.Const || cv.Volatile {
			q := cv
			q.Type = t
			t = &q
		}
		for range ptrs {
			t = &Pointer{Elem: t, ByteSize: 4}
		}
		out[i] = t
	}
	return out
}

// safeType decodes a type, turning a panic of the standard library's
// reader on corrupt data into an error. Callers hold d.mu.
func (d *Data) safeType(off dwarf.Offset) (t Type) {
	defer func() {
		if p := recover(); p != nil {
			d.noteErr(panicError("decode type", p))
			t = nil
		}
	}()
	return d.typeAt(off)
}

// Declare spells a declaration of name with type t, C style: "char
// name[16]", "int (*fp)(int)", "const char *s". With name "" it is the
// type's name.
func Declare(t Type, name string) string { return declare(t, name) }

// IsFlagEnum reports whether an enum is a set of flags, as gdb decides: no
// enumerator is negative and no two share a bit. gdb prints a value of such
// an enum that matches no enumerator as "(A | B | unknown: 0x8)".
func (t *Enum) IsFlagEnum() bool {
	var seen uint64
	for _, v := range t.Values {
		if v.Value < 0 {
			return false
		}
		if uint64(v.Value)&seen != 0 {
			return false
		}
		seen |= uint64(v.Value)
	}
	return true
}

// Enumerator finds an enumeration constant by name in any compile unit:
// the enum type it belongs to and its value.
func (d *Data) Enumerator(name string) (*Enum, int64, bool) {
	if d == nil || d.idx == nil {
		return nil, 0, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.enumerators == nil {
		d.enumerators = map[string]enumerator{}
		for _, off := range d.idx.enums {
			e, ok := d.safeType(off).(*Enum)
			if !ok {
				continue
			}
			for _, v := range e.Values {
				if _, dup := d.enumerators[v.Name]; !dup {
					d.enumerators[v.Name] = enumerator{e, v.Value}
				}
			}
		}
	}
	en, ok := d.enumerators[name]
	return en.typ, en.val, ok
}

type enumerator struct {
	typ *Enum
	val int64
}
