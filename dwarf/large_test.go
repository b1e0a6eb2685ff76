package dwarf

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The large module: a generated C program of many compile units, each
// with thousands of lines, hundreds of struct types and a few hundred
// functions, so that its debug sections exceed 5 MB. It is built once and
// kept in testdata/large (see writeLargeProgram and buildLarge).
const (
	largeWasm    = "testdata/large/large.wasm"
	largeUnits   = 25
	largeFuncs   = 320 // per unit
	largeStructs = 200
)

// writeLargeProgram writes the C sources of the large module into dir.
func writeLargeProgram(dir string) error {
	write := func(name string, body func(w *bufio.Writer)) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		w := bufio.NewWriter(f)
		body(w)
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	err := write("large.h", func(w *bufio.Writer) {
		for s := 0; s < largeStructs; s++ {
			fmt.Fprintf(w, "struct s%d {\n", s)
			for f := 0; f < 8; f++ {
				switch f % 4 {
				case 0:
					fmt.Fprintf(w, "  int f%d;\n", f)
				case 1:
					fmt.Fprintf(w, "  double f%d[%d];\n", f, f+1)
				case 2:
					if s > 0 {
						fmt.Fprintf(w, "  struct s%d *f%d;\n", s-1, f)
					} else {
						fmt.Fprintf(w, "  void *f%d;\n", f)
					}
				case 3:
					fmt.Fprintf(w, "  unsigned f%d : %d;\n", f, f)
				}
			}
			fmt.Fprintln(w, "};")
		}
	})
	if err != nil {
		return err
	}
	for u := 0; u < largeUnits; u++ {
		err := write(fmt.Sprintf("u%d.c", u), func(w *bufio.Writer) {
			fmt.Fprintln(w, `#include "large.h"`)
			for s := 0; s < largeStructs; s++ {
				fmt.Fprintf(w, "struct s%d *u%d_g%d;\n", s, u, s)
			}
			for f := 0; f < largeFuncs; f++ {
				s := (u*largeFuncs + f) % largeStructs
				fmt.Fprintf(w, "int u%d_f%d(struct s%d *p, int n) {\n", u, f, s)
				fmt.Fprintf(w, "  int acc = n;\n  for (int i = 0; i < n; i++) {\n    int t = p->f0 + i;\n    acc += t * %d;\n", f+1)
				fmt.Fprintf(w, "    if (acc > 1000) {\n      double d = p->f1[0] * t;\n      acc -= (int)d;\n    }\n")
				fmt.Fprintf(w, "    for (int j = 0; j < 3; j++) {\n      unsigned m = p->f3 ^ (unsigned)j;\n      long long w = (long long)m * acc;\n      acc += (int)(w >> 3);\n    }\n")
				fmt.Fprintf(w, "    switch (acc & 3) {\n    case 0: acc++; break;\n    case 1: acc--; break;\n    default: { short q = (short)acc; acc ^= q; }\n    }\n  }\n")
				fmt.Fprintf(w, "  struct s%d local = *p;\n  local.f0 = acc;\n  return local.f0 + local.f3;\n}\n", s)
			}
		})
		if err != nil {
			return err
		}
	}
	return write("main.c", func(w *bufio.Writer) {
		fmt.Fprintln(w, `#include "large.h"`)
		for u := 0; u < largeUnits; u++ {
			fmt.Fprintf(w, "int u%d_f0(struct s%d *p, int n);\n", u, (u*largeFuncs)%largeStructs)
		}
		fmt.Fprintln(w, "int main(void) {\n  int r = 0;")
		for u := 0; u < largeUnits; u++ {
			fmt.Fprintf(w, "  { struct s%d v = {0}; r += u%d_f0(&v, 3); }\n", (u*largeFuncs)%largeStructs, u)
		}
		fmt.Fprintln(w, "  return r & 1;\n}")
	})
}

