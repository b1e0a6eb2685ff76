package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"wdbg/component"
	"wdbg/engine/instrument"
	"wdbg/session"
)

// target is one run. See the package documentation for which goroutine
// touches what.
type target struct {
	l   *Launcher
	ctx context.Context
	rt  wazero.Runtime
	cfg session.LaunchConfig

	compiled []wazero.CompiledModule // per module
	armG     api.MutableGlobal
	callsG   api.MutableGlobal
	depthG   api.MutableGlobal

	// Written by the session goroutine only while the guest is parked (or
	// not started), read by the guest goroutine: the hand-over orders them.
	req       session.ResumeRequest
	armSet    map[armKey]bool // functions armed by req (ArmStack/ArmCallers)
	bp        [][]bool        // per module, per site: breakpoint armed
	frames    []session.RawFrame
	instances []*instance
	shadow    []shadowEntry
	shadowBuf []uint64

	// comp is the component runtime of a component program, set by the
	// guest goroutine before its first stop.
	comp *component.Runtime
	// boundaries are the calls into other components in progress
	// (component.go), pushed and popped by the guest goroutine.
	boundaries []boundary

	started bool
	ended   bool                // the guest goroutine has returned
	done    bool                // the run is over: Resume returns exit
	exit    *session.TargetStop // how the run ended, once done
	fatal   *session.TargetStop // a trap that unwound the guest, reported but not yet ended
	atTrap  bool                // the last stop is a trap probe: resuming lets the trap happen

	halt   atomic.Bool
	mu     sync.Mutex         // serialises writes of the arm globals (Halt vs Resume)
	stops  chan *guestEvent   // guest -> session
	resume chan resumeCommand // session -> guest
}

type armKey struct {
	mod session.ModuleID
	fn  uint32
}

type instance struct {
	id  session.InstanceID
	mod *module
	api api.Module
}

type guestEvent struct {
	stop *session.TargetStop
}

type resumeCommand int

const (
	cmdResume resumeCommand = iota
	cmdKill
)

// errKilled unwinds a guest that is being killed.
var errKilled = errors.New("killed by the debugger")

// Launch implements session.Launcher: it prepares a run; the first Resume
// starts it.
func (l *Launcher) Launch(lc session.LaunchConfig) (session.Target, error) {
	ctx := context.Background()
	t := &target{l: l, ctx: ctx, cfg: lc, stops: make(chan *guestEvent), resume: make(chan resumeCommand)}
	var p prepared
	if l.first != nil {
		p, l.first = <-l.first, nil
	} else {
		p = l.prepare()
	}
	t.rt, t.compiled = p.rt, p.compiled
	fail := func(err error) (session.Target, error) {
		_ = t.rt.Close(ctx)
		return nil, err
	}
	if p.err != nil {
		return fail(p.err)
	}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, t.rt); err != nil {
		return fail(fmt.Errorf("instantiate WASI: %w", err))
	}
	state, err := t.rt.InstantiateWithConfig(ctx, stateModule(), wazero.NewModuleConfig().WithName(instrument.StateModule))
	if err != nil {
		return fail(fmt.Errorf("instantiate the probe state: %w", err))
	}
	t.armG = state.ExportedGlobal("arm").(api.MutableGlobal)
	t.callsG = state.ExportedGlobal("calls").(api.MutableGlobal)
	t.depthG = state.ExportedGlobal("depth").(api.MutableGlobal)
	host, err := l.compileHost(ctx, t.rt, t)
	if err != nil {
		return fail(fmt.Errorf("compile the probe host module: %w", err))
	}
	if _, err := t.rt.InstantiateModule(ctx, host, wazero.NewModuleConfig()); err != nil {
		return fail(fmt.Errorf("instantiate the probe host module: %w", err))
	}
	for _, m := range l.mods {
		t.bp = append(t.bp, make([]bool, len(m.sites)))
	}
	return t, nil
}

// SetBreakpoint implements session.Target.
func (t *target) SetBreakpoint(m session.ModuleID, off session.CodeOffset, on bool) error {
	if int(m) >= len(t.l.mods) {
		return fmt.Errorf("no module %d", m)
	}
	i, ok := t.l.mods[m].res.SiteAt(off)
	if !ok {
		return fmt.Errorf("0x%x is not a stop site", uint32(off))
	}
	t.bp[m][i] = on
	return nil
}

