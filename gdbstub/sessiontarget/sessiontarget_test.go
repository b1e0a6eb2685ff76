package sessiontarget

import (
	"encoding/binary"
	"testing"

	"wdbg/gdbstub"
	"wdbg/internal/e2e"
	"wdbg/launch"
	"wdbg/session"
)

func open(t *testing.T, fixture string) *Target {
	t.Helper()
	s, _, err := launch.Open(e2e.Fixture(fixture), launch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.Kill)
	return tg
}

// TestSlippedBreakpoint: at -O1 LLDB sets `b add` on the function's
// locals declarations. The breakpoint moves to the first instruction, and
// the stop still reports the address that was asked for, while the call
// stack and locals tell the truth.
func TestSlippedBreakpoint(t *testing.T) {
	tg := open(t, "c/point/point.O1.wasm")
	if st := tg.Stopped(); st.Kind != gdbstub.StopTrace || st.PC.Space() != gdbstub.SpaceObject {
		t.Fatalf("initial stop %+v, want a trace stop at a code address", st)
	}
	var add session.Function
	for _, f := range tg.s.Program().FindFunctions("add") {
		add = f
	}
	// The locals declarations start one byte (the count, 0) before the
	// first instruction in this function.
	requested := gdbstub.ObjectAddr(0, uint32(add.Start)-1)
	if err := tg.SetBreakpoint(requested); err != nil {
		t.Fatal(err)
	}
	st := tg.Resume(false)
	if st.Kind != gdbstub.StopBreakpoint || st.PC != requested {
		t.Fatalf("stop %+v, want a breakpoint stop reported at %v", st, requested)
	}
	cs := tg.CallStack()
	if len(cs) < 3 || cs[0] != gdbstub.ObjectAddr(0, uint32(add.Start)) {
		t.Fatalf("call stack %v, want frame 0 at add's first instruction 0x%x", cs, add.Start)
	}
	k, err := tg.Local(0, 1)
	if err != nil || binary.LittleEndian.Uint32(k) != 0 || len(k) != 4 {
		t.Errorf("local 1 (k) = %x, %v; want 4 bytes of 0", k, err)
	}
	if _, err := tg.Local(0, 99); err == nil {
		t.Error("local 99 read")
	}
	if _, err := tg.StackValue(1, 0); err == nil {
		t.Error("frame 1's operand stack read: only frame 0's is captured")
	}
	sp, err := tg.Global(0, 0)
	if err != nil || len(sp) != 4 {
		t.Errorf("global 0 (__stack_pointer) = %x, %v", sp, err)
	}
	// Module bytes: the original file, with a short read at its end.
	img := tg.s.Program().Modules[0].Image
	buf := make([]byte, 16)
	n, err := tg.ReadMemory(gdbstub.ObjectAddr(0, uint32(len(img)-4)), buf)
	if err != nil || n != 4 || string(buf[:4]) != string(img[len(img)-4:]) {
		t.Errorf("read at the end of the module: %d, %v", n, err)
	}
	if _, err := tg.ReadMemory(gdbstub.ObjectAddr(0, uint32(len(img))), buf); err == nil {
		t.Error("read past the module's end succeeded")
	}
	if err := tg.ClearBreakpoint(requested); err != nil {
		t.Fatal(err)
	}
	if err := tg.ClearBreakpoint(requested); err == nil {
		t.Error("cleared a breakpoint twice")
	}
	if st := tg.Detach(); st.Kind != gdbstub.StopExited || st.ExitCode != 0 {
		t.Errorf("detach: %+v, want exit 0", st)
	}
}

// TestStepIntoCall: a single step on a call stops at the callee's first
// instruction, and the caller's frame is at the return address.
func TestStepIntoCall(t *testing.T) {
	tg := open(t, "c/point/point.O0.wasm")
	var sum, add session.Function
	for _, f := range tg.s.Program().Modules[0].Functions() {
		switch f.Name {
		case "sum":
			sum = f
		case "add":
			add = f
		}
	}
	if err := tg.SetBreakpoint(gdbstub.ObjectAddr(0, uint32(sum.Start))); err != nil {
		t.Fatal(err)
	}
	tg.Resume(false)
	for range 200 {
		st := tg.Resume(true)
		if st.Ended() {
			t.Fatal("the program ended before entering add")
		}
		cs := tg.CallStack()
		if cs[0] == gdbstub.ObjectAddr(0, uint32(add.Start)) {
			if ret := cs[1].Offset(); ret <= uint32(sum.Start) || ret >= uint32(sum.End) {
				t.Errorf("caller pc 0x%x is not inside sum", ret)
			}
			return
		}
		if f, _ := tg.s.Program().Modules[0].FuncAtFile(session.FileOffset(cs[0].Offset())); f.Name != "sum" {
			t.Fatalf("stepped into %s at %v before reaching add", f.Name, cs[0])
		}
	}
	t.Fatal("200 steps did not enter add")
}
