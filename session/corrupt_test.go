package session_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"wdbg/engine"
	"wdbg/internal/e2e"
	"wdbg/internal/wasmbin"
	"wdbg/session"
)

// corrupt returns the fixture with one custom section changed by f.
func corrupt(t *testing.T, fixture, section string, f func([]byte) []byte) []byte {
	t.Helper()
	b, err := os.ReadFile(e2e.Fixture(fixture))
	if err != nil {
		t.Fatal(err)
	}
	m, err := wasmbin.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i := range m.Customs {
		if m.Customs[i].Name == section {
			m.Customs[i].Data = f(append([]byte(nil), m.Customs[i].Data...))
			found = true
		}
	}
	if !found {
		t.Fatalf("%s has no %s", fixture, section)
	}
	return m.Encode()
}

// TestCorruptDWARF: a damaged debug section costs source-level debugging
// (some or all of it), with one warning; the program still loads, runs and
// stops at a wasm-level breakpoint, and nothing panics.
func TestCorruptDWARF(t *testing.T) {
	damage := map[string]func([]byte) []byte{
		"truncated": func(b []byte) []byte { return b[:len(b)/3] },
		"garbage": func(b []byte) []byte {
			for i := len(b) / 4; i < len(b)/2; i++ {
				b[i] = 0xff
			}
			return b
		},
		"empty":  func(b []byte) []byte { return nil },
		"header": func(b []byte) []byte { b[4], b[5] = 0x77, 0x77; return b },
	}
	for _, sec := range []string{".debug_info", ".debug_line", ".debug_abbrev", ".debug_str", ".debug_loc", ".debug_ranges"} {
		for name, f := range damage {
			t.Run(sec+"/"+name, func(t *testing.T) {
				img := corrupt(t, "c/ledger/ledger.O2.wasm", sec, f)
				prog, err := session.LoadBytes("ledger.wasm", img)
				if err != nil {
					t.Fatalf("load: %v", err)
				}
				if len(prog.Warnings) > 1 {
					t.Errorf("%d warnings, want at most one: %q", len(prog.Warnings), prog.Warnings)
				}
				for _, w := range prog.Warnings {
					if !strings.Contains(w, "DWARF") {
						t.Errorf("warning %q does not say what is wrong", w)
					}
				}
				l, err := engine.NewLauncher(prog, engine.Config{})
				if err != nil {
					t.Fatal(err)
				}
				s := session.New(prog, l, session.Config{})
				defer s.Kill()
				// main by its wasm name works whatever survived of DWARF;
				// a source line may or may not resolve, but must not panic.
				if _, err := s.SetBreakpoint("main", session.BreakOptions{}); err != nil {
					t.Fatal(err)
				}
				_, _ = s.SetBreakpoint("ledger.c:25", session.BreakOptions{})
				st, err := s.Run()
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason != session.StopBreakpoint {
					t.Fatalf("stop = %v", st.Reason)
				}
				for i := range st.Frames {
					_, _ = s.WasmLocals(i)
					_, _ = s.FrameArgs(i)
				}
				for range 5 {
					if st, err = s.Next(); err != nil || st.Exited() {
						break
					}
				}
				_ = fmt.Sprint(st)
			})
		}
	}
}
