package component

import (
	"fmt"
	"io"
	"strings"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
)

// Node is one line of a component's structure, with what is under it: the
// instance tree `wdbg inspect` and `info components` print.
type Node struct {
	// Kind is "component", "import", "export", "core module",
	// "core instance", "instance", "func" or "resource".
	Kind string
	// Name is the item's name (an import or export name, a module's name).
	Name string
	// Detail says what it is: a WIT type, "instantiate main with ...".
	Detail   string
	Children []*Node
}

// Describe returns the structure of a component without running it:
// imports and exports with their WIT types, core modules, core instances
// and the instances of nested components, in definition order.
func Describe(c *compbin.Component, name string) *Node {
	d := &describer{root: &Node{Kind: "component", Name: name}}
	d.component(c, d.root, nil)
	return d.root
}

type describer struct {
	root *Node
}

// dscope is a component's index spaces, as names for display.
type dscope struct {
	parent      *dscope
	types       *typeSpace
	names       map[abi.Type]string
	coreModules []string
	coreInsts   []string
	coreFuncs   []string
	funcs       []string
	// funcSigs are the WIT signatures of funcs, "" where not known.
	funcSigs   []string
	instances  []string
	components []string
	// instTypes are the types each instance (by name) exports.
	instTypes map[string]map[string]*typeEntry
	// compNodes are the nodes of nested components; instExports the
	// export nodes of the instances made from them, by instance name.
	compNodes   []*Node
	instExports map[string][]*Node
}

