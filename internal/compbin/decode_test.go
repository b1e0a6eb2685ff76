package compbin

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// versionDependent masks what changes with the clang, wasi-libc and jco
// versions (sizes and offsets) in the outline of the C component.
var versionDependent = regexp.MustCompile(`\d+ bytes|0x[0-9a-f]+`)

func TestSummaryGolden(t *testing.T) {
	for _, tc := range components(t) {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Decode(tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			got := c.Summary()
			if got != c.Summary() {
				t.Fatal("Summary is not deterministic")
			}
			if tc.name == "hello" {
				got = versionDependent.ReplaceAllStringFunc(got, func(s string) string {
					if strings.HasSuffix(s, "bytes") {
						return "N bytes"
					}
					return "0xN"
				})
			}
			golden(t, tc.name+".golden", got)
		})
	}
}

// TestDumpGolden pins every decoded field of the hand-written components.
func TestDumpGolden(t *testing.T) {
	for _, tc := range components(t) {
		if tc.name == "hello" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			c, err := Decode(tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".dump.golden", dump(c))
		})
	}
}

// TestAgainstJcoPrint compares what Decode found with an independent
// reader, jco's printer (wasmprinter): the same canonical definitions by
// kind, the same number of aliases and of core modules, counted over all
// nesting levels. (The golden dumps pin the rest.)
func TestAgainstJcoPrint(t *testing.T) {
	for _, tc := range components(t) {
		t.Run(tc.name, func(t *testing.T) {
			out, err := exec.Command(tool(t, "jco"), "print", tc.path).Output()
			if err != nil {
				t.Fatalf("jco print: %v", err)
			}
			wat := string(out)
			c, err := Decode(tc.bin)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			var walk func(c *Component)
			walk = func(c *Component) {
				for _, cn := range c.Canons {
					got["canon "+cn.Kind.String()]++
				}
				got["core module"] += len(c.CoreModules)
				got["alias"] += len(c.Aliases)
				for _, ty := range c.Types {
					countAliasDecls(ty.Decls, got)
				}
				for _, n := range c.Components {
					walk(n)
				}
			}
			walk(c)
			want := map[string]int{}
			// Canonical definitions and aliases print either as their own
			// form or inline, as in "(core func $f (canon lower ...".
			for _, m := range regexp.MustCompile(`\((canon [a-z.\-]+|alias)[\s)]`).FindAllStringSubmatch(wat, -1) {
				want[m[1]]++
			}
			want["core module"] = len(regexp.MustCompile(`(?m)^\s*\(core module`).FindAllString(wat, -1))
			if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(want)) {
				t.Errorf("decoded  %v\njco print %v", sorted(got), sorted(want))
			}
		})
	}
}

func countAliasDecls(ds []Decl, got map[string]int) {
	for _, d := range ds {
		switch d.Kind {
		case DeclType:
			countAliasDecls(d.Type.Decls, got)
		case DeclAlias:
			got["alias"]++
		}
	}
}

func sorted(m map[string]int) []string {
	var s []string
	for k, v := range m {
		if v != 0 {
			s = append(s, fmt.Sprintf("%s=%d", k, v))
		}
	}
	sort.Strings(s)
	return s
}

// TestTestComponents checks facts about the built components that the
// golden files would not make obvious.
func TestTestComponents(t *testing.T) {
	for _, tc := range components(t) {
		c, err := Decode(tc.bin)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !IsComponent(tc.bin) || c.Offset != 0 || c.End != len(tc.bin) || c.Version != 0x0d || c.Layer != 1 {
			t.Errorf("%s: bad preamble fields %+v", tc.name, c)
		}
		checkLayout(t, tc.bin, c)
		switch tc.name {
		case "hello":
			if len(c.CoreModules) < 3 {
				t.Errorf("hello: %d core modules, want main, adapter, shim and fixup", len(c.CoreModules))
			}
			// clang's DWARF survives inside the main module.
			if main := c.CoreModules[0].Bytes; !bytes.Contains(main, []byte(".debug_info")) || !bytes.Contains(main, []byte("manhattan")) {
				t.Error("hello: main module lost its DWARF")
			}
			last := c.Exports[len(c.Exports)-1]
			if !strings.HasPrefix(last.Name.Name, "wasi:cli/run@0.2.") || last.Item.Sort != SortInstance {
				t.Errorf("hello: last export %q %v", last.Name.Name, last.Item)
			}
			if c.Names == nil {
				t.Error("hello: no component-name section")
			}
			if n, _ := c.Names.Lookup(SortCoreModule, 0); n != "main" {
				t.Errorf("hello: core module 0 is named %q, want main", n)
			}
		case "async":
			if len(c.Canons) != 40 || c.IndexSpaceLen(SortCoreFunc) != 39+3 || c.IndexSpaceLen(SortFunc) != 4 {
				t.Errorf("async: %d canons, %d core funcs, %d funcs", len(c.Canons), c.IndexSpaceLen(SortCoreFunc), c.IndexSpaceLen(SortFunc))
			}
			lift := c.Canons[len(c.Canons)-1]
			if lift.Kind != CanonLift || !lift.IsAsync() || lift.Index != 2 {
				t.Errorf("async: last canon %v index %d", lift.String(), lift.Index)
			}
			if cb, ok := lift.Opt(OptCallback); !ok || cb.Index != 41 {
				t.Errorf("async: callback %v %v", cb, ok)
			}
		case "types":
			var kinds []string
			for _, ty := range c.Types {
				kinds = append(kinds, ty.Kind.String())
			}
			for _, k := range []string{"record", "variant", "list", "tuple", "flags", "enum", "option", "result", "own", "borrow", "stream", "future", "func", "component", "instance", "resource", "prim"} {
				if !strings.Contains(" "+strings.Join(kinds, " ")+" ", " "+k+" ") {
					t.Errorf("types: no %s type decoded", k)
				}
			}
		}
	}
}

