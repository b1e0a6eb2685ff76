package session

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"wdbg/cexpr"
	"wdbg/dwarf"
	"wdbg/internal/wasmbin"
)

// This file connects the C expression language (package cexpr) to a stop:
// a frame's DWARF variables, the instance's memory, the module's symbols,
// the value history and convenience variables.

// frameState is the machine state of one frame, as DWARF location
// expressions read it.
type frameState struct {
	raw  *RawFrame
	mem  memory
	glob func(idx uint32) (Value, error)
}

func (f *frameState) Local(i uint32) (uint64, bool) {
	if f.raw == nil || int(i) >= len(f.raw.Locals) || f.raw.Locals[i].Missing {
		return 0, false
	}
	return f.raw.Locals[i].Bits, true
}

func (f *frameState) Global(i uint32) (uint64, bool) {
	if f.glob == nil {
		return 0, false
	}
	v, err := f.glob(i)
	if err != nil || v.Missing {
		return 0, false
	}
	return v.Bits, true
}

func (f *frameState) Stack(i uint32) (uint64, bool) {
	if f.raw == nil || int(i) >= len(f.raw.Stack) {
		return 0, false
	}
	return f.raw.Stack[i].Bits, true
}

func (f *frameState) ReadMemory(addr uint64, p []byte) error { return f.mem.ReadMemory(addr, p) }

func (f *frameState) PC() dwarf.CodeOffset {
	if f.raw == nil {
		return 0
	}
	return dwarf.CodeOffset(f.raw.PC)
}

// memory is linear memory as expressions read and write it.
type memory interface {
	ReadMemory(addr uint64, p []byte) error
	WriteMemory(addr uint64, p []byte) error
}

// liveMemory is the memory of an instance of a stopped target.
type liveMemory struct {
	t    Target
	inst InstanceID
}

func (m liveMemory) ReadMemory(addr uint64, p []byte) error {
	n, err := m.t.ReadMemory(m.inst, addr, p)
	if err != nil {
		return err
	}
	if n < len(p) {
		return fmt.Errorf("address 0x%x is past the end of memory", addr+uint64(n))
	}
	return nil
}

func (m liveMemory) WriteMemory(addr uint64, p []byte) error {
	return m.t.WriteMemory(m.inst, addr, p)
}

// staticMemory is a module's memory before it runs: its active data
// segments over zeros, as gdb reads a program's initialized data before
// `run`.
type staticMemory struct{ m *Module }

func (sm staticMemory) ReadMemory(addr uint64, p []byte) error {
	limit := sm.m.symbols().memBytes
	if addr+uint64(len(p)) > limit || addr+uint64(len(p)) < addr {
		return fmt.Errorf("address 0x%x is past the end of memory", addr)
	}
	clear(p)
	for _, seg := range sm.m.symbols().data {
		lo, hi := max(addr, seg.addr), min(addr+uint64(len(p)), seg.addr+uint64(len(seg.init)))
		if lo < hi {
			copy(p[lo-addr:hi-addr], seg.init[lo-seg.addr:hi-seg.addr])
		}
	}
	return nil
}

func (staticMemory) WriteMemory(addr uint64, p []byte) error {
	return errors.New("the program is not running: there is no memory to write to (use start or run)")
}

// moduleSymbols are a module's symbols for printing addresses: its data
// objects (DWARF globals), its function table and its memory image.
type moduleSymbols struct {
	debug    *dwarf.Data
	objects  []dataObject // sorted by addr
	table    map[uint64]uint32
	data     []dataSegment
	memBytes uint64
}

type dataObject struct {
	addr uint64
	size uint64 // 0 until dataSymbol needs it
	name string
	obj  dwarf.StaticObject
}

type dataSegment struct {
	addr uint64
	init []byte
}

var symbolsMu sync.Mutex

