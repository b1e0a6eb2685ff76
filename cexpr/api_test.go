package cexpr_test

import (
	"errors"
	"strings"
	"testing"

	"wdbg/cexpr"
	"wdbg/dwarf"
)

// runAll runs commands in order in one program and checks each output.
func runAll(t *testing.T, e *fakeEnv, cases []gdbCase) {
	t.Helper()
	for _, c := range cases {
		if got := e.run(c.cmd); got != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", c.cmd, got, c.want)
		}
	}
}

// TestWasmState covers what only a wasm program has: variables in wasm
// locals, $localN, $globalN, $pc as a code offset, $sp.
func TestWasmState(t *testing.T) {
	e := newFakeEnv()
	runAll(t, e, []gdbCase{
		{"p loc", "$1 = 17", ""},
		{"p loc + 1", "$2 = 18", ""},
		{"p &loc", "Attempt to take address of value not located in memory.", ""},
		{"p loc = -5", "$3 = -5", ""},
		{"p $local3", "$4 = -5", ""},
		{"p $local3 = 9", "$5 = 9", ""},
		{"p loc++", "$6 = 9", ""},
		{"p loc", "$7 = 10", ""},
		{"p $global0", "$8 = 12272", ""},
		{"p $global0 = 1", "cannot write wasm {1 0}", ""},
		{"p $pc", "$9 = (void (*)()) 0x1f7 <main+20>", ""},
		{"p/a $pc", "$10 = 0x1f7 <main+20>", ""},
		{"p/x $pc", "$11 = 0x1f7", ""},
		{"p *$pc", "$12 = {void ()} 0x1f7 <main+20>", ""},
		{"p $pc = 0", "cannot set $pc", ""},
		{"p $sp", "$13 = (void *) 0x2ff0", ""},
		{"x $pc", "0x1f7", ""},
		{"x loc", "0xa", ""},
	})
	if got := e.wasm[dwarf.WasmLoc{Space: dwarf.SpaceLocal, Index: 3}]; got != 10 {
		t.Errorf("wasm local 3 = %d, want 10", got)
	}
}

// TestWriteWasmSignExtends checks that a negative int written to a wasm
// local is sign-extended to the local's 64 bits, as an i32 is.
func TestWriteWasmSignExtends(t *testing.T) {
	e := newFakeEnv()
	e.run("p loc = -1")
	if got := e.wasm[dwarf.WasmLoc{Space: dwarf.SpaceLocal, Index: 3}]; got != 0xffffffffffffffff {
		t.Errorf("wasm local 3 = %#x, want all ones", got)
	}
}

// TestUnavailable covers values the optimizer or the capture left out.
func TestUnavailable(t *testing.T) {
	e := newFakeEnv()
	runAll(t, e, []gdbCase{
		{"p gone", "$1 = <optimized out>", ""},
		{"p gone + 1", "value has been optimized out", ""},
		{"p &gone", "Attempt to take address of value not located in memory.", ""},
		{"p/x gone", "$2 = <optimized out>", ""},
		{"p nosave", "$3 = <not saved>", ""},
		{"p half", "$4 = {x = 5, y = <optimized out>}", ""},
		{"p half.x + 1", "$5 = 6", ""},
		{"p half.y", "$6 = <optimized out>", ""},
		{"p half.y + 1", "value has been optimized out", ""},
		{"p half.x = 1", "Left operand of assignment is not a modifiable lvalue: the optimizer spread this object over several places.", ""},
		{"p broken", "cannot read broken: bad DWARF", ""},
		{"whatis broken", "cannot read broken: bad DWARF", ""},
		{"p sizeof(gone)", "$7 = 4", ""},
		{"whatis gone", "type = int", ""},
	})
}

