package abi

import (
	"errors"
	"fmt"
)

// Instance is the part of a component instance (the spec's
// ComponentInstance) that the canonical ABI uses: the handle table and the
// may_leave flag. The runtime's instance type embeds or points to one and
// adds the rest (may_enter, backpressure, threads, …).
//
// The zero value is ready to use. An Instance is not safe for concurrent
// use: only the goroutine currently running in the instance may touch it.
type Instance struct {
	// Handles holds every handle the instance's guest sees (the spec's
	// ComponentInstance.handles): resource handles and error contexts now,
	// and with the async ABI also subtasks, stream and future ends and
	// waitable sets.
	Handles Table[Entry]

	noLeave bool // !may_leave
}

// MayLeave reports the spec's may_leave: false while the instance runs
// realloc or post-return, when any call out of the instance traps.
func (inst *Instance) MayLeave() bool { return !inst.noLeave }

// SetMayLeave sets may_leave.
func (inst *Instance) SetMayLeave(b bool) { inst.noLeave = !b }

func (inst *Instance) checkLeave() error {
	if inst.noLeave {
		return trapf("cannot leave component instance")
	}
	return nil
}

// Entry is an element of a handle table. ResourceHandle and ErrorContext
// are entries; the async ABI will add waitables and waitable sets.
type Entry interface {
	// EntryKind names the entry for trap messages and the debugger's view
	// of the table, e.g. "own<file>" or "error-context".
	EntryKind() string
}

// ResourceType is a resource type's identity (the spec's ResourceType):
// each is distinct, even with the same name, and types compare by pointer.
type ResourceType struct {
	// Name is the resource's name in WIT, for display.
	Name string
	// Impl is the instance that defined the resource (the spec's rt.impl):
	// borrowing one of its own resources gives it the representation
	// itself instead of a handle. nil for host resources.
	Impl *Instance
	// Dtor runs the destructor when an own handle is dropped. The runtime
	// supplies it and does what the spec's resource.drop does around the
	// call (entering Impl, which traps if Impl may not be entered); nil
	// means nothing to run.
	Dtor func(rep uint32) error
}

func (rt *ResourceType) name() string {
	if rt == nil || rt.Name == "" {
		return "resource"
	}
	return rt.Name
}

// ResourceHandle is a handle to a resource in a handle table (the spec's
// ResourceHandle).
type ResourceHandle struct {
	Type *ResourceType
	Rep  uint32
	Own  bool
	// Scope is, for a borrow handle, the task it was lent to; dropping
	// the handle ends the borrow there.
	Scope *BorrowScope
	// NumLends counts the calls the handle is currently lent to; it cannot
	// be dropped or moved until they return.
	NumLends int
}

// EntryKind implements Entry: "own<file>" or "borrow<file>".
func (h *ResourceHandle) EntryKind() string {
	if h.Own {
		return "own<" + h.Type.name() + ">"
	}
	return "borrow<" + h.Type.name() + ">"
}

// ErrorContext is 📝 an error context (the spec's ErrorContext): a handle
// table entry, and also the value an error-context lifts to, shared by all
// the tables it is passed to.
type ErrorContext struct {
	DebugMessage String
}

// EntryKind implements Entry.
func (*ErrorContext) EntryKind() string { return "error-context" }

// BorrowScope is the callee task in its role as the spec's borrow_scope
// when lowering borrows into it: NumBorrows counts the borrow handles it
// holds (Task.num_borrows). The runtime's task embeds one.
type BorrowScope struct {
	NumBorrows int
}

// CheckReturn is the trap_if(self.num_borrows > 0) of Task.return_ and
// Task.cancel: a task must drop every borrow it was given before it
// returns.
func (s *BorrowScope) CheckReturn() error {
	if s.NumBorrows > 0 {
		return trapf("borrow handles still remain at the end of the call: %d", s.NumBorrows)
	}
	return nil
}

// Lenders is the caller's subtask in its role as the spec's borrow_scope
// when lifting borrows from it: the handles lent to the callee for the
// duration of the call (Subtask.lenders). The runtime's subtask embeds one.
type Lenders struct {
	handles  []*ResourceHandle
	released bool
}

// Add is Subtask.add_lender: h is lent until Release.
func (l *Lenders) Add(h *ResourceHandle) {
	h.NumLends++
	l.handles = append(l.handles, h)
}

// Release is the lender part of Subtask.deliver_resolve: the call has
// returned, and the handles it borrowed may be dropped again. It may be
// called once.
func (l *Lenders) Release() {
	if l.released {
		return
	}
	for _, h := range l.handles {
		h.NumLends--
	}
	l.handles, l.released = nil, true
}

// wrongType is the trap for a handle table entry of the wrong kind or
// resource type.
func wrongType(i uint32, want string, rt *ResourceType, e Entry) error {
	found := e.EntryKind()
	if h, ok := e.(*ResourceHandle); ok && rt != nil && h.Type != rt && h.Type.name() == rt.name() {
		found += " (a different resource type)"
	}
	return trapf("handle index %d used with the wrong type, expected %s but found %s", i, want, found)
}

// resourceHandle returns handle i if it is a handle of rt.
func (inst *Instance) resourceHandle(rt *ResourceType, i uint32, want string) (*ResourceHandle, error) {
	e, err := inst.Handles.Get(i)
	if err != nil {
		return nil, err
	}
	h, ok := e.(*ResourceHandle)
	if !ok || h.Type != rt {
		return nil, wrongType(i, want, rt, e)
	}
	return h, nil
}

