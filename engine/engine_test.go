package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"wdbg/engine"
	"wdbg/internal/e2e"
	"wdbg/session"
)

// engines runs a test under both wazero engines: instrumentation bugs can
// depend on the engine.
func engines(t *testing.T, f func(t *testing.T, interp bool)) {
	for _, interp := range []bool{false, true} {
		name := "compiler"
		if interp {
			name = "interpreter"
		}
		t.Run(name, func(t *testing.T) { f(t, interp) })
	}
}

func fixture(name, opt string) string {
	return e2e.Fixture(filepath.Join("c", name, name+"."+opt+".wasm"))
}

// open starts a session on a fixture, capturing every wasm local: these
// tests look at wasm-level state.
func open(t *testing.T, path string, interp bool, cfg session.Config) *session.Session {
	t.Helper()
	return openWith(t, path, engine.Config{Interpreter: interp, AllLocals: true}, cfg)
}

func openWith(t *testing.T, path string, ec engine.Config, cfg session.Config) *session.Session {
	t.Helper()
	prog, err := session.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	l, err := engine.NewLauncher(prog, ec)
	if err != nil {
		t.Fatal(err)
	}
	s := session.New(prog, l, cfg)
	t.Cleanup(func() { _ = s.Kill() })
	return s
}

// TestDWARFLocalsPolicy: by default a probe in a function with DWARF
// captures exactly the locals its debug info names at that pc; at -O0
// that is the frame base, which the variables' fbreg locations need.
func TestDWARFLocalsPolicy(t *testing.T) {
	s := openWith(t, fixture("ledger", "O0"), engine.Config{}, session.Config{})
	if _, err := s.SetBreakpoint("apply", session.BreakOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(); err != nil {
		t.Fatal(err)
	}
	for frame := 0; frame < 2; frame++ {
		ls, err := s.WasmLocals(frame)
		if err != nil {
			t.Fatal(err)
		}
		var captured []uint32
		for _, l := range ls {
			if !l.Value.Missing {
				captured = append(captured, l.Index)
			}
		}
		// apply and settle keep their frame base in local 3 at -O0.
		if len(captured) != 1 || captured[0] != 3 {
			t.Errorf("frame %d captured locals %v, want [3] (the frame base)", frame, captured)
		}
	}
}

type runCase struct {
	name  string
	args  []string
	stdin string
}

var outputCases = []runCase{
	{name: "ledger"},
	{name: "ledger", args: []string{"carol"}},
	{name: "fib"},
	{name: "sha256", args: []string{"1"}},
	{name: "trap", args: []string{"div"}},
	{name: "trap", args: []string{"abort"}},
	{name: "trap", args: []string{"oob"}},
	{name: "trap", args: []string{"exit"}},
	{name: "wasi", args: []string{"a", "b c"}, stdin: "hello stdin\n"},
}

// TestInstrumentedOutputMatches checks that every fixture prints exactly
// what the original prints, and ends the same way, when it runs
// instrumented with nothing armed.
func TestInstrumentedOutputMatches(t *testing.T) {
	engines(t, func(t *testing.T, interp bool) {
		for _, c := range outputCases {
			for _, opt := range []string{"O0", "O2"} {
				t.Run(fmt.Sprintf("%s_%s_%s", c.name, opt, strings.Join(c.args, "_")), func(t *testing.T) {
					path := fixture(c.name, opt)
					image, err := os.ReadFile(path)
					if err != nil {
						t.Fatal(err)
					}
					var po, pe bytes.Buffer
					lc := session.LaunchConfig{Args: append([]string{filepath.Base(path)}, c.args...),
						Stdin: strings.NewReader(c.stdin), Stdout: &po, Stderr: &pe}
					code, perr := engine.RunPlain(context.Background(), image, filepath.Base(path), lc, interp)
					plainEnd := fmt.Sprintf("code %d", code)
					if perr != nil {
						plainEnd = perr.Error()
					}

					var io, ie bytes.Buffer
					s := open(t, path, interp, session.Config{Args: c.args, Stdin: strings.NewReader(c.stdin), Stdout: &io, Stderr: &ie})
					st, err := s.Run()
					if err != nil {
						t.Fatal(err)
					}
					for st.Reason == session.StopTrap { // pre-trap stops: let the trap happen
						if st, err = s.Continue(); err != nil {
							t.Fatal(err)
						}
					}
					if st.Reason != session.StopExited {
						t.Fatalf("instrumented run stopped (%v) instead of exiting", st.Reason)
					}
					instrEnd := fmt.Sprintf("code %d", st.ExitCode)
					if st.Trap != "" {
						instrEnd = "wasm trap: " + st.Trap
					}
					if po.String() != io.String() || pe.String() != ie.String() || plainEnd != instrEnd {
						t.Errorf("outputs differ\nplain:        %q %q %s\ninstrumented: %q %q %s",
							po.String(), pe.String(), plainEnd, io.String(), ie.String(), instrEnd)
					}
				})
			}
		}
	})
}

// frameNames lists a stop's function names, innermost first.
func frameNames(st *session.Stop) string {
	var names []string
	for _, f := range st.Frames {
		names = append(names, f.Func.Name)
	}
	return strings.Join(names, " ")
}

func TestBreakpointOnFunction(t *testing.T) {
	engines(t, func(t *testing.T, interp bool) {
		for _, opt := range []string{"O0"} {
			t.Run(opt, func(t *testing.T) {
				s := open(t, fixture("ledger", opt), interp, session.Config{})
				bp, err := s.SetBreakpoint("apply", session.BreakOptions{})
				if err != nil {
					t.Fatal(err)
				}
				st, err := s.Run()
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason != session.StopBreakpoint || len(st.Breakpoints) != 1 || st.Breakpoints[0] != bp.ID {
					t.Fatalf("stop = %v %v, want breakpoint %d", st.Reason, st.Breakpoints, bp.ID)
				}
				want := "apply settle main __main_void __original_main _start _start.command_export"
				if got := frameNames(st); got != want {
					t.Errorf("frames = %q, want %q", got, want)
				}
				if st.Frames[0].Loc.Offset != bp.Locations[0].Loc.Offset {
					t.Errorf("pc = %#x, want the breakpoint's %#x", st.Frames[0].Loc.Offset, bp.Locations[0].Loc.Offset)
				}
				// Every frame's locals were captured: the breakpoint was set
				// before the calls were made.
				for i := range st.Frames {
					ls, err := s.WasmLocals(i)
					if err != nil {
						t.Errorf("frame %d: %v", i, err)
						continue
					}
					if len(ls) == 0 && i == 0 {
						t.Errorf("frame 0 has no locals")
					}
				}
				// apply's parameters: acct (a pointer), k = DEPOSIT (0), amount = 100.
				ls, _ := s.WasmLocals(0)
				if len(ls) < 3 || ls[1].Value.String() != "0" || ls[2].Value.String() != "100" {
					t.Errorf("apply's params = %v, want (acct, 0, 100)", ls)
				}
				// Continue to the next hit: the second deposit (-30 is a withdrawal of 30).
				st, err = s.Continue()
				if err != nil {
					t.Fatal(err)
				}
				ls, _ = s.WasmLocals(0)
				if st.Reason != session.StopBreakpoint || len(ls) < 3 || ls[1].Value.String() != "1" || ls[2].Value.String() != "30" {
					t.Errorf("second hit: %v locals %v, want (acct, 1, 30)", st.Reason, ls)
				}
			})
		}
	})
}

func TestStepping(t *testing.T) {
	engines(t, func(t *testing.T, interp bool) {
		s := open(t, fixture("fib", "O0"), interp, session.Config{})
		if _, err := s.SetBreakpoint("fib", session.BreakOptions{}); err != nil {
			t.Fatal(err)
		}
		st, err := s.Run()
		if err != nil {
			t.Fatal(err)
		}
		if got := frameNames(st); got != "fib main _start _start.command_export" {
			t.Fatalf("frames = %q", got)
		}
		depth := len(st.Frames)
		// nexti stays in fib (it steps over the recursive calls).
		for i := 0; i < 30; i++ {
			st, err = s.NextInstruction()
			if err != nil {
				t.Fatal(err)
			}
			if st.Reason == session.StopBreakpoint {
				break // the recursive call hit the breakpoint: allowed
			}
			if st.Reason != session.StopStep || st.Frames[0].Func.Name != "fib" || len(st.Frames) != depth {
				t.Fatalf("nexti %d: %v in %s, %d frames (want fib, %d frames)", i, st.Reason, st.Frames[0].Func.Name, len(st.Frames), depth)
			}
		}
		// Delete the breakpoint; stepi until we enter the recursive call.
		if err := s.DeleteBreakpoint(1); err != nil {
			t.Fatal(err)
		}
		depth = len(s.Stop().Frames)
		entered := false
		for i := 0; i < 200 && !entered; i++ {
			st, err = s.StepInstruction()
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Frames) == depth+1 {
				entered = true
				if st.Frames[0].Func.Name != "fib" || st.Frames[1].Func.Name != "fib" {
					t.Fatalf("stepi into the call: %s", frameNames(st))
				}
			}
		}
		if !entered {
			t.Fatal("stepi never entered the recursive call")
		}
		// The caller's locals were captured while stepping in.
		if _, err := s.WasmLocals(1); err != nil {
			t.Errorf("caller locals after stepping in: %v", err)
		}
		// finish returns to the caller, right after the call, with fib's
		// result on the stack.
		callFrame := st.Frames[1]
		st, res, err := s.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if st.Reason != session.StopStep || len(st.Frames) != depth || st.Frames[0].Loc.Offset != callFrame.Return {
			t.Fatalf("finish: %v at %#x with %d frames, want step at %#x with %d", st.Reason, st.Frames[0].Loc.Offset, len(st.Frames), callFrame.Return, depth)
		}
		if !res.Returned || len(res.Values) != 1 {
			t.Fatalf("finish result = %+v", res)
		}
	})
}

