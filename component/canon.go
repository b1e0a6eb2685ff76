package component

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"

	"wdbg/component/abi"
	"wdbg/internal/compbin"
	"wdbg/internal/wasmbin"
)

// memory is a wazero memory as the canonical ABI sees it.
type memory struct{ m api.Memory }

func (m memory) Size() uint64 { return uint64(m.m.Size()) }

func (m memory) Read(ptr, n uint64) ([]byte, bool) {
	if ptr > m.Size() || n > m.Size()-ptr {
		return nil, false
	}
	return m.m.Read(uint32(ptr), uint32(n))
}

func (m memory) Write(ptr uint64, b []byte) bool {
	if ptr > m.Size() || uint64(len(b)) > m.Size()-ptr {
		return false
	}
	return m.m.Write(uint32(ptr), b)
}

// function returns the wazero function behind a core function item. A
// function the runtime made itself (a lowered import, a resource built-in)
// lives in a host module, which wazero does not let Go call directly
// (api.Module.ExportedFunction), so it is called through a one-function
// guest module that imports and re-exports it.
func (r *Runtime) function(item CoreItem) (api.Function, error) {
	if r.hostMods[item.Module] {
		var err error
		if item, err = r.trampoline(item); err != nil {
			return nil, err
		}
	}
	mod := r.wz.Module(item.Module)
	if mod == nil {
		return nil, fmt.Errorf("core module %s is not instantiated", item.Module)
	}
	f := mod.ExportedFunction(item.Name)
	if f == nil {
		return nil, fmt.Errorf("core module %s exports no function %q", item.Module, item.Name)
	}
	return f, nil
}

// funcDef returns the definition (the signature) of a core function item.
func (r *Runtime) funcDef(item CoreItem) (api.FunctionDefinition, error) {
	mod := r.wz.Module(item.Module)
	if mod == nil {
		return nil, fmt.Errorf("core module %s is not instantiated", item.Module)
	}
	d := mod.ExportedFunctionDefinitions()[item.Name]
	if d == nil {
		return nil, fmt.Errorf("core module %s exports no function %q", item.Module, item.Name)
	}
	return d, nil
}

// trampoline returns the guest module's item that re-exports a host
// module's function, making the module the first time.
func (r *Runtime) trampoline(item CoreItem) (CoreItem, error) {
	name := item.Module + "#call:" + item.Name
	t := CoreItem{Module: name, Name: "f", Kind: compbin.CoreExternFunc}
	if r.wz.Module(name) != nil {
		return t, nil
	}
	d, err := r.funcDef(item)
	if err != nil {
		return CoreItem{}, err
	}
	ft := wasmbin.FuncType{Params: valTypes(d.ParamTypes()), Results: valTypes(d.ResultTypes())}
	m := &wasmbin.Module{
		Types:   []wasmbin.FuncType{ft},
		Imports: []wasmbin.Import{{Module: item.Module, Name: item.Name, Kind: wasmbin.FuncKind}},
		Exports: []wasmbin.Export{{Name: "f", Kind: wasmbin.FuncKind}},
	}
	ctx := context.Background()
	if _, err := r.wz.InstantiateWithConfig(ctx, m.Encode(), wazero.NewModuleConfig().WithName(name).WithStartFunctions()); err != nil {
		return CoreItem{}, fmt.Errorf("calling %s.%s: %w", item.Module, item.Name, err)
	}
	return t, nil
}

// valTypes converts wazero's value types to wasmbin's.
func valTypes(ts []api.ValueType) []wasmbin.ValType {
	out := make([]wasmbin.ValType, len(ts))
	for i, t := range ts {
		out[i] = wasmbin.ValType(t) // both use the binary format's type bytes
	}
	return out
}

// callCore calls a core function; an exit from a host function comes back
// as *Exit.
func (r *Runtime) callCore(ctx context.Context, item CoreItem, params ...uint64) ([]uint64, error) {
	return r.callPool(ctx, r.pool(item), params...)
}

// callPool calls a core function through its handle pool.
func (r *Runtime) callPool(ctx context.Context, p *corePool, params ...uint64) ([]uint64, error) {
	f, err := r.acquire(p)
	if err != nil {
		return nil, err
	}
	res, err := f.Call(ctx, params...)
	p.free = append(p.free, f)
	if err != nil {
		var ee *sys.ExitError
		if errors.As(err, &ee) && r.exit != nil {
			return nil, r.exit
		}
		return nil, err
	}
	return res, nil
}