// ResourceNew is canon resource.new: it adds an own handle for rep to the
// table and returns its index.
func (inst *Instance) ResourceNew(rt *ResourceType, rep uint32) (uint32, error) {
	if err := inst.checkLeave(); err != nil {
		return 0, err
	}
	return inst.Handles.Add(&ResourceHandle{Type: rt, Rep: rep, Own: true})
}

// ResourceRep is canon resource.rep: the representation behind handle i.
func (inst *Instance) ResourceRep(rt *ResourceType, i uint32) (uint32, error) {
	h, err := inst.resourceHandle(rt, i, "a handle to "+rt.name())
	if err != nil {
		return 0, err
	}
	return h.Rep, nil
}

// ResourceDrop is canon resource.drop: it removes handle i, which must not
// be lent; for an own handle it then runs the destructor, for a borrow it
// ends the borrow. A destructor's error is returned wrapped.
func (inst *Instance) ResourceDrop(rt *ResourceType, i uint32) error {
	if err := inst.checkLeave(); err != nil {
		return err
	}
	h, err := inst.resourceHandle(rt, i, "a handle to "+rt.name())
	if err != nil {
		return err
	}
	if h.NumLends != 0 {
		return trapf("cannot remove owned resource while borrowed: handle index %d is lent to %d call(s)", i, h.NumLends)
	}
	if _, err := inst.Handles.Remove(i); err != nil {
		return err
	}
	if !h.Own {
		if h.Scope != nil {
			h.Scope.NumBorrows--
		}
		return nil
	}
	if rt.Dtor != nil {
		if err := rt.Dtor(h.Rep); err != nil {
			return fmt.Errorf("destructor of %s %d: %w", rt.name(), h.Rep, err)
		}
	}
	return nil
}

// liftOwn is lift_own: it moves own handle i out of the table.
func (cx *Context) liftOwn(i uint32, t *OwnType) (Value, error) {
	if cx.Inspect {
		return Handle{Index: i}, nil
	}
	if cx.Instance == nil {
		return nil, ErrNoInstance
	}
	want := "own<" + t.Resource.name() + ">"
	e, err := cx.Instance.Handles.Get(i)
	if err != nil {
		return nil, err
	}
	h, ok := e.(*ResourceHandle)
	if !ok || h.Type != t.Resource {
		return nil, wrongType(i, want, t.Resource, e)
	}
	if h.NumLends != 0 {
		return nil, trapf("cannot remove owned resource while borrowed: handle index %d is lent to %d call(s)", i, h.NumLends)
	}
	if !h.Own {
		return nil, wrongType(i, want, t.Resource, e)
	}
	if _, err := cx.Instance.Handles.Remove(i); err != nil {
		return nil, err
	}
	return Handle{Index: i, Rep: h.Rep}, nil
}

// liftBorrow is lift_borrow: handle i (own or borrow) is lent to the call.
func (cx *Context) liftBorrow(i uint32, t *BorrowType) (Value, error) {
	if cx.Inspect {
		return Handle{Index: i}, nil
	}
	if cx.Instance == nil {
		return nil, ErrNoInstance
	}
	if cx.Lenders == nil {
		return nil, errors.New("lifting a borrow outside a call: the context has no Lenders")
	}
	h, err := cx.Instance.resourceHandle(t.Resource, i, "a handle to "+t.Resource.name())
	if err != nil {
		return nil, err
	}
	cx.Lenders.Add(h)
	return Handle{Index: i, Rep: h.Rep}, nil
}

// lowerOwn is lower_own: a new own handle for rep.
func (cx *Context) lowerOwn(rep uint32, t *OwnType) (uint32, error) {
	if cx.Instance == nil {
		return 0, ErrNoInstance
	}
	return cx.Instance.Handles.Add(&ResourceHandle{Type: t.Resource, Rep: rep, Own: true})
}

// lowerBorrow is lower_borrow: the representation itself when the callee
// implements the resource, else a new borrow handle counted in the
// callee's borrow scope.
func (cx *Context) lowerBorrow(rep uint32, t *BorrowType) (uint32, error) {
	if cx.Instance == nil {
		return 0, ErrNoInstance
	}
	if cx.Instance == t.Resource.Impl {
		return rep, nil
	}
	if cx.BorrowScope == nil {
		return 0, errors.New("lowering a borrow outside a call: the context has no BorrowScope")
	}
	cx.BorrowScope.NumBorrows++
	return cx.Instance.Handles.Add(&ResourceHandle{Type: t.Resource, Rep: rep, Scope: cx.BorrowScope})
}

// liftErrorContext is lift_error_context.
func (cx *Context) liftErrorContext(i uint32) (Value, error) {
	if cx.Inspect {
		return Handle{Index: i}, nil
	}
	if cx.Instance == nil {
		return nil, ErrNoInstance
	}
	e, err := cx.Instance.Handles.Get(i)
	if err != nil {
		return nil, err
	}
	ec, ok := e.(*ErrorContext)
	if !ok {
		return nil, wrongType(i, "error-context", nil, e)
	}
	return ec, nil
}

// lowerErrorContext is lower_error_context: the receiver gets its own
// handle to the shared error context.
func (cx *Context) lowerErrorContext(v Value) (uint32, error) {
	ec, ok := v.(*ErrorContext)
	if !ok || ec == nil {
		return 0, mismatchValue(ErrorContextType, v)
	}
	if cx.Instance == nil {
		return 0, ErrNoInstance
	}
	return cx.Instance.Handles.Add(ec)
}

// liftAsyncValue stands in for lift_stream and lift_future until the async
// ABI exists.
func (cx *Context) liftAsyncValue(i uint32, t Type) (Value, error) {
	if cx.Inspect {
		return Handle{Index: i}, nil
	}
	return nil, fmt.Errorf("lift %s: %w", t, ErrUnsupported)
}
