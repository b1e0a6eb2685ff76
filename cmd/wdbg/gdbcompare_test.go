package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"wdbg/internal/e2e"
)

// TestSameAsGDB runs the same batch commands under a native gdb, on
// fixtures/testdata/c/calc built with gcc, and under wdbg, on the same
// source built for wasm32-wasi, and requires the same output once the
// inherent differences are masked: addresses, the process id, gdb's thread
// banner, and the program's own output (which the two interleave
// differently, as the C library buffers it). Values, frames, source lines,
// types and error messages must match exactly.
//
// The scripts stay away from what really differs between the two targets:
// the sizes of pointers and long, and line-table rows that gcc emits and
// clang does not (a closing brace has a row of its own under gcc).
func TestSameAsGDB(t *testing.T) {
	gcc := e2e.Tool(t, "gcc")
	gdb := e2e.Tool(t, "gdb")
	wdbg := e2e.Binary(t)
	src := e2e.Fixture("c/calc/calc.c")
	wasm := e2e.Fixture("c/calc/calc.O0.wasm")

	dir := t.TempDir()
	native := filepath.Join(dir, "calc")
	// Built in the source's directory, as DWARF then names it calc.c like
	// the wasm build does.
	cmd := exec.Command(gcc, "-g", "-O0", "-o", native, "calc.c")
	cmd.Dir = filepath.Dir(src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	progOut, err := exec.Command(native).Output()
	if err != nil {
		t.Fatalf("running the native calc: %v", err)
	}
	progLines := map[string]bool{}
	for _, l := range strings.Split(string(progOut), "\n") {
		if l != "" {
			progLines[l] = true
		}
	}

	scripts := map[string][]string{
		// The new-user session: a line breakpoint, the stack, the
		// locals, a pointer, next, finish and continue.
		"lex": {"break calc.c:99", "run", "bt", "info locals", "p *t", "p *lx",
			"p lx->toks[0]", "p/x lx->at", "next", "info locals", "delete",
			"finish", "next", "p n", "continue"},
		// A function breakpoint after the prologue, arguments, pointers to
		// pointers, unions, bitfields, finish's value history.
		"term": {"break term", "run", "bt", "info args", "p **cur",
			"p (*cur)->u.num", "p (*cur)->kind == TOK_NUM", "p/d (*cur)->kind",
			"ptype cur", "whatis **cur", "finish", "p $", "p $1 * 2", "p 1 + $1",
			"p -$1", "next", "info locals", "p depth + 1", "delete 1", "continue"},
		// A conditional breakpoint, globals, linked structs, arrays of
		// strings, casts, enums, formats, frames up the stack, and loop
		// stepping.
		"expr": {"break calc.c:143 if op == 0x2d", "run", "p op", "p rhs", "p v",
			"p vars", "p *vars", "p vars->next->name", "p *vars->next", "p op_names",
			"p *op_names@2", "p op_names[1][0]", "p evaluations",
			"p sizeof(struct token)", "ptype struct token", "whatis vars",
			"p/x evaluations + 255", "p (long)rhs", "p rhs / 3", "p -v", "p !v",
			"p TOK_RPAREN", "p (enum tok_kind)1", "p/c 65", "p/t 10", "p/o 8",
			"p nosuch", "p 1 +", "p *v", "p (*cur)->q",
			"up", "p n", "p *cur", "p lx.toks[1]", "p lx.ntoks", "p src",
			"p lx.toks[1].u.op", "p &lx.toks[1] - &lx.toks[0]", "p lx.src[2]",
			"down", "next", "next", "bt", "continue"},
		// The for loop of main: next goes round it as gdb does.
		"loop": {"break 166", "run", "p i", "p lines", "next", "next", "p i",
			"p total", "next", "next", "info locals", "continue"},
	}
	for name, cmds := range scripts {
		t.Run(name, func(t *testing.T) {
			var gargs, wargs []string
			for _, c := range cmds {
				gargs = append(gargs, "-ex", c)
				wargs = append(wargs, "-ex", c)
			}
			gcmd := exec.Command(gdb, append(append([]string{"-nx", "-batch"}, gargs...), native)...)
			gcmd.Dir = dir
			gout, _ := gcmd.CombinedOutput()
			wcmd := exec.Command(wdbg, append(append([]string{"--batch"}, wargs...), wasm)...)
			wout, _ := wcmd.CombinedOutput()
			g, w := normalizeDebugger(gout, progLines), normalizeDebugger(wout, progLines)
			if g != w {
				t.Errorf("wdbg and gdb differ (- gdb, + wdbg):\n%s", lineDiff(g, w))
			}
		})
	}
}

var (
	hexRE     = regexp.MustCompile(`0x[0-9a-f]+`)
	processRE = regexp.MustCompile(`process \d+`)
	spacesRE  = regexp.MustCompile(` {2,}`)
)

// normalizeDebugger masks what legitimately differs between a native gdb
// and wdbg: addresses, process ids, gdb's libthread_db banner, the
// program's output lines, and the column widths of `info breakpoints`
// (gdb sizes its Address column for 64-bit addresses).
func normalizeDebugger(out []byte, prog map[string]bool) string {
	var b strings.Builder
	for _, l := range strings.Split(string(bytes.TrimRight(out, "\n")), "\n") {
		if prog[l] || strings.HasPrefix(l, "[Thread debugging") || strings.HasPrefix(l, "Using host libthread_db") {
			continue
		}
		l = hexRE.ReplaceAllString(l, "0xADDR")
		l = processRE.ReplaceAllString(l, "process N")
		if strings.HasPrefix(l, "Num ") {
			l = spacesRE.ReplaceAllString(l, " ")
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// lineDiff is a small line-by-line diff for test failures.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out strings.Builder
	i, j := 0, 0
	for i < len(al) || j < len(bl) {
		switch {
		case i < len(al) && j < len(bl) && al[i] == bl[j]:
			out.WriteString("  " + al[i] + "\n")
			i++
			j++
		case i < len(al):
			out.WriteString("- " + al[i] + "\n")
			i++
			if j < len(bl) {
				out.WriteString("+ " + bl[j] + "\n")
				j++
			}
		default:
			out.WriteString("+ " + bl[j] + "\n")
			j++
		}
	}
	return out.String()
}
