// Package component links and runs WebAssembly components on wazero: it
// walks a decoded component (internal/compbin) section by section the way
// the Component Model's instantiation does, instantiates each core module
// with the imports that instantiation names, builds the canon built-ins
// (lift, lower, resource.new/rep/drop) from the canonical ABI in package
// abi, and binds the component's imports to a Host (package wasi provides
// WASI 0.2).
//
// # Core linking
//
// wazero resolves a core module's imports by module name, among modules it
// has instantiated. A component instead names, per instantiation, the
// instance that satisfies each import module, and that instance may be a
// bag of exports gathered from several others. So every core item is
// identified by the wazero module that really defines it and its export
// name there (CoreItem), and each core module's import section is rewritten
// before compilation to point at those providers. That also removes empty
// import module names, which wazero rejects. Functions made by canon
// definitions are host modules of their own.
//
// # Validation
//
// The runtime is not a validator: it checks what it meets while
// instantiating (validate.go) — type definitions (labels, limits, indices),
// function types, import and export names, the canonical options a function
// type needs, destructor signatures — and reports anything else it cannot
// link as an error. TestConformance runs the spec's .wast tests and records
// how many pass in testdata/conformance.txt.
//
// # Concurrency
//
// A Runtime runs one component instance tree on one goroutine: calls into
// it, host functions and the canon trampolines all run on the goroutine that
// called Func.Call. The async ABI will add one goroutine per component-model
// thread with a single baton (docs/component-async.md); everything that
// belongs to a call (abi.Context, borrow scopes) is already per call for
// that reason.
package component
