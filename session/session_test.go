package session

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// fakeLauncher and fakeTarget play back a script of stops, so that the
// session's own logic (breakpoint bookkeeping, transparent resumes, events)
// is tested apart from any engine.
type fakeLauncher struct {
	sites  []Site
	script []*TargetStop
	t      *fakeTarget
}

func (l *fakeLauncher) Sites(ModuleID) []Site { return l.sites }

func (l *fakeLauncher) Launch(cfg LaunchConfig) (Target, error) {
	l.t = &fakeTarget{script: append([]*TargetStop(nil), l.script...), armed: map[CodeOffset]bool{}, cfg: cfg}
	return l.t, nil
}

type fakeTarget struct {
	script  []*TargetStop
	armed   map[CodeOffset]bool
	resumes []ResumeRequest
	killed  bool
	cfg     LaunchConfig
}

func (t *fakeTarget) SetBreakpoint(m ModuleID, off CodeOffset, on bool) error {
	t.armed[off] = on
	return nil
}

func (t *fakeTarget) Resume(req ResumeRequest) (*TargetStop, error) {
	t.resumes = append(t.resumes, req)
	if len(t.script) == 0 {
		return &TargetStop{Reason: StopExited}, nil
	}
	st := t.script[0]
	t.script = t.script[1:]
	if st.Reason == StopExited {
		t.cfg.Stdout.Write([]byte("bye\n"))
	}
	return st, nil
}

func (t *fakeTarget) Halt()                                              {}
func (t *fakeTarget) Kill() error                                        { t.killed = true; return nil }
func (t *fakeTarget) Instances() []Instance                              { return nil }
func (t *fakeTarget) ReadMemory(InstanceID, uint64, []byte) (int, error) { return 0, ErrNotStopped }
func (t *fakeTarget) WriteMemory(InstanceID, uint64, []byte) error       { return ErrNotStopped }
func (t *fakeTarget) MemorySize(InstanceID) (uint64, bool)               { return 0, false }
func (t *fakeTarget) Global(InstanceID, uint32) (Value, error)           { return Value{}, ErrNotStopped }

// testProgram loads a real fixture for its static structure.
func testProgram(t *testing.T) *Program {
	_, file, _, _ := runtime.Caller(0)
	p, err := LoadFile(filepath.Join(filepath.Dir(file), "..", "fixtures", "testdata", "c", "fib", "fib.O0.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func at(p *Program, fn string, reason StopReason, stepDone bool) *TargetStop {
	f := p.FindFunctions(fn)[0]
	c, _ := p.Modules[0].code(f.Index)
	return &TargetStop{Reason: reason, StepDone: stepDone, Frames: []RawFrame{{Func: f.Index, PC: c.BodyStart, Depth: 1}}}
}

func TestBreakpointBookkeeping(t *testing.T) {
	p := testProgram(t)
	fib := p.FindFunctions("fib")[0]
	c, _ := p.Modules[0].code(fib.Index)
	l := &fakeLauncher{sites: []Site{{Offset: c.BodyStart, Func: fib.Index, Kind: SiteEntry}}}
	l.script = []*TargetStop{
		at(p, "fib", StopBreakpoint, false), // ignored (ignore count 1)
		at(p, "fib", StopBreakpoint, false), // hit
		at(p, "fib", StopBreakpoint, true),  // during stepi: the step stops here too
		{Reason: StopExited, ExitCode: 3},
	}
	s := New(p, l, Config{})
	events, cancel := s.Subscribe()
	defer cancel()

	spec := fmt.Sprintf("*%#x", uint32(fib.Start))
	bp, err := s.SetBreakpoint(spec, BreakOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.IgnoreBreakpoint(bp.ID, 1); err != nil {
		t.Fatal(err)
	}
	st, err := s.Run()
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != StopBreakpoint || !slices.Equal(st.Breakpoints, []int{bp.ID}) || bp.Hits != 2 {
		t.Fatalf("first stop %v %v hits %d, want breakpoint %d after 2 hits", st.Reason, st.Breakpoints, bp.Hits, bp.ID)
	}
	if n := len(l.t.resumes); n != 2 {
		t.Errorf("%d resumes, want 2 (one transparent)", n)
	}
	if !l.t.armed[c.BodyStart] {
		t.Error("the breakpoint's site was not armed on the target")
	}
	// Disabling disarms; a stepi that lands on the site reports a step.
	if err := s.EnableBreakpoint(bp.ID, false); err != nil {
		t.Fatal(err)
	}
	if l.t.armed[c.BodyStart] {
		t.Error("disabled breakpoint still armed")
	}
	st, err = s.StepInstruction()
	if err != nil || st.Reason != StopStep {
		t.Fatalf("stepi: %v %v", st, err)
	}
	if l.t.resumes[len(l.t.resumes)-1].Arm != ArmAll {
		t.Error("stepi did not arm all sites")
	}
	st, err = s.Continue()
	if err != nil || st.Reason != StopExited || st.ExitCode != 3 || s.State() != StateExited || !l.t.killed {
		t.Fatalf("exit: %+v %v state %v", st, err, s.State())
	}
	if _, err := s.Continue(); err != ErrExited {
		t.Errorf("continue after exit: %v, want ErrExited", err)
	}

	// Events, in order.
	var got []string
	timeout := time.After(5 * time.Second)
	for len(got) < 8 {
		select {
		case e := <-events:
			switch e := e.(type) {
			case Stopped:
				got = append(got, "stopped:"+e.Stop.Reason.String())
			case Exited:
				got = append(got, "exited")
			case Resumed:
				got = append(got, "resumed")
			case Output:
				got = append(got, "output:"+string(e.Data))
			case BreakpointsChanged:
				got = append(got, "bps")
			}
		case <-timeout:
			t.Fatalf("events so far: %v", got)
		}
	}
	want := []string{"bps", "resumed", "resumed", "stopped:breakpoint", "bps", "resumed", "stopped:step", "resumed"}
	if !slices.Equal(got, want) {
		t.Errorf("events = %v\nwant     %v", got, want)
	}
}

func TestTemporaryBreakpoint(t *testing.T) {
	p := testProgram(t)
	fib := p.FindFunctions("fib")[0]
	c, _ := p.Modules[0].code(fib.Index)
	l := &fakeLauncher{sites: []Site{{Offset: c.BodyStart, Func: fib.Index, Kind: SiteEntry}}}
	l.script = []*TargetStop{at(p, "fib", StopBreakpoint, false)}
	s := New(p, l, Config{})
	if _, err := s.SetBreakpoint(fmt.Sprintf("*%#x", uint32(fib.Start)), BreakOptions{Temporary: true}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Run()
	if err != nil || !st.Temporary || len(s.Breakpoints()) != 0 || l.t.armed[c.BodyStart] {
		t.Fatalf("stop %+v err %v, %d breakpoints left", st, err, len(s.Breakpoints()))
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.wasm")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := LoadBytes("x.wasm", []byte("\x00asm\x01\x00\x00\x00\x01\x05")); err == nil {
		t.Error("a truncated module loaded")
	}
}
