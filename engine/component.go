package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"wdbg/component"
	"wdbg/engine/instrument"
	"wdbg/internal/compbin"
	"wdbg/session"
	"wdbg/wasi"
)

// runComponent runs a component program: the component runtime links it
// against the WASI 0.2 host, and this target's hook gives it the
// instrumented form of each core module, instantiated under the name frames
// are mapped back by.
func (t *target) runComponent(ctx context.Context) *session.TargetStop {
	lc := t.cfg
	r := component.New(t.rt, wasiHost(lc))
	t.comp = r
	r.SetContext(ctx)
	r.SetCoreHook(coreHook{t})
	// The tracer also gives each call into another component its lifted
	// arguments, which a stop inside the callee shows on the crossing;
	// calls to the host are formatted only while the user traces.
	wanted := func() bool { return lc.Trace != nil && (lc.Tracing == nil || lc.Tracing()) }
	r.SetTracer(func(e component.CallEvent) {
		if n := len(t.boundaries); !e.Return && n > 0 && t.boundaries[n-1].args == nil && t.boundaries[n-1].callee == e.Callee {
			t.boundaries[n-1].args = append([]string{}, e.Args...)
		}
		if wanted() {
			lc.Trace(e.String())
		}
	}, wanted)
	// Canon trampolines into other components get a listener that records
	// the caller's stack (the callee runs on a call stack of its own).
	ictx := experimental.WithFunctionListenerFactory(ctx, boundaryFactory{})
	// The runtime compiles each (instrumented) core module when it links
	// it: on every core, as Launch does for a core module.
	ictx = experimental.WithCompilationWorkers(ictx, runtime.NumCPU())
	if _, err := r.Instantiate(ictx, t.l.prog.Component()); err != nil {
		return t.componentOutcome(err)
	}
	if err := r.IsCommand(); err != nil {
		return &session.TargetStop{Reason: session.StopExited, StartError: err.Error()}
	}
	code, err := r.RunCommand(ctx)
	if err != nil {
		return t.componentOutcome(err)
	}
	return &session.TargetStop{Reason: session.StopExited, ExitCode: code}
}

// wasiHost is the WASI 0.2 host granting a component what lc grants.
func wasiHost(lc session.LaunchConfig) *wasi.Host {
	var dirs []wasi.Dir
	for _, d := range lc.Dirs {
		dirs = append(dirs, wasi.Dir{Host: d.Host, Guest: d.Guest, ReadOnly: d.ReadOnly})
	}
	return wasi.New(wasi.Config{Args: lc.Args, Env: lc.Env, Stdin: lc.Stdin, Stdout: orDiscard(lc.Stdout),
		Stderr: orDiscard(lc.Stderr), Dirs: dirs})
}

// RunComponent is RunPlain for a component: it links the original
// component against the WASI 0.2 host, with no debugger, runs it as a
// wasi:cli/command and returns its exit code. lc.Trace, if set, receives
// every call across the component's boundary.
func RunComponent(ctx context.Context, image []byte, name string, lc session.LaunchConfig, interpreter bool) (int, error) {
	c, err := compbin.Decode(image)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	opts := component.RunOptions{Interpreter: interpreter}
	if lc.Trace != nil {
		opts.Trace = func(e component.CallEvent) { lc.Trace(e.String()) }
	}
	code, err := component.Run(ctx, c, wasiHost(lc), opts)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return code, nil
}

// componentOutcome classifies an error from the component runtime.
func (t *target) componentOutcome(err error) *session.TargetStop {
	var e *component.Exit
	if errors.As(err, &e) {
		return &session.TargetStop{Reason: session.StopExited, ExitCode: e.Code}
	}
	var le *component.LinkError
	if errors.As(err, &le) {
		return &session.TargetStop{Reason: session.StopExited, StartError: err.Error()}
	}
	return t.outcome(err)
}

// coreHook hands the component runtime the instrumented core modules.
type coreHook struct{ t *target }

func (h coreHook) module(cm *compbin.CoreModule) *module {
	for _, m := range h.t.l.mods {
		if int(m.src.Offset) == cm.Offset {
			return m
		}
	}
	return nil
}

func (h coreHook) Prepare(cm *compbin.CoreModule) ([]byte, string, func(string) bool, bool) {
	m := h.module(cm)
	if m == nil {
		return nil, "", nil, false
	}
	// Registered before instantiation: a start function's probes must
	// find their instance (instanceByName matches it by name until then).
	h.t.instances = append(h.t.instances, &instance{id: session.InstanceID(len(h.t.instances)), mod: m})
	keep := func(mod string) bool { return mod == instrument.HostModule || mod == instrument.StateModule }
	return m.res.Bytes, m.name, keep, true
}

