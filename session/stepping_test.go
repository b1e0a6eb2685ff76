package session_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"wdbg/engine"
	"wdbg/internal/e2e"
	"wdbg/session"
)

// A stepping test is a table of commands and where each leaves the program,
// as "function file:line" of frame 0 (delve's testseq, with gdb's
// commands). Every table runs under both wazero engines.
type step struct {
	cmd  string // "break SPEC", "run", "continue", "step", "next", "until", "finish", "up", "stepi", "nexti"
	want string // frame 0 after the command; "" for commands that do not run
}

type stepCase struct {
	fixture string // under fixtures/testdata
	seq     []step
}

func runSteps(t *testing.T, c stepCase, interp bool) {
	t.Helper()
	path := e2e.Fixture(c.fixture)
	prog, err := session.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := engine.NewLauncher(prog, engine.Config{Interpreter: interp})
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(prog, l, session.Config{})
	defer s.Kill()
	for i, st := range c.seq {
		var stop *session.Stop
		var err error
		cmd, arg, _ := strings.Cut(st.cmd, " ")
		switch cmd {
		case "break":
			_, err = s.SetBreakpoint(arg, session.BreakOptions{})
		case "delete":
			for _, bp := range s.Breakpoints() {
				if err = s.DeleteBreakpoint(bp.ID); err != nil {
					break
				}
			}
		case "tbreak":
			_, err = s.SetBreakpoint(arg, session.BreakOptions{Temporary: true})
		case "run":
			stop, err = s.Run()
		case "continue":
			stop, err = s.Continue()
		case "step":
			stop, err = s.Step()
		case "next":
			stop, err = s.Next()
		case "until":
			stop, err = s.Until()
		case "advance":
			stop, err = s.Advance(arg)
		case "stepi":
			stop, err = s.StepInstruction()
		case "nexti":
			stop, err = s.NextInstruction()
		case "finish":
			stop, _, err = s.Finish()
		case "up":
			_, err = s.SelectFrame(s.SelectedFrame() + 1)
		default:
			t.Fatalf("step %d: unknown command %q", i, st.cmd)
		}
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, st.cmd, err)
		}
		if stop == nil {
			continue
		}
		// WDBG_STEP_RECORD=1 prints where each command stops instead of
		// checking, to write a new table (check every line by hand, or
		// against gdb on a native build, before committing it).
		if os.Getenv("WDBG_STEP_RECORD") != "" {
			fmt.Printf("\t\t{%q, %q},\n", st.cmd, where(stop))
			continue
		}
		if got := where(stop); got != st.want {
			t.Fatalf("step %d (%s): at %q, want %q", i, st.cmd, got, st.want)
		}
	}
}

// where describes frame 0 of a stop.
func where(st *session.Stop) string {
	if st.Reason == session.StopExited {
		return fmt.Sprintf("exited %d", st.ExitCode)
	}
	f := st.Frames[0]
	if !f.Loc.HasSource() {
		return f.Func.Name
	}
	return fmt.Sprintf("%s %s:%d", f.Func.Name, f.Loc.File, f.Loc.Line)
}

