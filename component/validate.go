package component

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
)

// The checks here are the part of the Component Model's validation that is
// cheap to do while instantiating: type definitions (labels, limits,
// indices), function types, import and export names, the canonical options
// a function type needs, and resource destructors. They run when a
// component is instantiated, on what it defines; the rest of validation
// (subtyping at instantiation, export visibility, …) is not done.

// validateType checks a type definition of the component being
// instantiated.
func (sc *scope) validateType(e *typeEntry) error {
	d := e.def
	if d == nil {
		return nil
	}
	switch d.Kind {
	case compbin.TypeFunc:
		if err := checkLabels("function parameter", fieldNames(d.Fields)); err != nil {
			return err
		}
		ft, err := sc.types.funcType(uint32(len(sc.types.types) - 1))
		if err != nil {
			return err
		}
		for _, t := range ft.Results {
			if containsBorrow(t) {
				return fmt.Errorf("function result cannot contain a `borrow` type")
			}
		}
		return nil
	case compbin.TypeComponent, compbin.TypeInstance:
		if err := checkDecls(d.Decls); err != nil {
			return err
		}
		return checkDeclTypes(d, sc.types, [][]*compbin.CoreType{sc.coreTypes})
	case compbin.TypeResource:
		return nil
	}
	switch d.Kind {
	case compbin.TypeRecord:
		if err := checkLabels("record field", fieldNames(d.Fields)); err != nil {
			return err
		}
	case compbin.TypeVariant:
		names := make([]string, len(d.Cases))
		for i, c := range d.Cases {
			names[i] = c.Name
		}
		if err := checkLabels("variant case", names); err != nil {
			return err
		}
	case compbin.TypeFlags:
		if err := checkLabels("flag", d.Labels); err != nil {
			return err
		}
	case compbin.TypeEnum:
		if err := checkLabels("enum tag", d.Labels); err != nil {
			return err
		}
	}
	t, err := e.value()
	if err != nil {
		return err
	}
	if err := abi.Validate(t); err != nil {
		return err
	}
	return nil
}

// checkDecls checks the declarations of an instance or component type:
// resources are only defined by concrete components, and core module types
// are checked as they are where a component defines them.
func checkDecls(decls []compbin.Decl) error {
	for _, d := range decls {
		if d.Kind == compbin.DeclCoreType {
			if err := validateModuleType(d.CoreType); err != nil {
				return err
			}
			continue
		}
		if d.Kind != compbin.DeclType {
			continue
		}
		switch d.Type.Kind {
		case compbin.TypeResource:
			return fmt.Errorf("resources can only be defined within a concrete component")
		case compbin.TypeComponent, compbin.TypeInstance:
			if err := checkDecls(d.Type.Decls); err != nil {
				return err
			}
		}
	}
	return nil
}

func fieldNames(fs []compbin.Field) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names
}

// checkLabels checks the labels of a record, variant, flags, enum or
// parameter list: not empty, in kebab case, and distinct ignoring case.
func checkLabels(what string, labels []string) error {
	seen := map[string]string{}
	for _, l := range labels {
		if l == "" {
			return fmt.Errorf("%s name cannot be empty", what)
		}
		if !isKebab(l) {
			return fmt.Errorf("%s name `%s` is not in kebab case", what, l)
		}
		if prev, ok := seen[strings.ToLower(l)]; ok {
			return fmt.Errorf("%s name `%s` conflicts with previous %s name `%s`", what, l, strings.TrimPrefix(what, "function "), prev)
		}
		seen[strings.ToLower(l)] = l
	}
	return nil
}

// isKebab reports whether s is a kebab-case label: words of lowercase
// letters and digits, or of uppercase letters and digits, joined by single
// dashes; the first word starts with a letter.
func isKebab(s string) bool {
	for i, w := range strings.Split(s, "-") {
		if w == "" || i == 0 && !(w[0] >= 'a' && w[0] <= 'z' || w[0] >= 'A' && w[0] <= 'Z') {
			return false
		}
		lower, upper := false, false
		for j := 0; j < len(w); j++ {
			switch c := w[j]; {
			case c >= '0' && c <= '9':
			case c >= 'a' && c <= 'z':
				lower = true
			case c >= 'A' && c <= 'Z':
				upper = true
			default:
				return false
			}
		}
		if lower && upper {
			return false
		}
	}
	return true
}