// checkLayout checks that sections tile the component and items point
// into the input.
func checkLayout(t *testing.T, b []byte, c *Component) {
	t.Helper()
	pos := c.Offset + 8
	for _, s := range c.Sections {
		if s.Offset != pos || s.Start <= s.Offset || s.End < s.Start || s.End > c.End {
			t.Fatalf("section %v at %#x..%#x (payload %#x) does not follow %#x", s.ID, s.Offset, s.End, s.Start, pos)
		}
		pos = s.End
	}
	if pos != c.End {
		t.Fatalf("sections end at %#x, component at %#x", pos, c.End)
	}
	for _, m := range c.CoreModules {
		if !bytes.Equal(b[m.Offset:m.End], m.Bytes) || !bytes.HasPrefix(m.Bytes, []byte("\x00asm\x01\x00\x00\x00")) {
			t.Fatalf("core module %d at %#x..%#x", m.Index, m.Offset, m.End)
		}
	}
	for _, n := range c.Components {
		if !bytes.HasPrefix(b[n.Offset:], []byte("\x00asm\x0d\x00\x01\x00")) {
			t.Fatalf("nested component at %#x", n.Offset)
		}
		checkLayout(t, b, n)
	}
}

// TestTruncation decodes every prefix of every test component: no panic,
// and success only where a section ends. Inside embedded core modules,
// which are kept as raw bytes, only prefixes near their ends are tried.
func TestTruncation(t *testing.T) {
	for _, tc := range components(t) {
		c, err := Decode(tc.bin)
		if err != nil {
			t.Fatal(err)
		}
		ends := map[int]bool{8: true}
		for _, s := range c.Sections {
			ends[s.End] = true
		}
		skip := map[int]int{} // start of a core module payload -> its end
		var collect func(c *Component)
		collect = func(c *Component) {
			for _, m := range c.CoreModules {
				if m.End-m.Offset > 64 {
					skip[m.Offset+16] = m.End - 16
				}
			}
			for _, n := range c.Components {
				collect(n)
			}
		}
		collect(c)
		for i := 0; i < len(tc.bin); i++ {
			if end, ok := skip[i]; ok {
				i = end
			}
			_, err := Decode(tc.bin[:i])
			if (err == nil) != ends[i] {
				t.Fatalf("%s: prefix of %d bytes: err = %v", tc.name, i, err)
			}
			var de *DecodeError
			if err != nil && !errors.As(err, &de) {
				t.Fatalf("%s: prefix of %d bytes: %T is not a *DecodeError", tc.name, i, err)
			}
		}
	}
}

// dump renders every decoded field, for the golden tests.
func dump(c *Component) string {
	var b strings.Builder
	dumpComponent(&b, c, "")
	return b.String()
}