func (h coreHook) Instantiated(cm *compbin.CoreModule, mod api.Module) {
	for _, in := range h.t.instances {
		if in.api == nil && in.mod.name == mod.Name() {
			in.api = mod
		}
	}
}

// Resources implements the session's resource listing: the handle tables of
// the component's instances. The guest is parked, so its tables are still.
func (t *target) Resources() []session.ResourceHandle {
	if t.comp == nil {
		return nil
	}
	var out []session.ResourceHandle
	for _, h := range t.comp.Handles() {
		out = append(out, session.ResourceHandle{Instance: h.Instance, Index: h.Index, Kind: h.Kind, Rep: h.Rep, Lends: h.Lends, What: h.What})
	}
	return out
}

// boundary is a call into another component in progress: the caller's
// frames, recorded when it crossed. A stop inside the callee shows them
// below a frame for the crossing.
type boundary struct {
	caller, callee string
	args           []string // the lifted arguments, in WIT syntax
	// below are the frames under the crossing, innermost first: host
	// functions by name, guest callers raw (resolved at a stop).
	below []outerFrame
}

// outerFrame is a frame under a crossing: a host function, or a guest
// caller.
type outerFrame struct {
	host   string
	caller callerPC
}

// boundaryFactory puts a boundaryListener on canon trampolines that call
// into another component, and nothing on anything else.
type boundaryFactory struct{}

func (boundaryFactory) NewFunctionListener(def api.FunctionDefinition) experimental.FunctionListener {
	if def.GoFunction() == nil {
		return nil
	}
	caller, callee, ok := component.Boundary(def.ModuleName())
	if !ok {
		return nil
	}
	return boundaryListener{caller: caller, callee: callee}
}

// boundaryListener records the caller's frames on the way in and drops
// them on the way out. It runs on the guest goroutine.
type boundaryListener struct{ caller, callee string }

func (l boundaryListener) Before(ctx context.Context, _ api.Module, _ api.FunctionDefinition, _ []uint64, si experimental.StackIterator) {
	if t := targetFrom(ctx); t != nil {
		t.boundaries = append(t.boundaries, boundary{caller: l.caller, callee: l.callee, below: t.outerFrames(si)})
	}
}

func (l boundaryListener) After(ctx context.Context, _ api.Module, _ api.FunctionDefinition, _ []uint64) {
	l.pop(ctx)
}

func (l boundaryListener) Abort(ctx context.Context, _ api.Module, _ api.FunctionDefinition, _ error) {
	l.pop(ctx)
}

func (boundaryListener) pop(ctx context.Context) {
	if t := targetFrom(ctx); t != nil && len(t.boundaries) > 0 {
		t.boundaries = t.boundaries[:len(t.boundaries)-1]
	}
}

// outerFrames records the frames below a canon trampoline: its caller and
// the callers' callers. They are resolved only if a stop shows them.
func (t *target) outerFrames(si experimental.StackIterator) []outerFrame {
	var frames []outerFrame
	d := int(int32(t.depthG.Get()))
	first := true
	for si.Next() {
		def := si.Function().Definition()
		if first {
			first = false // the trampoline itself
			continue
		}
		if def.GoFunction() != nil {
			frames = append(frames, outerFrame{host: hostName(def), caller: callerPC{depth: d}})
			continue
		}
		frames = append(frames, outerFrame{caller: captureCaller(si, d)})
		d--
	}
	return frames
}

// withBoundaries appends, below a stop's frames, the frames of every call
// into another component in progress, innermost first, each under a frame
// that names the crossing.
func (t *target) withBoundaries(frames []session.RawFrame) []session.RawFrame {
	for i := len(t.boundaries) - 1; i >= 0; i-- {
		b := t.boundaries[i]
		d := 0
		if len(b.below) > 0 {
			d = b.below[0].caller.depth
		}
		call := b.callee
		if b.args != nil {
			call += "(" + strings.Join(b.args, ", ") + ")"
		}
		frames = append(frames, session.RawFrame{Host: session.BoundaryFramePrefix + b.caller + " calls " + call, Depth: d})
		for _, o := range b.below {
			if o.host != "" {
				frames = append(frames, session.RawFrame{Host: o.host, Depth: o.caller.depth})
			} else if f, ok := t.resolveCaller(o.caller); ok {
				frames = append(frames, f)
			}
		}
	}
	return frames
}
