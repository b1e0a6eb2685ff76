package component

import (
	"fmt"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
)

// typeSpace is a type index space: a component's, or the local one of an
// instance or component type's declarations. Outer aliases go up parent.
type typeSpace struct {
	parent *typeSpace
	types  []*typeEntry
}

// typeEntry is one type: a value type (resolved on first use), a resource
// type, a function type, or an instance or component type (kept as its
// declarations, with the space they are read in).
type typeEntry struct {
	def   *compbin.Type
	space *typeSpace // where def's indices resolve
	val   abi.Type
	res   *abi.ResourceType
	busy  bool // resolving: a cycle means a malformed component
	// origin is where this index came from (visibility.go), and name the
	// name it was imported or exported under.
	origin entryOrigin
	name   string
}

func (s *typeSpace) add(e *typeEntry) { s.types = append(s.types, e) }

func (s *typeSpace) entry(i uint32) (*typeEntry, error) {
	if int(i) >= len(s.types) {
		return nil, fmt.Errorf("type index %d out of range (%d types)", i, len(s.types))
	}
	return s.types[i], nil
}

// outer returns the space count levels up.
func (s *typeSpace) outer(count uint32) (*typeSpace, error) {
	for range count {
		if s.parent == nil {
			return nil, fmt.Errorf("outer alias goes out %d levels, past the outermost component", count)
		}
		s = s.parent
	}
	return s, nil
}

// valType converts a value type.
func (s *typeSpace) valType(v compbin.ValType) (abi.Type, error) {
	if v.Prim != 0 {
		return primType(v.Prim)
	}
	e, err := s.entry(v.Index)
	if err != nil {
		return nil, err
	}
	return e.value()
}

func (s *typeSpace) optValType(v *compbin.ValType) (abi.Type, error) {
	if v == nil {
		return nil, nil
	}
	return s.valType(*v)
}

// resource returns the resource type at index i.
func (s *typeSpace) resource(i uint32) (*abi.ResourceType, error) {
	e, err := s.entry(i)
	if err != nil {
		return nil, err
	}
	if e.res == nil {
		return nil, fmt.Errorf("type %d is not a resource type", i)
	}
	return e.res, nil
}

// value resolves the entry as a value type.
func (e *typeEntry) value() (abi.Type, error) {
	if e.val != nil {
		return e.val, nil
	}
	if e.def == nil {
		return nil, fmt.Errorf("not a value type")
	}
	if e.busy {
		return nil, fmt.Errorf("type refers to itself")
	}
	e.busy = true
	defer func() { e.busy = false }()
	t, err := e.space.defType(e.def)
	if err != nil {
		return nil, err
	}
	e.val = t
	return t, nil
}

// defType converts a defined value type.
func (s *typeSpace) defType(d *compbin.Type) (abi.Type, error) {
	switch d.Kind {
	case compbin.TypePrim:
		return primType(d.Prim)
	case compbin.TypeRecord:
		rt := &abi.RecordType{}
		for _, f := range d.Fields {
			ft, err := s.valType(f.Type)
			if err != nil {
				return nil, err
			}
			rt.Fields = append(rt.Fields, abi.FieldType{Label: f.Name, Type: ft})
		}
		return rt, nil
	case compbin.TypeVariant:
		vt := &abi.VariantType{}
		for _, c := range d.Cases {
			ct, err := s.optValType(c.Type)
			if err != nil {
				return nil, err
			}
			vt.Cases = append(vt.Cases, abi.CaseType{Label: c.Name, Type: ct})
		}
		return vt, nil
	case compbin.TypeList, compbin.TypeFixedList:
		et, err := s.optValType(d.Elem)
		if err != nil {
			return nil, err
		}
		return &abi.ListType{Elem: et, Len: d.Len}, nil
	case compbin.TypeTuple:
		tt := &abi.TupleType{}
		for _, v := range d.Tuple {
			et, err := s.valType(v)
			if err != nil {
				return nil, err
			}
			tt.Types = append(tt.Types, et)
		}
		return tt, nil
	case compbin.TypeFlags:
		return &abi.FlagsType{Labels: d.Labels}, nil
	case compbin.TypeEnum:
		return &abi.EnumType{Labels: d.Labels}, nil
	case compbin.TypeOption:
		et, err := s.optValType(d.Elem)
		if err != nil {
			return nil, err
		}
		return &abi.OptionType{Elem: et}, nil
	case compbin.TypeResult:
		ok, err := s.optValType(d.Ok)
		if err != nil {
			return nil, err
		}
		bad, err := s.optValType(d.Err)
		if err != nil {
			return nil, err
		}
		return &abi.ResultType{Ok: ok, Err: bad}, nil
	case compbin.TypeOwn:
		r, err := s.resource(d.Resource)
		if err != nil {
			return nil, err
		}
		return &abi.OwnType{Resource: r}, nil
	case compbin.TypeBorrow:
		r, err := s.resource(d.Resource)
		if err != nil {
			return nil, err
		}
		return &abi.BorrowType{Resource: r}, nil
	case compbin.TypeStream:
		et, err := s.optValType(d.Elem)
		if err != nil {
			return nil, err
		}
		return &abi.StreamType{Elem: et}, nil
	case compbin.TypeFuture:
		et, err := s.optValType(d.Elem)
		if err != nil {
			return nil, err
		}
		return &abi.FutureType{Elem: et}, nil
	case compbin.TypeMap:
		kt, err := s.valType(d.Key)
		if err != nil {
			return nil, err
		}
		vt, err := s.optValType(d.Elem)
		if err != nil {
			return nil, err
		}
		return &abi.MapType{Key: kt, Value: vt}, nil
	}
	return nil, fmt.Errorf("%s is not a value type", d.Kind)
}

