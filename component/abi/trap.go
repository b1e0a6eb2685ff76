package abi

import (
	"errors"
	"fmt"
)

// Trap is a canonical ABI trap: one of the spec's trap() / trap_if(…)
// firing, or a Table or realloc failure that traps in the spec. The guest
// sees it as a trap; the debugger shows it as the reason the program
// stopped.
//
// Msg starts with the wording wasmtime uses for the same condition where
// the component-model conformance tests check one (e.g. "unaligned
// pointer", "invalid utf-8", "invalid variant discriminant", "unknown handle
// index 3"), so their assert_trap strings match. Path says where in the
// value the trap happened, e.g. ".items[3].name" (empty at the top).
type Trap struct {
	Msg  string
	Path string
}

func (t *Trap) Error() string {
	if t.Path == "" {
		return t.Msg
	}
	return t.Msg + " (at " + t.Path + ")"
}

func trapf(format string, args ...any) error { return &Trap{Msg: fmt.Sprintf(format, args...)} }

// MismatchError reports a value that does not fit the type it is lowered or
// stored as: a host bug, where the spec has an assertion. Path is as for
// Trap.
type MismatchError struct {
	Type string // the expected type
	Msg  string
	Path string
}

func (e *MismatchError) Error() string {
	s := "value does not match " + e.Type + ": " + e.Msg
	if e.Path != "" {
		s += " (at " + e.Path + ")"
	}
	return s
}

func mismatch(t Type, format string, args ...any) error {
	return &MismatchError{Type: typeString(t), Msg: fmt.Sprintf(format, args...)}
}

func mismatchValue(t Type, v Value) error {
	if v == nil {
		return mismatch(t, "missing value")
	}
	return mismatch(t, "got %T", v)
}

// Errors for missing canonical options and unimplemented parts of the ABI.
var (
	// ErrNoMemory: the value needs a memory and the options have none.
	ErrNoMemory = errors.New("the memory canonical option is missing")
	// ErrNoRealloc: lowering needs to allocate and the options have no realloc.
	ErrNoRealloc = errors.New("the realloc canonical option is missing")
	// ErrNoInstance: handles need a component instance and the context has none.
	ErrNoInstance = errors.New("no component instance for handles")
	// ErrUnsupported: stream and future values need the async ABI, which is
	// not implemented yet.
	ErrUnsupported = errors.New("not supported yet")
)

// atField, atIndex and atCase add a step to the path of a Trap or a
// MismatchError on its way out of a nested value.
func atField(err error, name string) error { return addPath(err, "."+name) }
func atIndex(err error, i uint64) error    { return addPath(err, fmt.Sprintf("[%d]", i)) }

func addPath(err error, step string) error {
	var t *Trap
	if errors.As(err, &t) && t == err {
		t.Path = step + t.Path
		return t
	}
	var m *MismatchError
	if errors.As(err, &m) && m == err {
		m.Path = step + m.Path
		return m
	}
	return err
}