// Resume implements session.Target.
func (t *target) Resume(req session.ResumeRequest) (*session.TargetStop, error) {
	if t.done {
		return t.exit, nil
	}
	if t.fatal != nil {
		// Resuming after a trap that already unwound the guest ends the
		// program, as continuing after a fatal signal does in gdb.
		t.done = true
		t.exit = &session.TargetStop{Reason: session.StopExited, Trap: t.fatal.Trap}
		return t.exit, nil
	}
	t.req = req
	t.arm()
	gc.running()
	if !t.started {
		t.started = true
		go t.guest()
	} else {
		t.resume <- cmdResume
	}
	ev := <-t.stops
	gc.stopped()
	t.disarmHalt()
	if ev.stop.Fatal && t.atTrap {
		// The trap the last stop announced has happened: the program ends
		// (it was reported once, before it unwound the stack).
		ev.stop = &session.TargetStop{Reason: session.StopExited, Trap: ev.stop.Trap}
	}
	t.atTrap = ev.stop.Reason == session.StopTrap && !ev.stop.Fatal
	switch {
	case ev.stop.Reason == session.StopExited:
		t.ended, t.done, t.exit = true, true, ev.stop
	case ev.stop.Fatal:
		t.ended, t.fatal = true, ev.stop
		t.frames = ev.stop.Frames
	default:
		t.frames = ev.stop.Frames
	}
	return ev.stop, nil
}

// arm sets the arm globals for the pending request and the breakpoints.
func (t *target) arm() {
	var arm, calls uint64
	t.armSet = nil
	bpFuncs := map[armKey]bool{}
	for mi, sites := range t.bp {
		for si, on := range sites {
			if on {
				f := t.l.mods[mi].sites[si].Func
				arm |= instrument.FuncBit(f)
				bpFuncs[armKey{session.ModuleID(mi), f}] = true
			}
		}
	}
	calls |= t.callersMask(bpFuncs)
	switch t.req.Arm {
	case session.ArmAll:
		arm |= instrument.AllBit
		calls |= instrument.AllBit // a step into a call must keep the caller's locals
	case session.ArmStack, session.ArmCallers:
		t.armSet = map[armKey]bool{}
		from := 0
		if t.req.Arm == session.ArmCallers {
			from = 1
		}
		for _, f := range t.frames[min(from, len(t.frames)):] {
			if f.Host == "" {
				t.armSet[armKey{f.Module, f.Func}] = true
				arm |= instrument.FuncBit(f.Func)
			}
		}
	}
	if t.l.cfg.TrackAllCalls {
		calls |= instrument.AllBit
	}
	t.mu.Lock()
	if t.halt.Load() {
		arm |= instrument.AllBit
	}
	t.armG.Set(arm)
	t.callsG.Set(calls)
	t.mu.Unlock()
}

// callersMask returns the call-tracking mask for a set of breakpoint
// functions: every function that can reach one of them through calls, so
// that every frame of a breakpoint stop has its locals.
func (t *target) callersMask(fns map[armKey]bool) uint64 {
	var mask uint64
	seen := map[armKey]bool{}
	var work []armKey
	for k := range fns {
		work = append(work, k)
	}
	for len(work) > 0 {
		k := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[k] {
			continue
		}
		seen[k] = true
		for _, c := range t.l.mods[k.mod].callersOf[k.fn] {
			mask |= instrument.FuncBit(c)
			work = append(work, armKey{k.mod, c})
		}
	}
	return mask
}

// Halt implements session.Target.
func (t *target) Halt() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.halt.Store(true)
	t.armG.Set(t.armG.Get() | instrument.AllBit)
	t.callsG.Set(t.callsG.Get() | instrument.AllBit)
}

// disarmHalt clears a halt request that a stop has answered.
func (t *target) disarmHalt() {
	t.mu.Lock()
	t.halt.Store(false)
	t.mu.Unlock()
}

// Kill implements session.Target.
func (t *target) Kill() error {
	if t.started && !t.ended {
		// The guest is parked in a probe: unwind it.
		t.resume <- cmdKill
		<-t.stops
		t.ended = true
	}
	t.done = true
	return t.rt.Close(t.ctx)
}

// guest is the guest goroutine: it instantiates the modules and runs the
// program's entry point.
func (t *target) guest() {
	stop := t.runGuest()
	t.stops <- &guestEvent{stop: stop}
}

