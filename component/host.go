package component

import (
	"context"
	"errors"

	"wdbg/component/abi"
)

// ErrHostImport is wrapped by the instantiation errors of imports the host
// does not provide (as opposed to a malformed or mistyped import).
var ErrHostImport = errors.New("the host does not provide it")

// Host provides what a component imports from outside: WASI, or a test
// harness's functions.
type Host interface {
	// Instance returns the host's implementation of the imported instance
	// name ("wasi:io/streams@0.2.12"), or nil.
	Instance(name string) HostInstance
}

// FuncHost is implemented by hosts that also provide bare function
// imports, (import "f" (func ...)), typed by the importing component.
type FuncHost interface {
	// ImportFunc returns the function imported as name, or nil.
	ImportFunc(name string) HostFunc
}

// TypeHost is implemented by hosts that also provide bare resource type
// imports, (import "T" (type (sub resource))).
type TypeHost interface {
	// ImportResource returns the resource type imported as name, or nil.
	ImportResource(name string) *abi.ResourceType
}

// HostInstance is one host-provided instance.
type HostInstance interface {
	// Func returns the function exported as name ("[method]output-stream.write"),
	// or nil.
	Func(name string) HostFunc
	// Resource returns the resource type exported as name, or nil.
	Resource(name string) *abi.ResourceType
}

// HostFunc implements an imported function. Its arguments are lifted from
// the caller and its results lowered back according to the function type the
// component declares for the import. A returned *abi.Trap traps the guest; an
// *Exit ends the program.
type HostFunc func(ctx context.Context, c *Call, args []abi.Value) ([]abi.Value, error)

// Call describes the call a host function serves.
type Call struct {
	// Import and Name are the imported instance and function.
	Import, Name string
	// Instance is the calling component instance.
	Instance *Instance
}

// Exit is returned (as an error) by a host function that ends the program,
// such as wasi:cli/exit.
type Exit struct{ Code int }

func (e *Exit) Error() string { return "exit" }