// buildLarge builds the large module into largeWasm unless it exists. It
// skips tb if clang-22 is not installed.
func buildLarge(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(largeWasm); err == nil {
		return
	}
	cc, err := exec.LookPath("clang-22")
	if err != nil {
		if os.Getenv("WDBG_E2E") == "required" {
			tb.Fatal("clang-22 is required to build the large module: ", err)
		}
		tb.Skip("clang-22 not installed: cannot build the large module")
	}
	dir := tb.TempDir()
	if err := writeLargeProgram(dir); err != nil {
		tb.Fatal(err)
	}
	flags := []string{"--target=wasm32-wasi", "--sysroot=/usr", "-g", "-O0", "-Wno-deprecated"}
	var objs []string
	for u := 0; u <= largeUnits; u++ {
		src := fmt.Sprintf("u%d.c", u)
		if u == largeUnits {
			src = "main.c"
		}
		obj := filepath.Join(dir, src+".o")
		// Compile with -c and link in a second step: a one-step build may
		// run wasm-opt, which drops the DWARF line tables.
		cmd := exec.Command(cc, append(flags, "-c", filepath.Join(dir, src), "-o", obj)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("%v: %v\n%s", cmd, err, out)
		}
		objs = append(objs, obj)
	}
	os.MkdirAll(filepath.Dir(largeWasm), 0o755)
	cmd := exec.Command(cc, append(append(flags, objs...), "-o", largeWasm)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("%v: %v\n%s", cmd, err, out)
	}
}

func debugSize(s Sections) int {
	n := 0
	for _, b := range s {
		n += len(b)
	}
	return n
}

// firstBreakpoint is what the debugger needs before it can stop anywhere:
// the module's DWARF, its statement sites, a file:line and main.
func firstBreakpoint(tb testing.TB, secs Sections) {
	d, err := Load(secs)
	if err != nil {
		tb.Fatal(err)
	}
	if len(d.StmtOffsets()) == 0 {
		tb.Fatal("no statement sites")
	}
	if _, _, err := d.Lookup("u7.c", 220); err != nil {
		tb.Fatal(err)
	}
	if len(d.FuncByName("main")) != 1 {
		tb.Fatal("no main")
	}
}

// BenchmarkLoad loads the large module up to its first breakpoint.
func BenchmarkLoad(b *testing.B) {
	buildLarge(b)
	secs := readSections(b, largeWasm)
	if n := debugSize(secs); n < 5<<20 {
		b.Fatalf("debug sections are %d bytes, want at least 5 MB", n)
	}
	b.SetBytes(int64(debugSize(secs)))
	b.ReportAllocs()
	for b.Loop() {
		firstBreakpoint(b, secs)
	}
}

// TestLargeModule checks that the large module is what BenchmarkLoad
// needs. (Timing lives in the benchmarks.)
func TestLargeModule(t *testing.T) {
	buildLarge(t)
	secs := readSections(t, largeWasm)
	if n := debugSize(secs); n < 5<<20 {
		t.Fatalf("debug sections are %d bytes, want at least 5 MB", n)
	}
	firstBreakpoint(t, secs)
}

// BenchmarkFirstStop adds what the first stop needs to BenchmarkLoad: the
// function, its inlined calls and variables at the stop (decoding one
// compile unit with its types).
func BenchmarkFirstStop(b *testing.B) {
	buildLarge(b)
	secs := readSections(b, largeWasm)
	b.ReportAllocs()
	for b.Loop() {
		d, err := Load(secs)
		if err != nil {
			b.Fatal(err)
		}
		addrs, _, err := d.Lookup("u7.c", 220)
		if err != nil {
			b.Fatal(err)
		}
		d.InlineChain(addrs[0])
		params, locals := d.ScopeVars(addrs[0])
		if len(params) != 2 || len(locals) == 0 {
			b.Fatalf("params %d, locals %d", len(params), len(locals))
		}
	}
}

// BenchmarkDecodeAll loads the large module and decodes everything.
func BenchmarkDecodeAll(b *testing.B) {
	buildLarge(b)
	secs := readSections(b, largeWasm)
	b.ReportAllocs()
	for b.Loop() {
		d, err := Load(secs)
		if err != nil {
			b.Fatal(err)
		}
		d.Funcs()
		d.Globals()
	}
}