// TestMemoryErrors covers reads past the end of linear memory.
func TestMemoryErrors(t *testing.T) {
	e := newFakeEnv()
	runAll(t, e, []gdbCase{
		// gdb's print fails as a whole here; Format prints the error
		// in place, as gdb does inside an aggregate or a display.
		{"p *(int *)0x100000", "$1 = <error: Cannot access memory at address 0x100000>", ""},
		{"p *(int *)0x100000 + 1", "Cannot access memory at address 0x100000", ""},
		{"p -*(int *)0x3000", "Cannot access memory at address 0x3000", ""},
		{"p (*(struct pt *)0x2ffc).y + 0", "Cannot access memory at address 0x3000", ""},
		{"p *(int *)0x2ffe = 1", "Cannot access memory at address 0x2ffe", ""},
		{"p tail", `$2 = 0x2ffd "abc"<error: Cannot access memory at address 0x3000>`, ""},
		{"p past", "$3 = 0x3000 <error: Cannot access memory at address 0x3000>", ""},
		{"p *tail@3", `$4 = "abc"`, ""},
		{"p tail[3] + 0", "Cannot access memory at address 0x3000", ""},
		{"p {char[400]}0x2f00", "$5 = <error: Cannot access memory at address 0x2f00>", ""},
		{"x *(int *)0x100000", "Cannot access memory at address 0x100000", ""},
		{"x &*(int *)0x100000", "0x100000", ""},
		{"whatis *(int *)0x100000", "type = int", ""},
		{"p sizeof(*(int *)0x100000)", "$6 = 4", ""},
	})
	var me *cexpr.ErrMemory
	_, err := cexpr.Evaluate(e, "*(int *)0x100000 + 1")
	if !errors.As(err, &me) || me.Addr != 0x100000 {
		t.Errorf("error %v is not an *ErrMemory at 0x100000", err)
	}
}

// TestFunctions covers function designators and pointers: a designator
// is a code address, a function pointer an index into the table.
func TestFunctions(t *testing.T) {
	e := newFakeEnv()
	runAll(t, e, []gdbCase{
		{"p sq", "$1 = {int (int)} 0x1a3 <sq>", ""},
		{"p &sq", "$2 = (int (*)(int)) 0x1a3 <sq>", ""},
		{"p *sq", "$3 = {int (int)} 0x1a3 <sq>", ""},
		{"p main", "$4 = {int (void)} 0x1e3 <main>", ""},
		{"p sq + 1", "$5 = (int (*)(int)) 0x1a4 <sq+1>", ""},
		{"p fp", "$6 = (int (*)(int)) 0x1 <sq>", ""},
		{"p *fp", "$7 = {int (int)} 0x1 <sq>", ""},
		{"p bop", "$8 = (binop) 0x2 <add>", ""},
		{"p (binop)3", "$9 = (binop) 0x3 <main>", ""},
		{"p (binop)99", "$10 = (binop) 0x63", ""},
		{"p/a fp", "$11 = 0x1 <sq>", ""},
		{"p fp = (int (*)(int))2", "$12 = (int (*)(int)) 0x2 <add>", ""},
		{"p fp(2)", "Cannot call functions of the program: wdbg does not run guest code while the program is stopped.", ""},
		{"x sq", "0x1a3", ""},
		{"whatis sq", "type = int (int)", ""},
		{"whatis &sq", "type = int (*)(int)", ""},
		{"ptype main", "type = int (void)", ""},
	})
}

