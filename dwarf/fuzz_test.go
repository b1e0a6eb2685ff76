package dwarf

import (
	"testing"
)

// fuzzSections are the sections FuzzLoad varies, in argument order.
var fuzzSections = []string{secInfo, secAbbrev, secLine, secStr, secLineStr, secStrOffsets,
	secAddr, secRanges, secRnglists, secLoc, secLoclists}

// fuzzModules are the modules whose sections FuzzLoad starts from.
var fuzzModules = []string{"testdata/tiny.dwarf4.O2.wasm", "testdata/tiny.dwarf5.O2.wasm"}

// FuzzLoad replaces one debug section of a small real module with
// arbitrary bytes, loads the result and uses everything Load returns. It
// must never panic. (Mutating one section at a time, with the others
// intact, reaches much deeper than mutating all of them at once.)
// which selects the module (bit 0) and the section (which>>1).
func FuzzLoad(f *testing.F) {
	for m, p := range fuzzModules {
		s := readSections(f, p)
		for i, n := range fuzzSections {
			if b, ok := s[n]; ok {
				f.Add(uint8(i<<1|m), b)
			}
		}
	}
	base := make([]Sections, len(fuzzModules))
	for i, p := range fuzzModules {
		base[i] = readSections(f, p)
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		s := Sections{}
		for n, b := range base[which&1] {
			s[n] = b
		}
		s[fuzzSections[int(which>>1)%len(fuzzSections)]] = data
		d, err := Load(s)
		exercise(d)
		checkNoPanic(t, d, err)
	})
}

// FuzzLineProgram runs arbitrary line programs (with a string section for
// DWARF 5 headers).
func FuzzLineProgram(f *testing.F) {
	for _, p := range []string{"testdata/tiny.dwarf4.O2.wasm", "testdata/tiny.dwarf5.O2.wasm"} {
		s := readSections(f, p)
		f.Add(s[secLine], s[secLineStr])
	}
	f.Fuzz(func(t *testing.T, line, lineStr []byte) {
		d, err := Load(Sections{secLine: line, secLineStr: lineStr})
		if d == nil {
			if err != nil {
				t.Fatalf("nil Data with error %v", err)
			}
			return
		}
		rows := d.LineRows()
		for i := 1; i < len(rows); i++ {
			if rows[i].Addr < rows[i-1].Addr {
				t.Fatalf("rows not sorted at %d", i)
			}
		}
		for _, r := range rows {
			if isTombstone(uint64(r.Addr)) && !r.EndSequence {
				t.Fatalf("row at tombstone address %#x", r.Addr)
			}
			if got, ok := d.LineAt(r.Addr); !r.EndSequence && (!ok || got.Addr != r.Addr) {
				t.Fatalf("LineAt(%#x) = %+v, %v", r.Addr, got, ok)
			}
		}
		exercise(d)
		checkNoPanic(t, d, err)
	})
}

// FuzzEval evaluates arbitrary expressions against a fake frame.
func FuzzEval(f *testing.F) {
	f.Add([]byte{opWasmLocation, 0, 2, opStackValue}, []byte{})
	f.Add([]byte{opFbreg, 0x10}, []byte{opWasmLocation, 0, 2, opStackValue})
	f.Add([]byte{opConstu, 0x90, 0x20, opDeref, opPlusUconst, 4, opPiece, 4, opLit0 + 3, opStackValue, opPiece, 4}, []byte{})
	f.Add([]byte{opLit0 + 1, opBra, 4, 0, opLit0 + 20, opSkip, 1, 0, opLit0 + 10, opStackValue}, []byte{})
	f.Add([]byte{opImplicitValue, 2, 1, 2, opPiece, 2, opPiece, 2}, []byte{})
	f.Fuzz(func(t *testing.T, e, fb []byte) {
		r, err := Eval(e, newFrame(), fb)
		if err == nil && len(r.Pieces) == 0 {
			t.Fatal("no pieces and no error")
		}
		_ = Expr(e).String()
		walkOps(e, 4, func(byte, int, []byte) bool { return true })
	})
}