// symbols builds the module's symbol tables once.
func (m *Module) symbols() *moduleSymbols {
	symbolsMu.Lock()
	defer symbolsMu.Unlock()
	if m.syms != nil {
		return m.syms
	}
	ms := &moduleSymbols{table: map[uint64]uint32{}}
	wm := m.wasm
	for _, e := range wm.Elems {
		off, ok := constI32(e.Offset)
		if e.Mode != wasmbin.ModeActive || e.Table != 0 || !ok {
			continue
		}
		for i, f := range e.Funcs {
			ms.table[off+uint64(i)] = f
		}
		for i, x := range e.Exprs {
			if len(x.Instrs) > 0 && x.Instrs[0].Op == wasmbin.OpRefFunc {
				ms.table[off+uint64(i)] = x.Instrs[0].Index
			}
		}
	}
	for _, d := range wm.Datas {
		off, ok := constI32(d.Offset)
		if d.Mode != wasmbin.ModeActive || d.Mem != 0 || !ok {
			continue
		}
		ms.data = append(ms.data, dataSegment{addr: off, init: d.Init})
	}
	if len(wm.Mems) > 0 {
		ms.memBytes = wm.Mems[0].Limits.Min * 65536
	}
	for _, im := range wm.Imports {
		if im.Kind == wasmbin.MemoryKind {
			ms.memBytes = im.Mem.Limits.Min * 65536
		}
	}
	ms.debug = m.debug
	seen := map[uint64]bool{}
	for _, o := range m.debug.StaticObjects() {
		if !seen[o.Addr] {
			seen[o.Addr] = true
			ms.objects = append(ms.objects, dataObject{addr: o.Addr, name: o.Name, obj: o})
		}
	}
	m.syms = ms
	return ms
}

// constI32 evaluates an i32.const offset expression.
func constI32(e wasmbin.ConstExpr) (uint64, bool) {
	if len(e.Instrs) == 0 || e.Instrs[0].Op != wasmbin.OpI32Const {
		return 0, false
	}
	return uint64(uint32(e.Instrs[0].Const)), true
}

// noFrame is the state of no frame: only static locations evaluate.
type noFrame struct{}

func (noFrame) Local(uint32) (uint64, bool)     { return 0, false }
func (noFrame) Global(uint32) (uint64, bool)    { return 0, false }
func (noFrame) Stack(uint32) (uint64, bool)     { return 0, false }
func (noFrame) ReadMemory(uint64, []byte) error { return errors.New("no memory") }
func (noFrame) PC() dwarf.CodeOffset            { return 0 }

// dataSymbol names the object containing addr: "accounts" or
// "accounts+16". It learns an object's size the first time it needs it.
func (ms *moduleSymbols) dataSymbol(addr uint64) string {
	i := sort.Search(len(ms.objects), func(i int) bool { return ms.objects[i].addr > addr }) - 1
	if i < 0 {
		return ""
	}
	o := &ms.objects[i]
	symbolsMu.Lock() // sizes are filled in lazily
	if addr > o.addr && o.size == 0 {
		o.size = ms.debug.StaticSize(o.obj)
	}
	symbolsMu.Unlock()
	if addr >= o.addr+max(o.size, 1) {
		return ""
	}
	if addr == o.addr {
		return o.name
	}
	return o.name + "+" + strconv.FormatUint(addr-o.addr, 10)
}

// frameEnv is the cexpr.Env of one frame of a stop, or of no frame (the
// program's globals, from its memory image when it is not running).
type frameEnv struct {
	s     *Session
	mod   *Module
	inst  InstanceID
	frame *Frame // nil: no frame
	state *frameState
	mem   memory
	pc    dwarf.CodeOffset
	live  bool
	// usedLocal is set when Lookup resolves a name to a local or an
	// argument of the frame (watchpoints use it to know their scope).
	usedLocal bool
}

