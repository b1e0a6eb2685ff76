package component

import (
	"context"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
)

// Runtime links and runs one component on a wazero runtime.
type Runtime struct {
	wz   wazero.Runtime
	host Host
	seq  int
	// Root is the top-level component instance, after Instantiate.
	Root *Instance
	// exit is set when a host function ended the program.
	exit *Exit
	hook CoreHook
	ctx  context.Context
	// pools hold idle core function handles (funcs.go).
	pools map[CoreItem]*corePool
	// hostMods are the host modules the runtime made (canon built-ins and
	// lowered functions), which Go calls through a trampoline.
	hostMods map[string]bool
	// tracer, if set, sees every call across a component boundary
	// (trace.go); depth is the nesting of those calls.
	tracer    func(CallEvent)
	hostCalls func() bool
	depth     int
}

// Instance is a component instance.
type Instance struct {
	// Name describes where it comes from: "root", or the instance's name in
	// its parent ("wasi:cli/run@0.2.12-shim-instance").
	Name string
	// Exports are its exports by name.
	Exports map[string]Extern
	// Children are the component instances instantiated inside it.
	Children []*Instance
	// Cores are the core instances made inside it, in order.
	Cores []*CoreInstance
	// Imports are the names it imports, in order.
	Imports []string

	abi abi.Instance
}

// CoreInstance is a core module instance (or a bag of core exports).
type CoreInstance struct {
	// Name is the wazero module name; "" for a bag of exports.
	Name string
	// Module is the index of the instantiated core module in the
	// component's core module index space, or -1 for a bag.
	Module int
	// Bytes is the module's original bytes (nil for a bag).
	Bytes []byte
	mod   api.Module
	// exports are a bag's exports, or the exports of a module instance
	// that a helper module serves (memories beyond the first, see
	// memSplit).
	exports map[string]CoreItem
	// kinds are a module instance's exports and their kinds.
	kinds map[string]wasmbin.ExternKind
}

// CoreItem is a core function, table, memory or global: the wazero module
// that defines it and its export name there.
type CoreItem struct {
	Module, Name string
	Kind         compbin.CoreExternKind
}

// Extern is an exported or imported item of a component instance.
type Extern struct {
	Sort      compbin.Sort
	Func      *Func
	Instance  *Instance
	Type      *typeEntry
	Component *compDef
	Module    *compbin.CoreModule
}

// Func is a component function: lifted from core wasm, or provided by the
// host.
type Func struct {
	Name string
	Type *funcType
	// typeIdx is the index of the function's type in typeSpace, for the
	// visibility of its export; typeSpace is nil when not known.
	typeIdx   uint32
	typeSpace *typeSpace
	r         *Runtime // the runtime of a lifted function, for tracing calls into it
	call      func(ctx context.Context, args []abi.Value) ([]abi.Value, error)
}

// Call calls the function with lifted arguments.
func (f *Func) Call(ctx context.Context, args ...abi.Value) ([]abi.Value, error) {
	if len(args) != len(f.Type.Params) {
		return nil, fmt.Errorf("%s takes %d arguments, got %d", f.Name, len(f.Type.Params), len(args))
	}
	r := f.r
	if r == nil {
		return f.call(ctx, args)
	}
	traced := r.tracer != nil && (r.hostCalls == nil || r.hostCalls())
	if traced {
		r.traceCall("host", f, args)
	}
	r.depth++
	res, err := f.call(ctx, args)
	r.depth--
	if traced {
		r.traceReturn("host", f, args, res, err)
	}
	return res, err
}

// Signature returns the function's type in WIT syntax.
func (f *Func) Signature() string { return f.Type.String() }

// compDef is a component definition with the scope its outer aliases see.
type compDef struct {
	c     *compbin.Component
	outer *scope
}

// New returns a runtime that instantiates core modules on wz and takes
// imports from host.
func New(wz wazero.Runtime, host Host) *Runtime {
	return &Runtime{wz: wz, host: host}
}

// Instantiate instantiates the top-level component c, taking its imports
// from the host.
func (r *Runtime) Instantiate(ctx context.Context, c *compbin.Component) (*Instance, error) {
	inst, err := r.instantiate(ctx, &compDef{c: c}, "root", nil)
	if err != nil {
		return nil, err
	}
	r.Root = inst
	return inst, nil
}