// checkExternName checks an import or export name against the names of
// the same kind before it: a plain name must be in kebab case, and no two
// names may be equal ignoring case.
func checkExternName(what, name string, seen map[string]string) error {
	if err := checkNameSyntax(name); err != nil {
		return fmt.Errorf("%s name: %v", what, err)
	}
	key := strings.ToLower(name)
	if prev, ok := seen[key]; ok {
		return fmt.Errorf("%s name `%s` conflicts with previous name `%s`", what, name, prev)
	}
	seen[key] = name
	return nil
}

// checkNameSyntax checks the form of an extern name: a kebab-case label,
// "[constructor]r", "[method]r.m", "[static]r.m" (and their [async]
// forms), an interface name "ns:pkg/iface@version", or a dependency name
// such as "url=<…>" (whose contents are not checked).
func checkNameSyntax(name string) error {
	notKebab := func(l string) error { return fmt.Errorf("`%s` is not in kebab case", l) }
	if i := strings.IndexByte(name, '='); i > 0 && strings.HasSuffix(name, ">") && name[i+1] == '<' {
		switch name[:i] {
		case "url", "relative-url", "integrity", "unlocked-dep", "locked-dep":
			return nil
		}
	}
	if strings.HasPrefix(name, "[") {
		end := strings.IndexByte(name, ']')
		if end < 0 {
			return fmt.Errorf("`%s` is not a valid name", name)
		}
		prefix, rest := name[1:end], name[end+1:]
		switch strings.TrimPrefix(prefix, "async ") {
		case "constructor":
			if !isKebab(rest) {
				return notKebab(rest)
			}
			return nil
		case "method", "static":
			r, m, ok := strings.Cut(rest, ".")
			if !ok || !isKebab(r) || !isKebab(m) {
				return fmt.Errorf("`%s` is not a valid %s name", name, prefix)
			}
			return nil
		case "async":
			if !isKebab(rest) {
				return notKebab(rest)
			}
			return nil
		}
		return fmt.Errorf("`%s` is not a valid name", name)
	}
	if !strings.ContainsAny(name, ":/@") {
		if !isKebab(name) {
			return notKebab(name)
		}
		return nil
	}
	body, version, hasVersion := strings.Cut(name, "@")
	if hasVersion {
		if err := checkSemver(version); err != nil {
			return fmt.Errorf("`%s`: bad version: %v", name, err)
		}
	}
	parts := strings.Split(body, "/")
	ns := strings.Split(parts[0], ":")
	switch {
	case len(ns) > 2:
		return fmt.Errorf("`%s`: expected `/` after package name (nested namespaces are not valid yet)", name)
	case len(parts) > 2:
		return fmt.Errorf("`%s`: trailing characters found: `/%s` (nested projections are not valid yet)", name, strings.Join(parts[2:], "/"))
	case len(ns) < 2 || len(parts) < 2:
		return fmt.Errorf("`%s` is not a valid interface name", name)
	}
	// The namespace and the package are lowercase words ("wasi:http"); the
	// interface is any kebab-case name.
	for _, w := range ns {
		if !isKebab(w) || strings.ToLower(w) != w {
			return fmt.Errorf("`%s` is not a valid extern name: `%s` is not lowercase kebab case", name, w)
		}
	}
	for _, l := range append(ns, parts[1:]...) {
		if !isKebab(l) {
			return notKebab(l)
		}
	}
	return nil
}

// containsBorrow reports whether a value type contains a borrow.
func containsBorrow(t abi.Type) bool {
	found := false
	walkType(t, func(t abi.Type) {
		if _, ok := t.(*abi.BorrowType); ok {
			found = true
		}
	})
	return found
}

