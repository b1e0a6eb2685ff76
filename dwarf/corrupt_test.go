package dwarf

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"testing"
)

// exercise calls every accessor of d, as a debugger would, so that corrupt
// input that survives Load is also shown not to break what comes after.
func exercise(d *Data) {
	if d == nil {
		return
	}
	d.LineRows()
	d.Files()
	d.CUs()
	stmts := d.StmtOffsets()
	for _, f := range d.Files() {
		d.Lookup(f.Path, 1)
		d.Lookup(f.Name, 10)
	}
	d.Lookup("x.c", 3)
	pcs := append([]CodeOffset{0, 1, 0xffffffff}, sample(stmts, 40)...)
	frame := newFrame()
	for _, pc := range pcs {
		d.LineAt(pc)
		d.InlineChain(pc)
		params, locals := d.ScopeVars(pc)
		f := d.FuncAt(pc)
		for _, v := range append(params, locals...) {
			useVar(v, pc, frame, f)
		}
	}
	for _, f := range d.Funcs() {
		d.PrologueEnd(f)
		if f.Type != nil {
			f.Type.Name()
		}
		for _, v := range f.Params {
			useVar(v, f.Low, frame, f)
		}
	}
	for _, v := range d.Globals() {
		useVar(v, 0, frame, nil)
		d.GlobalByName(v.Name)
	}
	for _, n := range []string{"main", "square", "printf"} {
		for _, f := range d.FuncByName(n) {
			d.InlinedCalls(f)
		}
	}
	for _, n := range []string{"int", "struct node", "char *", "unsigned long", "geo::Shape", "size_t"} {
		for _, t := range d.TypeByName(n) {
			useType(t, 0)
		}
	}
	d.Errors()
}

// checkNoPanic fails if Load or the lazy decoding recovered from a panic:
// that is a bug even though the debugger survives it.
func checkNoPanic(t *testing.T, d *Data, err error) {
	t.Helper()
	if errors.Is(err, errPanic) {
		t.Fatal(err)
	}
	for _, e := range d.Errors() {
		if errors.Is(e, errPanic) {
			t.Fatal(e)
		}
	}
}

func sample(all []CodeOffset, n int) []CodeOffset {
	if len(all) <= n {
		return all
	}
	out := make([]CodeOffset, 0, n)
	for i := range n {
		out = append(out, all[i*len(all)/n])
	}
	return out
}

func useVar(v *Var, pc CodeOffset, frame Frame, f *Func) {
	useType(v.Type, 0)
	var fb Expr
	if f != nil {
		fb = f.FrameBase
	}
	if e, ok := v.Loc.At(pc); ok {
		Eval(e, frame, fb)
		_ = e.String()
	}
	for _, r := range v.Loc.List {
		Eval(r.Expr, frame, fb)
	}
}

func useType(t Type, depth int) {
	if t == nil || depth > 4 {
		return
	}
	t.Name()
	t.Size()
	switch u := t.(type) {
	case *Struct:
		for _, f := range u.Fields {
			useType(f.Type, depth+1)
		}
	case *Pointer:
		useType(u.Elem, depth+1)
	case *Array:
		useType(u.ElemType(), depth+1)
	case *Typedef:
		useType(u.Type, depth+1)
	case *Qualified:
		useType(u.Type, depth+1)
	}
}

func cloneSections(s Sections) Sections {
	c := Sections{}
	for k, v := range s {
		c[k] = slices.Clone(v)
	}
	return c
}

func sortedNames(s Sections) []string {
	var ns []string
	for n := range s {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// TestCorruptSections truncates and flips bytes in each debug section of
// DWARF 4 and DWARF 5 modules: Load must return an error or partial data,
// never panic, and the partial data must be usable.
func TestCorruptSections(t *testing.T) {
	mods := []string{
		"../fixtures/testdata/c/ledger/ledger.O2.wasm",
		"testdata/opt.dwarf5.O2.wasm",
		"testdata/cpp.dwarf5.O0.wasm",
	}
	n := 6
	if testing.Short() {
		n = 2
	}
	for _, m := range mods {
		orig := readSections(t, m)
		for _, name := range sortedNames(orig) {
			t.Run(fmt.Sprintf("%s/%s", m, name), func(t *testing.T) {
				sec := orig[name]
				rng := rand.New(rand.NewSource(int64(len(sec))))
				var cases []Sections
				for _, cut := range []int{0, 1, len(sec) / 3, len(sec) / 2, len(sec) - 1} {
					s := cloneSections(orig)
					s[name] = s[name][:max(cut, 0)]
					cases = append(cases, s)
				}
				for range n {
					s := cloneSections(orig)
					b := s[name]
					if len(b) == 0 {
						break
					}
					// A burst of random bytes at a random place; offsets and
					// lengths are the interesting targets, so also write
					// 0xff runs.
					at := rng.Intn(len(b))
					for i := at; i < min(len(b), at+1+rng.Intn(8)); i++ {
						if rng.Intn(2) == 0 {
							b[i] = 0xff
						} else {
							b[i] = byte(rng.Intn(256))
						}
					}
					cases = append(cases, s)
				}
				for i, s := range cases {
					func() {
						defer func() {
							if p := recover(); p != nil {
								t.Fatalf("case %d: panic: %v", i, p)
							}
						}()
						d, err := Load(s)
						exercise(d)
						checkNoPanic(t, d, err)
					}()
				}
			})
		}
	}
}

// TestPartialData checks that a module whose .debug_info is gone still has
// its line tables, and reports the problem.
func TestPartialData(t *testing.T) {
	s := cloneSections(readSections(t, ledgerO0))
	s[secInfo] = bytes.Repeat([]byte{0xff}, 64)
	d, err := Load(s)
	if err == nil || d == nil {
		t.Fatalf("Load = %v, %v; want partial data and an error", d, err)
	}
	if len(d.LineRows()) == 0 || len(d.StmtOffsets()) == 0 {
		t.Error("line tables lost")
	}
	if addrs, _, err := d.Lookup("ledger.c", 30); err != nil || len(addrs) == 0 {
		t.Errorf("Lookup: %v", err)
	}
	if d.FuncAt(0x30) != nil || len(d.Funcs()) != 0 {
		t.Error("functions without .debug_info")
	}
	exercise(d)

	// Corrupt abbreviations of the last unit only: the units before it
	// survive.
	s = cloneSections(readSections(t, ledgerO0))
	hs, _ := readUnitHeaders(s[secInfo])
	last := hs[len(hs)-1]
	info := s[secInfo]
	for i := last.dieOff; i < last.end; i++ {
		info[i] = 0x7f // an abbreviation code that does not exist
	}
	d, err = Load(s)
	if err == nil {
		t.Error("no error for a corrupt unit")
	}
	if len(d.CUs()) != len(hs)-1 || len(d.FuncByName("main")) != 1 {
		t.Errorf("%d units survive, want %d", len(d.CUs()), len(hs)-1)
	}
	exercise(d)

	if d, err := Load(Sections{}); d != nil || err != nil {
		t.Errorf("Load(no DWARF) = %v, %v", d, err)
	}
	if d, err := Load(Sections{".debug_str": []byte("x\x00")}); d != nil || err != nil {
		t.Errorf("Load(only strings) = %v, %v", d, err)
	}
	var nilData *Data
	exercise(nilData)
}
