package engine

import (
	"context"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"wdbg/engine/instrument"
	"wdbg/internal/wasmbin"
	"wdbg/session"
)

type targetKey struct{}

// withTarget carries the run into host functions and listeners, which
// receive the context of the guest call.
func withTarget(ctx context.Context, t *target) context.Context {
	return context.WithValue(ctx, targetKey{}, t)
}

func targetFrom(ctx context.Context) *target {
	t, _ := ctx.Value(targetKey{}).(*target)
	return t
}

// withStopListener installs the stop listener on the host module being
// compiled: only probe<N> and trap<N> get one, so guest functions run
// without listener overhead.
func withStopListener(ctx context.Context, t *target) context.Context {
	return experimental.WithFunctionListenerFactory(ctx, listenerFactory{})
}

type listenerFactory struct{}

func (listenerFactory) NewFunctionListener(def api.FunctionDefinition) experimental.FunctionListener {
	name := def.Name()
	switch {
	case strings.HasPrefix(name, "probe"):
		return stopListener{trap: false}
	case strings.HasPrefix(name, "trap"):
		return stopListener{trap: true}
	}
	return nil
}

type stopListener struct{ trap bool }

func (l stopListener) Before(ctx context.Context, mod api.Module, _ api.FunctionDefinition, params []uint64, si experimental.StackIterator) {
	if t := targetFrom(ctx); t != nil {
		t.onProbe(mod, params, si, l.trap)
	}
}

func (stopListener) After(context.Context, api.Module, api.FunctionDefinition, []uint64) {}
func (stopListener) Abort(context.Context, api.Module, api.FunctionDefinition, error)    {}

// instanceOf returns the run's instance for a guest module.
func (t *target) instanceOf(mod api.Module) *instance {
	for _, in := range t.instances {
		if in.api == mod || in.api == nil && in.mod.name == mod.Name() {
			in.api = mod // a probe during instantiation (the start function)
			return in
		}
	}
	return nil
}

// onProbe runs on the guest goroutine at every armed probe.
func (t *target) onProbe(mod api.Module, params []uint64, si experimental.StackIterator, isTrap bool) {
	in := t.instanceOf(mod)
	if in == nil {
		return
	}
	siteID := int(uint32(params[0]))
	if siteID >= len(in.mod.res.Sites) {
		return
	}
	site := &in.mod.res.Sites[siteID]
	depth := int(int32(t.depthG.Get()))
	isBP := t.bp[in.mod.id][siteID]
	halt := t.halt.Load()
	stepDone := false
	if !isTrap && t.req.Arm != session.ArmBreakpoints && t.armedFor(in.mod.id, site.Func) {
		stepDone = t.req.StopAt == nil || t.req.StopAt(&session.Probe{
			Module: in.mod.id, Instance: in.id, Func: site.Func, Site: site.Offset,
			Kind: site.Kind, Depth: depth, Memory: memReader{in},
		})
	}
	if !isTrap && !isBP && !halt && !stepDone {
		return
	}
	stop := &session.TargetStop{StepDone: stepDone}
	switch {
	case isTrap:
		stop.Reason = session.StopTrap
		stop.Trap = trapMessage(site, params)
	case isBP:
		stop.Reason = session.StopBreakpoint
	case stepDone:
		stop.Reason = session.StopStep
	default:
		stop.Reason = session.StopHalt
	}
	stop.Frames = t.withBoundaries(t.walk(in, site, params[1:], depth, si))
	t.pause(stop)
}

// armedFor reports whether the pending request armed function fn.
func (t *target) armedFor(m session.ModuleID, fn uint32) bool {
	switch t.req.Arm {
	case session.ArmAll:
		return true
	case session.ArmStack, session.ArmCallers:
		return t.armSet[armKey{m, fn}]
	}
	return false
}

// pause hands a stop to the session goroutine and waits to be resumed. A
// kill unwinds the guest with errKilled.
func (t *target) pause(stop *session.TargetStop) {
	t.stops <- &guestEvent{stop: stop}
	if <-t.resume == cmdKill {
		panic(errKilled)
	}
}

// trapMessage words the trap a trap probe is about to let happen, as
// wazero would.
func trapMessage(site *instrument.Site, params []uint64) string {
	switch site.Trap {
	case instrument.TrapUnreachable:
		return "unreachable"
	case instrument.TrapDivS:
		// The divisor is the last operand value passed.
		if len(params) > 0 && divisor(site, params) != 0 {
			return "integer overflow"
		}
	}
	return "integer divide by zero"
}

