package dwarf

import (
	"errors"
	"slices"
	"sync"
	"testing"
)

const ledgerO0 = "../fixtures/testdata/c/ledger/ledger.O0.wasm"

func names(vs []*Var) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	return out
}

func TestLookup(t *testing.T) {
	d := load(t, ledgerO0)
	stmts := d.StmtOffsets()
	for _, file := range []string{
		"ledger.c",
		"ledger/ledger.c",
		"testdata/c/ledger/ledger.c",
		"/work/main/fixtures/testdata/c/ledger/ledger.c",
	} {
		addrs, line, err := d.Lookup(file, 30)
		if err != nil || line != 30 || len(addrs) == 0 {
			t.Fatalf("Lookup(%q, 30) = %v, %d, %v", file, addrs, line, err)
		}
		for _, a := range addrs {
			if _, ok := slices.BinarySearch(stmts, a); !ok {
				t.Errorf("Lookup address %#x is not a statement site", a)
			}
			if r, ok := d.LineAt(a); !ok || r.Line != 30 {
				t.Errorf("LineAt(%#x) = %+v", a, r)
			}
		}
	}
	// Line 23 is blank and line 24 is apply's opening line, whose only row
	// is at low_pc: gdb moves to the next line with code.
	if _, line, err := d.Lookup("ledger.c", 23); err != nil || line != 25 {
		t.Errorf("Lookup(ledger.c, 23): line %d, %v; want 25", line, err)
	}
	if _, _, err := d.Lookup("ledger.c", 1000); !errors.Is(err, ErrNoCode) {
		t.Errorf("Lookup past the end: %v", err)
	}
	for _, f := range []string{"nosuch.c", "edger.c", "c/ledger"} {
		if _, _, err := d.Lookup(f, 1); !errors.Is(err, ErrNoFile) {
			t.Errorf("Lookup(%q): %v, want ErrNoFile", f, err)
		}
	}
	// A libc file, by path suffix.
	if _, _, err := d.Lookup("crt1-command.c", 12); err != nil {
		t.Errorf("Lookup in libc: %v", err)
	}
}

func TestScopeVars(t *testing.T) {
	d := load(t, "testdata/types.dwarf4.O0.wasm")
	addrs, _, err := d.Lookup("types.c", 118)
	if err != nil {
		t.Fatal(err)
	}
	params, locals := d.ScopeVars(addrs[0])
	if got := names(params); !slices.Equal(got, []string{"argc", "argv"}) {
		t.Errorf("params = %v", got)
	}
	// The inner x shadows the outer one; the loop counters are out of scope.
	want := []string{"x", "pk", "op", "origin", "scale", "s", "f", "m", "sum"}
	if got := names(locals); !slices.Equal(got, want) {
		t.Errorf("locals = %v, want %v", got, want)
	}
	if locals[0].DeclLine != 117 {
		t.Errorf("x is the one declared at line %d, want 117", locals[0].DeclLine)
	}
	addrs, _, _ = d.Lookup("types.c", 106)
	_, locals = d.ScopeVars(addrs[0])
	if got := names(locals); !slices.Equal(got[:2], []string{"c", "r"}) {
		t.Errorf("locals in the nested loop = %v", got)
	}
	// Every variable must have a usable type.
	for _, f := range d.Funcs() {
		for _, p := range f.Params {
			if p.Type == nil || p.Type.Name() == "" {
				t.Errorf("%s: param %s has no type", f.Name, p.Name)
			}
		}
	}
}