// scope is one component instantiation in progress: its index spaces.
type scope struct {
	r      *Runtime
	comp   *compbin.Component
	inst   *Instance
	parent *scope
	types  *typeSpace

	coreFuncs, coreTables, coreMems, coreGlobals, coreTags []CoreItem
	coreModules                                            []*compbin.CoreModule
	coreTypes                                              []*compbin.CoreType
	coreInsts                                              []*CoreInstance
	funcs                                                  []*Func
	components                                             []*compDef
	instances                                              []*Instance
	// importNames and exportNames are the names used so far, by their
	// lowercase form (names may not differ only in case).
	importNames, exportNames map[string]string
	// typeNames are the names types were imported or exported under, for
	// the annotated names of functions ([method]R.m).
	typeNames map[string]bool
}

// errorf wraps an instantiation error with where it happened.
func (sc *scope) errorf(offset int, format string, args ...any) error {
	return &LinkError{fmt.Errorf("component %s at 0x%x: %w", sc.inst.Name, offset, fmt.Errorf(format, args...))}
}

// LinkError is an error that stopped a component from linking: a missing
// or mismatched import, a malformed definition, something unsupported.
// (A trap in a start function is not one: it comes back as the trap.)
type LinkError struct{ err error }

func (e *LinkError) Error() string { return e.err.Error() }
func (e *LinkError) Unwrap() error { return e.err }

