package compbin

import "fmt"

// SectionID identifies a component section.
type SectionID uint8

// Component section ids (Binary.md, "Component Definitions").
const (
	SectionCustom       SectionID = 0
	SectionCoreModule   SectionID = 1
	SectionCoreInstance SectionID = 2
	SectionCoreType     SectionID = 3
	SectionComponent    SectionID = 4
	SectionInstance     SectionID = 5
	SectionAlias        SectionID = 6
	SectionType         SectionID = 7
	SectionCanon        SectionID = 8
	SectionStart        SectionID = 9
	SectionImport       SectionID = 10
	SectionExport       SectionID = 11
	SectionValue        SectionID = 12
	// SectionPreamble is not a real section: DecodeError uses it for the
	// preamble and for section headers.
	SectionPreamble SectionID = 0xff
)

var sectionNames = [...]string{"custom", "core module", "core instance", "core type", "component",
	"instance", "alias", "type", "canon", "start", "import", "export", "value"}

// String returns the section's name as used in error messages ("core type").
func (s SectionID) String() string {
	if int(s) < len(sectionNames) {
		return sectionNames[s]
	}
	if s == SectionPreamble {
		return "preamble"
	}
	return fmt.Sprintf("section(%d)", uint8(s))
}

// Section is the layout of one section of a component: where it is and
// which items it contributed.
type Section struct {
	// ID is the section id.
	ID SectionID
	// Offset is the file offset of the id byte.
	Offset int
	// Start and End delimit the payload (after the size) in the file.
	Start, End int
	// First and Count locate the section's items in the Component slice for
	// its kind (CoreModules for section 1, Aliases for section 6, ...).
	// Count is 1 for core module, component, start and custom sections.
	First, Count int
}

// Sort is a component sort (the kind of an index space), core sorts
// included. The values are this package's own, not binary opcodes.
type Sort uint8

// Sorts. Core sorts are prefixed Core.
const (
	SortCoreFunc Sort = iota
	SortCoreTable
	SortCoreMemory
	SortCoreGlobal
	SortCoreTag
	SortCoreType
	SortCoreModule
	SortCoreInstance
	SortFunc
	SortValue
	SortType
	SortComponent
	SortInstance
	numSorts
)

var sortNames = [...]string{"core func", "core table", "core memory", "core global", "core tag",
	"core type", "core module", "core instance", "func", "value", "type", "component", "instance"}

// String returns the sort as written in the text format ("core func", "instance").
func (s Sort) String() string {
	if s < numSorts {
		return sortNames[s]
	}
	return fmt.Sprintf("sort(%d)", uint8(s))
}

// IsCore reports whether s is a core sort.
func (s Sort) IsCore() bool { return s <= SortCoreInstance }

// SortIdx is a reference to an item: a sort and an index in its index space.
type SortIdx struct {
	// Sort is the index space.
	Sort Sort
	// Index is the index in it.
	Index uint32
}

// String returns e.g. "core func 3".
func (s SortIdx) String() string { return fmt.Sprintf("%s %d", s.Sort, s.Index) }

// Component is a decoded component binary. Items are kept in per-kind slices
// in file order; Sections records how they were interleaved, which matters
// because every definition appends to an index space (each item records the
// index it got in its Index field). Byte slices alias the decoded input.
type Component struct {
	// Index is a nested component's index in its parent's component
	// index space (0 for the top-level component).
	Index uint32
	// Version is the preamble's version (0x0d) and Layer its layer (1).
	Version, Layer uint16
	// Offset and End delimit the component's bytes in the file (for the
	// top-level component, 0 and len(input)).
	Offset, End int
	// Sections lists every section in file order.
	Sections []Section

	// CoreModules holds section 1 items.
	CoreModules []CoreModule
	// CoreInstances holds section 2 items.
	CoreInstances []CoreInstance
	// CoreTypes holds section 3 items.
	CoreTypes []CoreType
	// Components holds nested components (section 4), decoded recursively.
	Components []*Component
	// Instances holds section 5 items.
	Instances []Instance
	// Aliases holds section 6 items.
	Aliases []Alias
	// Types holds section 7 items.
	Types []Type
	// Canons holds section 8 items.
	Canons []Canon
	// Starts holds section 9 items (🪙; at most one in practice).
	Starts []Start
	// Imports holds section 10 items.
	Imports []Import
	// Exports holds section 11 items.
	Exports []Export
	// Values holds section 12 items (🪙).
	Values []Value
	// Customs holds every custom section, the name section included.
	Customs []Custom
	// Names is the decoded "component-name" custom section, or nil when
	// there is none or it is malformed (a bad name section is not an error).
	Names *Names

	counts [numSorts]uint32
}

