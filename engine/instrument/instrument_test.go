package instrument_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"wdbg/dwarf"
	"wdbg/engine/instrument"
	"wdbg/internal/e2e"
	"wdbg/internal/wasmbin"
	"wdbg/session"
)

func fixtures(t *testing.T) []string {
	t.Helper()
	fs, err := filepath.Glob(e2e.Fixture("c/*/*.wasm"))
	if err != nil || len(fs) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return fs
}

type layout struct {
	name string
	cfg  func(m *wasmbin.Module, d *dwarf.Data) instrument.Config
}

func stmts(d *dwarf.Data) []instrument.Statement {
	var out []instrument.Statement
	if d != nil {
		for _, o := range d.StmtOffsets() {
			out = append(out, instrument.Statement{Offset: wasmbin.CodeOffset(o)})
		}
	}
	return out
}

var layouts = []layout{
	{"all-locals", func(m *wasmbin.Module, d *dwarf.Data) instrument.Config {
		return instrument.Config{Statements: stmts(d)}
	}},
	{"dwarf-locals", func(m *wasmbin.Module, d *dwarf.Data) instrument.Config {
		return instrument.Config{Statements: stmts(d), Locals: func(fn uint32, pc wasmbin.CodeOffset) ([]uint32, bool) {
			ls, ok := d.WasmLocalsAt(dwarf.CodeOffset(pc))
			return ls, !ok
		}}
	}},
	{"every-instruction", func(m *wasmbin.Module, d *dwarf.Data) instrument.Config {
		return instrument.Config{Statements: stmts(d), EveryInstruction: true}
	}},
}

func load(t *testing.T, path string) (*wasmbin.Module, *dwarf.Data) {
	t.Helper()
	prog, err := session.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return prog.Modules[0].Wasm(), prog.Modules[0].Debug()
}

// TestRewriteValidates runs wabt's validator on every fixture's rewrite.
func TestRewriteValidates(t *testing.T) {
	validate := e2e.Tool(t, "wasm-validate")
	dir := t.TempDir()
	for _, path := range fixtures(t) {
		m, d := load(t, path)
		for _, l := range layouts {
			t.Run(filepath.Base(path)+"/"+l.name, func(t *testing.T) {
				res, err := instrument.Rewrite(m, l.cfg(m, d))
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "x.wasm")
				if err := os.WriteFile(out, res.Bytes, 0o644); err != nil {
					t.Fatal(err)
				}
				if b, err := exec.Command(validate, out).CombinedOutput(); err != nil {
					t.Fatalf("wasm-validate: %v\n%s", err, b)
				}
			})
		}
	}
}

// TestSitesAndMap checks the site table and the offset map against the
// original module.
func TestSitesAndMap(t *testing.T) {
	for _, path := range fixtures(t) {
		m, d := load(t, path)
		starts := map[wasmbin.CodeOffset]uint32{} // instruction start -> function
		nimp := uint32(m.NumImportedFuncs())
		for i, c := range m.Code {
			ins, err := wasmbin.DecodeBody(c.Body, c.BodyStart)
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range ins {
				starts[in.Off] = nimp + uint32(i)
			}
		}
		for _, l := range layouts {
			t.Run(filepath.Base(path)+"/"+l.name, func(t *testing.T) {
				res, err := instrument.Rewrite(m, l.cfg(m, d))
				if err != nil {
					t.Fatal(err)
				}
				if !sort.SliceIsSorted(res.Sites, func(i, j int) bool { return res.Sites[i].Offset < res.Sites[j].Offset }) {
					t.Fatal("sites are not sorted")
				}
				for i, s := range res.Sites {
					fn, ok := starts[s.Offset]
					if !ok || fn != s.Func {
						t.Fatalf("site %d at %#x (func %d) is not an instruction start of its function", i, s.Offset, s.Func)
					}
					if i > 0 && res.Sites[i-1].Offset == s.Offset {
						t.Fatalf("two sites at %#x", s.Offset)
					}
				}
				// Every instruction of the rewritten module maps back into
				// the original function it came from.
				out, err := wasmbin.Decode(res.Bytes)
				if err != nil {
					t.Fatal(err)
				}
				for i, c := range out.Code {
					ins, err := wasmbin.DecodeBody(c.Body, c.BodyStart)
					if err != nil {
						t.Fatal(err)
					}
					want := nimp + uint32(i)
					for _, in := range ins {
						orig, ok := res.Map.Original(instrument.InstrOffset(in.Off))
						if !ok || starts[orig] != want {
							t.Fatalf("instrumented %#x in func %d maps to %#x (func %d, ok %v)", in.Off, want, orig, starts[orig], ok)
						}
					}
				}
			})
		}
	}
}

// TestEveryInstructionSites: in every-instruction mode each reachable
// instruction is a site.
func TestEveryInstructionSites(t *testing.T) {
	m, d := load(t, e2e.Fixture("c/fib/fib.O0.wasm"))
	res, err := instrument.Rewrite(m, instrument.Config{Statements: stmts(d), EveryInstruction: true})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, c := range m.Code {
		ins, _ := wasmbin.DecodeBody(c.Body, c.BodyStart)
		total += len(ins)
	}
	// Unreachable code has no sites; clang's output has little of it.
	if n := len(res.Sites); n < total*9/10 || n > total {
		t.Errorf("%d sites for %d instructions", n, total)
	}
}

// TestDedup: statement rows for the same line within one straight-line run
// make one site.
func TestDedup(t *testing.T) {
	m, d := load(t, e2e.Fixture("c/sha256/sha256.O2.wasm"))
	var st []instrument.Statement
	for _, o := range d.StmtOffsets() {
		row, _ := d.LineAt(o)
		st = append(st, instrument.Statement{Offset: wasmbin.CodeOffset(o), Line: uint64(row.Line)})
	}
	with, err := instrument.Rewrite(m, instrument.Config{Statements: st})
	if err != nil {
		t.Fatal(err)
	}
	without, err := instrument.Rewrite(m, instrument.Config{Statements: stmts(d)})
	if err != nil {
		t.Fatal(err)
	}
	if len(with.Sites) >= len(without.Sites) {
		t.Errorf("dedup kept %d sites of %d", len(with.Sites), len(without.Sites))
	}
}

// TestDeterministic: functions are rewritten in parallel, but the output
// does not depend on the workers' timing (the compilation cache and
// reproducible bug reports rely on it).
func TestDeterministic(t *testing.T) {
	m, d := load(t, e2e.Fixture("c/ledger/ledger.O2.wasm"))
	cfg := layouts[1].cfg(m, d)
	first, err := instrument.Rewrite(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := instrument.Rewrite(m, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if string(again.Bytes) != string(first.Bytes) {
			t.Fatal("two rewrites of the same module differ")
		}
	}
}