func TestInlined(t *testing.T) {
	for _, p := range []string{"testdata/opt.dwarf4.O2.wasm", "testdata/opt.dwarf5.O2.wasm"} {
		t.Run(p, func(t *testing.T) {
			d := load(t, p)
			sq := d.FuncByName("square")
			if len(sq) != 1 || !sq[0].Inlined || len(sq[0].Ranges) != 0 {
				t.Fatalf("FuncByName(square) = %v", sq)
			}
			calls := d.InlinedCalls(sq[0])
			if len(calls) == 0 {
				t.Fatal("square has no inlined calls")
			}
			found := false
			for _, c := range calls {
				if c.Caller.Name != "sum_squares" || c.CallLine != 13 || c.CallFile == nil {
					t.Errorf("call %+v", c)
				}
				for _, r := range c.Ranges {
					pc := r[0]
					chain := d.InlineChain(pc)
					if len(chain) != 2 || chain[0] != c || chain[1].Func.Name != "accumulate" {
						t.Errorf("InlineChain(%#x) = %v", pc, chain)
						continue
					}
					params, locals := d.ScopeVars(pc)
					if got := names(params); !slices.Equal(got, []string{"v"}) {
						t.Errorf("params of square at %#x: %v", pc, got)
					}
					if got := names(locals); !slices.Equal(got, []string{"sq"}) {
						t.Errorf("locals of square at %#x: %v", pc, got)
					}
					// The virtual frames outward: accumulate, then sum_squares.
					params, locals = d.FrameVars(pc, 1)
					if got := names(params); !slices.Equal(got, []string{"a", "v"}) {
						t.Errorf("params of accumulate at %#x: %v", pc, got)
					}
					if got := names(locals); !slices.Equal(got, []string{"s"}) {
						t.Errorf("locals of accumulate at %#x: %v", pc, got)
					}
					params, locals = d.FrameVars(pc, 2)
					if got := names(params); !slices.Equal(got, []string{"xs", "n"}) {
						t.Errorf("params of sum_squares at %#x: %v", pc, got)
					}
					if got := names(locals); !slices.Equal(got, []string{"v", "i", "a"}) {
						t.Errorf("locals of sum_squares at %#x: %v", pc, got)
					}
					if p, l := d.FrameVars(pc, 3); p != nil || l != nil {
						t.Errorf("frame 3 exists: %v %v", p, l)
					}
					found = true
				}
			}
			if !found {
				t.Error("no inlined range checked")
			}
			// accumulate's parameter a was optimized out of the inlined copy:
			// it is still listed, without a location.
			acc := d.FuncByName("accumulate")[0]
			for _, c := range d.InlinedCalls(acc) {
				ps := c.Scope.Vars
				if len(ps) < 2 || ps[0].Name != "a" || ps[1].Name != "v" || !ps[0].IsParam {
					t.Errorf("accumulate's inlined params: %v", names(ps))
				}
			}
		})
	}
}

func TestFuncsAndGlobals(t *testing.T) {
	d := load(t, ledgerO0)
	m := d.FuncByName("main")
	if len(m) != 1 || m[0].LinkageName != "__main_argc_argv" || m[0].DeclLine != 49 || m[0].DeclFile == nil {
		t.Fatalf("FuncByName(main) = %+v", m)
	}
	if got := d.FuncByName("__main_argc_argv"); len(got) != 1 || got[0] != m[0] {
		t.Errorf("by linkage name: %v", got)
	}
	if f := d.FuncAt(m[0].Low + 5); f != m[0] {
		t.Errorf("FuncAt(main+5) = %v", f)
	}
	if f := d.FuncAt(0); f != nil {
		t.Errorf("FuncAt(0) = %v", f.Name)
	}
	if len(m[0].FrameBase) == 0 || m[0].Type == nil || m[0].Type.Name() != "int" {
		t.Errorf("main: frame base %v, type %v", m[0].FrameBase, m[0].Type)
	}
	pe, ok := d.PrologueEnd(m[0])
	if !ok {
		t.Fatal("no prologue end for main")
	}
	if r, _ := d.LineAt(pe); !r.PrologueEnd || r.Line != 51 {
		t.Errorf("PrologueEnd(main) = %#x, row %+v", pe, r)
	}
	g := d.GlobalByName("total_fees")
	if len(g) != 1 || g[0].Type.Name() != "int" || len(g[0].Loc.Expr) != 5 || g[0].Loc.Expr[0] != opAddr {
		t.Errorf("GlobalByName(total_fees) = %+v", g)
	}
	if g := d.GlobalByName("accounts"); len(g) != 1 || g[0].Type.Name() != "struct account [2]" || g[0].Type.Size() != 2*(16+4+4+8*12) {
		t.Errorf("GlobalByName(accounts) = %v", g)
	}

	// Two compile units with a static of the same name.
	d = load(t, "testdata/types.dwarf5.O2.wasm")
	cc := d.GlobalByName("call_count")
	if len(cc) != 2 || cc[0].CU == cc[1].CU {
		t.Errorf("GlobalByName(call_count) = %v", cc)
	}
	// DWARF 5 normalizes DW_OP_addrx to DW_OP_addr: the address must be the
	// one the DWARF 4 build has.
	d4 := load(t, "testdata/types.dwarf4.O2.wasm")
	a5 := d.GlobalByName("grid")[0].Loc.Expr.String()
	a4 := d4.GlobalByName("grid")[0].Loc.Expr.String()
	if a5 != a4 || a5[:12] != "DW_OP_addr 0" {
		t.Errorf("grid: DWARF 5 %q, DWARF 4 %q", a5, a4)
	}

	// C++.
	d = load(t, "testdata/cpp.dwarf5.O0.wasm")
	per := d.FuncByName("geo::Shape::perimeter")
	if len(per) != 1 || per[0].Name != "perimeter" || per[0].LinkageName != "_ZNK3geo5Shape9perimeterEi" {
		t.Fatalf("perimeter: %+v", per)
	}
	if len(per[0].Params) != 2 || per[0].Params[0].Name != "this" || !per[0].Params[0].Artificial {
		t.Errorf("perimeter params: %v", names(per[0].Params))
	}
	if got := d.FuncByName("_ZNK3geo5Shape9perimeterEi"); len(got) != 1 {
		t.Errorf("by linkage name: %v", got)
	}
}

