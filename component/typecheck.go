package component

import (
	"fmt"
	"slices"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
)

// Link-time type checks of instantiation arguments: a value type, or a
// function's, must match what the import declares exactly (the Component
// Model's subtyping of value types is equality). Messages follow
// wasm-tools' wording, so they read the same as the spec tests' and as
// other tools'.

// typeMismatch returns nil when got matches want, or what differs first.
func typeMismatch(want, got abi.Type) error {
	wp, wPrim := want.(abi.PrimType)
	gp, gPrim := got.(abi.PrimType)
	switch {
	case wPrim && gPrim:
		if wp != gp {
			return fmt.Errorf("expected primitive `%s` found primitive `%s`", wp, gp)
		}
		return nil
	case wPrim:
		return fmt.Errorf("expected primitive, found %s", kindName(got))
	case gPrim:
		return fmt.Errorf("expected %s, found %s", kindName(want), gp)
	}
	if kindName(want) != kindName(got) {
		return fmt.Errorf("expected %s, found %s", kindName(want), kindName(got))
	}
	switch w := want.(type) {
	case *abi.RecordType:
		g := got.(*abi.RecordType)
		if len(w.Fields) != len(g.Fields) {
			return fmt.Errorf("expected %d fields, found %d", len(w.Fields), len(g.Fields))
		}
		for i, f := range w.Fields {
			if f.Label != g.Fields[i].Label {
				return fmt.Errorf("expected field name `%s`, found `%s`", f.Label, g.Fields[i].Label)
			}
			if err := typeMismatch(f.Type, g.Fields[i].Type); err != nil {
				return fmt.Errorf("type mismatch in record field `%s`: %w", f.Label, err)
			}
		}
	case *abi.VariantType:
		g := got.(*abi.VariantType)
		if len(w.Cases) != len(g.Cases) {
			return fmt.Errorf("expected %d cases, found %d", len(w.Cases), len(g.Cases))
		}
		for i, c := range w.Cases {
			gc := g.Cases[i]
			switch {
			case c.Label != gc.Label:
				return fmt.Errorf("expected case named `%s`, found `%s`", c.Label, gc.Label)
			case c.Type != nil && gc.Type == nil:
				return fmt.Errorf("expected case `%s` to have a type, found none", c.Label)
			case c.Type == nil && gc.Type != nil:
				return fmt.Errorf("expected case `%s` to have no type", c.Label)
			case c.Type != nil:
				if err := typeMismatch(c.Type, gc.Type); err != nil {
					return fmt.Errorf("type mismatch in variant case `%s`: %w", c.Label, err)
				}
			}
		}
	case *abi.TupleType:
		g := got.(*abi.TupleType)
		if len(w.Types) != len(g.Types) {
			return fmt.Errorf("expected %d types, found %d", len(w.Types), len(g.Types))
		}
		for i := range w.Types {
			if err := typeMismatch(w.Types[i], g.Types[i]); err != nil {
				return fmt.Errorf("type mismatch in tuple field %d: %w", i, err)
			}
		}
	case *abi.FlagsType:
		if !slices.Equal(w.Labels, got.(*abi.FlagsType).Labels) {
			return fmt.Errorf("mismatch in flags elements")
		}
	case *abi.EnumType:
		if !slices.Equal(w.Labels, got.(*abi.EnumType).Labels) {
			return fmt.Errorf("mismatch in enum elements")
		}
	case *abi.OptionType:
		if err := typeMismatch(w.Elem, got.(*abi.OptionType).Elem); err != nil {
			return fmt.Errorf("type mismatch in option: %w", err)
		}
	case *abi.ResultType:
		g := got.(*abi.ResultType)
		if err := optional("ok", w.Ok, g.Ok); err != nil {
			return err
		}
		if err := optional("err", w.Err, g.Err); err != nil {
			return err
		}
	case *abi.ListType:
		g := got.(*abi.ListType)
		if w.Len != g.Len {
			return fmt.Errorf("expected a list of length %d, found %d", w.Len, g.Len)
		}
		if err := typeMismatch(w.Elem, g.Elem); err != nil {
			return fmt.Errorf("type mismatch in list element: %w", err)
		}
	case *abi.OwnType:
		if w.Resource != got.(*abi.OwnType).Resource {
			return fmt.Errorf("resource types are not the same")
		}
	case *abi.BorrowType:
		if w.Resource != got.(*abi.BorrowType).Resource {
			return fmt.Errorf("resource types are not the same")
		}
	default:
		if want.String() != got.String() {
			return fmt.Errorf("expected %s, found %s", want, got)
		}
	}
	return nil
}

// optional compares a result's ok or err types, either of which may be
// absent.
func optional(which string, want, got abi.Type) error {
	switch {
	case want == nil && got != nil:
		return fmt.Errorf("expected %s type to not be present", which)
	case want != nil && got == nil:
		return fmt.Errorf("expected %s type, but found none", which)
	case want != nil:
		if err := typeMismatch(want, got); err != nil {
			return fmt.Errorf("type mismatch in %s variant: %w", which, err)
		}
	}
	return nil
}

