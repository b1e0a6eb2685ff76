package abi

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// TestTable checks index assignment: 0 is never used, freed indices are
// reused last-freed first.
func TestTable(t *testing.T) {
	var tab Table[string]
	for _, s := range []string{"a", "b", "c", "d"} {
		if _, err := tab.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tab.Remove(2); err != nil {
		t.Fatal(err)
	}
	if _, err := tab.Remove(4); err != nil {
		t.Fatal(err)
	}
	i, _ := tab.Add("e")
	j, _ := tab.Add("f")
	k, _ := tab.Add("g")
	if i != 4 || j != 2 || k != 5 {
		t.Errorf("reused indices %d %d %d, want 4 2 5", i, j, k)
	}
	var got []string
	for i, e := range tab.All() {
		got = append(got, fmt.Sprintf("%d=%s", i, e))
	}
	if want := []string{"1=a", "2=f", "3=c", "4=e", "5=g"}; !slices.Equal(got, want) || tab.Len() != 5 {
		t.Errorf("All = %v (Len %d), want %v", got, tab.Len(), want)
	}
	for _, i := range []uint32{0, 6, 1 << 31} {
		if _, err := tab.Get(i); err == nil || err.Error() != fmt.Sprintf("unknown handle index %d", i) {
			t.Errorf("Get(%d) = %v", i, err)
		}
	}
	if _, err := tab.Remove(1); err != nil {
		t.Fatal(err)
	}
	if _, err := tab.Remove(1); err == nil || err.Error() != "unknown handle index 1" {
		t.Errorf("double remove: %v", err)
	}
}

// TestResources runs resource.new, .rep and .drop, with destructors,
// borrows lent to a call and borrows given to a callee.
func TestResources(t *testing.T) {
	var dropped []uint32
	inst := &Instance{}
	file := &ResourceType{Name: "file", Impl: inst, Dtor: func(rep uint32) error {
		dropped = append(dropped, rep)
		return nil
	}}
	dir := &ResourceType{Name: "dir", Impl: inst}
	other := &ResourceType{Name: "file"} // same name, different type

	h1, err := inst.ResourceNew(file, 42)
	if err != nil || h1 != 1 {
		t.Fatalf("ResourceNew = %d, %v", h1, err)
	}
	h2, _ := inst.ResourceNew(dir, 7)
	if rep, err := inst.ResourceRep(file, h1); rep != 42 || err != nil {
		t.Errorf("ResourceRep = %d, %v", rep, err)
	}
	wantErr := func(err error, want string) {
		t.Helper()
		if err == nil || err.Error() != want || !isTrap(err) {
			t.Errorf("got %v, want trap %q", err, want)
		}
	}
	_, err = inst.ResourceRep(dir, h1)
	wantErr(err, "handle index 1 used with the wrong type, expected a handle to dir but found own<file>")
	_, err = inst.ResourceRep(other, h1)
	wantErr(err, "handle index 1 used with the wrong type, expected a handle to file but found own<file> (a different resource type)")
	wantErr(inst.ResourceDrop(file, 9), "unknown handle index 9")

	// A caller lends h1 to a call (canon lower lifting a borrow<file>).
	cx := &Context{Instance: inst, Lenders: &Lenders{}}
	v, err := Lift(cx, &BorrowType{Resource: file}, []uint64{uint64(h1)})
	if err != nil || v != (Handle{Index: 1, Rep: 42}) {
		t.Fatalf("lift borrow = %v, %v", v, err)
	}
	wantErr(inst.ResourceDrop(file, h1), "cannot remove owned resource while borrowed: handle index 1 is lent to 1 call(s)")
	_, err = Lift(&Context{Instance: inst}, &OwnType{Resource: file}, []uint64{uint64(h1)})
	wantErr(err, "cannot remove owned resource while borrowed: handle index 1 is lent to 1 call(s)")
	cx.Lenders.Release()
	cx.Lenders.Release() // only once
	if err := inst.ResourceDrop(file, h1); err != nil {
		t.Fatalf("drop after the call returned: %v", err)
	}
	if !slices.Equal(dropped, []uint32{42}) {
		t.Errorf("destructor ran for %v", dropped)
	}
	wantErr(inst.ResourceDrop(file, h1), "unknown handle index 1")

	// Lowering borrows into a callee: into the resource's own instance the
	// callee gets the representation; elsewhere a borrow handle that the
	// callee must drop before returning.
	if flat, err := Lower(&Context{Instance: inst}, &BorrowType{Resource: dir}, Handle{Rep: 7}); err != nil || flat[0] != 7 {
		t.Errorf("borrow into the implementing instance = %v, %v", flat, err)
	}
	callee := &Instance{}
	task := &BorrowScope{}
	cx = &Context{Instance: callee, BorrowScope: task}
	flat, err := Lower(cx, &BorrowType{Resource: dir}, Handle{Rep: 7})
	if err != nil || flat[0] != 1 || task.NumBorrows != 1 {
		t.Fatalf("borrow into a callee = %v, %v, %d borrows", flat, err, task.NumBorrows)
	}
	wantErr(task.CheckReturn(), "borrow handles still remain at the end of the call: 1")
	if err := callee.ResourceDrop(dir, 1); err != nil || task.NumBorrows != 0 || task.CheckReturn() != nil {
		t.Errorf("drop borrow: %v, %d borrows", err, task.NumBorrows)
	}

	// Moving an own handle: lifting removes it, lowering adds it.
	cx = &Context{Instance: inst}
	v, err = Lift(cx, &OwnType{Resource: dir}, []uint64{uint64(h2)})
	if err != nil || v != (Handle{Index: h2, Rep: 7}) || inst.Handles.Len() != 0 {
		t.Fatalf("lift own = %v, %v, %d handles", v, err, inst.Handles.Len())
	}
	if flat, err := Lower(&Context{Instance: callee}, &OwnType{Resource: dir}, v); err != nil || flat[0] != 1 {
		t.Errorf("lower own = %v, %v", flat, err)
	}
	// A borrow handle cannot be lifted as an own.
	b, _ := callee.Handles.Add(&ResourceHandle{Type: dir, Rep: 8})
	_, err = Lift(&Context{Instance: callee}, &OwnType{Resource: dir}, []uint64{uint64(b)})
	wantErr(err, "handle index 2 used with the wrong type, expected own<dir> but found borrow<dir>")

	// A failing destructor.
	bad := &ResourceType{Name: "sock", Dtor: func(uint32) error { return &Trap{Msg: "unreachable"} }}
	h, _ := inst.ResourceNew(bad, 1)
	if err := inst.ResourceDrop(bad, h); err == nil || err.Error() != "destructor of sock 1: unreachable" || !isTrap(err) {
		t.Errorf("failing destructor: %v", err)
	}
}

// TestMayLeave checks that realloc runs with may_leave cleared, so the
// built-ins it might call trap.
func TestMayLeave(t *testing.T) {
	cx, h := newCx(256, 16, UTF8, Addr32)
	rt := &ResourceType{Name: "r"}
	var inRealloc error
	cx.Realloc = func(old, oldSize, align, newSize uint64) (uint64, error) {
		if cx.Instance.MayLeave() {
			t.Error("may_leave is set during realloc")
		}
		_, inRealloc = cx.Instance.ResourceNew(rt, 1)
		return h.realloc(old, oldSize, align, newSize)
	}
	if _, err := Lower(cx, StringType, Str("x")); err != nil {
		t.Fatal(err)
	}
	if inRealloc == nil || inRealloc.Error() != "cannot leave component instance" {
		t.Errorf("resource.new from realloc: %v", inRealloc)
	}
	if !cx.Instance.MayLeave() {
		t.Error("may_leave not restored")
	}
	if err := cx.Instance.ResourceDrop(rt, 1); err == nil {
		t.Error("resource.new from realloc added a handle")
	}
}

// TestErrorContext lifts and lowers error-context handles: passing one
// gives the receiver its own handle to the same context.
func TestErrorContext(t *testing.T) {
	sender, receiver := &Instance{}, &Instance{}
	ec := &ErrorContext{DebugMessage: Str("boom")}
	i, _ := sender.Handles.Add(ec)
	v, err := Lift(&Context{Instance: sender}, ErrorContextType, []uint64{uint64(i)})
	if err != nil || v != ec {
		t.Fatalf("lift = %v, %v", v, err)
	}
	flat, err := Lower(&Context{Instance: receiver}, ErrorContextType, v)
	if err != nil || flat[0] != 1 || sender.Handles.Len() != 1 {
		t.Fatalf("lower = %v, %v", flat, err)
	}
	if got, _ := receiver.Handles.Get(1); got != ec {
		t.Errorf("receiver's handle is %v", got)
	}
	if got := Format(ErrorContextType, v); got != `error-context("boom")` {
		t.Errorf("Format = %s", got)
	}
	rt := &ResourceType{Name: "r"}
	j, _ := sender.ResourceNew(rt, 3)
	_, err = Lift(&Context{Instance: sender}, ErrorContextType, []uint64{uint64(j)})
	if err == nil || err.Error() != "handle index 2 used with the wrong type, expected error-context but found own<r>" {
		t.Errorf("lift a resource as error-context: %v", err)
	}
	_, err = Lift(&Context{Instance: sender}, &OwnType{Resource: rt}, []uint64{uint64(i)})
	if err == nil || err.Error() != "handle index 1 used with the wrong type, expected own<r> but found error-context" {
		t.Errorf("lift an error-context as own: %v", err)
	}
}

// TestInspect checks that inspecting a value changes nothing: handles stay
// where they are, unlent, and show their indices.
func TestInspect(t *testing.T) {
	inst := &Instance{}
	rt := &ResourceType{Name: "file"}
	i, _ := inst.ResourceNew(rt, 42)
	ty := &TupleType{Types: []Type{&OwnType{Resource: rt}, &BorrowType{Resource: rt}, &StreamType{Elem: U8Type}, &FutureType{}, ErrorContextType, StringType}}
	m := ByteMemory("....hi")
	cx := &Context{Options: Options{Memory: m}, Instance: inst, Inspect: true}
	v, err := Lift(cx, ty, []uint64{uint64(i), uint64(i), 5, 6, 7, 4, 2})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := Format(ty, v), `(own<file>#1, borrow<file>#1, stream<u8>#5, future#6, error-context#7, "hi")`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	h, err := inst.Handles.Get(i)
	if err != nil || h.(*ResourceHandle).NumLends != 0 {
		t.Errorf("handle after inspecting: %v, %v", h, err)
	}
	if _, err := Lift(&Context{Instance: inst}, &StreamType{Elem: U8Type}, []uint64{5}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("lifting a stream for real: %v", err)
	}
}