// env returns the expression environment of frame n of the current stop;
// with no valid stop, that of the program's first module, statically.
func (s *Session) env(n int) (*frameEnv, error) {
	st := s.stop
	if st == nil || !st.valid || len(st.Frames) == 0 {
		m := s.prog.Modules[0]
		return &frameEnv{s: s, mod: m, mem: staticMemory{m}}, nil
	}
	if n < 0 || n >= len(st.Frames) {
		return nil, fmt.Errorf("no frame at level %d", n)
	}
	f := &st.Frames[n]
	t, err := s.stoppedTarget()
	if err != nil {
		return nil, err
	}
	if f.Host != "" {
		// A host frame: the globals of the program's first instance.
		m := s.prog.Modules[0]
		mem := liveMemory{t: t, inst: 0}
		return &frameEnv{s: s, mod: m, mem: mem, live: true,
			state: &frameState{mem: mem, glob: func(i uint32) (Value, error) { return t.Global(0, i) }}}, nil
	}
	inst := f.raw.Instance
	mem := liveMemory{t: t, inst: inst}
	return &frameEnv{
		s: s, mod: s.prog.Modules[f.Loc.Module], inst: inst, frame: f, mem: mem, live: true,
		pc:    dwarf.CodeOffset(f.raw.PC),
		state: &frameState{raw: f.raw, mem: mem, glob: func(i uint32) (Value, error) { return t.Global(inst, i) }},
	}, nil
}

// vars returns the DWARF parameters and locals of the env's frame.
func (e *frameEnv) vars() (params, locals []*dwarf.Var) {
	d := e.mod.debug
	if d == nil || e.frame == nil {
		return nil, nil
	}
	return d.FrameVars(e.pc, e.frame.inline)
}

// Lookup implements cexpr.Env.
func (e *frameEnv) Lookup(name string) (cexpr.Value, bool, error) {
	params, locals := e.vars()
	for _, v := range locals {
		if v.Name == name {
			e.usedLocal = true
			return e.varValue(v), true, nil
		}
	}
	for _, v := range params {
		if v.Name == name {
			e.usedLocal = true
			return e.varValue(v), true, nil
		}
	}
	d := e.mod.debug
	if d == nil {
		return cexpr.Value{}, false, nil
	}
	if gs := d.GlobalByName(name); len(gs) > 0 {
		g := gs[0]
		if e.frame != nil && e.frame.dfunc != nil {
			for _, c := range gs {
				if c.CU == e.frame.dfunc.CU {
					g = c
					break
				}
			}
		}
		return e.varValue(g), true, nil
	}
	if et, val, ok := d.Enumerator(name); ok {
		return cexpr.Int(et, val), true, nil
	}
	for _, f := range d.FuncByName(name) {
		if f.Inlined || len(f.Ranges) == 0 {
			continue
		}
		ft := &dwarf.FuncType{Return: f.Type, Prototyped: true}
		if ft.Return == nil {
			ft.Return = &dwarf.Void{}
		}
		for _, p := range f.Params {
			ft.Params = append(ft.Params, p.Type)
		}
		addr := uint64(e.mod.wasm.FileOffset(wasmbin.CodeOffset(f.Low)))
		if fn, ok := e.mod.FuncAt(CodeOffset(f.Low)); ok {
			addr = uint64(fn.Start)
		}
		return cexpr.Function(ft, name, addr), true, nil
	}
	return cexpr.Value{}, false, nil
}

// varValue reads a DWARF variable in the env's frame.
func (e *frameEnv) varValue(v *dwarf.Var) cexpr.Value {
	t := v.Type
	if t == nil {
		t = &dwarf.Unknown{TypeName: "<unknown type>"}
	}
	if v.Const != nil {
		if v.Const.Bytes != nil {
			return cexpr.Bytes(t, v.Const.Bytes)
		}
		return cexpr.Int(t, v.Const.Int)
	}
	pc := e.pc
	expr, ok := v.Loc.At(pc)
	if !ok || len(expr) == 0 {
		return cexpr.OptimizedOut(t)
	}
	var fb dwarf.Expr
	var frame dwarf.Frame = noFrame{}
	if e.state != nil {
		frame = e.state
	}
	if e.mod.debug != nil && e.frame != nil {
		if cf := e.mod.debug.FuncAt(pc); cf != nil {
			fb = cf.FrameBase
		}
	}
	if e.frame == nil && !e.live {
		frame = staticFrame{e.mem}
	}
	res, err := dwarf.Eval(expr, frame, fb)
	if err != nil {
		if errors.Is(err, dwarf.ErrUnavailable) && e.frame != nil && !e.frame.LocalsCaptured {
			return cexpr.Unavailable(t, "not saved")
		}
		return cexpr.OptimizedOut(t)
	}
	return fromPieces(e.mem, t, res)
}

