package cexpr

import (
	"strconv"

	"wdbg/dwarf"
)

// Child is a member, element or pointee of a value, for tree views.
type Child struct {
	Name  string // "amount", "[3]", "*acct", "<anonymous union>", "<Base>"
	Value Value
}

// HasChildren reports whether Children would return something: a struct
// with members, a non-empty array, a pointer to data (not to void, char or
// a function) that is not null.
func HasChildren(v Value) bool {
	switch u := strip(v.Type).(type) {
	case *dwarf.Struct:
		return len(u.Fields) > 0 && !v.lazy && v.anyAvailable() || len(u.Fields) > 0 && v.lazy
	case *dwarf.Array:
		return u.Count() > 0
	case *dwarf.Pointer:
		el := u.Elem
		switch classOf(el) {
		case clVoid, clFunc, clOther:
			return false
		}
		if isChar(el) || v.lazy || !v.available() {
			return false
		}
		return v.raw() != 0
	}
	return false
}

// Children returns the members of a struct, the first limit elements of an
// array, or the pointee of a pointer (named "*"+name).
func Children(env Env, name string, v Value, limit int) ([]Child, error) {
	var err error
	if classOf(v.Type) == clPtr {
		if v, err = fetch(env, v); err != nil {
			return nil, err
		}
	}
	if !HasChildren(v) {
		return nil, nil
	}
	ev := &evaluator{env: env}
	switch u := strip(v.Type).(type) {
	case *dwarf.Struct:
		if v.lazy && size(v.Type) <= maxFetch {
			if v, err = fetch(env, v); err != nil {
				return nil, err
			}
		}
		out := make([]Child, 0, len(u.Fields))
		for _, f := range u.Fields {
			n := f.Name
			switch {
			case f.IsBase:
				n = "<" + f.Type.Name() + ">"
			case n == "":
				n = "<anonymous " + anonKind(f.Type) + ">"
			}
			out = append(out, Child{Name: n, Value: field(v, f)})
		}
		return out, nil
	case *dwarf.Array:
		if v.lazy && size(v.Type) <= maxFetch {
			if v, err = fetch(env, v); err != nil {
				return nil, err
			}
		}
		n := u.Count()
		if limit > 0 && n > int64(limit) {
			n = int64(limit)
		}
		out := make([]Child, 0, n)
		for i := int64(0); i < n; i++ {
			e, err := ev.element(v, i)
			if err != nil {
				return out, err
			}
			out = append(out, Child{Name: "[" + strconv.FormatInt(i, 10) + "]", Value: e})
		}
		return out, nil
	case *dwarf.Pointer:
		d, err := ev.deref(v)
		if err != nil {
			return nil, err
		}
		return []Child{{Name: "*" + name, Value: d}}, nil
	}
	return nil, nil
}

func anonKind(t dwarf.Type) string {
	if s, ok := strip(t).(*dwarf.Struct); ok {
		return keyword(s)
	}
	return "member"
}

// IsAggregate reports whether v is a struct, union or array (gdb prints
// such frame arguments as "...").
func IsAggregate(v Value) bool {
	switch classOf(v.Type) {
	case clStruct, clArray:
		return true
	}
	return false
}

// TypeName spells v's type ("struct account *").
func TypeName(v Value) string {
	if v.Type == nil {
		return "void"
	}
	return dwarf.Declare(v.Type, "")
}