func TestTraps(t *testing.T) {
	engines(t, func(t *testing.T, interp bool) {
		cases := []struct {
			mode, trap, frames string
			fatal              bool
		}{
			{"div", "integer divide by zero", "divide main __main_void __original_main _start _start.command_export", false},
			{"abort", "unreachable", "abort check main __main_void __original_main _start _start.command_export", false},
			{"oob", "out of bounds memory access", "load main __main_void __original_main _start _start.command_export", true},
		}
		for _, c := range cases {
			t.Run(c.mode, func(t *testing.T) {
				s := open(t, fixture("trap", "O0"), interp, session.Config{Args: []string{c.mode}})
				st, err := s.Run()
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason != session.StopTrap || st.Trap != c.trap || st.Fatal != c.fatal {
					t.Fatalf("stop = %v %q fatal=%v, want trap %q fatal=%v", st.Reason, st.Trap, st.Fatal, c.trap, c.fatal)
				}
				if got := frameNames(st); got != c.frames {
					t.Errorf("frames = %q, want %q", got, c.frames)
				}
				st, err = s.Continue()
				if err != nil {
					t.Fatal(err)
				}
				if st.Reason != session.StopExited || st.Trap != c.trap {
					t.Errorf("after continue: %v %q, want exit by trap %q", st.Reason, st.Trap, c.trap)
				}
			})
		}
		t.Run("exit", func(t *testing.T) {
			s := open(t, fixture("trap", "O0"), interp, session.Config{Args: []string{"exit"}})
			st, err := s.Run()
			if err != nil {
				t.Fatal(err)
			}
			if st.Reason != session.StopExited || st.ExitCode != 7 || st.Trap != "" {
				t.Errorf("stop = %v code %d trap %q, want exit 7", st.Reason, st.ExitCode, st.Trap)
			}
		})
	})
}