func (d *describer) component(c *compbin.Component, n *Node, parent *dscope) {
	sc := &dscope{parent: parent, types: &typeSpace{}, names: map[abi.Type]string{}, instTypes: map[string]map[string]*typeEntry{}, instExports: map[string][]*Node{}}
	if parent != nil {
		sc.types.parent = parent.types
		for k, v := range parent.names {
			sc.names[k] = v
		}
	}
	nameOf := func(s compbin.Sort, i uint32, def string) string {
		if v, ok := c.Names.Lookup(s, i); ok && v != "" {
			return v
		}
		return def
	}
	for _, sec := range c.Sections {
		for i := sec.First; i < sec.First+sec.Count; i++ {
			switch sec.ID {
			case 1:
				cm := &c.CoreModules[i]
				mn := nameOf(compbin.SortCoreModule, cm.Index, fmt.Sprintf("module%d", cm.Index))
				sc.coreModules = append(sc.coreModules, mn)
				detail := fmt.Sprintf("%d bytes at 0x%x", len(cm.Bytes), cm.Offset)
				if hasDWARF(cm.Bytes) {
					detail += ", DWARF"
				}
				n.Children = append(n.Children, &Node{Kind: "core module", Name: mn, Detail: detail})
			case 2:
				ci := &c.CoreInstances[i]
				in := nameOf(compbin.SortCoreInstance, ci.Index, fmt.Sprintf("core instance %d", ci.Index))
				sc.coreInsts = append(sc.coreInsts, in)
				var detail string
				if ci.Instantiate {
					var args []string
					for _, a := range ci.Args {
						args = append(args, fmt.Sprintf("%s = %s", a.Name, at(sc.coreInsts, a.Instance, "core instance")))
					}
					detail = "instantiate " + at(sc.coreModules, ci.Module, "module")
					var kids []*Node
					if len(args) > 3 {
						for _, a := range args {
							kids = append(kids, &Node{Kind: "with", Name: a})
						}
						args = nil
					}
					if len(args) > 0 {
						detail += " with " + strings.Join(args, ", ")
					}
					n.Children = append(n.Children, &Node{Kind: "core instance", Name: in, Detail: detail, Children: kids})
					continue
				} else {
					var ex []string
					for _, e := range ci.Exports {
						ex = append(ex, e.Name)
					}
					detail = fmt.Sprintf("exports %s", strings.Join(ex, ", "))
					if len(ex) > 4 {
						detail = fmt.Sprintf("exports %d items: %s, ...", len(ex), strings.Join(ex[:4], ", "))
					}
				}
				n.Children = append(n.Children, &Node{Kind: "core instance", Name: in, Detail: detail})
			case 4:
				nc := c.Components[i]
				cn := nameOf(compbin.SortComponent, nc.Index, fmt.Sprintf("component %d", nc.Index))
				sc.components = append(sc.components, cn)
				child := &Node{Kind: "component", Name: cn}
				d.component(nc, child, sc)
				sc.compNodes = append(sc.compNodes, child)
				n.Children = append(n.Children, child)
			case 5:
				in := &c.Instances[i]
				iname := nameOf(compbin.SortInstance, in.Index, fmt.Sprintf("instance %d", in.Index))
				sc.instances = append(sc.instances, iname)
				detail := "a bag of exports"
				if !in.Instantiate {
					// Toolchains export interfaces as bags of lifted
					// functions and exported types: show them as the
					// instance's contents.
					for _, e := range in.Exports {
						x := &Node{Kind: "func", Name: e.Name.Name}
						switch e.Item.Sort {
						case compbin.SortFunc:
							sc.funcDetail(x, e.Item.Index)
						case compbin.SortType:
							x.Kind = "type"
							sc.typeDetail(x, e.Item.Index)
						default:
							continue
						}
						sc.instExports[iname] = append(sc.instExports[iname], x)
					}
				}
				if in.Instantiate {
					var args []string
					for _, a := range in.Args {
						args = append(args, fmt.Sprintf("%s = %s", a.Name, a.Item))
					}
					detail = "instantiate " + at(sc.components, in.Component, "component")
					if len(args) > 0 {
						detail += " with " + strings.Join(args, ", ")
					}
					if int(in.Component) < len(sc.compNodes) {
						for _, x := range sc.compNodes[in.Component].Children {
							if x.Kind == "export" {
								sc.instExports[iname] = append(sc.instExports[iname], x)
							}
						}
					}
				}
				n.Children = append(n.Children, &Node{Kind: "instance", Name: iname, Detail: detail})
			case 6:
				a := &c.Aliases[i]
				if a.Sort == compbin.SortType {
					var te *typeEntry
					switch a.Kind {
					case compbin.AliasExport:
						te = sc.instTypes[at(sc.instances, a.Instance, "instance")][a.Name]
					case compbin.AliasOuter:
						if o, err := sc.types.outer(a.Count); err == nil {
							te, _ = o.entry(a.Idx)
						}
					}
					if te == nil {
						te = &typeEntry{}
					}
					sc.types.add(te)
				}
				switch a.Sort {
				case compbin.SortFunc:
					sc.funcs = append(sc.funcs, a.Name)
					sig := ""
					if x := sc.instExport(a); x != nil {
						sig = x.Detail
					}
					sc.funcSigs = append(sc.funcSigs, sig)
				case compbin.SortInstance:
					sc.instances = append(sc.instances, a.Name)
					if x := sc.instExport(a); x != nil {
						sc.instExports[a.Name] = x.Children
					}
				}
			case 7:
				t := &c.Types[i]
				if t.Kind == compbin.TypeResource {
					sc.types.add(&typeEntry{res: &abi.ResourceType{Name: fmt.Sprintf("resource %d", t.Index)}})
				} else {
					sc.types.add(&typeEntry{def: t, space: sc.types})
				}
			case 8:
				cn := &c.Canons[i]
				if cn.Kind == compbin.CanonLift {
					sc.funcs = append(sc.funcs, fmt.Sprintf("func %d", len(sc.funcs)))
					sc.funcSigs = append(sc.funcSigs, sc.sig(cn.Type))
				}
			case 10:
				im := &c.Imports[i]
				node := &Node{Kind: "import", Name: im.Name.Name}
				sc.instTypes[im.Name.Name] = d.externType(sc, node, im.Type)
				n.Children = append(n.Children, node)
				switch im.Type.Kind {
				case compbin.ExternKindInstance:
					sc.instances = append(sc.instances, im.Name.Name)
				case compbin.ExternKindFunc:
					sc.funcs = append(sc.funcs, im.Name.Name)
					sc.funcSigs = append(sc.funcSigs, sc.sig(im.Type.Type))
				case compbin.ExternKindType:
					sc.types.add(&typeEntry{res: &abi.ResourceType{Name: im.Name.Name}})
				}
			case 11:
				ex := &c.Exports[i]
				detail := ex.Item.String()
				switch ex.Item.Sort {
				case compbin.SortInstance:
					detail = at(sc.instances, ex.Item.Index, "instance")
				case compbin.SortFunc:
					detail = at(sc.funcs, ex.Item.Index, "func")
				}
				node := &Node{Kind: "export", Name: ex.Name.Name, Detail: detail}
				switch {
				case ex.Type != nil:
					d.externType(sc, node, *ex.Type)
				case ex.Item.Sort == compbin.SortInstance:
					// An instance made from a nested component, or a bag:
					// its exports, with their types.
					for _, x := range sc.instExports[detail] {
						node.Children = append(node.Children, member(x))
					}
				case ex.Item.Sort == compbin.SortFunc:
					sc.funcDetail(node, ex.Item.Index)
				case ex.Item.Sort == compbin.SortType:
					m := &Node{Name: ex.Name.Name}
					sc.typeDetail(m, ex.Item.Index)
					node.Detail = "type " + m.Detail
					if m.Kind == "resource" {
						node.Detail = "resource"
					}
				}
				n.Children = append(n.Children, node)
				if ex.Item.Sort == compbin.SortType {
					// The export is the type under its WIT name.
					te, err := sc.types.entry(ex.Item.Index)
					if err != nil {
						te = &typeEntry{}
					}
					sc.nameType(te, ex.Name.Name)
					sc.types.add(te)
				}
			}
		}
	}
}