// needsMemory reports whether values of type t live in linear memory when
// lifted or lowered: strings and lists (maps too).
func needsMemory(t abi.Type) bool {
	found := false
	walkType(t, func(t abi.Type) {
		switch t := t.(type) {
		case abi.PrimType:
			if t == abi.StringType {
				found = true
			}
		case *abi.ListType:
			if t.Len == 0 {
				found = true
			}
		case *abi.MapType:
			found = true
		}
	})
	return found
}

// walkType calls f on t and every type inside it.
func walkType(t abi.Type, f func(abi.Type)) {
	if t == nil {
		return
	}
	f(t)
	switch t := t.(type) {
	case *abi.ListType:
		walkType(t.Elem, f)
	case *abi.MapType:
		walkType(t.Key, f)
		walkType(t.Value, f)
	case *abi.RecordType:
		for _, fl := range t.Fields {
			walkType(fl.Type, f)
		}
	case *abi.TupleType:
		for _, e := range t.Types {
			walkType(e, f)
		}
	case *abi.VariantType:
		for _, c := range t.Cases {
			walkType(c.Type, f)
		}
	case *abi.OptionType:
		walkType(t.Elem, f)
	case *abi.ResultType:
		walkType(t.Ok, f)
		walkType(t.Err, f)
	}
}

// checkOptions checks that a lift or lower has the memory and realloc
// options its function type needs: memory when any value is passed in
// memory (strings, lists, spilled parameters or results), realloc when the
// callee side must allocate (a lift's parameters, a lower's results).
func checkOptions(o abi.Options, ft *funcType, dir abi.Canon) error {
	anyIn := func(ts []abi.Type) bool {
		for _, t := range ts {
			if needsMemory(t) {
				return true
			}
		}
		return false
	}
	paramsSpill := flatLen(ft.Params) > abi.MaxFlatParams
	resultsSpill := flatLen(ft.Results) > abi.MaxFlatResults
	if o.Memory == nil && (anyIn(ft.Params) || anyIn(ft.Results) || paramsSpill || resultsSpill) {
		return fmt.Errorf("canonical option `memory` is required")
	}
	allocates := anyIn(ft.Params) || paramsSpill
	if dir == abi.CanonLower {
		allocates = anyIn(ft.Results)
	}
	if o.Realloc == nil && allocates {
		return fmt.Errorf("canonical option `realloc` is required")
	}
	return nil
}

// checkDtor checks a resource destructor's core signature: (i32) -> ().
func (sc *scope) checkDtor(item CoreItem) error {
	d, err := sc.r.funcDef(item)
	if err != nil {
		return err
	}
	if p, r := d.ParamTypes(), d.ResultTypes(); len(p) != 1 || p[0] != api.ValueTypeI32 || len(r) != 0 {
		return fmt.Errorf("wrong signature for a destructor: %s, want (param i32)", coreSig(p, r))
	}
	return nil
}

// coreSig formats a core signature as in the text format.
func coreSig(params, results []api.ValueType) string {
	s := "(param"
	for _, t := range params {
		s += " " + api.ValueTypeName(t)
	}
	s += ") (result"
	for _, t := range results {
		s += " " + api.ValueTypeName(t)
	}
	return s + ")"
}

// checkExternType checks that the type an import or an export's
// ascription refers to is of the extern's kind.
func checkExternType(types *typeSpace, coreTypes []*compbin.CoreType, et compbin.ExternType) error {
	if et.Kind == compbin.ExternKindCoreModule {
		if int(et.Type) >= len(coreTypes) {
			return fmt.Errorf("core type index %d out of bounds", et.Type)
		}
		if ct := coreTypes[et.Type]; ct != nil && !ct.IsModule {
			return fmt.Errorf("core type index %d is not a module type", et.Type)
		}
		return nil
	}
	want := map[compbin.ExternKind]compbin.TypeKind{
		compbin.ExternKindFunc:      compbin.TypeFunc,
		compbin.ExternKindInstance:  compbin.TypeInstance,
		compbin.ExternKindComponent: compbin.TypeComponent,
	}
	k, ok := want[et.Kind]
	if !ok {
		if et.Kind == compbin.ExternKindType && et.Bound == compbin.BoundEq {
			_, err := types.entry(et.Type)
			return err
		}
		return nil
	}
	e, err := types.entry(et.Type)
	if err != nil {
		return err
	}
	if e.def == nil || e.def.Kind != k {
		article := "a"
		if k == compbin.TypeInstance {
			article = "an"
		}
		return fmt.Errorf("type index %d is not %s %s type", et.Type, article, strings.TrimPrefix(k.String(), "Type"))
	}
	if k == compbin.TypeFunc {
		_, err := types.funcType(et.Type)
		return err
	}
	return nil
}