// options resolves canonical options. The post-return function, if any, is
// returned apart.
func (sc *scope) options(opts []compbin.CanonOpt) (abi.Options, *CoreItem, error) {
	var o abi.Options
	var post *CoreItem
	var encoding string // the encoding option given, if any
	seen := map[compbin.OptKind]bool{}
	for _, opt := range opts {
		switch opt.Kind {
		case compbin.OptUTF8, compbin.OptUTF16, compbin.OptLatin1UTF16:
			name := map[compbin.OptKind]string{compbin.OptUTF8: "utf8", compbin.OptUTF16: "utf16", compbin.OptLatin1UTF16: "latin1-utf16"}[opt.Kind]
			if encoding != "" {
				return o, nil, fmt.Errorf("canonical encoding option `%s` conflicts with option `%s`", encoding, name)
			}
			encoding = name
		case compbin.OptMemory, compbin.OptRealloc, compbin.OptPostReturn:
			if seen[opt.Kind] {
				if opt.Kind == compbin.OptMemory {
					return o, nil, fmt.Errorf("canonical option `memory` is specified more than once")
				}
				return o, nil, fmt.Errorf("canonical option `%s` is specified more than once", map[compbin.OptKind]string{compbin.OptRealloc: "realloc", compbin.OptPostReturn: "post-return"}[opt.Kind])
			}
			seen[opt.Kind] = true
		}
		switch opt.Kind {
		case compbin.OptUTF8:
			o.StringEncoding = abi.UTF8
		case compbin.OptUTF16:
			o.StringEncoding = abi.UTF16
		case compbin.OptLatin1UTF16:
			o.StringEncoding = abi.Latin1UTF16
		case compbin.OptMemory:
			item, err := sc.coreItem(compbin.SortIdx{Sort: compbin.SortCoreMemory, Index: opt.Index})
			if err != nil {
				return o, nil, err
			}
			mod := sc.r.wz.Module(item.Module)
			if mod == nil || mod.ExportedMemory(item.Name) == nil {
				return o, nil, fmt.Errorf("memory option: %s has no memory %q", item.Module, item.Name)
			}
			o.Memory = memory{mod.ExportedMemory(item.Name)}
		case compbin.OptRealloc:
			item, err := sc.coreItem(compbin.SortIdx{Sort: compbin.SortCoreFunc, Index: opt.Index})
			if err != nil {
				return o, nil, err
			}
			i32 := api.ValueTypeI32
			if err := sc.checkCoreSig(item, []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}); err != nil {
				return o, nil, fmt.Errorf("canonical option `realloc` uses a core function with an incorrect signature: %v", err)
			}
			r := sc.r
			p := r.pool(item)
			o.Realloc = func(oldPtr, oldSize, align, newSize uint64) (uint64, error) {
				res, err := r.callPool(r.context(), p, oldPtr, oldSize, align, newSize)
				if err != nil {
					return 0, err
				}
				if len(res) != 1 {
					return 0, fmt.Errorf("realloc returned %d values", len(res))
				}
				return uint64(uint32(res[0])), nil
			}
		case compbin.OptPostReturn:
			item, err := sc.coreItem(compbin.SortIdx{Sort: compbin.SortCoreFunc, Index: opt.Index})
			if err != nil {
				return o, nil, err
			}
			post = &item
		case compbin.OptAsync, compbin.OptCallback:
			return o, nil, fmt.Errorf("the async canonical ABI is not supported yet")
		default:
			return o, nil, fmt.Errorf("canonical option %s is not supported", opt)
		}
	}
	return o, post, nil
}

// canon builds a canonical definition: a lifted component function or a
// core function made by the runtime.
func (sc *scope) canon(ctx context.Context, c *compbin.Canon) error {
	switch c.Kind {
	case compbin.CanonLift:
		return sc.lift(c)
	case compbin.CanonLower:
		return sc.lower(ctx, c)
	case compbin.CanonResourceNew, compbin.CanonResourceDrop, compbin.CanonResourceRep:
		return sc.resourceBuiltin(ctx, c)
	}
	return sc.errorf(c.Offset, "canon %s is not supported yet (async components come next)", c.Kind)
}