func dumpComponent(b *strings.Builder, c *Component, ind string) {
	fmt.Fprintf(b, "%scomponent %d @%#x..%#x version %#x layer %d\n", ind, c.Index, c.Offset, c.End, c.Version, c.Layer)
	ind += "  "
	for _, s := range c.Sections {
		fmt.Fprintf(b, "%s%s section @%#x payload %#x..%#x\n", ind, s.ID, s.Offset, s.Start, s.End)
		in := ind + "  "
		for i := s.First; i < s.First+s.Count; i++ {
			switch s.ID {
			case SectionCustom:
				cu := c.Customs[i]
				fmt.Fprintf(b, "%s%q %d bytes @%#x..%#x\n", in, cu.Name, len(cu.Data), cu.Start, cu.End)
			case SectionCoreModule:
				m := c.CoreModules[i]
				fmt.Fprintf(b, "%score module %d %d bytes\n", in, m.Index, len(m.Bytes))
			case SectionCoreInstance:
				fmt.Fprintf(b, "%score instance %+v\n", in, c.CoreInstances[i])
			case SectionCoreType:
				dumpCoreType(b, &c.CoreTypes[i], in)
			case SectionComponent:
				dumpComponent(b, c.Components[i], in)
			case SectionInstance:
				fmt.Fprintf(b, "%sinstance %+v\n", in, c.Instances[i])
			case SectionAlias:
				fmt.Fprintf(b, "%salias %+v\n", in, c.Aliases[i])
			case SectionType:
				dumpType(b, &c.Types[i], in)
			case SectionCanon:
				cn := c.Canons[i]
				fmt.Fprintf(b, "%s%s %d = canon %s\n", in, map[bool]string{true: "core func", false: "func"}[cn.DefinesCoreFunc()], cn.Index, cn.String())
			case SectionStart:
				fmt.Fprintf(b, "%sstart %+v\n", in, c.Starts[i])
			case SectionImport:
				im := c.Imports[i]
				fmt.Fprintf(b, "%simport %d %s %+v: %s\n", in, im.Index, externName(im.Name), im.Name.Attrs, im.Type)
			case SectionExport:
				ex := c.Exports[i]
				ty := "-"
				if ex.Type != nil {
					ty = ex.Type.String()
				}
				fmt.Fprintf(b, "%sexport %d %s = %s: %s\n", in, ex.Index, externName(ex.Name), ex.Item, ty)
			case SectionValue:
				v := c.Values[i]
				fmt.Fprintf(b, "%svalue %d %s % x\n", in, v.Index, v.Type, v.Bytes)
			}
		}
	}
	if c.Names != nil {
		fmt.Fprintf(b, "%snames: component %q\n", ind, c.Names.Component)
		for _, sn := range c.Names.Sorts {
			fmt.Fprintf(b, "%s  %s: %v\n", ind, sn.Sort, sn.Names)
		}
	}
	for s := Sort(0); s < numSorts; s++ {
		if n := c.IndexSpaceLen(s); n > 0 {
			fmt.Fprintf(b, "%s%s index space: %d\n", ind, s, n)
		}
	}
}

func dumpType(b *strings.Builder, t *Type, ind string) {
	fmt.Fprintf(b, "%stype %d = %s\n", ind, t.Index, t)
	for _, d := range t.Decls {
		dumpDecl(b, d, ind+"  ")
	}
}

func dumpDecl(b *strings.Builder, d Decl, ind string) {
	switch d.Kind {
	case DeclCoreType:
		dumpCoreType(b, d.CoreType, ind)
	case DeclType:
		dumpType(b, d.Type, ind)
	case DeclAlias:
		fmt.Fprintf(b, "%salias %+v\n", ind, *d.Alias)
	case DeclImport:
		fmt.Fprintf(b, "%simport %s: %s\n", ind, externName(d.Name), d.Extern)
	case DeclExport:
		fmt.Fprintf(b, "%sexport %s: %s\n", ind, externName(d.Name), d.Extern)
	}
}

func dumpCoreType(b *strings.Builder, ct *CoreType, ind string) {
	if ct.IsModule {
		fmt.Fprintf(b, "%score type %d = module\n", ind, ct.Index)
		for _, d := range ct.Module {
			switch d.Kind {
			case ModuleDeclType:
				dumpCoreType(b, d.Type, ind+"  ")
			case ModuleDeclAlias:
				fmt.Fprintf(b, "%s  alias outer %d %d (type)\n", ind, d.Count, d.Idx)
			default:
				fmt.Fprintf(b, "%s  %s %q %q %s\n", ind, map[ModuleDeclKind]string{ModuleDeclImport: "import", ModuleDeclExport: "export"}[d.Kind], d.Module, d.Name, d.Extern)
			}
		}
		return
	}
	for i, st := range ct.SubTypes {
		fmt.Fprintf(b, "%score type %d = rec=%v final=%v supers=%v %s\n", ind, ct.Index+uint32(i), ct.Rec, st.Final, st.Supers, st.Comp)
	}
}
