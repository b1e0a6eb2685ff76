package cexpr_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// gdbCase is a gdb command and what gdb prints for it.
type gdbCase struct {
	cmd  string // p[/F] EXPR, ptype EXPR, whatis EXPR, set var EXPR
	want string // for a table case, without the "$N = " of print
	why  string // set if this differs from gdb on x86-64, and why
}

// runTable runs each case in a fresh program: they have no side effects
// (TestAgainstGDB runs them all in one gdb session).
func runTable(t *testing.T, cases []gdbCase) {
	t.Helper()
	for _, c := range cases {
		got := strings.TrimPrefix(newFakeEnv().run(c.cmd), "$1 = ")
		if got != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", c.cmd, got, c.want)
		}
	}
}

func TestPrintVariables(t *testing.T)   { runTable(t, variableCases) }
func TestPrintFormats(t *testing.T)     { runTable(t, formatCases) }
func TestPrintExpressions(t *testing.T) { runTable(t, expressionCases) }
func TestPtypeWhatis(t *testing.T)      { runTable(t, typeCases) }
func TestErrors(t *testing.T)           { runTable(t, errorCases) }

// TestTranscript replays one gdb session in order, with its side effects
// and history numbers.
func TestTranscript(t *testing.T) {
	e := newFakeEnv()
	for _, c := range transcript {
		if got := e.run(c.cmd); got != c.want {
			t.Errorf("%s\n got: %s\nwant: %s", c.cmd, got, c.want)
		}
	}
}

// TestAgainstGDB compiles testdata/gdbtruth.c natively and checks the
// tables and the transcript against what gdb prints, addresses aside. It
// needs gcc and gdb, and WDBG_GDB_TRUTH=1.
func TestAgainstGDB(t *testing.T) {
	if os.Getenv("WDBG_GDB_TRUTH") == "" {
		t.Skip("set WDBG_GDB_TRUTH=1 to compare with gdb (needs gcc and gdb)")
	}
	for _, tool := range []string{"gcc", "gdb"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	src, err := os.ReadFile("testdata/gdbtruth.c")
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, "return sq(2)") {
			line = i + 1
		}
	}
	bin := filepath.Join(t.TempDir(), "gdbtruth")
	if out, err := exec.Command("gcc", "-g", "-O0", "-o", bin, "testdata/gdbtruth.c", "-lm").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, out)
	}
	var table []gdbCase
	for _, cs := range [][]gdbCase{variableCases, formatCases, expressionCases, typeCases, errorCases} {
		table = append(table, cs...)
	}
	check := func(name string, cases []gdbCase, numbered bool) {
		got := runGDB(t, bin, line, cases)
		for i, c := range cases {
			if c.why != "" {
				continue
			}
			g, w := normGDB(got[i]), normGDB(c.want)
			if !numbered {
				g = regexp.MustCompile(`^\$\d+ = `).ReplaceAllString(g, "")
			}
			if g != w {
				t.Errorf("%s: %s\n gdb: %s\nwant: %s", name, c.cmd, got[i], c.want)
			}
		}
	}
	check("table", table, false)
	check("transcript", transcript, true)
}

// runGDB runs the commands in one gdb session stopped at line and
// returns what each printed.
func runGDB(t *testing.T, bin string, line int, cases []gdbCase) []string {
	args := []string{"-nx", "-batch", "-ex", fmt.Sprintf("break %d", line), "-ex", "run"}
	for i, c := range cases {
		args = append(args, "-ex", fmt.Sprintf(`echo @@@ %d\n`, i), "-ex", c.cmd)
	}
	out, _ := exec.Command("gdb", append(args, bin)...).CombinedOutput()
	res := make([]string, len(cases))
	parts := regexp.MustCompile(`@@@ (\d+)\n`).Split(string(out), -1)
	idx := regexp.MustCompile(`@@@ (\d+)\n`).FindAllStringSubmatch(string(out), -1)
	for k, m := range idx {
		var i int
		fmt.Sscan(m[1], &i)
		res[i] = string(bytes.TrimRight([]byte(parts[k+1]), "\n"))
	}
	return res
}

// normGDB blanks out what differs between a native and a wasm32 program
// of the same source: addresses and offsets into objects, and warnings.
func normGDB(s string) string {
	s = regexp.MustCompile(`(?m)^warning: .*\n`).ReplaceAllString(s, "")
	s = regexp.MustCompile(`0x[0-9a-f]{3,}`).ReplaceAllString(s, "ADDR")
	return regexp.MustCompile(`<(\w+)\+\d+>`).ReplaceAllString(s, "<$1+N>")
}