// lift makes a component function of a core function.
func (sc *scope) lift(c *compbin.Canon) error {
	item, err := sc.coreItem(compbin.SortIdx{Sort: compbin.SortCoreFunc, Index: c.Func})
	if err != nil {
		return sc.errorf(c.Offset, "canon lift: %v", err)
	}
	ft, err := sc.types.funcType(c.Type)
	if err != nil {
		return sc.errorf(c.Offset, "canon lift: %v", err)
	}
	o, post, err := sc.options(c.Options)
	if err != nil {
		return sc.errorf(c.Offset, "canon lift: %v", err)
	}
	if err := checkOptions(o, ft, abi.CanonLift); err != nil {
		return sc.errorf(c.Offset, "canon lift: %v", err)
	}
	// The core function must take and return the flattening of the
	// function type, and a post-return function take what it returns.
	cft := abi.FlattenFunc(o, ft.Params, ft.Results, abi.CanonLift)
	params, results := coreValueTypes(cft.Params), coreValueTypes(cft.Results)
	if err := sc.checkCoreSig(item, params, results); err != nil {
		return sc.errorf(c.Offset, "canon lift: %v", err)
	}
	if post != nil {
		if err := sc.checkCoreSig(*post, results, nil); err != nil {
			return sc.errorf(c.Offset, "canon lift: canonical option `post-return` uses a core function with an incorrect signature: %v", err)
		}
	}
	r, inst := sc.r, sc.inst
	core := r.pool(item)
	var postPool *corePool
	if post != nil {
		postPool = r.pool(*post)
	}
	f := &Func{Name: fmt.Sprintf("%s/func%d", inst.Name, len(sc.funcs)), Type: ft, r: r, typeIdx: c.Type, typeSpace: sc.types}
	f.call = func(ctx context.Context, args []abi.Value) ([]abi.Value, error) {
		scope := &abi.BorrowScope{}
		cx := &abi.Context{Options: o, Instance: &inst.abi, BorrowScope: scope}
		flat, err := abi.LowerValues(cx, abi.MaxFlatParams, ft.Params, args)
		if err != nil {
			return nil, fmt.Errorf("%s: lowering the arguments: %w", f.Name, err)
		}
		res, err := r.callPool(ctx, core, flat...)
		if err != nil {
			return nil, err
		}
		out, err := abi.LiftValues(&abi.Context{Options: o, Instance: &inst.abi}, abi.MaxFlatResults, ft.Results, res)
		if err != nil {
			return nil, fmt.Errorf("%s: lifting the results: %w", f.Name, err)
		}
		if post != nil {
			if _, err := r.callPool(ctx, postPool, res...); err != nil {
				return nil, err
			}
		}
		if err := scope.CheckReturn(); err != nil {
			return nil, err
		}
		return out, nil
	}
	sc.funcs = append(sc.funcs, f)
	return nil
}

// checkCoreSig checks the signature of a core function against the one
// the canonical ABI calls it with.
func (sc *scope) checkCoreSig(item CoreItem, params, results []api.ValueType) error {
	d, err := sc.r.funcDef(item)
	if err != nil {
		return err
	}
	if got := d.ParamTypes(); !slices.Equal(got, params) {
		return fmt.Errorf("lowered parameter types `%s` do not match parameter types `%s` of %s", typeList(params), typeList(got), item.Name)
	}
	if got := d.ResultTypes(); !slices.Equal(got, results) {
		return fmt.Errorf("lowered result types `%s` do not match result types `%s` of %s", typeList(results), typeList(got), item.Name)
	}
	return nil
}

