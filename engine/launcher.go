package engine

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"wdbg/component"
	"wdbg/dwarf"
	"wdbg/engine/instrument"
	"wdbg/internal/wasmbin"
	"wdbg/session"
)

// Config configures a Launcher. The zero value is the default: wazero's
// compiler, the standard site layout, call tracking only where
// breakpoints need it.
type Config struct {
	// Interpreter runs on wazero's interpreter instead of its compiler.
	Interpreter bool
	// EveryInstruction makes every instruction a stop site, so that stepi
	// is exact, at several times the run-time cost.
	EveryInstruction bool
	// TrackAllCalls records every caller's locals, so that the locals of
	// all frames are readable at any stop, including after a halt.
	TrackAllCalls bool
	// AllLocals captures every wasm local at every stop. By default, in a
	// function with DWARF, only the locals its debug info can refer to are
	// captured (the rest show as not captured), which is what keeps probes
	// cheap; functions without DWARF always capture all.
	AllLocals bool
	// Logger receives engine diagnostics; nil discards them.
	Logger *slog.Logger
}

// Launcher instruments and compiles a program once and starts runs of it.
// It implements session.Launcher.
type Launcher struct {
	prog  *session.Program
	cfg   Config
	mods  []*module
	cache wazero.CompilationCache
	log   *slog.Logger
	// first delivers the first run's runtime, its modules compiled in the
	// background since NewLauncher (compiling is most of the wait for a
	// first stop, and this way it overlaps whatever the front end does
	// before `run`). Launch, which runs on the session's goroutine only,
	// takes it once and sets first to nil.
	first chan prepared
}

// prepared is a run's wazero runtime with the instrumented modules
// compiled in it.
type prepared struct {
	rt       wazero.Runtime
	compiled []wazero.CompiledModule
	err      error
}

// module is the instrumented form of one core module.
type module struct {
	id  session.ModuleID
	src *session.Module
	// name is the module's instance name (instanceName), computed once:
	// stops look instances up by it for every frame.
	name  string
	res   *instrument.Result
	sites []session.Site
	// callersOf[f] lists the defined functions that may call f (by index in
	// the original function space): the reverse call graph.
	callersOf map[uint32][]uint32
}

// NewLauncher instruments every core module of prog.
func NewLauncher(prog *session.Program, cfg Config) (*Launcher, error) {
	if runtime.GOMAXPROCS(0) < 2 {
		// The guest's goroutine holds a P while it runs native code; the
		// front end needs another.
		runtime.GOMAXPROCS(2)
	}
	l := &Launcher{prog: prog, cfg: cfg, cache: wazero.NewCompilationCache(), log: cfg.Logger}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}

	for _, m := range prog.Modules {
		name := instanceName(m)
		ic := instrument.Config{
			Statements:       statements(m.Debug()),
			EveryInstruction: cfg.EveryInstruction,
			ModuleName:       name,
		}
		if d := m.Debug(); d != nil && !cfg.AllLocals {
			ic.Locals = dwarfLocals(d)
		}
		res, err := instrument.Rewrite(m.Wasm(), ic)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		mod := &module{id: m.ID, src: m, name: name, res: res}
		mod.sites = make([]session.Site, len(res.Sites))
		for i, s := range res.Sites {
			mod.sites[i] = session.Site{Offset: s.Offset, Func: s.Func, Kind: s.Kind}
		}
		mod.callersOf = reverseCallGraph(res)
		l.mods = append(l.mods, mod)
	}
	l.first = make(chan prepared, 1)
	go func() { l.first <- l.prepare() }()
	return l, nil
}

// prepare makes a run's runtime and compiles the instrumented modules in it
// on every core (they are large). A component's modules are compiled when
// the component runtime links them.
func (l *Launcher) prepare() prepared {
	p := prepared{rt: wazero.NewRuntimeWithConfig(context.Background(), l.runtimeConfig())}
	if l.prog.Kind == session.KindComponent {
		return p
	}
	ctx := experimental.WithCompilationWorkers(context.Background(), runtime.NumCPU())
	for _, m := range l.mods {
		cm, err := p.rt.CompileModule(ctx, m.res.Bytes)
		if err != nil {
			p.err = fmt.Errorf("%s: compile: %w", m.src.Name, err)
			return p
		}
		p.compiled = append(p.compiled, cm)
	}
	return p
}

// instanceName is the name under which a module is instantiated, and the
// module name its rewrite carries, so frames map back to it.
func instanceName(m *session.Module) string { return fmt.Sprintf("wdbg.m%d.%s", m.ID, m.Name) }

// statements returns a module's is_stmt rows with a key per source line.
func statements(d *dwarf.Data) []instrument.Statement {
	if d == nil {
		return nil
	}
	files := map[*dwarf.File]uint64{}
	var out []instrument.Statement
	for _, off := range d.StmtOffsets() {
		st := instrument.Statement{Offset: wasmbin.CodeOffset(off)}
		if row, ok := d.LineAt(off); ok && row.File != nil && row.Line > 0 {
			id, ok := files[row.File]
			if !ok {
				id = uint64(len(files) + 1)
				files[row.File] = id
			}
			st.Line = id<<32 | uint64(row.Line)
		}
		out = append(out, st)
	}
	return out
}

