package cexpr

import (
	"fmt"
	"strings"

	"wdbg/dwarf"
)

// Whatis spells a type as gdb's whatis does: its name as declared.
func Whatis(t dwarf.Type) string {
	return dwarf.Declare(t, "")
}

// WhatisTypedef is whatis applied to a type name: a typedef is unrolled
// one level ("whatis size_t" is "unsigned long").
func WhatisTypedef(t dwarf.Type) string {
	if td, ok := t.(*dwarf.Typedef); ok {
		return dwarf.Declare(td.Type, "")
	}
	return dwarf.Declare(t, "")
}

// Ptype spells a type as gdb's ptype does: typedefs resolved and the
// struct, union or enum at its core written out with its members.
func Ptype(t dwarf.Type) string {
	t = stripTypedefs(t)
	base := core(t)
	full := dwarf.Declare(t, "")
	bs := strip(base)
	switch bs.(type) {
	case *dwarf.Struct, *dwarf.Enum:
	default:
		return full
	}
	name := base.Name()
	body := typeBody(bs, 0, 1)
	if i := strings.Index(full, name); i >= 0 && name != "" {
		return full[:i] + body + full[i+len(name):]
	}
	return full
}

// stripTypedefs removes typedefs and qualifiers from t and from what its
// pointers, arrays and functions are built on, as ptype shows them.
func stripTypedefs(t dwarf.Type) dwarf.Type {
	for range 64 {
		switch u := t.(type) {
		case *dwarf.Typedef:
			t = u.Type
			continue
		case *dwarf.Pointer:
			return &dwarf.Pointer{Elem: stripTypedefs(u.Elem), ByteSize: u.ByteSize}
		case *dwarf.Array:
			return &dwarf.Array{Elem: stripTypedefs(u.Elem), Dims: u.Dims}
		case *dwarf.Qualified:
			q := *u
			q.Type = stripTypedefs(u.Type)
			return &q
		}
		return t
	}
	return t
}

// core is the type a declarator chain is built on.
func core(t dwarf.Type) dwarf.Type {
	for range 64 {
		switch u := t.(type) {
		case *dwarf.Pointer:
			t = u.Elem
		case *dwarf.Reference:
			t = u.Elem
		case *dwarf.Array:
			t = u.Elem
		case *dwarf.Qualified:
			t = u.Type
		case *dwarf.FuncType:
			t = u.Return
		default:
			return t
		}
	}
	return t
}

// typeBody writes a struct, union or enum with its members. show is gdb's:
// 1 at the top, members get show-1; a named type at show <= 0 is its
// name, an anonymous one is expanded at show 0 and "{...}" below.
func typeBody(t dwarf.Type, indent, show int) string {
	switch u := t.(type) {
	case *dwarf.Enum:
		var b strings.Builder
		b.WriteString("enum ")
		if u.TypeName != "" {
			b.WriteString(u.TypeName + " ")
		}
		if show < 0 && u.TypeName == "" {
			b.WriteString("{...}")
			return b.String()
		}
		b.WriteString("{")
		next := int64(0)
		for i, v := range u.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v.Name)
			if v.Value != next {
				fmt.Fprintf(&b, " = %d", v.Value)
			}
			next = v.Value + 1
		}
		b.WriteString("}")
		return b.String()
	case *dwarf.Struct:
		var b strings.Builder
		b.WriteString(keyword(u) + " ")
		if u.TypeName != "" {
			b.WriteString(u.TypeName + " ")
		}
		if show < 0 {
			b.WriteString("{...}")
			return b.String()
		}
		if u.Declaration {
			b.WriteString("{\n" + pad(indent+4) + "<incomplete type>\n" + pad(indent) + "}")
			return b.String()
		}
		b.WriteString("{\n")
		if len(u.Fields) == 0 {
			b.WriteString(pad(indent+4) + "<no data fields>\n")
		}
		for _, f := range u.Fields {
			b.WriteString(pad(indent + 4))
			ft := f.Type
			decl := ""
			if f.IsBase {
				// C++ base classes are listed as members would be.
				b.WriteString(fmt.Sprintf("/* base */ %s;\n", ft.Name()))
				continue
			}
			inner := core(ft)
			if s, ok := strip(inner).(*dwarf.Struct); ok && s.TypeName == "" && inner == strip(inner) {
				body := typeBody(s, indent+4, show-1)
				decl = replaceCore(dwarf.Declare(ft, f.Name), inner.Name(), body)
			} else if e, ok := strip(inner).(*dwarf.Enum); ok && e.TypeName == "" && inner == strip(inner) {
				decl = replaceCore(dwarf.Declare(ft, f.Name), inner.Name(), typeBody(e, indent+4, show-1))
			} else {
				decl = dwarf.Declare(ft, f.Name)
			}
			b.WriteString(decl)
			if f.BitSize > 0 {
				fmt.Fprintf(&b, " : %d", f.BitSize)
			}
			b.WriteString(";\n")
		}
		b.WriteString(pad(indent) + "}")
		return b.String()
	}
	return t.Name()
}

func replaceCore(decl, name, body string) string {
	if i := strings.Index(decl, name); i >= 0 && name != "" {
		return decl[:i] + body + decl[i+len(name):]
	}
	return decl
}

func pad(n int) string { return strings.Repeat(" ", n) }

func keyword(s *dwarf.Struct) string {
	switch s.Kind {
	case dwarf.KindUnion:
		return "union"
	case dwarf.KindClass:
		return "class"
	}
	return "struct"
}