// TestHalt halts a guest spinning in a loop with no calls.
func TestHalt(t *testing.T) {
	engines(t, func(t *testing.T, interp bool) {
		var out bytes.Buffer
		s := open(t, fixture("loop", "O2"), interp, session.Config{Stdout: &out})
		haltWhenRunning(s, 200*time.Millisecond)
		st, err := s.Run()
		if err != nil {
			t.Fatal(err)
		}
		// DWARF names main(void) main; the name section calls it __original_main.
		if st.Reason != session.StopHalt || frameNames(st) != "main _start _start.command_export" {
			t.Fatalf("stop = %v in %q, want a halt in main", st.Reason, frameNames(st))
		}
		// It can be resumed and halted again.
		haltWhenRunning(s, 50*time.Millisecond)
		if st, err = s.Continue(); err != nil || st.Reason != session.StopHalt {
			t.Fatalf("second halt: %v %v", st.Reason, err)
		}
		if out.String() != "spinning\n" {
			t.Errorf("output = %q", out.String())
		}
	})
}

// haltWhenRunning halts s once it has been running for d, and returns
// when it halts it. A halt that comes while the session is stopped is
// dropped (Ctrl-C at a prompt does nothing), so a test must not halt on a
// timer that a loaded machine can fire before Run or Continue begins.
func haltWhenRunning(s *session.Session, d time.Duration) <-chan time.Time {
	at := make(chan time.Time, 1)
	go func() {
		for s.State() != session.StateRunning {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(d)
		at <- time.Now()
		s.Halt()
	}()
	return at
}

// TestMoveToNextSite: an address between sites moves forward, and says so.
func TestMoveToNextSite(t *testing.T) {
	s := open(t, fixture("ledger", "O0"), false, session.Config{})
	fns := s.Program().FindFunctions("apply")
	if len(fns) != 1 {
		t.Fatal("no apply")
	}
	bp, err := s.SetBreakpoint(fmt.Sprintf("*%#x", uint32(fns[0].Start)+1), session.BreakOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l := bp.Locations[0]
	if !l.Moved || l.Loc.Offset <= fns[0].Start+1 {
		t.Fatalf("location %+v: want moved past %#x", l, fns[0].Start+1)
	}
	if _, err := s.SetBreakpoint("*0x3", session.BreakOptions{}); err == nil {
		t.Error("a breakpoint outside the code section was accepted")
	}
	if _, err := s.SetBreakpoint("nosuchfunction", session.BreakOptions{}); err == nil {
		t.Error("a breakpoint on a missing function was accepted")
	}
}
