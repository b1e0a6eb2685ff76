package compbin

import (
	"fmt"
	"strconv"
	"strings"
)

// Summary returns a human-readable outline of the component, one line per
// import, core module, core instance, nested component (followed by its
// own outline, indented), instance, export and custom section, in file
// order. Sizes are in bytes and offsets are file offsets. The format is
// stable: wdbg inspect prints it and golden tests pin it.
//
//	component: 1234 bytes, version 0x0d, 12 sections
//	  definitions: 10 types, 2 canons, 3 aliases
//	  import instance 0 "wasi:cli/stdout@0.2.0": instance (type 0)
//	  core module 0 $main: 800 bytes at 0x40..0x360
//	  core instance 0: instantiate core module 0 with "env"=core instance 1
//	  export func 1 "run" = func 0
func (c *Component) Summary() string {
	var b strings.Builder
	c.summary(&b, "", "component")
	return b.String()
}

func (c *Component) summary(b *strings.Builder, indent, title string) {
	fmt.Fprintf(b, "%s%s: %d bytes, version 0x%02x, %d sections\n", indent, title, c.End-c.Offset, c.Version, len(c.Sections))
	indent += "  "
	var defs []string
	count := func(n int, what string) {
		if n > 0 {
			defs = append(defs, plural(n, what))
		}
	}
	count(len(c.Types), "type")
	count(len(c.CoreTypes), "core type")
	count(len(c.Aliases), "alias")
	count(len(c.Canons), "canon")
	count(len(c.Starts), "start")
	count(len(c.Values), "value")
	if len(defs) > 0 {
		fmt.Fprintf(b, "%sdefinitions: %s\n", indent, strings.Join(defs, ", "))
	}
	for _, s := range c.Sections {
		for i := s.First; i < s.First+s.Count; i++ {
			switch s.ID {
			case SectionImport:
				im := &c.Imports[i]
				sort := im.Type.Kind.Sort()
				fmt.Fprintf(b, "%simport %s %d%s %s: %s\n", indent, sort, im.Index, c.nameUnless(sort, im.Index, im.Name.Name), externName(im.Name), im.Type)
			case SectionCoreModule:
				m := &c.CoreModules[i]
				fmt.Fprintf(b, "%score module %d%s: %d bytes at %#x..%#x\n", indent, m.Index, c.nameOf(SortCoreModule, m.Index), len(m.Bytes), m.Offset, m.End)
			case SectionCoreInstance:
				ci := &c.CoreInstances[i]
				fmt.Fprintf(b, "%score instance %d%s: ", indent, ci.Index, c.nameOf(SortCoreInstance, ci.Index))
				if ci.Instantiate {
					fmt.Fprintf(b, "instantiate core module %d", ci.Module)
					for j, a := range ci.Args {
						sep := ", "
						if j == 0 {
							sep = " with "
						}
						fmt.Fprintf(b, "%s%q=core instance %d", sep, a.Name, a.Instance)
					}
					b.WriteString("\n")
				} else {
					b.WriteString(plural(len(ci.Exports), "export") + "\n")
				}
			case SectionComponent:
				nc := c.Components[i]
				idx := nc.Index
				nc.summary(b, indent, fmt.Sprintf("component %d%s at %#x", idx, c.nameOf(SortComponent, idx), nc.Offset))
			case SectionInstance:
				in := &c.Instances[i]
				fmt.Fprintf(b, "%sinstance %d%s: ", indent, in.Index, c.nameOf(SortInstance, in.Index))
				if in.Instantiate {
					fmt.Fprintf(b, "instantiate component %d", in.Component)
					for j, a := range in.Args {
						sep := ", "
						if j == 0 {
							sep = " with "
						}
						fmt.Fprintf(b, "%s%q=%s", sep, a.Name, a.Item)
					}
					b.WriteString("\n")
				} else {
					b.WriteString(plural(len(in.Exports), "export") + "\n")
				}
			case SectionExport:
				ex := &c.Exports[i]
				fmt.Fprintf(b, "%sexport %s %d%s %s = %s", indent, ex.Item.Sort, ex.Index, c.nameUnless(ex.Item.Sort, ex.Index, ex.Name.Name), externName(ex.Name), ex.Item)
				if ex.Type != nil {
					fmt.Fprintf(b, ": %s", ex.Type)
				}
				b.WriteString("\n")
			case SectionCustom:
				cu := &c.Customs[i]
				fmt.Fprintf(b, "%scustom %q: %d bytes\n", indent, cu.Name, len(cu.Data))
			}
		}
	}
}

// nameOf returns " $name" when the name section names the item.
func (c *Component) nameOf(s Sort, idx uint32) string {
	n, ok := c.Names.Lookup(s, idx)
	if !ok {
		return ""
	}
	return " $" + identOrQuoted(n)
}

// nameUnless is nameOf, except that it is empty when the name is the
// extern name already shown.
func (c *Component) nameUnless(s Sort, idx uint32, extern string) string {
	if n, ok := c.Names.Lookup(s, idx); ok && n == extern {
		return ""
	}
	return c.nameOf(s, idx)
}

// plural returns "1 export" or "3 exports" (or "aliases").
func plural(n int, what string) string {
	switch {
	case n == 1:
		return "1 " + what
	case strings.HasSuffix(what, "s"):
		return fmt.Sprintf("%d %ses", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// externName quotes a name and appends its attributes.
func externName(n ExternName) string {
	s := strconv.Quote(n.Name)
	for _, a := range n.Attrs {
		switch a.Kind {
		case AttrImplements:
			s += fmt.Sprintf(" (implements %q)", a.Value)
		case AttrVersionSuffix:
			s += fmt.Sprintf(" (versionsuffix %q)", a.Value)
		case AttrExternalID:
			s += fmt.Sprintf(" (external-id %q)", a.Value)
		}
	}
	return s
}

// identOrQuoted returns s if it is a plain identifier, else s quoted.
func identOrQuoted(s string) string {
	if s == "" {
		return `""`
	}
	for _, r := range s {
		if r <= ' ' || r > '~' || strings.ContainsRune(`"(),;[]{}`, r) {
			return strconv.Quote(s)
		}
	}
	return s
}