func divisor(site *instrument.Site, params []uint64) uint64 {
	v := params[len(params)-1]
	if site.Stack[len(site.Stack)-1] == wasmbin.I32 {
		return uint64(uint32(v))
	}
	return v
}

// walk builds the frames of a stop from wazero's stack iterator. words are
// the probe's value arguments: frame 0's locals then its operand values.
func (t *target) walk(in *instance, site *instrument.Site, words []uint64, depth int, si experimental.StackIterator) []session.RawFrame {
	var frames []session.RawFrame
	first := true
	d := depth
	for si.Next() {
		fn := si.Function()
		def := fn.Definition()
		if first {
			first = false // the probe host function itself
			continue
		}
		if def.GoFunction() != nil {
			frames = append(frames, session.RawFrame{Host: hostName(def), Depth: d})
			continue
		}
		if len(frames) == 0 {
			// The function that called the probe: it is at the site.
			fi := t.instanceByName(def.ModuleName())
			if fi == nil {
				continue
			}
			origFn, ok := fi.mod.res.OriginalFunc(def.Index())
			if !ok {
				continue
			}
			f := session.RawFrame{Module: fi.mod.id, Instance: fi.id, Func: origFn, Depth: d,
				PC: site.Offset, Return: site.Offset}
			f.Locals, f.Stack = decodeValues(in.mod.localTypes(site.Func), site.Locals, site.Stack, words)
			frames = append(frames, f)
			d--
			continue
		}
		f, ok := t.resolveCaller(captureCaller(si, d))
		if !ok {
			continue
		}
		frames = append(frames, f)
		d--
	}
	return frames
}

// callerPC is a guest caller's place as the stack iterator shows it: the
// function is executing a call, its pc is the call. It is kept raw until a
// stop needs the frame, because resolving it costs lookups that most of the
// places recorded (at every call into another component) never need.
type callerPC struct {
	module string // the instance's wazero module name
	index  uint32 // the function's index in the instrumented module
	src    uint64 // the pc's offset in the instrumented code
	depth  int
}

// captureCaller records the guest function the iterator is at.
func captureCaller(si experimental.StackIterator, d int) callerPC {
	fn := si.Function()
	def := fn.Definition()
	return callerPC{module: def.ModuleName(), index: def.Index(), src: fn.SourceOffsetForPC(si.ProgramCounter()), depth: d}
}

// resolveCaller builds a caller's frame: its pc is the call, and its
// return address the instruction after it. false for a function wdbg
// cannot place.
func (t *target) resolveCaller(c callerPC) (session.RawFrame, bool) {
	fi := t.instanceByName(c.module)
	if fi == nil {
		return session.RawFrame{}, false
	}
	res := fi.mod.res
	origFn, ok := res.OriginalFunc(c.index)
	if !ok {
		return session.RawFrame{}, false
	}
	off, ok := res.Map.Original(instrument.InstrOffset(c.src))
	if !ok {
		return session.RawFrame{}, false
	}
	return session.RawFrame{Module: fi.mod.id, Instance: fi.id, Func: origFn, Depth: c.depth,
		PC: off, Return: fi.mod.afterCall(off), Locals: t.shadowLocals(fi, off, c.depth)}, true
}

// hostName names a host function frame: "wasi_snapshot_preview1.fd_write".
func hostName(def api.FunctionDefinition) string {
	mn, _, _ := def.Import()
	if mn == "" {
		mn = def.ModuleName()
	}
	return mn + "." + def.Name()
}

func (t *target) instanceByName(name string) *instance {
	for _, in := range t.instances {
		if in.mod.name == name {
			return in
		}
	}
	return nil
}

// afterCall returns the return address of a call instruction: the site
// right after it.
func (m *module) afterCall(call wasmbin.CodeOffset) wasmbin.CodeOffset {
	i, _ := m.res.SiteAt(call)
	for j := i; j < len(m.res.Sites); j++ {
		if s := m.res.Sites[j]; s.Offset > call {
			return s.Offset
		}
	}
	return call
}

// localTypes returns the types of a defined function's locals.
func (m *module) localTypes(fn uint32) []wasmbin.ValType {
	return m.src.Wasm().LocalTypes(int(fn) - int(m.res.NumImportedFuncs))
}