// kindName names a type's kind as the messages do.
func kindName(t abi.Type) string {
	switch t.(type) {
	case abi.PrimType:
		return "primitive"
	case *abi.RecordType:
		return "record"
	case *abi.VariantType:
		return "variant"
	case *abi.TupleType:
		return "tuple"
	case *abi.FlagsType:
		return "flags"
	case *abi.EnumType:
		return "enum"
	case *abi.OptionType:
		return "option"
	case *abi.ResultType:
		return "result"
	case *abi.ListType:
		return "list"
	case *abi.OwnType:
		return "own"
	case *abi.BorrowType:
		return "borrow"
	case *abi.StreamType:
		return "stream"
	case *abi.FutureType:
		return "future"
	case *abi.MapType:
		return "map"
	}
	return fmt.Sprintf("%T", t)
}

// funcMismatch returns nil when a function of type got may be passed for
// an import of type want.
func funcMismatch(want, got *funcType) error {
	if len(want.Params) != len(got.Params) {
		return fmt.Errorf("expected %d parameters, found %d", len(want.Params), len(got.Params))
	}
	for i := range want.Params {
		if want.ParamNames[i] != got.ParamNames[i] {
			return fmt.Errorf("expected parameter named `%s`, found `%s`", want.ParamNames[i], got.ParamNames[i])
		}
		if err := typeMismatch(want.Params[i], got.Params[i]); err != nil {
			return fmt.Errorf("type mismatch in function parameter `%s`: %w", want.ParamNames[i], err)
		}
	}
	switch {
	case len(want.Results) == 0 && len(got.Results) > 0:
		return fmt.Errorf("expected no result, found one")
	case len(want.Results) > 0 && len(got.Results) == 0:
		return fmt.Errorf("expected a result, found none")
	case len(want.Results) > 0:
		if err := typeMismatch(want.Results[0], got.Results[0]); err != nil {
			return fmt.Errorf("type mismatch with result type: %w", err)
		}
	}
	if want.Async != got.Async {
		return fmt.Errorf("expected an async function to be async, or a sync one sync")
	}
	return nil
}

// instanceMismatch checks an instance passed for an import of instance
// type ti: every export the type declares must be there, of the right kind
// and type. Extra exports are allowed.
func (sc *scope) instanceMismatch(ti uint32, inst *Instance) error {
	e, err := sc.types.entry(ti)
	if err != nil || e.def == nil || e.def.Kind != compbin.TypeInstance {
		return nil // not a type this checks
	}
	return instanceDecls(e.def, e.space, false, func(d compbin.Decl, local *typeSpace) (*typeEntry, error) {
		name := d.Name.Name
		x, ok := inst.Exports[name]
		if !ok {
			return nil, fmt.Errorf("missing expected export `%s`", name)
		}
		if want := d.Extern.Kind.Sort(); x.Sort != want {
			return nil, fmt.Errorf("type mismatch in instance export `%s`: expected a %s, found a %s", name, want, x.Sort)
		}
		if d.Extern.Kind == compbin.ExternKindFunc && x.Func != nil {
			if ft, err := local.funcType(d.Extern.Type); err == nil {
				if err := funcMismatch(ft, x.Func.Type); err != nil {
					return nil, fmt.Errorf("type mismatch in instance export `%s`: %w", name, err)
				}
			}
		}
		// An exported type joins the local space, for later declarations
		// that refer to it.
		return x.Type, nil
	})
}

// moduleMismatch checks a core module passed for an import of core module
// type mt: it may import less than the type declares and export more, and
// what both name must be the same kind of item.
func moduleMismatch(mt *compbin.CoreType, m *compbin.CoreModule) error {
	if mt == nil || !mt.IsModule {
		return nil
	}
	wm, err := wasmbin.Decode(m.Bytes)
	if err != nil {
		return nil // reported when it is instantiated
	}
	declImports := map[string]compbin.CoreExternKind{}
	declExports := map[string]compbin.CoreExternKind{}
	for _, d := range mt.Module {
		switch d.Kind {
		case compbin.ModuleDeclImport:
			declImports[d.Module+"::"+d.Name] = d.Extern.Kind
		case compbin.ModuleDeclExport:
			declExports[d.Name] = d.Extern.Kind
		}
	}
	for _, im := range wm.Imports {
		key := im.Module + "::" + im.Name
		k, ok := declImports[key]
		if !ok {
			return fmt.Errorf("missing expected import `%s`", key)
		}
		if byte(k) != byte(im.Kind) {
			return fmt.Errorf("type mismatch in import `%s`", key)
		}
	}
	exports := map[string]wasmbin.ExternKind{}
	for _, e := range wm.Exports {
		exports[e.Name] = e.Kind
	}
	for name, k := range declExports {
		got, ok := exports[name]
		if !ok {
			return fmt.Errorf("missing expected export `%s`", name)
		}
		if byte(k) != byte(got) {
			return fmt.Errorf("type mismatch in export `%s`", name)
		}
	}
	return nil
}