// maxPages32 is the most pages a 32-bit memory may have.
const maxPages32 = 65536

// validateModuleType checks a core module type: its type indices, its
// import and export names, and its limits. A module type is checked where
// it is defined, whether or not anything uses it.
func validateModuleType(ct *compbin.CoreType) error {
	if ct == nil || !ct.IsModule {
		return nil
	}
	ntypes := uint32(0)
	exports := map[string]bool{}
	imports := map[string]bool{}
	for _, d := range ct.Module {
		switch d.Kind {
		case compbin.ModuleDeclType:
			if d.Type != nil {
				ntypes += uint32(len(d.Type.SubTypes))
			}
		case compbin.ModuleDeclAlias:
			ntypes++
		case compbin.ModuleDeclImport, compbin.ModuleDeclExport:
			if err := checkCoreExtern(d.Extern, ntypes); err != nil {
				return err
			}
			if d.Kind == compbin.ModuleDeclExport {
				if exports[d.Name] {
					return fmt.Errorf("export name `%s` already defined (name `%s` already defined)", d.Name, d.Name)
				}
				exports[d.Name] = true
				continue
			}
			key := d.Module + ":" + d.Name
			if imports[key] {
				return fmt.Errorf("duplicate import name `%s`", key)
			}
			imports[key] = true
		}
	}
	return nil
}

// checkCoreExtern checks the type of a core import or export declared in
// a module type with ntypes types so far.
func checkCoreExtern(e compbin.CoreExtern, ntypes uint32) error {
	switch e.Kind {
	case compbin.CoreExternFunc, compbin.CoreExternTag:
		if e.Type >= ntypes {
			return fmt.Errorf("type index out of bounds: %d, the module type has %d types", e.Type, ntypes)
		}
	case compbin.CoreExternMemory:
		if !e.Limits.Is64 && (e.Limits.Min > maxPages32 || e.Limits.HasMax && e.Limits.Max > maxPages32) {
			return fmt.Errorf("memory size must be at most %d pages (4GiB)", maxPages32)
		}
	}
	return nil
}

// validateCoreModule checks what core validation of a module defined in
// the component needs beyond decoding: distinct two-level import names
// (they mangle to one name), and, for a module the component never
// instantiates (wazero validates the others when it compiles them), the
// types of its function bodies.
func validateCoreModule(cm *compbin.CoreModule, instantiated bool) error {
	m, err := wasmbin.Decode(cm.Bytes)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, im := range m.Imports {
		key := im.Module + ":" + im.Name
		if seen[key] {
			return fmt.Errorf("duplicate import name `%s`", key)
		}
		seen[key] = true
	}
	if instantiated {
		return nil
	}
	for i := range m.Code {
		if err := m.TypeCheck(i); err != nil {
			return fmt.Errorf("function %d: %w", m.NumImportedFuncs()+i, err)
		}
	}
	return nil
}