func TestTypeByName(t *testing.T) {
	d := load(t, "testdata/types.dwarf4.O0.wasm")
	one := func(name string) Type {
		t.Helper()
		ts := d.TypeByName(name)
		if len(ts) != 1 {
			t.Fatalf("TypeByName(%q) = %v", name, ts)
		}
		return ts[0]
	}
	if s, ok := one("struct node").(*Struct); !ok || s.Size() != 8 || len(s.Fields) != 2 {
		t.Errorf("struct node: %#v", s)
	}
	if got := one("node").Name(); got != "struct node" {
		t.Errorf("lenient lookup: %s", got)
	}
	if got := one("int"); got.Name() != "int" || got.Size() != 4 {
		t.Errorf("int: %v", got)
	}
	for _, n := range []string{"unsigned long", "long unsigned int", "unsigned  long int"} {
		if got := one(n); got.Name() != "unsigned long" || got.Size() != 4 {
			t.Errorf("%s: %v", n, got)
		}
	}
	if got := one("struct rect *"); got.Name() != "struct rect *" || got.Size() != 4 {
		t.Errorf("pointer: %v", got)
	}
	if got := one("const char **"); got.Name() != "const char **" {
		t.Errorf("const char **: %v", got.Name())
	}
	if got := one("u32"); got.Name() != "u32" || Strip(got).Name() != "unsigned int" {
		t.Errorf("typedef: %v", got)
	}
	if got := one("binop"); Strip(got).Name() != "int (*)(int, int)" {
		t.Errorf("binop: %v", Strip(got).Name())
	}
	if e, ok := one("enum color").(*Enum); !ok || !e.Signed || e.Values[2].Value != -1 {
		t.Errorf("enum color: %#v", e)
	}
	if got := d.TypeByName("struct nosuch"); got != nil {
		t.Errorf("nosuch: %v", got)
	}
	// A declaration in one unit resolves to the definition in another.
	s, ok := one("struct opaque").(*Struct)
	if !ok || s.Declaration || len(s.Fields) != 2 {
		t.Errorf("struct opaque: %#v", s)
	}
	addrs, _, _ := d.Lookup("types.c", 118)
	_, locals := d.ScopeVars(addrs[0])
	for _, v := range locals {
		if v.Name == "op" {
			if s, ok := Strip(v.Type.(*Pointer).Elem).(*Struct); !ok || s.Declaration || len(s.Fields) != 2 {
				t.Errorf("op points to %#v", v.Type.(*Pointer).Elem)
			}
		}
	}
	cpp := load(t, "testdata/cpp.dwarf4.O0.wasm")
	if ts := cpp.TypeByName("geo::Shape"); len(ts) != 1 || ts[0].Size() != 16 {
		t.Errorf("geo::Shape: %v", ts)
	}
}

func TestTypeNames(t *testing.T) {
	i := &Base{TypeName: "int", ByteSize: 4, Encoding: EncSigned}
	c := &Base{TypeName: "char", ByteSize: 1, Encoding: EncSignedChar}
	cc := &Qualified{Const: true, Type: c}
	ptr := func(t Type) *Pointer { return &Pointer{Elem: t, ByteSize: 4} }
	fn := &FuncType{Return: i, Params: []Type{i, i}, Prototyped: true}
	for _, tt := range []struct {
		t    Type
		want string
		size int64
	}{
		{ptr(cc), "const char *", 4},
		{ptr(ptr(c)), "char **", 4},
		{&Qualified{Const: true, Type: ptr(c)}, "char *const", 4},
		{ptr(&Qualified{Const: true, Type: ptr(c)}), "char *const *", 4},
		{&Array{Elem: i, Dims: []int64{8}}, "int [8]", 32},
		{&Array{Elem: i, Dims: []int64{3, 4}}, "int [3][4]", 48},
		{&Array{Elem: ptr(c), Dims: []int64{4}}, "char *[4]", 16},
		{ptr(&Array{Elem: i, Dims: []int64{8}}), "int (*)[8]", 4},
		{ptr(fn), "int (*)(int, int)", 4},
		{&Array{Elem: ptr(fn), Dims: []int64{2}}, "int (*[2])(int, int)", 8},
		{ptr(&FuncType{Return: voidType, Prototyped: true}), "void (*)(void)", 4},
		{ptr(&FuncType{Return: voidType, Params: []Type{ptr(cc)}, Variadic: true}), "void (*)(const char *, ...)", 4},
		{&Array{Elem: c, Dims: []int64{-1}}, "char []", 0},
		{&Reference{Elem: i, ByteSize: 4}, "int &", 4},
		{&Reference{Elem: &Array{Elem: i, Dims: []int64{2}}, ByteSize: 4, RValue: true}, "int (&&)[2]", 4},
		{&Qualified{Const: true, Volatile: true, Type: i}, "const volatile int", 4},
		{ptr(voidType), "void *", 4},
		{&Struct{TypeName: "s", ByteSize: 8}, "struct s", 8},
		{&Struct{Kind: KindUnion, ByteSize: 4}, "union {...}", 4},
		{&Enum{TypeName: "e", ByteSize: 4}, "enum e", 4},
		{&Typedef{TypeName: "t", Type: i}, "t", 4},
		{&Array{Elem: i, Dims: []int64{1 << 62, 1 << 62}}, "int [4611686018427387904][4611686018427387904]", 0},
	} {
		if got := tt.t.Name(); got != tt.want {
			t.Errorf("Name() = %q, want %q", got, tt.want)
		}
		if got := tt.t.Size(); got != tt.size {
			t.Errorf("%s: Size() = %d, want %d", tt.want, got, tt.size)
		}
	}
}