// TestFormatOptions covers print elements, print repeats and the frame
// argument summary. The outputs are gdb's with "set print elements 4"
// and "set print repeats 3".
func TestFormatOptions(t *testing.T) {
	e := newFakeEnv()
	cases := []struct {
		expr string
		o    cexpr.Options
		want string
	}{
		{"big", cexpr.Options{Elements: 4}, "{0, 1, 2, 3...}"},
		{"zeros", cexpr.Options{Elements: 4}, "{0 <repeats 16 times>}"},
		{"run10", cexpr.Options{Elements: 4}, "{7, 7, 7, 7...}"},
		{"cbig", cexpr.Options{Elements: 4}, `"abcd"...`},
		{"rep", cexpr.Options{Elements: 4}, `"x", 'a' <repeats 16 times>...`},
		{"crep", cexpr.Options{Elements: 4}, `'x' <repeats 50 times>...`},
		{"msg", cexpr.Options{Elements: 4}, `0x400 "text"`},
		{"msg", cexpr.Options{Elements: 3}, `0x400 "tex"...`},
		{"tail", cexpr.Options{Elements: 3}, `0x2ffd "abc"`},
		{"rep", cexpr.Options{Elements: 4, Format: 'x'}, "{0x78, 0x61 <repeats 16 times>...}"},
		{"r", cexpr.Options{Elements: 4}, `{a = 1, b = {c = 2}, arr = {10, 20, 30, 40}, flag = 1, mode = 5, sbits = -3, name = "abc\000\000\000\000", str = 0x400 "text", p = 0x1064 <pt1>}`},
		{"r", cexpr.Options{Repeats: 3}, `{a = 1, b = {c = 2}, arr = {10, 20, 30, 40}, flag = 1, mode = 5, sbits = -3, name = "abc", '\000' <repeats 4 times>, str = 0x400 "text", p = 0x1064 <pt1>}`},
		{"run10", cexpr.Options{Repeats: 3}, "{7 <repeats 10 times>, 8 <repeats 11 times>}"},
		{"rep", cexpr.Options{Repeats: 3}, `"x", 'a' <repeats 16 times>, "y\000"`},
		{"rep", cexpr.Options{Repeats: 3, Format: 'x'}, "{0x78, 0x61 <repeats 16 times>, 0x79, 0x0, 0x0}"},
		// info locals and frame arguments: no "(type) " before pointers.
		{"ip", cexpr.Options{}, "0x1000 <i>"},
		{"ip", cexpr.Options{TopLevel: true}, "(int *) 0x1000 <i>"},
		{"umsg", cexpr.Options{}, `0x400 "text"`},
		{"r", cexpr.Options{Summary: true}, "..."},
		{"big", cexpr.Options{Summary: true}, "..."},
		{"name", cexpr.Options{Summary: true}, "..."},
		{"rp", cexpr.Options{Summary: true, TopLevel: true}, "(struct rec *) 0x1088 <r>"},
		{"i", cexpr.Options{Summary: true}, "42"},
		{"sq", cexpr.Options{Summary: true}, "{int (int)} 0x1a3 <sq>"},
	}
	for _, c := range cases {
		v, err := cexpr.Evaluate(e, c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := cexpr.Format(e, v, c.o); got != c.want {
			t.Errorf("%s %+v\n got: %s\nwant: %s", c.expr, c.o, got, c.want)
		}
	}
}

// TestChildren covers the tree view's expansion of values.
func TestChildren(t *testing.T) {
	e := newFakeEnv()
	cases := []struct {
		expr  string
		limit int
		want  string // "name = value; ..." or "-" for no children
	}{
		{"pt1", 0, "x = 1; y = 2"},
		{"an", 0, "k = 1; <anonymous union> = {ui = 2, uf = 2.80259693e-45}; sub = {ch = 122 'z'}; e = TWO"},
		{"grid", 0, "[0] = {1, 2, 3}; [1] = {4, 5, 6}"},
		{"big", 3, "[0] = 0; [1] = 1; [2] = 2"},
		{"rp", 0, "*rp = {a = 1, b = {c = 2}, arr = {10, 20, 30, 40}, flag = 1, mode = 5, sbits = -3, name = \"abc\\000\\000\\000\\000\", str = 0x400 \"text\", p = 0x1064 <pt1>}"},
		{"node.next", 0, "*node.next = {v = 2, next = 0x1194 <node>}"},
		{"op", 0, "*op = <incomplete type>"},
		{"half", 0, "x = 5; y = <optimized out>"},
		{"r.name", 2, "[0] = 97 'a'; [1] = 98 'b'"},
		{"msg", 0, "-"},    // char *: the string is the value
		{"nullpt", 0, "-"}, // null
		{"vp", 0, "-"},     // void *
		{"fp", 0, "-"},     // function pointer
		{"i", 0, "-"},
		{"e", 0, "-"}, // no members
		{"gone", 0, "-"},
	}
	for _, c := range cases {
		v, err := cexpr.Evaluate(e, c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		v = cexpr.Snapshot(e, v) // as session does before asking
		has := cexpr.HasChildren(v)
		ch, err := cexpr.Children(e, c.expr, v, c.limit)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		var parts []string
		for _, k := range ch {
			parts = append(parts, k.Name+" = "+cexpr.Format(e, k.Value, cexpr.Options{}))
		}
		got := strings.Join(parts, "; ")
		if got == "" {
			got = "-"
		}
		if got != c.want {
			t.Errorf("Children(%s)\n got: %s\nwant: %s", c.expr, got, c.want)
		}
		if has != (got != "-") {
			t.Errorf("HasChildren(%s) = %v, but Children gives %q", c.expr, has, got)
		}
	}
}

// TestLazyReads checks that only the bytes an expression needs are read.
func TestLazyReads(t *testing.T) {
	for _, c := range []struct {
		expr string
		max  int // bytes read at most
	}{
		{"big[250]", 4},
		{"rp->arr[3]", 4 + 4},
		{"r.b.c + 1", 4},
		{"&big[299]", 0},
		{"sizeof big", 0},
		{"*ip@1000000000", 4}, // ip, and the array is not read until printed
	} {
		e := newFakeEnv()
		v, err := cexpr.Evaluate(e, c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		cexpr.Snapshot(e, v)
		if e.read > c.max {
			t.Errorf("%s read %d bytes, want at most %d", c.expr, e.read, c.max)
		}
	}
	// Printing a huge array reads as far as the elements limit needs.
	e := newFakeEnv()
	e.run("output *big@1000000000")
	if e.read > 64<<10 {
		t.Errorf("printing *big@1000000000 read %d bytes", e.read)
	}
}

// TestAPI covers the helpers session uses around Eval and Format.
func TestAPI(t *testing.T) {
	e := newFakeEnv()
	eval := func(s string) cexpr.Value {
		t.Helper()
		v, err := cexpr.Evaluate(e, s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		return v
	}
	for _, c := range []struct {
		expr string
		want bool
	}{{"i", true}, {"fl0", false}, {"0.0", false}, {"-0.5", true}, {"nullpt", false}, {"ip", true}, {"b2", true}} {
		if got, err := cexpr.Truth(e, eval(c.expr)); err != nil || got != c.want {
			t.Errorf("Truth(%s) = %v, %v; want %v", c.expr, got, err, c.want)
		}
	}
	if _, err := cexpr.Truth(e, eval("pt1")); err == nil {
		t.Errorf("Truth(pt1) did not fail")
	}
	for expr, want := range map[string]string{"rp": "struct rec *", "r.name": "char [8]", "mi": "myint",
		"fp": "int (*)(int)", "parr": "int (*)[3]", "ci": "const int", "$nonexistent": "void"} {
		if got := cexpr.TypeName(eval(expr)); got != want {
			t.Errorf("TypeName(%s) = %q, want %q", expr, got, want)
		}
	}
	for expr, want := range map[string]bool{"r": true, "un": true, "big": true, "ptt": true, "rp": false, "i": false} {
		if got := cexpr.IsAggregate(eval(expr)); got != want {
			t.Errorf("IsAggregate(%s) = %v", expr, got)
		}
	}
	if !cexpr.IsBitfield(eval("r.mode")) || cexpr.IsBitfield(eval("r.a")) {
		t.Errorf("IsBitfield is wrong")
	}
	if !cexpr.IsVoid(eval("(void)i")) || cexpr.IsVoid(eval("i")) {
		t.Errorf("IsVoid is wrong")
	}
	if _, ok := cexpr.RawBytes(eval("i")); ok {
		t.Errorf("RawBytes(i) before reading it says read")
	}
	if b, ok := cexpr.RawBytes(cexpr.Snapshot(e, eval("i"))); !ok || len(b) != 4 || b[0] != 42 {
		t.Errorf("RawBytes(Snapshot(i)) = %v, %v", b, ok)
	}
	// A snapshot keeps its value after the program changes.
	snap := cexpr.Snapshot(e, eval("pt1"))
	e.run("set var pt1.x = 99")
	if got := cexpr.Format(e, snap, cexpr.Options{}); got != "{x = 1, y = 2}" {
		t.Errorf("snapshot of pt1 = %s", got)
	}
	// Building values directly, as session does for wasm values.
	for _, c := range []struct {
		v    cexpr.Value
		want string
	}{
		{cexpr.Int(cexpr.TypeI32, -1), "-1"},
		{cexpr.Int(cexpr.TypeI64, 1<<40), "1099511627776"},
		{cexpr.Float(cexpr.TypeF32, 0.1), "0.100000001"},
		{cexpr.Float(cexpr.TypeF64, 0.1), "0.10000000000000001"},
		{cexpr.Int(cexpr.TypeVoidPtr, 0x1004), "(void *) 0x1004 <neg>"},
		{cexpr.Code(cexpr.TypeCodePtr, sqAddr+2), "(void (*)()) 0x1a5 <sq+2>"},
		{cexpr.Bytes(tPt, append(le32(7), le32(8)...)), "{x = 7, y = 8}"},
		{cexpr.Unavailable(cexpr.TypeI32, "not captured"), "<not captured>"},
		{cexpr.Float(&dwarf.Base{TypeName: "long double", ByteSize: 16, Encoding: dwarf.EncFloat}, 1.5), "1.5"},
	} {
		if got := cexpr.Format(e, c.v, cexpr.Options{TopLevel: true}); got != c.want {
			t.Errorf("Format(%s) = %q, want %q", cexpr.TypeName(c.v), got, c.want)
		}
	}
}

// TestParseAPI covers Parse, String, IsType and EvalType.
func TestParseAPI(t *testing.T) {
	e := newFakeEnv()
	isType := cexpr.TypeNames(e)
	for src, want := range map[string]bool{"struct pt": true, "pt_t": true, "int *": true, "int (*)[3]": true,
		"unsigned": true, "pt1": false, "(pt_t *)0": false, "sizeof(pt_t)": false} {
		x, err := cexpr.Parse(src, isType)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if x.IsType() != want || x.String() != src {
			t.Errorf("Parse(%q): IsType %v, String %q", src, x.IsType(), x.String())
		}
	}
	// A variable hides a type of the same name (isType is nil: nothing is).
	if x, err := cexpr.Parse("myint", nil); err != nil || x.IsType() {
		t.Errorf("Parse(myint, nil) = %v, %v", x, err)
	}
	// EvalType has no side effects.
	x, err := cexpr.Parse("i = 7, ++i, $foo = 1, *ip = 3", isType)
	if err != nil {
		t.Fatal(err)
	}
	if ty, err := x.EvalType(e); err != nil || cexpr.Whatis(ty) != "int" {
		t.Errorf("EvalType = %v, %v", ty, err)
	}
	if got := e.run("output i"); got != "42" {
		t.Errorf("EvalType changed i to %s", got)
	}
	if _, ok := e.conv["foo"]; ok {
		t.Errorf("EvalType set $foo")
	}
	if got := cexpr.WhatisTypedef(tSizeT); got != "unsigned long" {
		t.Errorf("WhatisTypedef(size_t) = %q", got)
	}
	if got := cexpr.Ptype(tBinop); got != "int (*)(int, int)" {
		t.Errorf("Ptype(binop) = %q", got)
	}
	for f, want := range map[byte]string{'x': "", 0: "", 's': "", 'i': `Format letter "i" is meaningless in "print" command.`,
		'w': `Undefined output format "w".`} {
		err := cexpr.ValidFormat(f)
		if got := ""; err != nil {
			got = err.Error()
			if got != want {
				t.Errorf("ValidFormat(%q) = %q", f, got)
			}
		} else if want != "" {
			t.Errorf("ValidFormat(%q) = nil", f)
		}
	}
}

// TestSyntaxErrors covers the parser's messages beyond gdb's table.
func TestSyntaxErrors(t *testing.T) {
	for src, want := range map[string]string{
		"":           "Argument required (expression to compute).",
		"#":          "Invalid character '#' in expression.",
		"i ? : 1":    "A syntax error in expression, near `: 1'.",
		"(int)":      "A syntax error in expression, near `'.",
		"sizeof":     "A syntax error in expression, near `'.",
		"i[":         "A syntax error in expression, near `'.",
		"pt1.":       "A syntax error in expression, near `'.",
		"->x":        "A syntax error in expression, near `->x'.",
		"$1$2":       "A syntax error in expression, near `$2'.",
		"(1))":       "Junk after end of expression.",
		"'\\x'":      `\x escape without a following hex digit`,
		"int i":      "A syntax error in expression, near `i'.",
		"(int (*)":   "A syntax error in expression, near `'.",
		"pt_t + 1":   "A syntax error in expression, near `+ 1'.",
		"1 + int":    "A syntax error in expression, near `int'.",
		"sizeof int": "A syntax error in expression, near `int'.",
		"int *x":     "A syntax error in expression, near `x'.",
		"unsigned 5": "A syntax error in expression, near `5'.",
		"i + (char)": "A syntax error in expression, near `'.",
	} {
		_, err := cexpr.Parse(src, cexpr.TypeNames(newFakeEnv()))
		var se *cexpr.SyntaxError
		if !errors.As(err, &se) || err.Error() != want {
			t.Errorf("Parse(%q) = %v, want %q", src, err, want)
		}
	}
}
