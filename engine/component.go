package engine

import (
	"context"
	"errors"

	"github.com/tetratelabs/wazero/api"

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
	var dirs []wasi.Dir
	for _, d := range lc.Dirs {
		dirs = append(dirs, wasi.Dir{Host: d.Host, Guest: d.Guest, ReadOnly: d.ReadOnly})
	}
	host := wasi.New(wasi.Config{Args: lc.Args, Env: lc.Env, Stdin: lc.Stdin, Stdout: orDiscard(lc.Stdout),
		Stderr: orDiscard(lc.Stderr), Dirs: dirs})
	r := component.New(t.rt, host)
	t.comp = r
	r.SetContext(ctx)
	r.SetCoreHook(coreHook{t})
	if lc.Trace != nil {
		r.SetTracer(func(e component.CallEvent) { lc.Trace(e.String()) })
	}
	if _, err := r.Instantiate(ctx, t.l.prog.Component()); err != nil {
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
	return m.res.Bytes, instanceName(m.src), keep, true
}

func (h coreHook) Instantiated(cm *compbin.CoreModule, mod api.Module) {
	for _, in := range h.t.instances {
		if in.api == nil && instanceName(in.mod.src) == mod.Name() {
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
