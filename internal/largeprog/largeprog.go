// Package largeprog generates and builds a large C program for load-time
// benchmarks: thousands of functions, all reachable (main calls each one
// through a function-pointer table, so the linker keeps their code), and
// hundreds of struct types repeated in every compile unit, so that the
// module carries more than 5 MB of DWARF. It needs clang-22.
package largeprog

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Shape of the program. Changing it changes Version, so cached builds are
// rebuilt.
const (
	Units   = 12
	Funcs   = 200 // per unit
	Structs = 2100
	// BreakFile and BreakLine name a line of the program that main
	// reaches, for first-breakpoint benchmarks: in u7_f123's loop.
	BreakFile = "u7.c"
)

// BreakLine returns the line of BreakFile holding the loop body of
// u7_f123.
func BreakLine() int {
	// Each unit file: one #include line, then Structs global pointers,
	// then Funcs functions of funcLines lines each; the loop body is the
	// fourth line of a function.
	return 1 + Structs + 123*funcLines + 4
}

const funcLines = 21

// Version identifies the generator's output.
func Version() string {
	h := sha256.Sum256([]byte(fmt.Sprintf("v5 %d %d %d %d", Units, Funcs, Structs, funcLines)))
	return hex.EncodeToString(h[:6])
}

// Build generates and compiles the program once per Version into the
// user's cache directory and returns the .wasm path.
func Build() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "wdbg-largeprog", Version())
	out := filepath.Join(dir, "large.wasm")
	if _, err := os.Stat(out); err == nil {
		return out, nil
	}
	cc, err := exec.LookPath("clang-22")
	if err != nil {
		return "", fmt.Errorf("building the large program needs clang-22: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := write(dir); err != nil {
		return "", err
	}
	flags := []string{"--target=wasm32-wasi", "--sysroot=/usr", "-g", "-O0", "-Wno-deprecated"}
	var objs []string
	for u := 0; u <= Units; u++ {
		src := fmt.Sprintf("u%d.c", u)
		if u == Units {
			src = "main.c"
		}
		obj := src + ".o"
		// Compile with -c and link separately: a one-step build may run
		// wasm-opt, which drops the DWARF line tables.
		cmd := exec.Command(cc, append(flags, "-c", src, "-o", obj)...)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%v: %v\n%s", cmd.Args, err, b)
		}
		objs = append(objs, obj)
	}
	tmp := "large.tmp.wasm"
	cmd := exec.Command(cc, append(append(flags, objs...), "-o", tmp)...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v: %v\n%s", cmd.Args, err, b)
	}
	return out, os.Rename(filepath.Join(dir, tmp), out)
}

func write(dir string) error {
	file := func(name string, body func(w *bufio.Writer)) error {
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
	if err := file("large.h", func(w *bufio.Writer) {
		for s := 0; s < Structs; s++ {
			fmt.Fprintf(w, "struct s%d { int f0; double f1[2]; ", s)
			if s > 0 {
				fmt.Fprintf(w, "struct s%d *f2; ", s-1)
			} else {
				fmt.Fprintf(w, "void *f2; ")
			}
			fmt.Fprintf(w, "unsigned f3 : 5; char name[8]; long long count_%d; float ratio_%d; short flags_%d[3]; const char *label_%d; };\n", s, s, s, s)
		}
	}); err != nil {
		return err
	}
	for u := 0; u < Units; u++ {
		if err := file(fmt.Sprintf("u%d.c", u), func(w *bufio.Writer) {
			fmt.Fprintln(w, `#include "large.h"`)
			for s := 0; s < Structs; s++ {
				fmt.Fprintf(w, "struct s%d *u%d_g%d;\n", s, u, s)
			}
			for f := 0; f < Funcs; f++ {
				s := (u*Funcs + f) % Structs
				// funcLines lines per function; keep BreakLine in step.
				fmt.Fprintf(w, "int u%d_f%d(struct s%d *p, int n) {\n", u, f, s)
				fmt.Fprintf(w, "  int acc = n;\n")
				fmt.Fprintf(w, "  for (int i = 0; i < n; i++) {\n")
				fmt.Fprintf(w, "    int t = p->f0 + i;\n")
				fmt.Fprintf(w, "    acc += t * %d;\n", f+1)
				fmt.Fprintf(w, "    if (acc > 1000) {\n")
				fmt.Fprintf(w, "      double d = p->f1[0] * t;\n")
				fmt.Fprintf(w, "      acc -= (int)d;\n")
				fmt.Fprintf(w, "    }\n")
				fmt.Fprintf(w, "    for (int j = 0; j < 2; j++) {\n")
				fmt.Fprintf(w, "      unsigned m = p->f3 ^ (unsigned)j;\n")
				fmt.Fprintf(w, "      acc += (int)(m * 3);\n")
				fmt.Fprintf(w, "    }\n")
				fmt.Fprintf(w, "    switch (acc & 3) {\n")
				fmt.Fprintf(w, "    case 0: acc++; break;\n")
				fmt.Fprintf(w, "    default: { short q = (short)acc; acc ^= q; }\n")
				fmt.Fprintf(w, "    }\n")
				fmt.Fprintf(w, "  }\n")
				fmt.Fprintf(w, "  struct s%d local = *p;\n", s)
				fmt.Fprintf(w, "  return local.f0 + acc;\n")
				fmt.Fprintf(w, "}\n")
			}
		}); err != nil {
			return err
		}
	}
	return file("main.c", func(w *bufio.Writer) {
		fmt.Fprintln(w, `#include "large.h"`)
		fmt.Fprintln(w, "typedef int (*fn)(void *, int);")
		for u := 0; u < Units; u++ {
			for f := 0; f < Funcs; f++ {
				fmt.Fprintf(w, "int u%d_f%d(void *, int);\n", u, f)
			}
		}
		fmt.Fprintln(w, "static fn table[] = {")
		for u := 0; u < Units; u++ {
			for f := 0; f < Funcs; f++ {
				fmt.Fprintf(w, "  u%d_f%d,\n", u, f)
			}
		}
		fmt.Fprintln(w, "};")
		fmt.Fprintln(w, "int main(void) {\n  struct s0 v = {0};\n  int r = 0;")
		fmt.Fprintln(w, "  for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++)\n    r += table[i](&v, 2);")
		fmt.Fprintln(w, "  return r & 1;\n}")
	})
}