// typeList formats core types as the spec tests' messages do: [I32, I64].
func typeList(ts []api.ValueType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = strings.ToUpper(api.ValueTypeName(t))
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// coreValueTypes converts flat types to wazero's.
func coreValueTypes(ts []abi.CoreType) []api.ValueType {
	out := make([]api.ValueType, len(ts))
	for i, t := range ts {
		switch t {
		case abi.CoreI32:
			out[i] = api.ValueTypeI32
		case abi.CoreI64:
			out[i] = api.ValueTypeI64
		case abi.CoreF32:
			out[i] = api.ValueTypeF32
		case abi.CoreF64:
			out[i] = api.ValueTypeF64
		}
	}
	return out
}

// flatLen is how many core values ts flatten to.
func flatLen(ts []abi.Type) int {
	n := 0
	for _, t := range ts {
		n += len(abi.Flatten(t))
	}
	return n
}

// hostCoreFunc defines a core function implemented in Go, as a host module
// of its own, and adds it to the core function index space.
func (sc *scope) hostCoreFunc(ctx context.Context, what string, params, results []api.ValueType, fn api.GoModuleFunc) error {
	sc.r.seq++
	name := fmt.Sprintf("%s/canon%d:%s", sc.inst.Name, sc.r.seq, what)
	_, err := sc.r.wz.NewHostModuleBuilder(name).NewFunctionBuilder().
		WithGoModuleFunction(fn, params, results).Export("f").Instantiate(ctx)
	if err != nil {
		return err
	}
	if sc.r.hostMods == nil {
		sc.r.hostMods = map[string]bool{}
	}
	sc.r.hostMods[name] = true
	sc.coreFuncs = append(sc.coreFuncs, CoreItem{Module: name, Name: "f", Kind: compbin.CoreExternFunc})
	return nil
}

// fail aborts a core call from inside a host function: wazero unwinds the
// guest and returns the error from the outermost Call.
func (r *Runtime) fail(err error) {
	var e *Exit
	if errors.As(err, &e) {
		r.exit = e
		panic(sys.NewExitError(uint32(e.Code)))
	}
	panic(err)
}

// lower makes a core function of a component function.
func (sc *scope) lower(ctx context.Context, c *compbin.Canon) error {
	if int(c.Func) >= len(sc.funcs) {
		return sc.errorf(c.Offset, "canon lower: function %d out of range", c.Func)
	}
	f := sc.funcs[c.Func]
	o, post, err := sc.options(c.Options)
	if err != nil {
		return sc.errorf(c.Offset, "canon lower of %s: %v", f.Name, err)
	}
	if post != nil {
		return sc.errorf(c.Offset, "canon lower of %s: canonical option `post-return` cannot be specified for lowerings", f.Name)
	}
	if err := checkOptions(o, f.Type, abi.CanonLower); err != nil {
		return sc.errorf(c.Offset, "canon lower of %s: %v", f.Name, err)
	}
	ft := f.Type
	cft := abi.FlattenFunc(o, ft.Params, ft.Results, abi.CanonLower)
	retptr := flatLen(ft.Results) > abi.MaxFlatResults
	nparams := len(cft.Params)
	if retptr {
		nparams--
	}
	r, inst := sc.r, sc.inst
	fn := func(ctx context.Context, _ api.Module, stack []uint64) {
		if !inst.abi.MayLeave() {
			r.fail(&abi.Trap{Msg: fmt.Sprintf("%s called while the instance may not leave (in realloc or post-return)", f.Name)})
		}
		lenders := &abi.Lenders{}
		cx := &abi.Context{Options: o, Instance: &inst.abi, Lenders: lenders}
		args, err := abi.LiftValues(cx, abi.MaxFlatParams, ft.Params, stack[:nparams])
		if err != nil {
			r.fail(fmt.Errorf("calling %s: lifting the arguments: %w", f.Name, err))
		}
		traced := r.traced(f)
		if traced {
			r.traceCall(inst.Name, f, args)
		}
		r.depth++
		res, err := f.call(ctx, args)
		r.depth--
		lenders.Release()
		if traced {
			r.traceReturn(inst.Name, f, args, res, err)
		}
		if err != nil {
			r.fail(err)
		}
		if retptr {
			_, err = abi.LowerValuesTo(cx, abi.MaxFlatResults, ft.Results, res, stack[nparams])
		} else {
			var flat []uint64
			flat, err = abi.LowerValues(cx, abi.MaxFlatResults, ft.Results, res)
			copy(stack, flat)
		}
		if err != nil {
			r.fail(fmt.Errorf("returning from %s: lowering the results: %w", f.Name, err))
		}
	}
	// A call into another component's wasm gets a name a debugger can
	// recognise (BoundaryModule), to stitch the caller's stack to the
	// callee's: wazero runs the callee on a call stack of its own.
	what := "lower " + f.Name
	if f.r != nil {
		what = boundaryMarker + f.Name
	}
	if err := sc.hostCoreFunc(ctx, what, coreValueTypes(cft.Params), coreValueTypes(cft.Results), fn); err != nil {
		return sc.errorf(c.Offset, "canon lower of %s: %v", f.Name, err)
	}
	return nil
}

// resourceBuiltin makes resource.new, resource.rep or resource.drop.
func (sc *scope) resourceBuiltin(ctx context.Context, c *compbin.Canon) error {
	rt, err := sc.types.resource(c.Type)
	if err != nil {
		return sc.errorf(c.Offset, "canon %s: %v", c.Kind, err)
	}
	r, inst := sc.r, sc.inst
	i32 := []api.ValueType{api.ValueTypeI32}
	switch c.Kind {
	case compbin.CanonResourceNew:
		err = sc.hostCoreFunc(ctx, "resource.new", i32, i32, func(ctx context.Context, _ api.Module, stack []uint64) {
			h, err := inst.abi.ResourceNew(rt, uint32(stack[0]))
			if err != nil {
				r.fail(err)
			}
			stack[0] = uint64(h)
		})
	case compbin.CanonResourceRep:
		err = sc.hostCoreFunc(ctx, "resource.rep", i32, i32, func(ctx context.Context, _ api.Module, stack []uint64) {
			rep, err := inst.abi.ResourceRep(rt, uint32(stack[0]))
			if err != nil {
				r.fail(err)
			}
			stack[0] = uint64(rep)
		})
	default:
		err = sc.hostCoreFunc(ctx, "resource.drop", i32, nil, func(ctx context.Context, _ api.Module, stack []uint64) {
			if err := inst.abi.ResourceDrop(rt, uint32(stack[0])); err != nil {
				r.fail(err)
			}
		})
	}
	if err != nil {
		return sc.errorf(c.Offset, "canon %s: %v", c.Kind, err)
	}
	return nil
}