// instantiate instantiates a component definition. args binds its imports
// by name; nil means the host provides them.
func (r *Runtime) instantiate(ctx context.Context, d *compDef, name string, args map[string]Extern) (*Instance, error) {
	sc := &scope{r: r, comp: d.c, inst: &Instance{Name: name, Exports: map[string]Extern{}}, parent: d.outer,
		types: &typeSpace{}, importNames: map[string]string{}, exportNames: map[string]string{}}
	if d.outer != nil {
		sc.types.parent = d.outer.types
	}
	c := d.c
	instantiated := map[uint32]bool{}
	for _, ci := range c.CoreInstances {
		if ci.Instantiate {
			instantiated[ci.Module] = true
		}
	}
	for _, sec := range c.Sections {
		var err error
		for i := sec.First; i < sec.First+sec.Count && err == nil; i++ {
			switch sec.ID {
			case 1:
				cm := &c.CoreModules[i]
				if err = validateCoreModule(cm, instantiated[cm.Index]); err != nil {
					err = sc.errorf(cm.Offset, "core module %d: %v", cm.Index, err)
				}
				sc.coreModules = append(sc.coreModules, cm)
			case 2:
				err = sc.coreInstance(ctx, &c.CoreInstances[i])
			case 3:
				// Core types are kept for checking core module arguments.
				ct := &c.CoreTypes[i]
				if err = validateModuleType(ct); err != nil {
					err = sc.errorf(ct.Offset, "core type %d: %v", ct.Index, err)
				}
				sc.coreTypes = append(sc.coreTypes, ct)
			case 4:
				sc.components = append(sc.components, &compDef{c: c.Components[i], outer: sc})
			case 5:
				err = sc.instance(ctx, &c.Instances[i])
			case 6:
				err = sc.alias(&c.Aliases[i])
			case 7:
				err = sc.defineType(&c.Types[i])
			case 8:
				err = sc.canon(ctx, &c.Canons[i])
			case 9:
				err = sc.start(ctx, &c.Starts[i])
			case 10:
				err = sc.importItem(&c.Imports[i], args)
			case 11:
				err = sc.export(&c.Exports[i])
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return sc.inst, nil
}

// start runs a component start function. Value imports and exports (🪙)
// are not supported, so it must take and return nothing.
func (sc *scope) start(ctx context.Context, st *compbin.Start) error {
	if int(st.Func) >= len(sc.funcs) {
		return sc.errorf(st.Offset, "start: function %d out of range", st.Func)
	}
	f := sc.funcs[st.Func]
	if len(st.Args) != len(f.Type.Params) || int(st.Results) != len(f.Type.Results) {
		return sc.errorf(st.Offset, "start: %s has type %s, but the start definition passes %d values and takes %d", f.Name, f.Signature(), len(st.Args), st.Results)
	}
	if len(st.Args) > 0 || st.Results > 0 {
		return sc.errorf(st.Offset, "start: component values (🪙) are not supported")
	}
	if _, err := f.call(ctx, nil); err != nil {
		if e := sc.r.exit; e != nil {
			return e
		}
		return sc.errorf(st.Offset, "start function %s: %w", f.Name, err)
	}
	return nil
}

// coreInstance instantiates a core module, or gathers a bag of exports.
func (sc *scope) coreInstance(ctx context.Context, ci *compbin.CoreInstance) error {
	if !ci.Instantiate {
		ex := map[string]CoreItem{}
		for _, e := range ci.Exports {
			if _, dup := ex[e.Name]; dup {
				return sc.errorf(ci.Offset, "export name `%s` already defined", e.Name)
			}
			item, err := sc.coreItem(e.Item)
			if err != nil {
				return sc.errorf(ci.Offset, "core instance export %q: %v", e.Name, err)
			}
			ex[e.Name] = item
		}
		inst := &CoreInstance{Module: -1, exports: ex}
		sc.coreInsts = append(sc.coreInsts, inst)
		sc.inst.Cores = append(sc.inst.Cores, inst)
		return nil
	}
	if int(ci.Module) >= len(sc.coreModules) {
		return sc.errorf(ci.Offset, "core module %d out of range", ci.Module)
	}
	cm := sc.coreModules[ci.Module]
	args := map[string]*CoreInstance{}
	for _, a := range ci.Args {
		if _, dup := args[a.Name]; dup {
			return sc.errorf(ci.Offset, "duplicate module instantiation argument named `%s`", a.Name)
		}
		if int(a.Instance) >= len(sc.coreInsts) {
			return sc.errorf(ci.Offset, "core instance %d out of range", a.Instance)
		}
		args[a.Name] = sc.coreInsts[a.Instance]
	}
	code, name, keep := cm.Bytes, "", func(string) bool { return false }
	hooked := false
	if sc.r.hook != nil {
		if b, n, k, ok := sc.r.hook.Prepare(cm); ok {
			code, name, keep, hooked = b, n, k, true
		}
	}
	m, err := wasmbin.Decode(code)
	if err != nil {
		return sc.errorf(cm.Offset, "core module %d: %v", ci.Module, err)
	}
	for i := range m.Imports {
		im := &m.Imports[i]
		if keep(im.Module) {
			continue
		}
		from, ok := args[im.Module]
		if !ok {
			return sc.errorf(ci.Offset, "core module %d imports %q.%q, but the instantiation passes no instance named %q", ci.Module, im.Module, im.Name, im.Module)
		}
		item, err := from.export(im.Name)
		if err != nil {
			return sc.errorf(ci.Offset, "core module %d import %q.%q: %v", ci.Module, im.Module, im.Name, err)
		}
		im.Module, im.Name = item.Module, item.Name
	}
	sc.r.seq++
	if name == "" {
		name = fmt.Sprintf("%s/core%d:module%d", sc.inst.Name, sc.r.seq, ci.Module)
	}
	split, err := splitMemories(m, func(j int) string { return fmt.Sprintf("%s#memory%d", name, j) })
	if err != nil {
		return sc.errorf(cm.Offset, "core module %d has several memories: %v", ci.Module, err)
	}
	redirects := map[string]CoreItem{}
	if split != nil {
		if hooked {
			return sc.errorf(cm.Offset, "core module %d has several memories, which wdbg can run (wazero runs one per module, so wdbg moves the others to helper modules) but not debug", ci.Module)
		}
		for j, h := range split.helpers {
			hn := fmt.Sprintf("%s#memory%d", name, j+1)
			compiled, err := sc.r.wz.CompileModule(ctx, h.Encode())
			if err == nil {
				_, err = sc.r.wz.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName(hn).WithStartFunctions())
			}
			if err != nil {
				return sc.errorf(ci.Offset, "core module %d: memory %d: %v", ci.Module, j+1, err)
			}
		}
		for ex, j := range split.memExports {
			redirects[ex] = CoreItem{Module: fmt.Sprintf("%s#memory%d", name, j), Name: helperMemory, Kind: compbin.CoreExternMemory}
		}
		m = split.module
	}
	compiled, err := sc.r.wz.CompileModule(ctx, m.Encode())
	if err != nil {
		return sc.errorf(cm.Offset, "compile core module %d: %v", ci.Module, err)
	}
	mod, err := sc.r.wz.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName(name).WithStartFunctions())
	if err != nil {
		if e := sc.r.exit; e != nil {
			return e
		}
		if strings.Contains(err.Error(), "wasm error:") {
			return err // the module's start function trapped: a trap, not a link error
		}
		return sc.errorf(ci.Offset, "instantiate core module %d: %v", ci.Module, err)
	}
	if hooked {
		sc.r.hook.Instantiated(cm, mod)
	}
	inst := &CoreInstance{Name: name, Module: int(ci.Module), Bytes: cm.Bytes, mod: mod, exports: redirects, kinds: map[string]wasmbin.ExternKind{}}
	for _, e := range m.Exports {
		inst.kinds[e.Name] = e.Kind
	}
	sc.coreInsts = append(sc.coreInsts, inst)
	sc.inst.Cores = append(sc.inst.Cores, inst)
	return nil
}

// export returns a core instance's export.
func (ci *CoreInstance) export(name string) (CoreItem, error) {
	if item, ok := ci.exports[name]; ok {
		return item, nil // a bag's export, or a memory a helper holds
	}
	if ci.mod == nil {
		return CoreItem{}, fmt.Errorf("the instance has no export %q", name)
	}
	k, ok := ci.kinds[name]
	if !ok {
		return CoreItem{}, fmt.Errorf("core instance %s has no export %q", ci.Name, name)
	}
	return CoreItem{Module: ci.Name, Name: name, Kind: compbin.CoreExternKind(k)}, nil
}

// coreSortKind maps the core sorts to the extern kinds of their items.
var coreSortKind = map[compbin.Sort]compbin.CoreExternKind{
	compbin.SortCoreFunc: compbin.CoreExternFunc, compbin.SortCoreTable: compbin.CoreExternTable,
	compbin.SortCoreMemory: compbin.CoreExternMemory, compbin.SortCoreGlobal: compbin.CoreExternGlobal,
	compbin.SortCoreTag: compbin.CoreExternTag,
}

// coreItem resolves a core sort index.
func (sc *scope) coreItem(s compbin.SortIdx) (CoreItem, error) {
	var list []CoreItem
	switch s.Sort {
	case compbin.SortCoreFunc:
		list = sc.coreFuncs
	case compbin.SortCoreTable:
		list = sc.coreTables
	case compbin.SortCoreMemory:
		list = sc.coreMems
	case compbin.SortCoreGlobal:
		list = sc.coreGlobals
	case compbin.SortCoreTag:
		list = sc.coreTags
	default:
		return CoreItem{}, fmt.Errorf("core %s items are not supported", s.Sort)
	}
	if int(s.Index) >= len(list) {
		return CoreItem{}, fmt.Errorf("%s out of range", s)
	}
	return list[s.Index], nil
}

func (sc *scope) addCore(sort compbin.Sort, item CoreItem) error {
	switch sort {
	case compbin.SortCoreFunc:
		sc.coreFuncs = append(sc.coreFuncs, item)
	case compbin.SortCoreTable:
		sc.coreTables = append(sc.coreTables, item)
	case compbin.SortCoreMemory:
		sc.coreMems = append(sc.coreMems, item)
	case compbin.SortCoreGlobal:
		sc.coreGlobals = append(sc.coreGlobals, item)
	case compbin.SortCoreTag:
		sc.coreTags = append(sc.coreTags, item)
	default:
		return fmt.Errorf("core %s items are not supported", sort)
	}
	return nil
}

// instance instantiates a nested component or gathers a bag of exports.
func (sc *scope) instance(ctx context.Context, in *compbin.Instance) error {
	if !in.Instantiate {
		inst := &Instance{Name: fmt.Sprintf("%s/instance%d", sc.inst.Name, len(sc.instances)), Exports: map[string]Extern{}}
		seen := map[string]string{}
		for _, e := range in.Exports {
			if err := checkExternName("export", e.Name.Name, seen); err != nil {
				return sc.errorf(in.Offset, "%v", err)
			}
			x, err := sc.extern(e.Item)
			if err != nil {
				return sc.errorf(in.Offset, "instance export %q: %v", e.Name.Name, err)
			}
			inst.Exports[e.Name.Name] = x
		}
		sc.instances = append(sc.instances, inst)
		return nil
	}
	if int(in.Component) >= len(sc.components) {
		return sc.errorf(in.Offset, "component %d out of range", in.Component)
	}
	args := map[string]Extern{}
	for _, a := range in.Args {
		if _, dup := args[a.Name]; dup {
			return sc.errorf(in.Offset, "instantiation argument `%s` conflicts with previous argument `%s`", a.Name, a.Name)
		}
		x, err := sc.extern(a.Item)
		if err != nil {
			return sc.errorf(in.Offset, "argument %q: %v", a.Name, err)
		}
		args[a.Name] = x
	}
	d := sc.components[in.Component]
	name := sc.inst.Name + "/" + sc.instanceName(len(sc.instances), in.Component)
	child, err := sc.r.instantiate(ctx, d, name, args)
	if err != nil {
		return err
	}
	sc.inst.Children = append(sc.inst.Children, child)
	sc.instances = append(sc.instances, child)
	return nil
}

// instanceName names a nested instance: by the name section if it has one.
func (sc *scope) instanceName(idx int, comp uint32) string {
	if n, ok := sc.comp.Names.Lookup(compbin.SortInstance, uint32(idx)); ok && n != "" {
		return n
	}
	return fmt.Sprintf("instance%d(component%d)", idx, comp)
}

// extern resolves a component-level sort index.
func (sc *scope) extern(s compbin.SortIdx) (Extern, error) {
	i := int(s.Index)
	switch s.Sort {
	case compbin.SortFunc:
		if i < len(sc.funcs) {
			return Extern{Sort: s.Sort, Func: sc.funcs[i]}, nil
		}
	case compbin.SortInstance:
		if i < len(sc.instances) {
			return Extern{Sort: s.Sort, Instance: sc.instances[i]}, nil
		}
	case compbin.SortType:
		if i < len(sc.types.types) {
			return Extern{Sort: s.Sort, Type: sc.types.types[i]}, nil
		}
	case compbin.SortComponent:
		if i < len(sc.components) {
			return Extern{Sort: s.Sort, Component: sc.components[i]}, nil
		}
	case compbin.SortCoreModule:
		if i < len(sc.coreModules) {
			return Extern{Sort: s.Sort, Module: sc.coreModules[i]}, nil
		}
	default:
		return Extern{}, fmt.Errorf("%s items cannot be passed or exported here", s.Sort)
	}
	return Extern{}, fmt.Errorf("%s out of range", s)
}

// addExtern appends an item to its index space.
func (sc *scope) addExtern(x Extern) error {
	switch x.Sort {
	case compbin.SortFunc:
		sc.funcs = append(sc.funcs, x.Func)
	case compbin.SortInstance:
		sc.instances = append(sc.instances, x.Instance)
	case compbin.SortType:
		sc.types.add(x.Type)
	case compbin.SortComponent:
		sc.components = append(sc.components, x.Component)
	case compbin.SortCoreModule:
		sc.coreModules = append(sc.coreModules, x.Module)
	default:
		return fmt.Errorf("%s items are not supported", x.Sort)
	}
	return nil
}

// alias resolves an alias.
func (sc *scope) alias(a *compbin.Alias) error {
	switch a.Kind {
	case compbin.AliasCoreExport:
		if int(a.Instance) >= len(sc.coreInsts) {
			return sc.errorf(a.Offset, "core instance %d out of range", a.Instance)
		}
		item, err := sc.coreInsts[a.Instance].export(a.Name)
		if err != nil {
			return sc.errorf(a.Offset, "alias of core export %q: %v", a.Name, err)
		}
		if k, ok := coreSortKind[a.Sort]; ok && item.Kind != k {
			return sc.errorf(a.Offset, "alias of core export %q: it is a %s, not a %s", a.Name, item.Kind, a.Sort)
		}
		return sc.addCore(a.Sort, item)
	case compbin.AliasExport:
		if int(a.Instance) >= len(sc.instances) {
			return sc.errorf(a.Offset, "instance %d out of range", a.Instance)
		}
		x, ok := sc.instances[a.Instance].Exports[a.Name]
		if !ok {
			return sc.errorf(a.Offset, "instance %s has no export %q", sc.instances[a.Instance].Name, a.Name)
		}
		if x.Sort != a.Sort {
			return sc.errorf(a.Offset, "export %q is a %s, not a %s", a.Name, x.Sort, a.Sort)
		}
		return sc.addExtern(x)
	case compbin.AliasOuter:
		o := sc
		for range a.Count {
			if o.parent == nil {
				return sc.errorf(a.Offset, "outer alias goes out %d levels, past the outermost component", a.Count)
			}
			o = o.parent
		}
		if a.Sort == compbin.SortCoreType {
			if int(a.Idx) >= len(o.coreTypes) {
				return sc.errorf(a.Offset, "outer alias: core type index %d out of bounds (%d core types)", a.Idx, len(o.coreTypes))
			}
			sc.coreTypes = append(sc.coreTypes, o.coreTypes[a.Idx]) // nil: unknown, not checked
			return nil
		}
		x, err := o.extern(compbin.SortIdx{Sort: a.Sort, Index: a.Idx})
		if err != nil {
			return sc.errorf(a.Offset, "outer alias: %v", err)
		}
		return sc.addExtern(x)
	}
	return sc.errorf(a.Offset, "unknown alias kind %d", a.Kind)
}

// defineType adds a type definition to the type index space.
func (sc *scope) defineType(t *compbin.Type) error {
	e := &typeEntry{def: t, space: sc.types, origin: originLocal}
	if t.Kind == compbin.TypeResource {
		rt := &abi.ResourceType{Name: fmt.Sprintf("resource%d", len(sc.types.types)), Impl: &sc.inst.abi}
		if t.Dtor != nil {
			item, err := sc.coreItem(compbin.SortIdx{Sort: compbin.SortCoreFunc, Index: *t.Dtor})
			if err != nil {
				return sc.errorf(t.Offset, "resource destructor: %v", err)
			}
			if err := sc.checkDtor(item); err != nil {
				return sc.errorf(t.Offset, "resource destructor: %v", err)
			}
			rt.Dtor = func(rep uint32) error {
				_, err := sc.r.callCore(sc.r.context(), item, uint64(rep))
				return err
			}
		}
		e = &typeEntry{res: rt, origin: originLocal}
	}
	sc.types.add(e)
	if err := sc.validateType(e); err != nil {
		return sc.errorf(t.Offset, "type %d: %v", len(sc.types.types)-1, err)
	}
	return nil
}

// importItem binds an import: from the arguments of a nested
// instantiation, or from the host at the top.
func (sc *scope) importItem(im *compbin.Import, args map[string]Extern) error {
	name := im.Name.Name
	if err := checkExternName("import", name, sc.importNames); err != nil {
		return sc.errorf(im.Offset, "%v", err)
	}
	sc.inst.Imports = append(sc.inst.Imports, name)
	if err := checkExternType(sc.types, sc.coreTypes, im.Type); err != nil {
		return sc.errorf(im.Offset, "import %q: %v", name, err)
	}
	if im.Type.Kind == compbin.ExternKindFunc {
		if err := checkVisibleFunc(sc.types, im.Type.Type, true); err != nil {
			return sc.errorf(im.Offset, "import %q: func not valid to be used as import: %v", name, err)
		}
	}
	if err := checkAnnotated(sc.types, name, im.Type.Kind == compbin.ExternKindFunc, im.Type.Type, sc.typeNamed); err != nil {
		return sc.errorf(im.Offset, "import: %v", err)
	}
	if im.Type.Kind == compbin.ExternKindType {
		sc.nameType(name)
	}
	if args != nil {
		x, ok := args[name]
		if !ok {
			return sc.errorf(im.Offset, "import %q: the instantiation does not pass it", name)
		}
		if err := checkArgKind(im.Type.Kind, x); err != nil {
			return sc.errorf(im.Offset, "import %q: %v", name, err)
		}
		if im.Type.Kind == compbin.ExternKindFunc && x.Func != nil {
			if want, err := sc.types.funcType(im.Type.Type); err == nil {
				if err := funcMismatch(want, x.Func.Type); err != nil {
					return sc.errorf(im.Offset, "import %q: type mismatch: %v (the component expects %s, the instantiation passes %s)",
						name, err, want, x.Func.Type)
				}
			}
		}
		if im.Type.Kind == compbin.ExternKindInstance && x.Instance != nil {
			if err := sc.instanceMismatch(im.Type.Type, x.Instance); err != nil {
				return sc.errorf(im.Offset, "import %q: %v", name, err)
			}
		}
		if im.Type.Kind == compbin.ExternKindCoreModule && x.Module != nil && int(im.Type.Type) < len(sc.coreTypes) {
			if err := moduleMismatch(sc.coreTypes[im.Type.Type], x.Module); err != nil {
				return sc.errorf(im.Offset, "import %q: %v", name, err)
			}
		}
		if im.Type.Kind == compbin.ExternKindType && im.Type.Bound == compbin.BoundEq && x.Type != nil {
			if want, err := sc.types.entry(im.Type.Type); err == nil {
				wv, werr := want.value()
				gv, gerr := x.Type.value()
				if werr == nil && gerr == nil {
					if err := typeMismatch(wv, gv); err != nil {
						return sc.errorf(im.Offset, "import %q: type mismatch: %v", name, err)
					}
				} else if (want.res == nil) != (x.Type.res == nil) || want.res != nil && want.res != x.Type.res {
					return sc.errorf(im.Offset, "import %q: type mismatch: resource types are not the same", name)
				}
			}
		}
		if x.Sort == compbin.SortType && im.Type.Kind == compbin.ExternKindType && im.Type.Bound == compbin.BoundEq {
			// A type import bounded by equality is that type.
			e, err := sc.types.entry(im.Type.Type)
			if err == nil {
				x.Type = e
			}
		}
		if x.Sort == compbin.SortType && x.Type != nil {
			x.Type = x.Type.withOrigin(originImported, name)
		}
		return sc.addExtern(x)
	}
	switch im.Type.Kind {
	case compbin.ExternKindType:
		switch im.Type.Bound {
		case compbin.BoundEq:
			// A type imported by equality is that type: nothing to provide.
			e, err := sc.types.entry(im.Type.Type)
			if err != nil {
				return sc.errorf(im.Offset, "import %q: %v", name, err)
			}
			return sc.addExtern(Extern{Sort: compbin.SortType, Type: e.withOrigin(originImported, name)})
		case compbin.BoundSubResource:
			if th, ok := sc.r.host.(TypeHost); ok {
				if rt := th.ImportResource(name); rt != nil {
					return sc.addExtern(Extern{Sort: compbin.SortType, Type: &typeEntry{res: rt, origin: originImported, name: name}})
				}
			}
		}
	case compbin.ExternKindInstance:
		inst, err := sc.hostInstance(name, im.Type.Type)
		if err != nil {
			return sc.errorf(im.Offset, "import %q: %w", name, err)
		}
		return sc.addExtern(Extern{Sort: compbin.SortInstance, Instance: inst})
	case compbin.ExternKindFunc:
		fh, ok := sc.r.host.(FuncHost)
		var hf HostFunc
		if ok {
			hf = fh.ImportFunc(name)
		}
		if hf == nil {
			return sc.errorf(im.Offset, "import %q: %w (it provides instances, not bare functions)", name, ErrHostImport)
		}
		ft, err := sc.types.funcType(im.Type.Type)
		if err != nil {
			return sc.errorf(im.Offset, "import %q: %v", name, err)
		}
		call := &Call{Import: name, Name: name}
		return sc.addExtern(Extern{Sort: compbin.SortFunc, Func: &Func{Name: name, Type: ft, typeIdx: im.Type.Type, typeSpace: sc.types,
			call: func(ctx context.Context, args []abi.Value) ([]abi.Value, error) { return hf(ctx, call, args) }}})
	}
	return sc.errorf(im.Offset, "import %q: %w (importing a %s from the host is not supported)", name, ErrHostImport, im.Type.Kind)
}

// hostInstance builds an imported instance from the host, typed by the
// component's instance type ti.
func (sc *scope) hostInstance(name string, ti uint32) (*Instance, error) {
	e, err := sc.types.entry(ti)
	if err != nil {
		return nil, err
	}
	if e.def == nil || e.def.Kind != compbin.TypeInstance {
		return nil, fmt.Errorf("type %d is not an instance type", ti)
	}
	var hi HostInstance
	if sc.r.host != nil {
		hi = sc.r.host.Instance(name)
	}
	if hi == nil {
		return nil, ErrHostImport
	}
	inst := &Instance{Name: name, Exports: map[string]Extern{}}
	err = instanceDecls(e.def, e.space, true, func(d compbin.Decl, local *typeSpace) (*typeEntry, error) {
		en := d.Name.Name
		switch d.Extern.Kind {
		case compbin.ExternKindType:
			te, err := local.entry(d.Extern.Type)
			if d.Extern.Bound == compbin.BoundSubResource {
				rt := hi.Resource(en)
				if rt == nil {
					return nil, fmt.Errorf("the host's %s has no resource %q", name, en)
				}
				te, err = &typeEntry{res: rt}, nil
			}
			if err != nil {
				return nil, err
			}
			inst.Exports[en] = Extern{Sort: compbin.SortType, Type: te}
			return te, nil
		case compbin.ExternKindFunc:
			ft, err := local.funcType(d.Extern.Type)
			if err != nil {
				return nil, fmt.Errorf("function %q: %v", en, err)
			}
			hf := hi.Func(en)
			if hf == nil {
				return nil, fmt.Errorf("the host's %s has no function %q", name, en)
			}
			call := &Call{Import: name, Name: en}
			inst.Exports[en] = Extern{Sort: compbin.SortFunc, Func: &Func{Name: name + "#" + en, Type: ft,
				call: func(ctx context.Context, args []abi.Value) ([]abi.Value, error) {
					return hf(ctx, call, args)
				}}}
			return nil, nil
		}
		return nil, fmt.Errorf("instance type exports a %s (%q): not supported", d.Extern.Kind, en)
	})
	if err != nil {
		return nil, err
	}
	return inst, nil
}

// unnamedResource reports the placeholder name defineType gives a
// resource ("resource12") until an export names it. A resource defined in
// one component and exported by another (a toolchain's shim) takes the
// first export name it gets.
func unnamedResource(name string) bool {
	digits := strings.TrimPrefix(name, "resource")
	return digits != name && digits != "" && strings.Trim(digits, "0123456789") == ""
}

// nameType notes that a type was imported or exported as name.
func (sc *scope) nameType(name string) {
	if sc.typeNames == nil {
		sc.typeNames = map[string]bool{}
	}
	sc.typeNames[name] = true
}

// typeNamed reports whether a type was imported or exported as name.
func (sc *scope) typeNamed(name string) bool { return sc.typeNames[name] }

// export adds an export; it also defines a new index.
func (sc *scope) export(ex *compbin.Export) error {
	if err := checkExternName("export", ex.Name.Name, sc.exportNames); err != nil {
		return sc.errorf(ex.Offset, "%v", err)
	}
	x, err := sc.extern(ex.Item)
	if err != nil {
		return sc.errorf(ex.Offset, "export %q: %v", ex.Name.Name, err)
	}
	if x.Type != nil && x.Type.res != nil && x.Type.res.Impl != nil && unnamedResource(x.Type.res.Name) {
		// A resource defined in a component is known by the first name
		// it is exported as.
		x.Type.res.Name = ex.Name.Name
	}
	if ex.Type != nil {
		if err := checkExternType(sc.types, sc.coreTypes, *ex.Type); err != nil {
			return sc.errorf(ex.Offset, "export %q: ascribed type: %v", ex.Name.Name, err)
		}
		if ex.Type.Kind.Sort() != ex.Item.Sort {
			return sc.errorf(ex.Offset, "export %q: a %s ascribed the type of a %s", ex.Name.Name, ex.Item.Sort, ex.Type.Kind)
		}
	}
	switch {
	case x.Sort == compbin.SortFunc:
		space, idx := x.Func.typeSpace, x.Func.typeIdx
		if ex.Type != nil {
			space, idx = sc.types, ex.Type.Type
		}
		if space == sc.types {
			if err := checkVisibleFunc(space, idx, false); err != nil {
				return sc.errorf(ex.Offset, "export %q: func not valid to be used as export: %v", ex.Name.Name, err)
			}
			if err := checkAnnotated(space, ex.Name.Name, true, idx, sc.typeNamed); err != nil {
				return sc.errorf(ex.Offset, "export: %v", err)
			}
		}
	case x.Sort == compbin.SortType && x.Type != nil:
		if x.Type.def != nil && x.Type.space == sc.types {
			if err := visibleContents(x.Type, false, 0); err != nil {
				return sc.errorf(ex.Offset, "export %q: type not valid to be used as export: %v", ex.Name.Name, err)
			}
		}
		x.Type = x.Type.withOrigin(originExported, ex.Name.Name)
		sc.nameType(ex.Name.Name)
	default:
		if err := checkAnnotated(sc.types, ex.Name.Name, false, 0, sc.typeNamed); err != nil {
			return sc.errorf(ex.Offset, "export: %v", err)
		}
	}
	if x.Func != nil && !strings.Contains(x.Func.Name, "#") {
		x.Func.Name = ex.Name.Name
	}
	sc.inst.Exports[ex.Name.Name] = x
	return sc.addExtern(x)
}

// checkArgKind checks that an instantiation argument is the kind of item
// the import declares.
func checkArgKind(k compbin.ExternKind, x Extern) error {
	if s := k.Sort(); k != compbin.ExternKindValue && s != x.Sort {
		return fmt.Errorf("type mismatch: the component expects a %s, the instantiation passes a %s", s, x.Sort)
	}
	return nil
}