// staticFrame evaluates static locations against a memory image.
type staticFrame struct{ mem memory }

func (staticFrame) Local(uint32) (uint64, bool)              { return 0, false }
func (staticFrame) Global(uint32) (uint64, bool)             { return 0, false }
func (staticFrame) Stack(uint32) (uint64, bool)              { return 0, false }
func (f staticFrame) ReadMemory(addr uint64, p []byte) error { return f.mem.ReadMemory(addr, p) }
func (staticFrame) PC() dwarf.CodeOffset                     { return 0 }

// fromPieces builds a value of type t from the pieces of its location.
func fromPieces(mem memory, t dwarf.Type, r dwarf.Result) cexpr.Value {
	n := int(t.Size())
	if n < 0 || n > 1<<20 {
		n = 0
	}
	if len(r.Pieces) == 1 && r.Pieces[0].SizeBytes == 0 && r.Pieces[0].BitSize == 0 {
		p := r.Pieces[0]
		switch p.Kind {
		case dwarf.InMemory:
			return cexpr.Memory(t, p.Addr)
		case dwarf.InLocal, dwarf.Value, dwarf.Implicit:
			b := make([]byte, n)
			copy(b, p.Bytes)
			v := cexpr.Bytes(t, b)
			if len(p.Bytes) < n {
				miss := make([]bool, n)
				for i := len(p.Bytes); i < n; i++ {
					miss[i] = true
				}
				v = v.WithMissing(miss)
			}
			if p.Kind == dwarf.InLocal && p.Wasm.Space != dwarf.SpaceStack {
				v = v.Place(cexpr.Loc{Kind: cexpr.InWasm, Wasm: p.Wasm})
			}
			return v
		}
		return cexpr.OptimizedOut(t)
	}
	// Several pieces: assemble the object's bytes.
	b := make([]byte, n)
	miss := make([]bool, n)
	off := 0
	for _, p := range r.Pieces {
		k := p.SizeBytes
		if p.BitSize > 0 {
			if p.BitSize%8 != 0 || p.BitOffset%8 != 0 {
				// A piece that is not whole bytes: mark it missing.
				k = (p.BitSize + 7) / 8
				for i := off; i < off+k && i < n; i++ {
					miss[i] = true
				}
				off += k
				continue
			}
			k = p.BitSize / 8
		}
		var src []byte
		ok := true
		switch p.Kind {
		case dwarf.InMemory:
			src = make([]byte, k)
			if err := mem.ReadMemory(p.Addr, src); err != nil {
				ok = false
			}
		case dwarf.InLocal, dwarf.Value, dwarf.Implicit:
			src = p.Bytes
			if p.BitOffset > 0 && p.BitOffset/8 < len(src) {
				src = src[p.BitOffset/8:]
			}
		default:
			ok = false
		}
		for i := 0; i < k && off+i < n; i++ {
			if ok && i < len(src) {
				b[off+i] = src[i]
			} else {
				miss[off+i] = true
			}
		}
		off += k
	}
	for i := off; i < n; i++ {
		miss[i] = true
	}
	return cexpr.Bytes(t, b).WithMissing(miss).Place(cexpr.Loc{Kind: cexpr.Composite})
}

// Type implements cexpr.Env.
func (e *frameEnv) Type(name string) (dwarf.Type, bool) {
	if e.mod.debug == nil {
		return nil, false
	}
	ts := e.mod.debug.TypeByName(name)
	if len(ts) == 0 {
		return nil, false
	}
	return ts[0], true
}