func (t *target) runGuest() *session.TargetStop {
	mc := moduleConfig(t.cfg)

	ctx := withTarget(t.ctx, t)
	if t.l.prog.Kind == session.KindComponent {
		return t.runComponent(ctx)
	}
	m := t.l.mods[0]
	inst := &instance{id: 0, mod: m}
	t.instances = append(t.instances, inst)
	mod, err := t.rt.InstantiateModule(ctx, t.compiled[0], mc.WithName(m.name))
	if err != nil {
		return t.outcome(err)
	}
	inst.api = mod
	start := mod.ExportedFunction("_start")
	if start == nil {
		return &session.TargetStop{Reason: session.StopExited,
			Trap: "the module exports no _start function to run"}
	}
	_, err = start.Call(ctx)
	return t.outcome(err)
}

// outcome classifies how the guest's run ended.
func (t *target) outcome(err error) *session.TargetStop {
	var exit *sys.ExitError
	switch {
	case err == nil:
		return &session.TargetStop{Reason: session.StopExited}
	case errors.As(err, &exit):
		return &session.TargetStop{Reason: session.StopExited, ExitCode: int(exit.ExitCode())}
	case errors.Is(err, errKilled):
		return &session.TargetStop{Reason: session.StopExited, Trap: "killed"}
	}
	return t.postMortem(err)
}

func orEmpty(r io.Reader) io.Reader {
	if r == nil {
		return bytes.NewReader(nil)
	}
	return r
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// Instances implements session.Target.
func (t *target) Instances() []session.Instance {
	var out []session.Instance
	for _, in := range t.instances {
		out = append(out, session.Instance{ID: in.id, Module: in.mod.id, Name: in.mod.src.Name})
	}
	return out
}

func (t *target) instance(id session.InstanceID) (*instance, error) {
	if int(id) >= len(t.instances) || t.instances[id].api == nil {
		return nil, fmt.Errorf("no instance %d", id)
	}
	return t.instances[id], nil
}

// ReadMemory implements session.Target.
func (t *target) ReadMemory(id session.InstanceID, addr uint64, p []byte) (int, error) {
	in, err := t.instance(id)
	if err != nil {
		return 0, err
	}
	mem := in.api.Memory()
	if mem == nil {
		return 0, errors.New("the module has no memory")
	}
	size := uint64(mem.Size())
	if addr >= size {
		return 0, fmt.Errorf("cannot access memory at address 0x%x", addr)
	}
	n := min(uint64(len(p)), size-addr)
	b, ok := mem.Read(uint32(addr), uint32(n))
	if !ok {
		return 0, fmt.Errorf("cannot access memory at address 0x%x", addr)
	}
	return copy(p, b), nil
}

// WriteMemory implements session.Target.
func (t *target) WriteMemory(id session.InstanceID, addr uint64, p []byte) error {
	in, err := t.instance(id)
	if err != nil {
		return err
	}
	mem := in.api.Memory()
	if mem == nil || addr > uint64(mem.Size()) || !mem.Write(uint32(addr), p) {
		return fmt.Errorf("cannot access memory at address 0x%x", addr)
	}
	return nil
}

// MemorySize implements session.Target.
func (t *target) MemorySize(id session.InstanceID) (uint64, bool) {
	in, err := t.instance(id)
	if err != nil || in.api.Memory() == nil {
		return 0, false
	}
	return uint64(in.api.Memory().Size()), true
}

// Global implements session.Target. idx is in the original module's global
// index space.
func (t *target) Global(id session.InstanceID, idx uint32) (session.Value, error) {
	in, err := t.instance(id)
	if err != nil {
		return session.Value{}, err
	}
	var g api.Global
	if idx >= in.mod.res.NumImportedGlobs {
		g = in.api.ExportedGlobal(instrument.GlobalExport(idx))
	} else if im, ok := in.api.(experimental.InternalModule); ok && int(idx) < im.NumGlobal() {
		// An imported global: the rewrite did not renumber it.
		g = im.Global(int(idx))
	}
	if g == nil {
		return session.Value{}, fmt.Errorf("no global %d", idx)
	}
	return session.Value{Type: fromAPIType(g.Type()), Bits: g.Get()}, nil
}

// SetGlobal writes a mutable global (original index space).
func (t *target) SetGlobal(id session.InstanceID, idx uint32, v session.Value) error {
	in, err := t.instance(id)
	if err != nil {
		return err
	}
	if idx < in.mod.res.NumImportedGlobs {
		return fmt.Errorf("global %d is imported: wdbg cannot write it", idx)
	}
	mg, ok := in.api.ExportedGlobal(instrument.GlobalExport(idx)).(api.MutableGlobal)
	if !ok {
		return fmt.Errorf("global %d is immutable", idx)
	}
	mg.Set(v.Bits)
	return nil
}
