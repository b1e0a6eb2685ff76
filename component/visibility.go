package component

import (
	"fmt"
	"strings"

	"wdbg/internal/compbin"
)

// External visibility of types (Explainer.md#external-visibility-of-types):
// the type of an exported function or type may name a resource, record,
// variant, enum or flags type only through an index that an import or an
// export introduced, never the component's own definition; an imported
// function's type only through imported types. Each type entry records
// where its index came from, and these checks walk a type's definition.

// entryOrigin is where a type index came from, for visibility.
type entryOrigin uint8

const (
	originOther    entryOrigin = iota // an alias, or a type declared by an instance type
	originLocal                       // a definition in this component's type section
	originImported                    // a type import
	originExported                    // a type export (a new index for the exported type)
)

// withOrigin returns a copy of e (the same type, resource included) under
// a new origin: what an import or an export of it adds to the index space.
func (e *typeEntry) withOrigin(o entryOrigin, name string) *typeEntry {
	c := *e
	c.busy = false
	c.origin = o
	c.name = name
	return &c
}

// namedKind reports the kinds of type definitions that are nominal in WIT.
func namedKind(k compbin.TypeKind) bool {
	switch k {
	case compbin.TypeRecord, compbin.TypeVariant, compbin.TypeEnum, compbin.TypeFlags, compbin.TypeResource:
		return true
	}
	return false
}

// checkVisibleFunc checks the function type at index idx of space for use
// as an export, or as an import when imported.
func checkVisibleFunc(space *typeSpace, idx uint32, imported bool) error {
	e, err := space.entry(idx)
	if err != nil || e.def == nil || e.def.Kind != compbin.TypeFunc {
		return nil // reported elsewhere, or not known here
	}
	return visibleContents(e, imported, 0)
}

// visibleVal checks one value type of a definition in space.
func visibleVal(space *typeSpace, v compbin.ValType, imported bool, depth int) error {
	if v.Prim != 0 || depth > 64 {
		return nil
	}
	e, err := space.entry(v.Index)
	if err != nil {
		return nil // reported elsewhere
	}
	switch {
	case e.origin == originLocal && (e.res != nil || e.def != nil && namedKind(e.def.Kind)):
		return fmt.Errorf("it refers to type %d, which this component defines but neither imports nor exports", v.Index)
	case imported && e.origin == originExported:
		return fmt.Errorf("it refers to type %d, which this component exports: an import may refer only to imported types", v.Index)
	case e.origin == originExported, e.origin == originImported:
		return nil // checked where it was exported, or the importer's concern
	}
	if e.def == nil {
		return nil
	}
	return visibleContents(e, imported, depth+1)
}

// visibleContents checks the types a definition refers to.
func visibleContents(e *typeEntry, imported bool, depth int) error {
	d, s := e.def, e.space
	var vals []compbin.ValType
	for _, f := range d.Fields {
		vals = append(vals, f.Type)
	}
	for _, c := range d.Cases {
		if c.Type != nil {
			vals = append(vals, *c.Type)
		}
	}
	for _, p := range []*compbin.ValType{d.Elem, d.Ok, d.Err} {
		if p != nil {
			vals = append(vals, *p)
		}
	}
	vals = append(vals, d.Tuple...)
	switch d.Kind {
	case compbin.TypeMap:
		vals = append(vals, d.Key)
	case compbin.TypeOwn, compbin.TypeBorrow:
		vals = append(vals, compbin.ValType{Index: d.Resource})
	}
	for _, v := range vals {
		if err := visibleVal(s, v, imported, depth); err != nil {
			return err
		}
	}
	return nil
}

// checkAnnotated checks an import or export whose name is annotated
// ([constructor]R, [method]R.m, [static]R.m): it must be a function, of the
// shape the annotation promises, on the resource imported or exported as R
// in the same scope. isFunc says whether the item is a function, and ft is
// then its type's index in space. typeNamed says whether a type of a name
// is imported or exported there.
func checkAnnotated(space *typeSpace, name string, isFunc bool, ft uint32, typeNamed func(string) bool) error {
	if !strings.HasPrefix(name, "[") {
		return nil
	}
	end := strings.IndexByte(name, ']')
	if end < 0 {
		return nil // checkNameSyntax reports it
	}
	kind, rest := strings.TrimPrefix(name[1:end], "async "), name[end+1:]
	res := rest
	switch kind {
	case "constructor":
	case "method", "static":
		r, _, ok := strings.Cut(rest, ".")
		if !ok {
			return fmt.Errorf("`%s`: failed to find `.` character", name)
		}
		res = r
	default:
		return nil
	}
	if !isFunc {
		return fmt.Errorf("`%s` is not a func", name)
	}
	e, err := space.entry(ft)
	if err != nil || e.def == nil || e.def.Kind != compbin.TypeFunc {
		return nil // reported elsewhere
	}
	d := e.def
	// resourceOf returns the name of the resource behind an own or borrow
	// value type, and whether v is one of that kind.
	resourceOf := func(v compbin.ValType, want compbin.TypeKind) (string, bool) {
		if v.Prim != 0 {
			return "", false
		}
		te, err := e.space.entry(v.Index)
		if err != nil || te.def == nil || te.def.Kind != want {
			return "", false
		}
		re, err := te.space.entry(te.def.Resource)
		if err != nil {
			return "", true
		}
		return re.name, true
	}
	match := func(got string) error {
		if got != "" && got != res {
			return fmt.Errorf("`%s`: function does not match expected resource name `%s`", name, got)
		}
		return nil
	}
	switch kind {
	case "constructor":
		if d.Elem == nil {
			return fmt.Errorf("`%s`: function should return one value", name)
		}
		r := *d.Elem
		if got, ok := resourceOf(r, compbin.TypeOwn); ok {
			return match(got)
		}
		if r.Prim == 0 {
			if te, err := e.space.entry(r.Index); err == nil && te.def != nil && te.def.Kind == compbin.TypeResult && te.def.Ok != nil {
				if got, ok := resourceOf(*te.def.Ok, compbin.TypeOwn); ok {
					return match(got)
				}
			}
		}
		if !typeNamed(res) {
			return fmt.Errorf("`%s`: function should return `(own $T)`", name)
		}
		return fmt.Errorf("`%s`: function should return `(own $T)` or `(result (own $T))`", name)
	case "method":
		if len(d.Fields) == 0 {
			return fmt.Errorf("`%s`: function should have at least one argument", name)
		}
		if d.Fields[0].Name != "self" {
			return fmt.Errorf("`%s`: function should have a first argument called `self`", name)
		}
		got, ok := resourceOf(d.Fields[0].Type, compbin.TypeBorrow)
		if !ok {
			return fmt.Errorf("`%s`: function should take a first argument of `(borrow $T)`", name)
		}
		return match(got)
	case "static":
		if !typeNamed(res) {
			return fmt.Errorf("`%s`: static resource name is not known in this context", name)
		}
	}
	return nil
}