func (e *frameEnv) ReadMemory(addr uint64, p []byte) error  { return e.mem.ReadMemory(addr, p) }
func (e *frameEnv) WriteMemory(addr uint64, p []byte) error { return e.mem.WriteMemory(addr, p) }

// WriteWasm implements cexpr.Env. Backends cannot change wasm locals yet.
func (e *frameEnv) WriteWasm(loc dwarf.WasmLoc, bits uint64) error {
	where := map[dwarf.WasmSpace]string{dwarf.SpaceLocal: "local", dwarf.SpaceGlobal: "global", dwarf.SpaceStack: "operand stack slot"}[loc.Space]
	return fmt.Errorf("cannot change this value: at this pc it lives in wasm %s %d, and wdbg can only write linear memory", where, loc.Index)
}

func (e *frameEnv) DataSymbol(addr uint64) string { return e.mod.symbols().dataSymbol(addr) }

// CodeSymbol implements cexpr.Env: "main+20" for a module file offset.
func (e *frameEnv) CodeSymbol(addr uint64) string {
	co, ok := e.mod.wasm.CodeOffsetOf(FileOffset(addr))
	if !ok {
		return ""
	}
	f, ok := e.mod.FuncAt(co)
	if !ok {
		return ""
	}
	name := e.s.funcDisplayName(e.mod, f)
	if d := FileOffset(addr) - f.Start; d > 0 {
		return name + "+" + strconv.Itoa(int(d))
	}
	return name
}

// FuncPointer implements cexpr.Env: a function pointer is an index into
// table 0.
func (e *frameEnv) FuncPointer(v uint64) string {
	idx, ok := e.mod.symbols().table[v]
	if !ok {
		return ""
	}
	f, ok := e.mod.Func(idx)
	if !ok {
		return ""
	}
	return e.s.funcDisplayName(e.mod, f)
}

// funcDisplayName is a function's DWARF name when it has one, else its
// wasm name.
func (s *Session) funcDisplayName(m *Module, f Function) string {
	if d := m.debug; d != nil && !f.Imported {
		if c, ok := m.code(f.Index); ok {
			if df := d.FuncAt(dwarf.CodeOffset(c.Start)); df != nil && df.Name != "" {
				return df.Name
			}
		}
	}
	return f.Name
}

// Dollar implements cexpr.Env: $pc, $sp, $localN, $globalN, $stackN and
// convenience variables.
func (e *frameEnv) Dollar(name string) (cexpr.Value, bool, error) {
	if v, ok := e.s.conv[name]; ok {
		return v, true, nil
	}
	num := func(prefix string) (int, bool) {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || rest == "" {
			return 0, false
		}
		n, err := strconv.Atoi(rest)
		return n, err == nil && n >= 0
	}
	switch name {
	case "pc":
		if e.frame == nil {
			return cexpr.Value{}, false, errors.New("No registers.")
		}
		off := e.frame.Loc.Offset
		return cexpr.Code(cexpr.TypeCodePtr, uint64(off)), true, nil
	case "sp":
		if e.state == nil || e.state.glob == nil {
			return cexpr.Value{}, false, errors.New("No registers.")
		}
		v, err := e.state.glob(e.stackPointer())
		if err != nil {
			return cexpr.Value{}, false, err
		}
		return cexpr.Int(cexpr.TypeVoidPtr, int64(uint32(v.Bits))), true, nil
	}
	if n, ok := num("local"); ok {
		if e.frame == nil {
			return cexpr.Value{}, false, errors.New("No frame selected.")
		}
		ls, err := e.s.WasmLocals(e.frame.Index)
		if err != nil {
			return cexpr.Value{}, false, err
		}
		if n >= len(ls) {
			return cexpr.Value{}, false, fmt.Errorf("frame %d has no local %d", e.frame.Index, n)
		}
		v := wasmValue(ls[n].Value)
		return v.Place(cexpr.Loc{Kind: cexpr.InWasm, Wasm: dwarf.WasmLoc{Space: dwarf.SpaceLocal, Index: uint32(n)}}), true, nil
	}
	if n, ok := num("global"); ok {
		if e.state == nil || e.state.glob == nil {
			return cexpr.Value{}, false, errors.New("The program has no globals now: it is not running.")
		}
		v, err := e.state.glob(uint32(n))
		if err != nil {
			return cexpr.Value{}, false, err
		}
		return wasmValue(v).Place(cexpr.Loc{Kind: cexpr.InWasm, Wasm: dwarf.WasmLoc{Space: dwarf.SpaceGlobal, Index: uint32(n)}}), true, nil
	}
	if n, ok := num("stack"); ok {
		if e.frame == nil || e.frame.raw == nil || n >= len(e.frame.raw.Stack) {
			return cexpr.Value{}, false, fmt.Errorf("the operand stack has no value %d", n)
		}
		return wasmValue(e.frame.raw.Stack[n]), true, nil
	}
	return cexpr.Value{}, false, nil
}