// decodeValues turns probe words into typed values: the locals (those in
// passed, or all when passed is nil; the others Missing) and then the
// operand values of the block.
func decodeValues(locals []wasmbin.ValType, passed []uint32, stack []wasmbin.ValType, words []uint64) (ls, st []session.Value) {
	take := func(ty wasmbin.ValType) session.Value {
		if len(words) == 0 {
			return session.Value{Type: ty, Missing: true}
		}
		v := session.Value{Type: ty, Bits: words[0]}
		words = words[1:]
		if ty == wasmbin.V128 && len(words) > 0 {
			v.Hi = words[0]
			words = words[1:]
		}
		return v
	}
	ls = make([]session.Value, len(locals))
	if passed == nil {
		for i, ty := range locals {
			ls[i] = take(ty)
		}
	} else {
		for i, ty := range locals {
			ls[i] = session.Value{Type: ty, Missing: true}
		}
		for _, l := range passed {
			ls[l] = take(locals[l])
		}
	}
	st = make([]session.Value, 0, len(stack))
	for _, ty := range stack {
		st = append(st, take(ty))
	}
	return ls, st
}

// shadowEntry is a caller's locals, recorded by enter before a call.
type shadowEntry struct {
	mod   *module
	site  int // the call's site
	depth int // the caller's depth
	off   int // into shadowBuf
	n     int
}

// enter is the enter<N> host function: push the caller's locals.
func (t *target) enter(ctx context.Context, mod api.Module, stack []uint64) {
	in := t.instanceOf(mod)
	if in == nil {
		return
	}
	e := shadowEntry{mod: in.mod, site: int(uint32(stack[0])), depth: int(int32(t.depthG.Get())),
		off: len(t.shadowBuf), n: len(stack) - 1}
	t.shadowBuf = append(t.shadowBuf, stack[1:]...)
	t.shadow = append(t.shadow, e)
}

// leave is the leave host function: pop.
func (t *target) leave(context.Context, api.Module, []uint64) {
	if n := len(t.shadow); n > 0 {
		e := t.shadow[n-1]
		t.shadow = t.shadow[:n-1]
		t.shadowBuf = t.shadowBuf[:e.off]
	}
}

// shadowLocals finds the locals a caller frame recorded when it made the
// call at off, at depth d; nil if it made the call untracked.
func (t *target) shadowLocals(in *instance, off wasmbin.CodeOffset, d int) []session.Value {
	for i := len(t.shadow) - 1; i >= 0; i-- {
		e := t.shadow[i]
		if e.depth < d {
			break
		}
		if e.depth == d && e.mod == in.mod && in.mod.res.Sites[e.site].Offset == off {
			s := &in.mod.res.Sites[e.site]
			ls, _ := decodeValues(in.mod.localTypes(s.Func), s.Locals, nil, t.shadowBuf[e.off:e.off+e.n])
			return ls
		}
	}
	return nil
}

// memReader reads an instance's memory for Probe.Memory.
type memReader struct{ in *instance }

func (m memReader) ReadMemory(addr uint64, p []byte) (int, error) {
	mem := m.in.api.Memory()
	if mem == nil || addr >= uint64(mem.Size()) {
		return 0, errNoMemory
	}
	n := min(uint64(len(p)), uint64(mem.Size())-addr)
	b, _ := mem.Read(uint32(addr), uint32(n))
	return copy(p, b), nil
}

func fromAPIType(t api.ValueType) wasmbin.ValType {
	switch t {
	case api.ValueTypeI32:
		return wasmbin.I32
	case api.ValueTypeI64:
		return wasmbin.I64
	case api.ValueTypeF32:
		return wasmbin.F32
	case api.ValueTypeF64:
		return wasmbin.F64
	case api.ValueTypeExternref:
		return wasmbin.ExternRef
	}
	return wasmbin.ValType(t)
}

// gcGate keeps the garbage collector off while any guest runs native code
// and restores it when none does (engine-design.md §5.4).
type gcGate struct {
	mu      sync.Mutex
	n       int
	percent int
}

// gc is process-wide because the GC setting it guards is.
var gc gcGate

func (g *gcGate) running() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == 0 {
		g.percent = debug.SetGCPercent(-1)
		// SetGCPercent(-1) waits for a cycle's mark phase, but it returns
		// while the cycle's mark termination still has to visit every P
		// (it flushes their caches after restarting the world). A guest
		// started then never lets it visit its P, and every goroutine
		// waits on that cycle: the CLI's Ctrl-C was lost that way in CI.
		// The cycle holds the world semaphore until it is done, and
		// ReadMemStats takes it, so this returns with no cycle left. It
		// stops the world for microseconds, once per resume.
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
	}
	g.n++
}

func (g *gcGate) stopped() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == 0 {
		return
	}
	g.n--
	if g.n == 0 {
		debug.SetGCPercent(g.percent)
	}
}
