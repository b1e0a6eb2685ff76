package cexpr_test

import (
	"strings"
	"testing"
	"time"

	"wdbg/cexpr"
)

// fuzzSeeds are the expressions of the tables, and a few shapes that
// stress the parser.
func fuzzSeeds() []string {
	var seeds []string
	for _, cs := range [][]gdbCase{variableCases, formatCases, expressionCases, typeCases, errorCases, transcript} {
		for _, c := range cs {
			_, arg, _ := strings.Cut(c.cmd, " ")
			if strings.HasPrefix(arg, "var ") {
				arg = arg[4:]
			}
			seeds = append(seeds, arg)
		}
	}
	return append(seeds, "((((1))))", "- - - 1", "*&*&*&i", "(char)(short)(int)1", "a ? b : c ? d : e",
		"int (*(*)(int))[3]", "{int[2][3]} &grid", "$$$$", "'\\377'", "\"\\x41\\101\"", "0x1p3", "1e+5f",
		"sizeof(int (*)(int, char *, ...))", "r.arr[1]@2", "&*(struct rec *)0", "i = i += i -= 1")
}

// FuzzParse checks that Parse never panics, and that an expression that
// parses is its own String and parses again the same way.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	isType := cexpr.TypeNames(newFakeEnv())
	f.Fuzz(func(t *testing.T, src string) {
		x, err := cexpr.Parse(src, isType)
		if err != nil {
			if _, ok := err.(*cexpr.SyntaxError); !ok {
				t.Fatalf("Parse(%q): error %T %v is not a *SyntaxError", src, err, err)
			}
			if err.Error() == "" {
				t.Fatalf("Parse(%q): empty error", src)
			}
			return
		}
		if x.String() != src {
			t.Fatalf("Parse(%q).String() = %q", src, x.String())
		}
		y, err := cexpr.Parse(x.String(), isType)
		if err != nil || y.IsType() != x.IsType() {
			t.Fatalf("Parse(%q) again: %v", src, err)
		}
	})
}

// fuzzMemLimit bounds the memory the fuzzer can describe, and
// fuzzElements the elements printed, so that one input stays fast.
const (
	fuzzMemLimit = 4096
	fuzzElements = 50
)

// FuzzEval evaluates any expression over the fake program with any
// memory contents (overlaid at its globals), then formats the value in
// every format and runs whatis and ptype: nothing may panic or hang.
func FuzzEval(f *testing.F) {
	for k, s := range fuzzSeeds() {
		mem := []byte(nil)
		if k%3 == 1 {
			mem = []byte("\xff\xff\xff\x7f\x00\x10\x00\x00\x01\x80abc\x00")
		}
		f.Add(s, mem, uint16(k))
	}
	f.Fuzz(func(t *testing.T, src string, mem []byte, off uint16) {
		if len(src) > 1024 || len(mem) > fuzzMemLimit {
			return
		}
		e := newFakeEnv()
		// The overlay lands on the globals (0x1000-0x2440), or on the
		// strings below them.
		at := 0x400 + int(off)%(0x2440-0x400)
		copy(e.mem[at:], mem)
		start := time.Now()
		v, err := cexpr.Evaluate(e, src)
		if err == nil {
			for _, fmt := range []byte{0, 'x', 'd', 'u', 'o', 't', 'c', 'a', 'f', 's', 'z'} {
				for _, top := range []bool{false, true} {
					cexpr.Format(e, v, cexpr.Options{Format: fmt, TopLevel: top, Elements: fuzzElements})
				}
			}
			cexpr.Format(e, v, cexpr.Options{Summary: true})
			s := cexpr.Snapshot(e, v)
			if cexpr.HasChildren(s) {
				ch, _ := cexpr.Children(e, "x", s, 20)
				for _, c := range ch {
					cexpr.Format(e, c.Value, cexpr.Options{Elements: fuzzElements})
				}
			}
			cexpr.Truth(e, v)
			cexpr.Address(e, v)
			cexpr.TypeName(v)
		}
		if x, err := cexpr.Parse(src, cexpr.TypeNames(e)); err == nil {
			if ty, err := x.EvalType(e); err == nil {
				cexpr.Whatis(ty)
				cexpr.WhatisTypedef(ty)
				cexpr.Ptype(ty)
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%q took %v", src, d)
		}
		if e.reads > 1<<20 {
			t.Fatalf("%q read memory %d times", src, e.reads)
		}
	})
}
