package session_test

import (
	"fmt"
	"path/filepath"
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
	fixture string // under fixtures/testdata/c
	seq     []step
}

func runSteps(t *testing.T, c stepCase, interp bool) {
	t.Helper()
	path := e2e.Fixture(filepath.Join("c", c.fixture))
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
	"ledger_O0_next": {"ledger/ledger.O0.wasm", []step{
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
	"ledger_O0_step": {"ledger/ledger.O0.wasm", []step{
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
	"ledger_O0_until_advance": {"ledger/ledger.O0.wasm", []step{
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
	"recurse_O0": {"recurse/recurse.O0.wasm", []step{
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
	"recurse_O0_list": {"recurse/recurse.O0.wasm", []step{
		{"break sum", ""},
		{"run", "sum recurse.c:24"},
		{"next", "sum recurse.c:25"},
		{"next", "sum recurse.c:26"},
		{"next", "sum recurse.c:27"},
		{"next", "sum recurse.c:25"},  // the loop goes round
		{"until", "sum recurse.c:29"}, // and until runs it out (as gdb does from here)
	}},
	"inline_O0": {"inline/inline.O0.wasm", []step{
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
	"ledger_O2": {"ledger/ledger.O2.wasm", []step{
		{"break main", ""},
		{"run", "main ledger.c:51"},
		// -O2 interleaves line 52's code with line 53's: as gdb does, the
		// second block of line 52 is stepped through, not stopped at.
		{"next", "main ledger.c:52"},
		{"next", "main ledger.c:55"}, // settle, inlined into main, is stepped over
		{"next", "main ledger.c:56"},
	}},
	"recurse_O2": {"recurse/recurse.O2.wasm", []step{
		{"break sum", ""},
		{"run", "sum recurse.c:26"}, // sum is inlined into main: frame 0 is its inlined frame
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