// IndexSpaceLen returns how many items the component defines in the index
// space of s (imports, definitions, aliases and exports together).
func (c *Component) IndexSpaceLen(s Sort) int {
	if s >= numSorts {
		return 0
	}
	return int(c.counts[s])
}

// CoreModule is an embedded core module (section 1), kept as raw bytes.
type CoreModule struct {
	// Index is the module's index in the core module index space.
	Index uint32
	// Offset and End delimit the module's bytes (from its preamble) in the file.
	Offset, End int
	// Bytes is the complete core module binary; it aliases the input.
	Bytes []byte
}

// CoreInstance is a core instance definition (section 2): either an
// instantiation of a core module or a bag of existing core items.
type CoreInstance struct {
	// Index is the instance's index in the core instance index space.
	Index uint32
	// Offset is the file offset of the definition.
	Offset int
	// Instantiate is true for "(instantiate Module Args...)" and false for
	// an instance made of Exports.
	Instantiate bool
	// Module is the core module instantiated.
	Module uint32
	// Args are the "(with name (instance i))" arguments.
	Args []CoreInstantiateArg
	// Exports are the inline exports of a bag-of-exports instance.
	Exports []CoreInlineExport
}

// CoreInstantiateArg is one "(with Name (instance Instance))" argument.
type CoreInstantiateArg struct {
	// Name is the import module name it satisfies.
	Name string
	// Instance is a core instance index.
	Instance uint32
}

// CoreInlineExport is one export of a bag-of-exports core instance.
type CoreInlineExport struct {
	// Name is the export name.
	Name string
	// Item is the exported core item.
	Item SortIdx
}

// Instance is a component instance definition (section 5).
type Instance struct {
	// Index is the instance's index in the instance index space.
	Index uint32
	// Offset is the file offset of the definition.
	Offset int
	// Instantiate is true for "(instantiate Component Args...)" and false
	// for an instance made of Exports.
	Instantiate bool
	// Component is the component instantiated.
	Component uint32
	// Args are the "(with name item)" arguments.
	Args []InstantiateArg
	// Exports are the inline exports of a bag-of-exports instance.
	Exports []InlineExport
}

// InstantiateArg is one "(with Name Item)" argument of a component instantiation.
type InstantiateArg struct {
	// Name is the import name it satisfies.
	Name string
	// Item is the item passed.
	Item SortIdx
}

// InlineExport is one export of a bag-of-exports component instance.
type InlineExport struct {
	// Name is the export name.
	Name ExternName
	// Item is the exported item.
	Item SortIdx
}

// AliasKind distinguishes the three forms of alias.
type AliasKind uint8

// Alias kinds.
const (
	// AliasExport is "(alias export Instance Name (sort))".
	AliasExport AliasKind = iota
	// AliasCoreExport is "(alias core export Instance Name (sort))".
	AliasCoreExport
	// AliasOuter is "(alias outer Count Idx (sort))".
	AliasOuter
)

// String returns "export", "core export" or "outer".
func (k AliasKind) String() string {
	switch k {
	case AliasExport:
		return "export"
	case AliasCoreExport:
		return "core export"
	case AliasOuter:
		return "outer"
	}
	return fmt.Sprintf("alias(%d)", uint8(k))
}

// Alias is an alias definition (section 6, or a declaration in a component
// or instance type, or a core alias in a module type).
type Alias struct {
	// Index is the new index in Sort's index space (0 inside types, where
	// indices are not tracked).
	Index uint32
	// Offset is the file offset of the definition.
	Offset int
	// Sort is the sort of the aliased item.
	Sort Sort
	// Kind is the form of alias.
	Kind AliasKind
	// Instance and Name name the export for AliasExport and AliasCoreExport.
	Instance uint32
	// Name is the export name for AliasExport and AliasCoreExport.
	Name string
	// Count (enclosing scopes to go out) and Idx are set for AliasOuter.
	Count, Idx uint32
}

// ExternName is an import or export name with its attributes
// (nameattributes). Name keeps annotations such as "[method]r.m",
// "[async]f" or "ns:pkg/iface@1.2.3" verbatim.
type ExternName struct {
	// Name is the extern name.
	Name string
	// Form is the nameattributes opcode: 0x00 and 0x01 (plain), 0x02 (with attributes).
	Form byte
	// Attrs are the attributes of form 0x02.
	Attrs []NameAttr
}

// String returns Name.
func (n ExternName) String() string { return n.Name }

