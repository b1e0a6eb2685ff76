package dwarf

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// describe lists the functions, parameters, locals and globals of a test
// program's own compile units with their types, and the layout of every
// struct, union and enum they use.
func describe(d *Data) string {
	var b strings.Builder
	layouts := map[string]Type{}
	var note func(t Type, depth int)
	note = func(t Type, depth int) {
		if depth > 8 || t == nil {
			return
		}
		switch u := t.(type) {
		case *Struct, *Enum:
			if _, ok := layouts[t.Name()]; ok {
				return
			}
			layouts[t.Name()] = t
			if s, ok := u.(*Struct); ok {
				for _, f := range s.Fields {
					note(f.Type, depth+1)
				}
			}
		case *Pointer:
			note(u.Elem, depth+1)
		case *Reference:
			note(u.Elem, depth+1)
		case *Array:
			note(u.Elem, depth+1)
		case *Typedef:
			layouts["typedef "+u.TypeName] = t
			note(u.Type, depth+1)
		case *Qualified:
			note(u.Type, depth+1)
		case *FuncType:
			note(u.Return, depth+1)
			for _, p := range u.Params {
				note(p, depth+1)
			}
		}
	}
	v := func(ind string, x *Var) {
		fmt.Fprintf(&b, "%s%s: %s (%d bytes)", ind, x.Name, x.Type.Name(), x.Type.Size())
		if x.DeclFile != nil {
			fmt.Fprintf(&b, " at %s:%d", filepath.Base(x.DeclFile.Path), x.DeclLine)
		}
		if x.Const != nil {
			fmt.Fprintf(&b, " = %d", x.Const.Int)
		}
		b.WriteString("\n")
		note(x.Type, 0)
	}
	user := func(cu *CU) bool { return !strings.HasPrefix(cu.Name, ".") }
	var dump func(s *Scope, ind string)
	dump = func(s *Scope, ind string) {
		for _, x := range s.Vars {
			v(ind, x)
		}
		for _, c := range s.Children {
			if c.Inline != nil {
				fmt.Fprintf(&b, "%sinlined %s (call at line %d)\n", ind, c.Inline.Func.Name, c.Inline.CallLine)
			} else {
				fmt.Fprintf(&b, "%s{\n", ind)
			}
			dump(c, ind+"  ")
			if c.Inline == nil {
				fmt.Fprintf(&b, "%s}\n", ind)
			}
		}
	}
	for _, f := range d.Funcs() {
		if !user(f.CU) {
			continue
		}
		ret := "void"
		if f.Type != nil {
			ret = f.Type.Name()
			note(f.Type, 0)
		}
		fmt.Fprintf(&b, "func %s -> %s", f.QualifiedName, ret)
		if f.DeclFile != nil {
			fmt.Fprintf(&b, " at %s:%d", filepath.Base(f.DeclFile.Path), f.DeclLine)
		}
		b.WriteString("\n")
		for _, p := range f.Params {
			v("  param ", p)
		}
		dump(f.Scope, "  ")
	}
	for _, g := range d.Globals() {
		if user(g.CU) {
			v("global ", g)
		}
	}
	var names []string
	for n := range layouts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		switch t := layouts[n].(type) {
		case *Struct:
			fmt.Fprintf(&b, "%s (%d bytes)", n, t.Size())
			if t.Declaration {
				b.WriteString(" declaration")
			}
			b.WriteString("\n")
			for _, f := range t.Fields {
				fmt.Fprintf(&b, "  %s: %s @%d", f.Name, f.Type.Name(), f.Offset)
				if f.BitSize > 0 {
					fmt.Fprintf(&b, " bits %d+%d", f.BitOffset, f.BitSize)
				}
				if f.IsBase {
					b.WriteString(" (base)")
				}
				b.WriteString("\n")
			}
		case *Typedef:
			fmt.Fprintf(&b, "%s = %s (%d bytes)\n", n, t.Type.Name(), t.Size())
		case *Enum:
			fmt.Fprintf(&b, "%s (%d bytes, signed %v):", n, t.Size(), t.Signed)
			for _, e := range t.Values {
				fmt.Fprintf(&b, " %s=%d", e.Name, e.Value)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestTypeNamesGolden checks the types of every variable of the test
// programs against golden files, and that DWARF 4 and 5 builds agree.
func TestTypeNamesGolden(t *testing.T) {
	for _, prog := range []string{"types", "opt", "cpp"} {
		for _, opt := range []string{"O0", "O2"} {
			t.Run(prog+"."+opt, func(t *testing.T) {
				golden := filepath.Join("testdata", "golden", prog+"."+opt+".golden")
				got5 := describe(load(t, fmt.Sprintf("testdata/%s.dwarf5.%s.wasm", prog, opt)))
				got4 := describe(load(t, fmt.Sprintf("testdata/%s.dwarf4.%s.wasm", prog, opt)))
				if got4 != got5 {
					t.Errorf("DWARF 4 and DWARF 5 builds differ:\n--- dwarf4\n%s\n--- dwarf5\n%s", got4, got5)
				}
				if *update {
					os.MkdirAll(filepath.Dir(golden), 0o755)
					if err := os.WriteFile(golden, []byte(got5), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if got5 != string(want) {
					t.Errorf("%s differs (run with -update after checking):\n%s", golden, got5)
				}
			})
		}
	}
}