// member turns an export node of a nested component (or of a bag) into
// the node of an interface member: a func, a type or a resource.
func member(x *Node) *Node {
	switch {
	case x.Kind != "export":
		return &Node{Kind: x.Kind, Name: x.Name, Detail: x.Detail}
	case x.Detail == "resource":
		return &Node{Kind: "resource", Name: x.Name}
	case strings.HasPrefix(x.Detail, "type "):
		return &Node{Kind: "type", Name: x.Name, Detail: strings.TrimPrefix(x.Detail, "type ")}
	}
	return &Node{Kind: "func", Name: x.Name, Detail: x.Detail}
}

// at names item i of an index space, or says which it is when the space
// does not hold it.
func at(list []string, i uint32, what string) string {
	if int(i) < len(list) {
		return list[i]
	}
	return fmt.Sprintf("%s %d", what, i)
}

// funcDetail sets a node's detail to the WIT signature of function f, when
// it is known.
func (sc *dscope) funcDetail(n *Node, f uint32) {
	if int(f) < len(sc.funcSigs) && sc.funcSigs[f] != "" {
		n.Detail = sc.funcSigs[f]
	}
}

// sig is the WIT signature of function type t, "" if it cannot be built.
func (sc *dscope) sig(t uint32) string {
	ft, err := sc.types.funcType(t)
	if err != nil {
		return ""
	}
	return witFunc(ft, sc.names)
}

// instExport returns the node of the export an alias names, when the
// instance it aliases from is one whose exports are known.
func (sc *dscope) instExport(a *compbin.Alias) *Node {
	if a.Kind != compbin.AliasExport {
		return nil
	}
	for _, x := range sc.instExports[at(sc.instances, a.Instance, "instance")] {
		if x.Name == a.Name {
			return x
		}
	}
	return nil
}

// typeDetail sets a node's detail to the WIT form of type t, a resource's
// kind to "resource", and gives the type the node's name.
func (sc *dscope) typeDetail(n *Node, t uint32) {
	te, err := sc.types.entry(t)
	if err != nil {
		return
	}
	if te.res != nil {
		n.Kind = "resource"
	} else if v, err := te.value(); err == nil {
		n.Detail = witType(v, sc.names)
	}
	sc.nameType(te, n.Name)
}

// nameType makes later signatures show a type by its exported name: a
// resource defined here, or a record, variant, enum or flags type.
func (sc *dscope) nameType(te *typeEntry, name string) {
	if te.res != nil {
		if strings.HasPrefix(te.res.Name, "resource ") {
			te.res.Name = name
		}
		return
	}
	if v, err := te.value(); err == nil {
		if _, prim := v.(abi.PrimType); !prim {
			if _, named := sc.names[v]; !named {
				sc.names[v] = name
			}
		}
	}
}