// NameAttr is one attribute of an extern name.
type NameAttr struct {
	// Kind is 0x00 implements, 0x01 versionsuffix, 0x02 external-id.
	Kind byte
	// Value is the attribute's string.
	Value string
}

// Name attribute kinds.
const (
	AttrImplements    byte = 0x00
	AttrVersionSuffix byte = 0x01
	AttrExternalID    byte = 0x02
)

// ExternKind is the kind of an externtype.
type ExternKind uint8

// Extern kinds; the values are the binary opcodes.
const (
	ExternKindCoreModule ExternKind = 0x00
	ExternKindFunc       ExternKind = 0x01
	ExternKindValue      ExternKind = 0x02
	ExternKindType       ExternKind = 0x03
	ExternKindComponent  ExternKind = 0x04
	ExternKindInstance   ExternKind = 0x05
)

// String returns the kind as in the text format ("core module", "func").
func (k ExternKind) String() string {
	switch k {
	case ExternKindCoreModule:
		return "core module"
	case ExternKindFunc:
		return "func"
	case ExternKindValue:
		return "value"
	case ExternKindType:
		return "type"
	case ExternKindComponent:
		return "component"
	case ExternKindInstance:
		return "instance"
	}
	return fmt.Sprintf("extern(%d)", uint8(k))
}

// Sort returns the index space an import of this kind adds to.
func (k ExternKind) Sort() Sort {
	switch k {
	case ExternKindCoreModule:
		return SortCoreModule
	case ExternKindFunc:
		return SortFunc
	case ExternKindValue:
		return SortValue
	case ExternKindType:
		return SortType
	case ExternKindComponent:
		return SortComponent
	}
	return SortInstance
}

// Bound kinds for ExternType.Bound.
const (
	// BoundEq is "(eq i)" for types and values.
	BoundEq byte = 0x00
	// BoundSubResource is "(sub resource)" for types.
	BoundSubResource byte = 0x01
	// BoundValType is a value bound given as a valtype (values only).
	BoundValType byte = 0x01
)

// ExternType is the type of an import or export.
type ExternType struct {
	// Kind is the kind of item.
	Kind ExternKind
	// Type is the type index for core module (a core type index), func,
	// component and instance; the index of Bound BoundEq for type and value.
	Type uint32
	// Bound is BoundEq or BoundSubResource for ExternKindType, BoundEq or
	// BoundValType for ExternKindValue.
	Bound byte
	// Val is the value type of a value with Bound BoundValType.
	Val ValType
}

// String returns e.g. "func (type 3)" or "type (sub resource)".
func (t ExternType) String() string {
	switch t.Kind {
	case ExternKindCoreModule:
		return fmt.Sprintf("core module (type %d)", t.Type)
	case ExternKindType:
		if t.Bound == BoundSubResource {
			return "type (sub resource)"
		}
		return fmt.Sprintf("type (eq %d)", t.Type)
	case ExternKindValue:
		if t.Bound == BoundValType {
			return fmt.Sprintf("value %s", t.Val)
		}
		return fmt.Sprintf("value (eq %d)", t.Type)
	}
	return fmt.Sprintf("%s (type %d)", t.Kind, t.Type)
}

// Import is an import (section 10, or a declaration in a component type).
type Import struct {
	// Index is the new index in the sort of Type.Kind (0 inside types).
	Index uint32
	// Offset is the file offset of the import.
	Offset int
	// Name is the import name.
	Name ExternName
	// Type is the imported item's type.
	Type ExternType
}

// Export is an export (section 11). It also defines a new index.
type Export struct {
	// Index is the new index in Item.Sort's index space.
	Index uint32
	// Offset is the file offset of the export.
	Offset int
	// Name is the export name.
	Name ExternName
	// Item is the exported item.
	Item SortIdx
	// Type is the optional type ascription.
	Type *ExternType
}

// Start is a component start definition (section 9, 🪙).
type Start struct {
	// Offset is the file offset of the definition.
	Offset int
	// Func is the component function called.
	Func uint32
	// Args are value indices.
	Args []uint32
	// Results is how many values the call defines.
	Results uint32
}

// Value is a value definition (section 12, 🪙), kept undecoded.
type Value struct {
	// Index is the index in the value index space.
	Index uint32
	// Offset is the file offset of the definition.
	Offset int
	// Type is the value's type.
	Type ValType
	// Bytes is the encoded value; it aliases the input.
	Bytes []byte
}

// Custom is a custom section.
type Custom struct {
	// Offset is the file offset of the section id; Start and End delimit
	// the payload after the name.
	Offset, Start, End int
	// Name is the custom section's name.
	Name string
	// Data is the payload after the name; it aliases the input.
	Data []byte
}