// dwarfLocals returns the instrumenter's locals policy for a module with
// DWARF: at each site, the locals the debug info can refer to there. A
// function without debug info captures all of them (wasm-level debugging
// needs them).
//
// The instrumenter calls it from several goroutines at once.
func dwarfLocals(d *dwarf.Data) func(fn uint32, pc wasmbin.CodeOffset) ([]uint32, bool) {
	var indexes sync.Map // *dwarf.Func -> *dwarf.LocalsIndex
	return func(fn uint32, pc wasmbin.CodeOffset) ([]uint32, bool) {
		f := d.FuncAtIndexed(dwarf.CodeOffset(pc))
		if f == nil {
			return nil, true // no debug info: wasm-level debugging needs them all
		}
		v, ok := indexes.Load(f)
		if !ok {
			v, _ = indexes.LoadOrStore(f, d.FuncLocalsIndex(f))
		}
		ls, good := v.(*dwarf.LocalsIndex).At(dwarf.CodeOffset(pc))
		return ls, !good
	}
}

// Sites implements session.Launcher.
func (l *Launcher) Sites(m session.ModuleID) []session.Site {
	if int(m) >= len(l.mods) {
		return nil
	}
	return l.mods[m].sites
}

// Instrumented returns the rewritten bytes of a module, for tests and
// `wdbg inspect --instrumented`.
func (l *Launcher) Instrumented(m session.ModuleID) []byte { return l.mods[m].res.Bytes }

// reverseCallGraph inverts the instrumenter's call graph. Indirect calls
// may reach any function in a table.
func reverseCallGraph(res *instrument.Result) map[uint32][]uint32 {
	callers := map[uint32][]uint32{}
	for def, callees := range res.Callees {
		caller := res.NumImportedFuncs + uint32(def)
		for _, c := range callees {
			callers[c] = append(callers[c], caller)
		}
		if res.IndirectCallers[def] {
			for _, c := range res.TableFuncs {
				callers[c] = append(callers[c], caller)
			}
		}
	}
	for k, v := range callers {
		sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
		callers[k] = dedup(v)
	}
	return callers
}

func dedup(v []uint32) []uint32 {
	out := v[:0]
	for i, x := range v {
		if i == 0 || x != v[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// runtimeConfig returns the wazero configuration of a run.
func (l *Launcher) runtimeConfig() wazero.RuntimeConfig {
	return component.RuntimeConfig(l.cfg.Interpreter).WithCompilationCache(l.cache).WithDebugInfoEnabled(true)
}

// stateModule is the tiny module that defines the shared arming globals.
func stateModule() []byte {
	zero64 := wasmbin.ConstExpr{Instrs: []wasmbin.Instr{{Op: wasmbin.OpI64Const}}}
	zero32 := wasmbin.ConstExpr{Instrs: []wasmbin.Instr{{Op: wasmbin.OpI32Const}}}
	m := &wasmbin.Module{
		Globals: []wasmbin.Global{
			{Type: wasmbin.GlobalType{Type: wasmbin.I64, Mutable: true}, Init: zero64},
			{Type: wasmbin.GlobalType{Type: wasmbin.I64, Mutable: true}, Init: zero64},
			{Type: wasmbin.GlobalType{Type: wasmbin.I32, Mutable: true}, Init: zero32},
		},
		Exports: []wasmbin.Export{
			{Name: "arm", Kind: wasmbin.GlobalKind, Index: 0},
			{Name: "calls", Kind: wasmbin.GlobalKind, Index: 1},
			{Name: "depth", Kind: wasmbin.GlobalKind, Index: 2},
		},
	}
	return m.Encode()
}

// compileHost builds the "wdbg" host module for a run: probe and trap
// functions for every arity the modules use (with the stop listener), enter
// and leave for the shadow stack.
func (l *Launcher) compileHost(ctx context.Context, rt wazero.Runtime, t *target) (wazero.CompiledModule, error) {
	probeN := map[int]bool{}
	enterN := map[int]bool{}
	for _, m := range l.mods {
		for _, n := range m.res.ProbeArities {
			probeN[n] = true
		}
		for _, n := range m.res.EnterArities {
			enterN[n] = true
		}
	}
	b := rt.NewHostModuleBuilder(instrument.HostModule)
	i64s := func(n int) []api.ValueType {
		ps := make([]api.ValueType, n+1)
		ps[0] = api.ValueTypeI32
		for i := 1; i <= n; i++ {
			ps[i] = api.ValueTypeI64
		}
		return ps
	}
	nop := api.GoModuleFunc(func(context.Context, api.Module, []uint64) {})
	for n := range probeN {
		b.NewFunctionBuilder().WithGoModuleFunction(nop, i64s(n), nil).Export(fmt.Sprintf("probe%d", n))
		b.NewFunctionBuilder().WithGoModuleFunction(nop, i64s(n), nil).Export(fmt.Sprintf("trap%d", n))
	}
	for n := range enterN {
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(t.enter), i64s(n), nil).Export(fmt.Sprintf("enter%d", n))
	}
	b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(t.leave), nil, nil).Export("leave")
	return b.Compile(withStopListener(ctx, t))
}