// stackPointer is the index of the __stack_pointer global (0 if unnamed).
func (e *frameEnv) stackPointer() uint32 {
	if n := e.mod.wasm.Names; n != nil {
		for i, name := range n.Globals {
			if name == "__stack_pointer" {
				return i
			}
		}
	}
	return 0
}

// wasmValue is a wasm value as a C value of the matching type.
func wasmValue(v Value) cexpr.Value {
	if v.Missing {
		return cexpr.Unavailable(cexpr.TypeI32, "not captured")
	}
	switch v.Type {
	case wasmbin.I64:
		return cexpr.Int(cexpr.TypeI64, int64(v.Bits))
	case wasmbin.F32:
		return cexpr.Bytes(cexpr.TypeF32, binary.LittleEndian.AppendUint32(nil, uint32(v.Bits)))
	case wasmbin.F64:
		return cexpr.Float(cexpr.TypeF64, math.Float64frombits(v.Bits))
	}
	return cexpr.Int(cexpr.TypeI32, int64(int32(v.Bits)))
}

// SetDollar implements cexpr.Env.
func (e *frameEnv) SetDollar(name string, v cexpr.Value) error {
	switch {
	case name == "pc" || name == "sp":
		return fmt.Errorf("cannot set $%s: wdbg cannot change the program counter or the stack pointer", name)
	case strings.HasPrefix(name, "local") || strings.HasPrefix(name, "global") || strings.HasPrefix(name, "stack"):
		if _, err := strconv.Atoi(strings.TrimLeft(name, "localgbstck")); err == nil {
			return fmt.Errorf("cannot set $%s: wdbg can only write linear memory", name)
		}
	}
	if e.s.conv == nil {
		e.s.conv = map[string]cexpr.Value{}
	}
	e.s.conv[name] = v
	return nil
}

// History implements cexpr.Env.
func (e *frameEnv) History(n int) (cexpr.Value, error) {
	h := e.s.history
	if n <= 0 {
		if len(h) == 0 {
			if n == 0 {
				return cexpr.Value{}, errors.New("History is empty.")
			}
			return cexpr.Value{}, errors.New("History has not yet reached $$.")
		}
		i := len(h) - 1 + n
		if i < 0 {
			return cexpr.Value{}, fmt.Errorf("History has not yet reached $$%d.", -n)
		}
		return h[i], nil
	}
	if n > len(h) {
		return cexpr.Value{}, fmt.Errorf("History has not yet reached $%d.", n)
	}
	return h[n-1], nil
}

// record adds a value to the value history and returns its number.
func (s *Session) record(v cexpr.Value) int {
	s.history = append(s.history, v)
	return len(s.history)
}

// PrintResult is a value printed by Print.
type PrintResult struct {
	History int    // its number in the value history ($N)
	Text    string // as gdb prints it after "$N = "
	Void    bool   // the value has type void (call prints nothing)
}

// parseFormat checks a format letter string ("", "x", ...).
func parseFormat(format string) (byte, error) {
	if format == "" {
		return 0, nil
	}
	f := format[len(format)-1]
	if err := cexpr.ValidFormat(f); err != nil {
		return 0, err
	}
	return f, nil
}