// checkDeclTypes checks that the imports and exports declared in a
// component or instance type refer to types of their kind ("type index 0
// is not a function type"), in the type's own index spaces, and so on for
// the types it defines. outer holds the core type spaces of the enclosing
// scopes, innermost last, for outer aliases.
func checkDeclTypes(def *compbin.Type, space *typeSpace, outer [][]*compbin.CoreType) error {
	local := &typeSpace{parent: space}
	var coreTypes []*compbin.CoreType
	imports, exports := map[string]string{}, map[string]string{}
	typeNames := map[string]bool{}
	for _, d := range def.Decls {
		switch d.Kind {
		case compbin.DeclImport:
			if err := checkExternName("import", d.Name.Name, imports); err != nil {
				return err
			}
		case compbin.DeclExport:
			if err := checkExternName("export", d.Name.Name, exports); err != nil {
				return err
			}
		}
		switch d.Kind {
		case compbin.DeclType:
			local.add(&typeEntry{def: d.Type, space: local})
			if k := d.Type.Kind; k == compbin.TypeComponent || k == compbin.TypeInstance {
				if err := checkDeclTypes(d.Type, local, append(outer[:len(outer):len(outer)], coreTypes)); err != nil {
					return err
				}
			}
		case compbin.DeclCoreType:
			coreTypes = append(coreTypes, d.CoreType)
		case compbin.DeclAlias:
			switch d.Alias.Sort {
			case compbin.SortType, compbin.SortCoreType, compbin.SortInstance:
			default:
				return fmt.Errorf("an alias in a type declaration may only refer to types or instances, not a %s", d.Alias.Sort)
			}
			if d.Alias.Sort == compbin.SortCoreType {
				var ct *compbin.CoreType // nil: not known here, not checked
				if a := d.Alias; a.Kind == compbin.AliasOuter && a.Count >= 1 && int(a.Count) <= len(outer) {
					if space := outer[len(outer)-int(a.Count)]; int(a.Idx) < len(space) {
						ct = space[a.Idx]
					}
				}
				coreTypes = append(coreTypes, ct)
				continue
			}
			te, err := outerTypeAlias(local, d.Alias)
			if err != nil {
				te = &typeEntry{}
			}
			local.add(te)
		case compbin.DeclImport, compbin.DeclExport:
			if err := checkExternType(local, coreTypes, d.Extern); err != nil {
				return err
			}
			if err := checkAnnotated(local, d.Name.Name, d.Extern.Kind == compbin.ExternKindFunc, d.Extern.Type, func(n string) bool { return typeNames[n] }); err != nil {
				return err
			}
			switch {
			case d.Extern.Kind != compbin.ExternKindType:
			case d.Extern.Bound == compbin.BoundSubResource:
				local.add(&typeEntry{res: &abi.ResourceType{Name: d.Name.Name}, name: d.Name.Name}) // abstract
				typeNames[d.Name.Name] = true
			default:
				te, err := local.entry(d.Extern.Type)
				if err != nil {
					te = &typeEntry{}
				}
				local.add(te.withOrigin(te.origin, d.Name.Name))
				typeNames[d.Name.Name] = true
			}
		}
	}
	return nil
}

// checkSemver checks a version as Semantic Versioning 2.0.0 defines it:
// MAJOR.MINOR.PATCH, numbers without leading zeros, then optional
// -prerelease and +build identifiers.
func checkSemver(v string) error {
	if v == "" {
		return errors.New("empty string")
	}
	core, build, hasBuild := strings.Cut(v, "+")
	core, pre, hasPre := strings.Cut(core, "-")
	nums := strings.Split(core, ".")
	if len(nums) != 3 {
		if last := nums[len(nums)-1]; last == "" {
			return errors.New("unexpected end of input")
		}
		return fmt.Errorf("want MAJOR.MINOR.PATCH, found %q", core)
	}
	for _, n := range nums {
		if err := numericIdent(n); err != nil {
			return err
		}
	}
	idents := func(s string, numeric bool) error {
		for _, id := range strings.Split(s, ".") {
			if id == "" {
				return errors.New("empty identifier segment")
			}
			for _, c := range id {
				if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
					return fmt.Errorf("unexpected character %q", c)
				}
			}
			if numeric && strings.Trim(id, "0123456789") == "" && len(id) > 1 && id[0] == '0' {
				return fmt.Errorf("leading zero in %q", id)
			}
		}
		return nil
	}
	if hasPre {
		if err := idents(pre, true); err != nil {
			return err
		}
	}
	if hasBuild {
		return idents(build, false)
	}
	return nil
}

// numericIdent checks one number of a version's MAJOR.MINOR.PATCH.
func numericIdent(n string) error {
	if n == "" {
		return errors.New("unexpected end of input")
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return fmt.Errorf("unexpected character %q", c)
		}
	}
	if len(n) > 1 && n[0] == '0' {
		return fmt.Errorf("leading zero in %q", n)
	}
	return nil
}