// externType describes an import's or export's type: an instance's
// functions, types and resources as children, a function's signature as
// detail. For an instance it returns the types the instance exports.
func (d *describer) externType(sc *dscope, n *Node, et compbin.ExternType) map[string]*typeEntry {
	exported := map[string]*typeEntry{}
	switch et.Kind {
	case compbin.ExternKindFunc:
		if ft, err := sc.types.funcType(et.Type); err == nil {
			n.Detail = witFunc(ft, sc.names)
		}
	case compbin.ExternKindInstance:
		e, err := sc.types.entry(et.Type)
		if err != nil || e.def == nil || e.def.Kind != compbin.TypeInstance {
			n.Detail = "instance"
			return exported
		}
		n.Detail = "instance"
		instanceDecls(e.def, e.space, false, func(decl compbin.Decl, local *typeSpace) (*typeEntry, error) {
			en := decl.Name.Name
			switch decl.Extern.Kind {
			case compbin.ExternKindType:
				if decl.Extern.Bound == compbin.BoundSubResource {
					te := &typeEntry{res: &abi.ResourceType{Name: en}}
					exported[en] = te
					n.Children = append(n.Children, &Node{Kind: "resource", Name: en})
					return te, nil
				}
				te, err := local.entry(decl.Extern.Type)
				if err != nil {
					return nil, nil
				}
				exported[en] = te
				if te.res != nil {
					return te, nil // a resource re-exported under its name
				}
				if t, err := te.value(); err == nil {
					detail := witType(t, sc.names)
					if detail == en {
						return te, nil // another name for a type already shown
					}
					if _, prim := t.(abi.PrimType); !prim {
						sc.names[t] = en
					}
					n.Children = append(n.Children, &Node{Kind: "type", Name: en, Detail: detail})
				}
				return te, nil
			case compbin.ExternKindFunc:
				detail := "func"
				if ft, err := local.funcType(decl.Extern.Type); err == nil {
					detail = witFunc(ft, sc.names)
				}
				n.Children = append(n.Children, &Node{Kind: "func", Name: en, Detail: detail})
			}
			return nil, nil
		})
	default:
		n.Detail = strings.TrimPrefix(et.String(), "(")
	}
	return exported
}

// witFunc formats a function type in WIT, naming types that have names.
func witFunc(ft *funcType, names map[abi.Type]string) string {
	var b strings.Builder
	b.WriteString("func(")
	for i, p := range ft.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ft.ParamNames[i] + ": " + witType(p, names))
	}
	b.WriteString(")")
	if len(ft.Results) == 1 {
		b.WriteString(" -> " + witType(ft.Results[0], names))
	}
	return b.String()
}

// witType formats a type in WIT, using names for named types.
func witType(t abi.Type, names map[abi.Type]string) string {
	if t == nil {
		return "_"
	}
	if n, ok := names[t]; ok {
		return n
	}
	switch t := t.(type) {
	case *abi.ListType:
		if t.Len > 0 {
			return fmt.Sprintf("list<%s, %d>", witType(t.Elem, names), t.Len)
		}
		return "list<" + witType(t.Elem, names) + ">"
	case *abi.OptionType:
		return "option<" + witType(t.Elem, names) + ">"
	case *abi.ResultType:
		switch {
		case t.Ok == nil && t.Err == nil:
			return "result"
		case t.Err == nil:
			return "result<" + witType(t.Ok, names) + ">"
		}
		return "result<" + witType(t.Ok, names) + ", " + witType(t.Err, names) + ">"
	case *abi.TupleType:
		var parts []string
		for _, e := range t.Types {
			parts = append(parts, witType(e, names))
		}
		return "tuple<" + strings.Join(parts, ", ") + ">"
	case *abi.RecordType:
		var parts []string
		for _, f := range t.Fields {
			parts = append(parts, f.Label+": "+witType(f.Type, names))
		}
		return "record { " + strings.Join(parts, ", ") + " }"
	case *abi.VariantType:
		var parts []string
		for _, c := range t.Cases {
			if c.Type == nil {
				parts = append(parts, c.Label)
			} else {
				parts = append(parts, c.Label+"("+witType(c.Type, names)+")")
			}
		}
		return "variant { " + strings.Join(parts, ", ") + " }"
	}
	return t.String()
}

// hasDWARF reports whether a core module has a .debug_info section.
func hasDWARF(b []byte) bool {
	m, err := wasmbin.Decode(b)
	if err != nil {
		return false
	}
	for _, c := range m.Customs {
		if c.Name == ".debug_info" {
			return true
		}
	}
	return false
}

// Write prints the tree, two spaces of indent per level:
//
//	component cmd.wasm
//	  import wasi:cli/stdout@0.2.12: instance
//	    resource output-stream
//	    func get-stdout: func() -> own<output-stream>
func (n *Node) Write(w io.Writer) {
	n.write(w, 0)
}

func (n *Node) write(w io.Writer, depth int) {
	line := strings.Repeat("  ", depth) + n.Kind
	if n.Name != "" {
		line += " " + n.Name
	}
	if n.Detail != "" {
		line += ": " + n.Detail
	}
	fmt.Fprintln(w, line)
	for _, c := range n.Children {
		c.write(w, depth+1)
	}
}