var stepCases = map[string]stepCase{
	"ledger_O0_next": {"c/ledger/ledger.O0.wasm", []step{
		{"break apply", ""},
		{"run", "apply ledger.c:25"},
		{"next", "apply ledger.c:26"},
		{"next", "apply ledger.c:28"}, // k != FEE: line 27 is skipped
		{"next", "apply ledger.c:29"},
		{"next", "apply ledger.c:30"},
		{"next", "apply ledger.c:31"},
		{"next", "apply ledger.c:32"},
		{"next", "apply ledger.c:33"},
		{"next", "apply ledger.c:35"},
		{"next", "settle ledger.c:40"}, // returned mid-line 43, stepped on to a line start
		{"next", "settle ledger.c:41"},
		{"next", "settle ledger.c:42"},
		{"next", "settle ledger.c:43"},
		{"next", "apply ledger.c:25"}, // the breakpoint in the call on line 43
		{"finish", "settle ledger.c:43"},
		{"next", "settle ledger.c:40"}, // the loop increment, after the body
		// until steps over everything from the function's entry to the end
		// of this line (gdb's until_next_command): the loop runs out, and
		// the breakpoint in apply stops it first.
		{"until", "apply ledger.c:25"},
	}},
	"ledger_O0_step": {"c/ledger/ledger.O0.wasm", []step{
		{"break settle", ""},
		{"run", "settle ledger.c:39"},
		{"next", "settle ledger.c:40"},
		{"next", "settle ledger.c:41"},
		{"next", "settle ledger.c:42"},
		{"next", "settle ledger.c:43"},
		{"step", "apply ledger.c:25"}, // into the call, after apply's prologue
		{"finish", "settle ledger.c:43"},
		{"step", "settle ledger.c:40"},
		{"up", ""},
		{"next", "main ledger.c:54"}, // next in the selected frame (main) runs settle to its end
	}},
	"ledger_O0_until_advance": {"c/ledger/ledger.O0.wasm", []step{
		{"break ledger.c:40", ""},
		{"run", "settle ledger.c:40"},
		{"until", "settle ledger.c:41"},
		{"until", "settle ledger.c:42"},
		{"until", "settle ledger.c:43"},
		{"until", "settle ledger.c:40"},
		{"advance 45", "settle ledger.c:45"},
		{"step", "apply ledger.c:25"},
		{"finish", "settle ledger.c:45"},
	}},
	"recurse_O0": {"c/recurse/recurse.O0.wasm", []step{
		{"break factorial", ""},
		{"run", "factorial recurse.c:11"},
		{"continue", "factorial recurse.c:11"},
		{"continue", "factorial recurse.c:11"},
		{"delete", ""},
		// Checked against gdb 13 on the same source built natively by clang-22.
		{"finish", "factorial recurse.c:13"}, // back in the outer factorial, mid-line
		{"next", "factorial recurse.c:14"},
		{"next", "factorial recurse.c:14"}, // the next outer factorial, stepped on to a line start
		{"next", "main recurse.c:37"},
	}},
	"recurse_O0_list": {"c/recurse/recurse.O0.wasm", []step{
		{"break sum", ""},
		{"run", "sum recurse.c:24"},
		{"next", "sum recurse.c:25"},
		{"next", "sum recurse.c:26"},
		{"next", "sum recurse.c:27"},
		{"next", "sum recurse.c:25"},  // the loop goes round
		{"until", "sum recurse.c:29"}, // and until runs it out (as gdb does from here)
	}},
	"inline_O0": {"c/inline/inline.O0.wasm", []step{
		{"break hypot2", ""},
		{"run", "hypot2 inline.c:17"},
		// Checked against gdb 13 on the same source built natively by clang-22.
		{"step", "sum_squares inline.c:11"}, // into the inlined call
		{"step", "square inline.c:6"},
		{"next", "square inline.c:7"},
		{"next", "sum_squares inline.c:11"}, // back at the call's line, after the inlined body
		{"next", "sum_squares inline.c:12"},
		{"finish", "hypot2 inline.c:17"},
		{"next", "hypot2 inline.c:18"},
	}},
	"ledger_O2": {"c/ledger/ledger.O2.wasm", []step{
		{"break main", ""},
		{"run", "main ledger.c:51"},
		// -O2 interleaves line 52's code with line 53's: as gdb does, the
		// second block of line 52 is stepped through, not stopped at.
		{"next", "main ledger.c:52"},
		{"next", "main ledger.c:55"}, // settle, inlined into main, is stepped over
		{"next", "main ledger.c:56"},
	}},
	"recurse_O2": {"c/recurse/recurse.O2.wasm", []step{
		{"break sum", ""},
		{"run", "sum recurse.c:26"}, // sum is inlined into main: frame 0 is its inlined frame
	}},
	"calc_O0": {"c/calc/calc.O0.wasm", []step{
		{"break evaluate", ""},
		{"run", "evaluate calc.c:150"},
		{"next", "evaluate calc.c:151"},
		{"next", "evaluate calc.c:152"},
		{"step", "lex calc.c:71"},
		{"next", "lex calc.c:72"},
		{"next", "lex calc.c:73"},
		{"next", "lex calc.c:74"},
		{"finish", "evaluate calc.c:152"},
		{"next", "evaluate calc.c:153"},
		{"next", "evaluate calc.c:154"},
		{"step", "expr calc.c:138"},
		{"step", "term calc.c:127"},
		{"step", "primary calc.c:109"},
		{"finish", "term calc.c:127"},
		{"next", "term calc.c:128"},
		{"until", "term calc.c:134"},
		{"continue", "evaluate calc.c:150"},
	}},
	"calc_O2": {"c/calc/calc.O2.wasm", []step{
		{"break evaluate", ""},
		{"run", "evaluate calc.c:150"},
		{"next", "evaluate calc.c:151"},
		{"next", "evaluate calc.c:153"},
		{"step", "evaluate calc.c:154"},
		{"next", "evaluate calc.c:155"},
		{"next", "evaluate calc.c:156"},
		{"next", "main calc.c:166"},
		{"finish", "_start crt1-command.c:15"},
	}},
	"types_O0": {"c/types/types.O0.wasm", []step{
		{"break inspect", ""},
		{"run", "inspect types.c:59"},
		{"next", "inspect types.c:60"},
		{"next", "inspect types.c:61"},
		{"next", "inspect types.c:62"},
		{"next", "inspect types.c:63"},
		{"step", "inspect types.c:64"},
		{"finish", "main types.c:71"},
		{"next", "main types.c:72"},
		{"finish", "_start crt1-command.c:15"},
		{"next", "_start crt1-command.c:18"},
		{"continue", "exited 0"},
	}},
	"types_O2": {"c/types/types.O2.wasm", []step{
		{"break inspect", ""},
		{"run", "inspect types.c:64"},
		{"next", "inspect types.c:63"},
		{"next", "inspect types.c:61"},
		{"next", "inspect types.c:64"},
		{"next", "main types.c:72"},
		{"step", "printf printf.c:8"},
		{"finish", "main types.c:72"},
		{"next", "main types.c:73"},
		{"finish", "_start crt1-command.c:15"},
		{"next", "_start crt1-command.c:18"},
		{"continue", "exited 0"},
	}},
	"point_O0": {"c/point/point.O0.wasm", []step{
		{"break add", ""},
		{"run", "add point.c:7"},
		{"next", "add point.c:8"},
		{"next", "add point.c:9"},
		{"finish", "sum point.c:14"},
		{"next", "sum point.c:13"},
		{"step", "sum point.c:14"},
		{"finish", "add point.c:7"},
		{"finish", "sum point.c:14"},
		{"next", "sum point.c:13"},
		{"continue", "add point.c:7"},
	}},
	"point_O2": {"c/point/point.O2.wasm", []step{
		{"break add", ""},
		{"run", "add point.c:7"},
		{"next", "add point.c:8"},
		{"next", "add point.c:9"},
		{"finish", "sum point.c:14"},
		{"next", "add point.c:7"},
		{"step", "add point.c:8"},
		{"finish", "sum point.c:14"},
		{"finish", "add point.c:7"},
		{"next", "add point.c:8"},
		{"continue", "exited 0"},
	}},
	"fib_O0": {"c/fib/fib.O0.wasm", []step{
		{"break fib", ""},
		{"run", "fib fib.c:5"},
		{"step", "fib fib.c:7"},
		{"step", "fib fib.c:5"},
		{"step", "fib fib.c:7"},
		{"finish", "fib fib.c:5"},
		{"finish", "fib fib.c:5"},
		{"delete", ""},
		{"finish", "fib fib.c:7"},
		{"next", "fib fib.c:8"},
		{"continue", "exited 0"},
	}},
	"fib_O2": {"c/fib/fib.O2.wasm", []step{
		{"break fib", ""},
		{"run", "fib fib.c:5"},
		{"step", "fib fib.c:7"},
		{"step", "fib fib.c:5"},
		{"step", "fib fib.c:7"},
		{"finish", "fib fib.c:5"},
		{"finish", "fib fib.c:5"},
		{"delete", ""},
		{"finish", "fib fib.c:7"},
		{"next", "fib fib.c:5"},
		{"continue", "exited 0"},
	}},
	"sha256_O0": {"c/sha256/sha256.O0.wasm", []step{
		{"break sha256_update", ""},
		{"run", "sha256_update sha256.c:64"},
		{"next", "sha256_update sha256.c:65"},
		{"next", "sha256_update sha256.c:66"},
		{"step", "sha256_update sha256.c:67"},
		{"finish", "main sha256.c:115"},
		{"until", "sha256_update sha256.c:64"},
		{"continue", "sha256_update sha256.c:64"},
	}},
	"sha256_O2": {"c/sha256/sha256.O2.wasm", []step{
		{"break sha256_update", ""},
		{"run", "sha256_update sha256.c:64"},
		{"next", "sha256_update sha256.c:66"},
		{"next", "sha256_update sha256.c:67"},
		{"step", "sha256_update sha256.c:69"},
		{"finish", "sha256_final sha256.c:81"},
		{"until", "sha256_final sha256.c:82"},
		{"continue", "sha256_update sha256.c:64"},
	}},
	"inline_O0_finish": {"c/inline/inline.O0.wasm", []step{
		{"break hypot2", ""},
		{"run", "hypot2 inline.c:17"},
		{"step", "sum_squares inline.c:11"},
		{"step", "square inline.c:6"},
		{"finish", "sum_squares inline.c:11"},
		{"next", "sum_squares inline.c:12"},
		{"next", "sum_squares inline.c:13"},
		{"continue", "hypot2 inline.c:17"},
	}},
	"inline_O2": {"c/inline/inline.O2.wasm", []step{
		{"break hypot2", ""},
		{"run", "square inline.c:6"},
		{"step", "sum_squares inline.c:12"},
		{"step", "hypot2 inline.c:18"},
		{"finish", "main inline.c:24"},
		{"next", "square inline.c:6"},
		{"next", "sum_squares inline.c:12"},
		{"continue", "square inline.c:6"},
	}},
	"shapes_O0": {"cpp/shapes/shapes.O0.wasm", []step{
		{"break geo::total", ""},
		{"run", "total shapes.cpp:37"},
		{"next", "total shapes.cpp:38"},
		{"next", "total shapes.cpp:39"},
		{"next", "total shapes.cpp:40"},
		{"step", "area shapes.cpp:19"},
		{"finish", "total shapes.cpp:40"},
		{"next", "total shapes.cpp:41"},
		{"next", "total shapes.cpp:42"},
		{"finish", "main shapes.cpp:55"},
		{"next", "main shapes.cpp:56"},
		{"continue", "exited 0"},
	}},
	"shapes_O2": {"cpp/shapes/shapes.O2.wasm", []step{
		{"break geo::total", ""},
		{"run", "vector vector.h:583"},
		{"next", "vector vector.h:581"},
		{"next", "total shapes.cpp:39"},
		{"next", "total shapes.cpp:40"},
		{"step", "area shapes.cpp:19"},
		{"finish", "total shapes.cpp:40"},
		{"next", "total shapes.cpp:42"},
		{"next", "total shapes.cpp:39"},
		{"finish", "main shapes.cpp:56"},
		{"next", "main shapes.cpp:58"},
		{"continue", "exited 0"},
	}},
}

func TestStepping(t *testing.T) {
	for name, c := range stepCases {
		for _, interp := range []bool{false, true} {
			eng := "compiler"
			if interp {
				eng = "interpreter"
			}
			t.Run(name+"/"+eng, func(t *testing.T) { runSteps(t, c, interp) })
		}
	}
}
