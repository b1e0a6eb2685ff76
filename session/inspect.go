package session

import (
	"errors"
	"fmt"

	"wdbg/internal/wasmbin"
)

// This file holds the views of a paused program: frame selection, wasm
// locals, the operand stack, globals, memory and the value history.

// SelectedFrame returns the index of the selected frame.
func (s *Session) SelectedFrame() int { return s.selected }

// SelectFrame selects frame n of the current stop.
func (s *Session) SelectFrame(n int) (*Frame, error) {
	st := s.stop
	if st == nil || !st.valid {
		return nil, errors.New("no stack")
	}
	if n < 0 || n >= len(st.Frames) {
		return nil, fmt.Errorf("no frame at level %d", n)
	}
	s.selected = n
	return &st.Frames[n], nil
}

// Frame returns frame n of the current stop.
func (s *Session) Frame(n int) (*Frame, error) {
	st := s.stop
	if st == nil || !st.valid || len(st.Frames) == 0 {
		return nil, errors.New("no stack")
	}
	if n < 0 || n >= len(st.Frames) {
		return nil, fmt.Errorf("no frame at level %d", n)
	}
	return &st.Frames[n], nil
}

// WasmLocal is a wasm local of a frame.
type WasmLocal struct {
	Index uint32
	Name  string // from the name section, "" if none
	Type  ValType
	Param bool
	Value Value
}

// WasmLocals returns the wasm locals of frame n (parameters first).
func (s *Session) WasmLocals(n int) ([]WasmLocal, error) {
	f, err := s.Frame(n)
	if err != nil {
		return nil, err
	}
	if f.Host != "" {
		return nil, fmt.Errorf("frame %d is the host function %s: it has no wasm locals", n, f.Host)
	}
	if f.raw.Locals == nil {
		if n == 0 && s.stop.Fatal {
			return nil, fmt.Errorf("the locals of frame 0 were lost: the trap unwound the stack before wdbg could see them")
		}
		return nil, fmt.Errorf("the locals of frame %d were not captured: it was entered before wdbg started tracking calls (set the breakpoint before the call is made, or use --track-calls)", n)
	}
	m := s.prog.Modules[f.Loc.Module]
	types := m.wasm.LocalTypes(int(f.Func.Index) - m.wasm.NumImportedFuncs())
	ft, _ := m.wasm.FuncType(f.Func.Index)
	var names map[uint32]string
	if m.wasm.Names != nil {
		names = m.wasm.Names.Locals[f.Func.Index]
	}
	out := make([]WasmLocal, 0, len(f.raw.Locals))
	for i, v := range f.raw.Locals {
		l := WasmLocal{Index: uint32(i), Name: names[uint32(i)], Value: v, Param: i < len(ft.Params)}
		if i < len(types) {
			l.Type = types[i]
		}
		out = append(out, l)
	}
	return out, nil
}

// OperandStack returns the operand stack of frame n's innermost block,
// bottom first. Only frame 0 has one.
func (s *Session) OperandStack(n int) ([]Value, error) {
	f, err := s.Frame(n)
	if err != nil {
		return nil, err
	}
	if n != 0 {
		return nil, fmt.Errorf("only the innermost frame's operand stack is captured")
	}
	return f.raw.Stack, nil
}

// GlobalValue is a global of an instance at a stop.
type GlobalValue struct {
	Index    uint32
	Name     string
	Type     ValType
	Mutable  bool
	Imported string // "module.name" for an imported global
	Value    Value
	Err      error // the value could not be read
}

// Globals returns the globals of the selected frame's instance.
func (s *Session) Globals() ([]GlobalValue, error) {
	t, err := s.stoppedTarget()
	if err != nil {
		return nil, err
	}
	mod, inst := s.selectedInstance()
	wm := s.prog.Modules[mod].wasm
	var out []GlobalValue
	idx := uint32(0)
	for _, im := range wm.Imports {
		if im.Kind != wasmbin.GlobalKind {
			continue
		}
		g := GlobalValue{Index: idx, Type: im.Global.Type, Mutable: im.Global.Mutable, Imported: im.Module + "." + im.Name}
		g.Value, g.Err = t.Global(inst, idx)
		out = append(out, g)
		idx++
	}
	for _, gl := range wm.Globals {
		g := GlobalValue{Index: idx, Type: gl.Type.Type, Mutable: gl.Type.Mutable}
		g.Value, g.Err = t.Global(inst, idx)
		out = append(out, g)
		idx++
	}
	if wm.Names != nil {
		for i := range out {
			out[i].Name = wm.Names.Globals[out[i].Index]
		}
	}
	return out, nil
}

// selectedInstance returns the module and instance of the selected frame,
// or of the program's first instance.
func (s *Session) selectedInstance() (ModuleID, InstanceID) {
	if st := s.stop; st != nil && s.selected < len(st.Frames) {
		f := st.Frames[s.selected]
		if f.raw != nil && f.Host == "" {
			return f.Loc.Module, f.raw.Instance
		}
	}
	return 0, 0
}

// ReadMemory reads n bytes of linear memory at addr, in the selected
// frame's instance. It returns fewer bytes at the end of memory.
func (s *Session) ReadMemory(addr uint64, n int) ([]byte, error) {
	t, err := s.stoppedTarget()
	if err != nil {
		return nil, err
	}
	_, inst := s.selectedInstance()
	if n < 0 {
		return nil, fmt.Errorf("negative length %d", n)
	}
	if size, ok := t.MemorySize(inst); ok && addr < size {
		n = int(min(uint64(n), size-addr)) // never allocate past the end of memory
	}
	buf := make([]byte, n)
	got, err := t.ReadMemory(inst, addr, buf)
	if got == 0 && err != nil {
		return nil, err
	}
	return buf[:got], nil
}

// WriteMemory writes linear memory at addr in the selected frame's
// instance.
func (s *Session) WriteMemory(addr uint64, p []byte) error {
	t, err := s.stoppedTarget()
	if err != nil {
		return err
	}
	_, inst := s.selectedInstance()
	return t.WriteMemory(inst, addr, p)
}

// MemoryInfo describes linear memory 0 of the selected instance.
type MemoryInfo struct {
	Present  bool
	Min      uint64 // pages
	Max      uint64 // pages, when HasMax
	HasMax   bool
	Imported string
	Size     uint64 // current size in bytes, when the program is stopped
	Live     bool   // Size is known
}

// Memory describes the memory of the selected instance.
func (s *Session) Memory() MemoryInfo {
	mod, inst := s.selectedInstance()
	wm := s.prog.Modules[mod].wasm
	var mi MemoryInfo
	for _, im := range wm.Imports {
		if im.Kind == wasmbin.MemoryKind {
			mi = MemoryInfo{Present: true, Min: im.Mem.Limits.Min, Max: im.Mem.Limits.Max,
				HasMax: im.Mem.Limits.HasMax, Imported: im.Module + "." + im.Name}
			break
		}
	}
	if !mi.Present && len(wm.Mems) > 0 {
		l := wm.Mems[0].Limits
		mi = MemoryInfo{Present: true, Min: l.Min, Max: l.Max, HasMax: l.HasMax}
	}
	if t, err := s.stoppedTarget(); err == nil {
		mi.Size, mi.Live = t.MemorySize(inst)
	}
	return mi
}