// Print evaluates expr in the selected frame, records the value in the
// history and formats it as gdb's print does.
func (s *Session) Print(expr, format string) (PrintResult, error) {
	f, err := parseFormat(format)
	if err != nil {
		return PrintResult{}, err
	}
	env, err := s.env(s.selected)
	if err != nil {
		return PrintResult{}, err
	}
	v, err := cexpr.Evaluate(env, expr)
	if err != nil {
		return PrintResult{}, err
	}
	if v, err = cexpr.Fetch(env, v); err != nil {
		return PrintResult{}, err // gdb records nothing for an unreadable value
	}
	text := cexpr.Format(env, v, cexpr.Options{Format: f, TopLevel: true})
	return PrintResult{History: s.record(cexpr.Snapshot(env, v)), Text: text, Void: cexpr.IsVoid(v)}, nil
}

// Output evaluates expr and formats it without recording it (gdb's output
// command).
func (s *Session) Output(expr, format string) (string, error) {
	f, err := parseFormat(format)
	if err != nil {
		return "", err
	}
	env, err := s.env(s.selected)
	if err != nil {
		return "", err
	}
	v, err := cexpr.Evaluate(env, expr)
	if err != nil {
		return "", err
	}
	if v, err = cexpr.Fetch(env, v); err != nil {
		return "", err
	}
	return cexpr.Format(env, v, cexpr.Options{Format: f, TopLevel: true}), nil
}

// Evaluate evaluates an expression in the selected frame and formats it
// (format: "" for natural, or a gdb format letter), for displays and
// watches.
func (s *Session) Evaluate(expr, format string) (Variable, error) {
	f, err := parseFormat(format)
	if err != nil {
		return Variable{}, err
	}
	env, err := s.env(s.selected)
	if err != nil {
		return Variable{}, err
	}
	v, err := cexpr.Evaluate(env, expr)
	if err != nil {
		return Variable{}, err
	}
	if v, err = cexpr.Fetch(env, v); err != nil {
		return Variable{}, err
	}
	return s.variable(env, expr, v, VarLocal, cexpr.Options{Format: f, TopLevel: true}), nil
}

// SetVariable evaluates an assignment ("x = 5") for its effect.
func (s *Session) SetVariable(expr string) error {
	env, err := s.env(s.selected)
	if err != nil {
		return err
	}
	_, err = cexpr.Evaluate(env, expr)
	return err
}

// Whatis returns the type of an expression, or of a type name, as gdb's
// whatis spells it.
func (s *Session) Whatis(expr string) (string, error) {
	env, err := s.env(s.selected)
	if err != nil {
		return "", err
	}
	e, err := cexpr.Parse(expr, cexpr.TypeNames(env))
	if err != nil {
		return "", err
	}
	t, err := e.EvalType(env)
	if err != nil {
		return "", err
	}
	if e.IsType() {
		return cexpr.WhatisTypedef(t), nil
	}
	return cexpr.Whatis(t), nil
}

// Ptype returns the type of an expression, or a type, written out in full
// as gdb's ptype does.
func (s *Session) Ptype(expr string) (string, error) {
	env, err := s.env(s.selected)
	if err != nil {
		return "", err
	}
	e, err := cexpr.Parse(expr, cexpr.TypeNames(env))
	if err != nil {
		return "", err
	}
	t, err := e.EvalType(env)
	if err != nil {
		return "", err
	}
	return cexpr.Ptype(t), nil
}

// EvalAddress evaluates an expression to an address in linear memory or
// code (for x, list *ADDR, break *ADDR): a pointer's value, an integer,
// the address of an array or function.
func (s *Session) EvalAddress(expr string) (uint64, error) {
	if strings.TrimSpace(expr) == "" {
		return 0, errors.New("Argument required (starting display address).")
	}
	env, err := s.env(s.selected)
	if err != nil {
		return 0, err
	}
	v, err := cexpr.Evaluate(env, expr)
	if err != nil {
		return 0, err
	}
	return cexpr.Address(env, v)
}
