package component

import (
	"fmt"

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
func (e *typeEntry) withOrigin(o entryOrigin) *typeEntry {
	c := *e
	c.busy = false
	c.origin = o
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
