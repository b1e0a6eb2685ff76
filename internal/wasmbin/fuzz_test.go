package wasmbin

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// addSeeds adds the real and hand-made modules to a fuzz corpus. The
// fixtures go in without their custom sections: DWARF is opaque bytes to
// Decode, and 200 KB seeds slow the fuzzer to a few executions a second.
func addSeeds(f *testing.F, add func(b []byte)) {
	for _, p := range fixturePaths(f) {
		m := mustDecode(f, readFile(f, p))
		m.Customs = nil
		add(m.Encode())
	}
	for _, p := range testdataModules(f) {
		add(readFile(f, p))
	}
	add(rawFunc(0, 0x0b))
	add([]byte("\x00asm\x0d\x00\x01\x00"))
}

// Fuzzing (keep runs short on the shared machine; large inputs make the
// fuzzer's minimiser slow, hence -fuzzminimizetime):
//
//	go test ./internal/wasmbin -run '^$' -fuzz '^FuzzDecode$' -fuzztime=30s -fuzzminimizetime=200x
//	go test ./internal/wasmbin -run '^$' -fuzz '^FuzzDecodeBody$' -fuzztime=30s -fuzzminimizetime=200x
//
// Each failure found becomes a named test, TestFuzzRegression_<what>, with
// its input under testdata/ (as wazero does with its fuzzcases).

// FuzzDecode: Decode never panics; whatever it accepts survives Encode
// and Decode unchanged, and its bodies decode, type, format and
// re-encode without panicking.
func FuzzDecode(f *testing.F) {
	addSeeds(f, func(b []byte) { f.Add(b) })
	f.Fuzz(func(t *testing.T, b []byte) {
		checkDecodeProperty(t, b)
	})
}

func checkDecodeProperty(t *testing.T, b []byte) {
	m, err := Decode(b)
	if err != nil {
		if m != nil {
			t.Fatal("module returned with an error")
		}
		if !errors.Is(err, ErrComponent) && !strings.Contains(err.Error(), "offset") {
			t.Fatalf("error does not say where: %v", err)
		}
		return
	}
	enc := m.Encode()
	m2, err := Decode(enc)
	if err != nil {
		t.Fatalf("re-encoded module does not decode: %v", err)
	}
	requireSameModule(t, m, m2)
	if !bytes.Equal(enc, m2.Encode()) {
		t.Fatal("Encode is not idempotent")
	}
	for i := range m.Code {
		instrs, err := m.DecodeFunc(i)
		if err != nil {
			if !strings.Contains(err.Error(), "offset") {
				t.Fatalf("error does not say where: %v", err)
			}
			continue
		}
		checkInstrs(t, m, i, instrs)
	}
	for i := range m.NumFuncs() {
		_ = m.FuncName(uint32(i))
	}
}

// checkInstrs formats and re-encodes instrs, and runs the Typer over them
// (errors are fine, panics are not).
func checkInstrs(t *testing.T, m *Module, defIdx int, instrs []Instr) {
	for i := range instrs {
		_ = instrs[i].Format(m)
	}
	var locals []LocalDecl
	if m != nil {
		locals = m.Code[defIdx].Locals
	}
	gotLocals, again, err := decodeCodeEntry(EncodeCode(locals, instrs))
	if err != nil {
		t.Fatalf("re-encoded body does not decode: %v", err)
	}
	requireEqual(t, locals, gotLocals)
	requireEqual(t, withoutOffsets(instrs), withoutOffsets(again))
	if m == nil {
		return
	}
	ty, err := NewTyper(m, defIdx)
	if err != nil {
		return
	}
	for i := range instrs {
		if err := ty.Step(&instrs[i]); err != nil {
			if !strings.Contains(err.Error(), "offset") {
				t.Fatalf("typer error does not say where: %v", err)
			}
			return
		}
		_ = ty.Stack()
		_ = ty.LabelTypes(uint32(i % 4))
	}
}

// FuzzDecodeBody: DecodeBody never panics, and what it accepts
// re-encodes to the same instructions.
func FuzzDecodeBody(f *testing.F) {
	addSeeds(f, func(b []byte) {
		m, err := Decode(b)
		if err != nil {
			return
		}
		for i, c := range m.Code {
			if i%8 == 0 { // enough variety without thousands of seeds
				f.Add(c.Body)
			}
		}
	})
	f.Fuzz(func(t *testing.T, body []byte) {
		instrs, err := DecodeBody(body, 0x100)
		if err != nil {
			if !strings.Contains(err.Error(), "offset") {
				t.Fatalf("error does not say where: %v", err)
			}
			return
		}
		checkInstrs(t, nil, 0, instrs)
		// And type it in a module that has something of everything.
		m := typerModule(nil, nil, nil)
		m.Code[0].Body = body
		ty, err := NewTyper(m, 0)
		requireNoError(t, err)
		for i := range instrs {
			if ty.Step(&instrs[i]) != nil {
				break
			}
		}
	})
}
