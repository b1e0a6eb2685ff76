package component

import (
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
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
		return checkDecls(d.Decls)
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
// resources are only defined by concrete components.
func checkDecls(decls []compbin.Decl) error {
	for _, d := range decls {
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
	if hasVersion && version == "" {
		return fmt.Errorf("`%s`: empty version", name)
	}
	parts := strings.Split(body, "/")
	ns := strings.Split(parts[0], ":")
	if len(ns) < 2 || len(parts) < 2 {
		return fmt.Errorf("`%s` is not a valid interface name", name)
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
	f, err := sc.r.function(item)
	if err != nil {
		return err
	}
	d := f.Definition()
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
func checkExternType(types *typeSpace, et compbin.ExternType) error {
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