// funcType is a component function's type.
type funcType struct {
	ParamNames []string
	Params     []abi.Type
	Results    []abi.Type
	Async      bool
}

// funcType converts the function type at index i.
func (s *typeSpace) funcType(i uint32) (*funcType, error) {
	e, err := s.entry(i)
	if err != nil {
		return nil, err
	}
	if e.def == nil || e.def.Kind != compbin.TypeFunc {
		return nil, fmt.Errorf("type %d is not a function type", i)
	}
	ft := &funcType{Async: e.def.Async}
	for _, p := range e.def.Fields {
		pt, err := e.space.valType(p.Type)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", p.Name, err)
		}
		ft.ParamNames = append(ft.ParamNames, p.Name)
		ft.Params = append(ft.Params, pt)
	}
	if e.def.Elem != nil {
		rt, err := e.space.valType(*e.def.Elem)
		if err != nil {
			return nil, fmt.Errorf("result: %w", err)
		}
		ft.Results = []abi.Type{rt}
	}
	for _, t := range append(append([]abi.Type(nil), ft.Params...), ft.Results...) {
		if err := abi.Validate(t); err != nil {
			return nil, err
		}
	}
	return ft, nil
}

// primTypes maps the binary's primitive types to the ABI's.
var primTypes = map[compbin.PrimType]abi.PrimType{
	compbin.PrimBool: abi.BoolType, compbin.PrimS8: abi.S8Type, compbin.PrimU8: abi.U8Type,
	compbin.PrimS16: abi.S16Type, compbin.PrimU16: abi.U16Type, compbin.PrimS32: abi.S32Type,
	compbin.PrimU32: abi.U32Type, compbin.PrimS64: abi.S64Type, compbin.PrimU64: abi.U64Type,
	compbin.PrimF32: abi.F32Type, compbin.PrimF64: abi.F64Type, compbin.PrimChar: abi.CharType,
	compbin.PrimString: abi.StringType, compbin.PrimErrorContext: abi.ErrorContextType,
}

func primType(p compbin.PrimType) (abi.Type, error) {
	if t, ok := primTypes[p]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("unknown primitive type 0x%02x", byte(p))
}

// typeString writes a function type in WIT syntax.
func (f *funcType) String() string {
	s := "func("
	for i, p := range f.Params {
		if i > 0 {
			s += ", "
		}
		s += f.ParamNames[i] + ": " + fmt.Sprint(p)
	}
	s += ")"
	if len(f.Results) == 1 {
		s += " -> " + fmt.Sprint(f.Results[0])
	}
	return s
}

// instanceDecls reads the declarations of instance type def, whose outer
// aliases resolve from space, in a type space of their own: local type
// definitions and outer type aliases join it, and export is called for each
// export. For a type export, the entry export returns joins the space too
// (nil stands for a type not known). An alias that cannot be resolved, or a
// declaration an instance type may not hold, is an error when strict, and
// otherwise an unknown type or nothing.
func instanceDecls(def *compbin.Type, space *typeSpace, strict bool, export func(d compbin.Decl, local *typeSpace) (*typeEntry, error)) error {
	local := &typeSpace{parent: space}
	for _, d := range def.Decls {
		switch d.Kind {
		case compbin.DeclType:
			local.add(&typeEntry{def: d.Type, space: local})
		case compbin.DeclCoreType:
		case compbin.DeclAlias:
			te, err := outerTypeAlias(local, d.Alias)
			if err != nil {
				if strict {
					return err
				}
				te = &typeEntry{}
			}
			local.add(te)
		case compbin.DeclExport:
			te, err := export(d, local)
			if err != nil {
				return err
			}
			if d.Extern.Kind == compbin.ExternKindType {
				if te == nil {
					te = &typeEntry{}
				}
				local.add(te)
			}
		default:
			if strict {
				return fmt.Errorf("instance type declaration kind %d not supported", d.Kind)
			}
		}
	}
	return nil
}

// outerTypeAlias resolves an alias declared in a type to an outer type.
func outerTypeAlias(local *typeSpace, a *compbin.Alias) (*typeEntry, error) {
	if a.Kind != compbin.AliasOuter || a.Sort != compbin.SortType {
		return nil, fmt.Errorf("instance type declares an alias this runtime does not support")
	}
	o, err := local.outer(a.Count)
	if err != nil {
		return nil, err
	}
	return o.entry(a.Idx)
}