// TestBitfieldOffsets checks both DWARF encodings of bitfield positions.
func TestBitfieldOffsets(t *testing.T) {
	d := load(t, "testdata/types.dwarf4.O0.wasm")
	s := d.TypeByName("struct flags")[0].(*Struct)
	want := []Field{
		{Name: "ready", Offset: 0, BitOffset: 0, BitSize: 1},
		{Name: "mode", Offset: 0, BitOffset: 1, BitSize: 3},
		{Name: "level", Offset: 0, BitOffset: 4, BitSize: 4},
		{Name: "tag", Offset: 1},
		{Name: "wide", Offset: 4, BitOffset: 0, BitSize: 20},
	}
	for i, w := range want {
		f := s.Fields[i]
		if f.Name != w.Name || f.Offset != w.Offset || f.BitOffset != w.BitOffset || f.BitSize != w.BitSize {
			t.Errorf("field %d = %+v, want %+v", i, f, w)
		}
	}
}

// TestConcurrentReaders decodes lazily from many goroutines at once (run
// with -race).
func TestConcurrentReaders(t *testing.T) {
	d, err := Load(readSections(t, "testdata/types.dwarf5.O2.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, pc := range d.StmtOffsets()[i%3:] {
				d.ScopeVars(pc)
				d.InlineChain(pc)
				if i%2 == 0 {
					break
				}
			}
			d.TypeByName("struct node")
			d.Globals()
			d.FuncByName("main")
		}()
	}
	wg.Wait()
}

// TestEvalRealLocations evaluates locations clang produced.
func TestEvalRealLocations(t *testing.T) {
	// -O0: parameters live in the frame, at DW_OP_fbreg offsets from a
	// frame base held in a wasm local.
	d := load(t, "testdata/types.dwarf5.O0.wasm")
	checked := 0
	for _, f := range d.Funcs() {
		if f.CU.Name[0] == '.' {
			continue
		}
		fb, err := Eval(f.FrameBase, newFrame(), nil)
		if err != nil || len(fb.Pieces) != 1 || fb.Pieces[0].Kind != InLocal {
			t.Fatalf("%s: frame base %v: %+v, %v", f.Name, f.FrameBase, fb, err)
		}
		for _, p := range f.Params {
			e, ok := p.Loc.At(f.Low)
			if !ok || e[0] != opFbreg {
				t.Fatalf("%s: %s at %v", f.Name, p.Name, e)
			}
			in, _ := decodeOp(e, 0, 4)
			r, err := Eval(e, newFrame(), f.FrameBase)
			if err != nil || r.Pieces[0].Kind != InMemory || r.Pieces[0].Addr != uint64(uint32(fb.Pieces[0].Value+uint64(in.s))) {
				t.Errorf("%s: %s: %+v, %v", f.Name, p.Name, r, err)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no parameter checked")
	}

	// -O2: in ledger's main, settle's k is computed from a constant clang
	// emitted sign-extended to 64 bits: amounts[1] is -30, a WITHDRAW (1).
	d = load(t, "../fixtures/testdata/c/ledger/ledger.O2.wasm")
	found := false
	for _, v := range varsByOffset(d) {
		if v.Name != "k" {
			continue
		}
		for _, r := range v.Loc.List {
			if r.Expr.String() != "DW_OP_constu 0xffffffffffffffe2, DW_OP_lit31, DW_OP_shr, DW_OP_stack_value" {
				continue
			}
			res, err := Eval(r.Expr, newFrame(), nil)
			if err != nil || res.Pieces[0].Value != 1 {
				t.Errorf("k = %+v, %v; want 1", res, err)
			}
			found = true
		}
	}
	if !found {
		t.Error("ledger's k expression not found")
	}
}
