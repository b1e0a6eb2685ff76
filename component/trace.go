package component

import (
	"strings"

	"wdbg/component/abi"
)

// CallEvent is a call across a component boundary: a guest calling an
// import (the host's, or another component's export), or the host calling
// an export. A tracer sees one event when the call starts and one when it
// returns.
type CallEvent struct {
	// Caller is the calling component instance's name, or "host".
	Caller string
	// Callee is the function: "wasi:cli/stdout@0.2.12#get-stdout", or an
	// export's name.
	Callee string
	// Depth is how many boundary calls enclose this one.
	Depth int
	// Return is false for the call and true for its return.
	Return bool
	// Args and Results are the lifted values in WIT value syntax, with
	// parameter names ("self: borrow<output-stream>#2").
	Args    []string
	Results []string
	// Err is the error the call failed with, on return.
	Err error
}

// String formats the event as `wdbg run --trace-calls` prints it:
//
//	root -> wasi:cli/environment@0.2.12#get-arguments()
//	root <- wasi:cli/environment@0.2.12#get-arguments = ["cmd.wasm", "5"]
func (e CallEvent) String() string {
	indent := strings.Repeat("  ", e.Depth)
	if !e.Return {
		return indent + e.Caller + " -> " + e.Callee + "(" + strings.Join(e.Args, ", ") + ")"
	}
	s := indent + e.Caller + " <- " + e.Callee
	switch {
	case e.Err != nil:
		msg, _, _ := strings.Cut(e.Err.Error(), "\n")
		s += " failed: " + msg
	case len(e.Results) > 0:
		s += " = " + strings.Join(e.Results, ", ")
	}
	return s
}

// SetTracer makes the runtime report boundary calls to fn, on the goroutine
// making the call; nil turns tracing off. hostCalls reports whether calls to
// and from the host are wanted at the moment (nil: always): formatting their
// values costs on every WASI call, so a debugger asks only while its user
// traces. Calls into another component's wasm are always reported, since a
// debugger shows their arguments on the frames of the crossing.
func (r *Runtime) SetTracer(fn func(CallEvent), hostCalls func() bool) {
	r.tracer, r.hostCalls = fn, hostCalls
}

// Depth counts every boundary call in progress, traced or not, so that a
// trace turned on in the middle of a run is indented as its calls nest.

// traced reports whether a call to f is reported.
func (r *Runtime) traced(f *Func) bool {
	return r.tracer != nil && (f.r != nil || r.hostCalls == nil || r.hostCalls())
}

// traceLimits keep traced values short: a write of a megabyte shows its
// first bytes.
var traceLimits = abi.Limits{MaxElems: 8, MaxBytes: 48, MaxLen: 200}

func (r *Runtime) traceCall(caller string, f *Func, args []abi.Value) {
	e := CallEvent{Caller: caller, Callee: f.Name, Depth: r.depth}
	for i, a := range args {
		if i < len(f.Type.Params) {
			e.Args = append(e.Args, f.Type.ParamNames[i]+": "+traceLimits.Format(f.Type.Params[i], a))
		}
	}
	r.tracer(e)
}

func (r *Runtime) traceReturn(caller string, f *Func, args, res []abi.Value, err error) {
	e := CallEvent{Caller: caller, Callee: f.Name, Depth: r.depth, Return: true, Err: err}
	for i, v := range res {
		if i < len(f.Type.Results) {
			e.Results = append(e.Results, traceLimits.Format(f.Type.Results[i], v))
		}
	}
	r.tracer(e)
}
