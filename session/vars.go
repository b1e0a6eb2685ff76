package session

import (
	"fmt"
	"strconv"

	"wdbg/cexpr"
)

// Variable is a variable of a frame (or any value a front end shows as a
// tree node), formatted for display.
type Variable struct {
	Name  string
	Type  string // in C spelling, or the wasm value type
	Value string // as gdb prints it in info locals
	// Summary is the value as gdb prints a frame argument: "..." for a
	// struct, union or array.
	Summary string
	Kind    VarKind
	// Children says whether Children would return something (a struct, an
	// array, a pointer that can be followed).
	Children bool

	frame int // the frame whose scope the value was read in
	stop  int // Stop.Seq: the node is valid only for its stop
	val   cexpr.Value
	hasV  bool
}

// VarKind says where a variable comes from.
type VarKind int

const (
	VarArg VarKind = iota
	VarLocal
	VarGlobal
	VarWasmLocal // a wasm local, for frames without debug info
)

// maxChildren bounds the elements of an array shown as children.
const maxChildren = 1000

// variable formats a value as a Variable.
func (s *Session) variable(env *frameEnv, name string, v cexpr.Value, kind VarKind, o cexpr.Options) Variable {
	text := cexpr.Format(env, v, o)
	sum := text
	if cexpr.IsAggregate(v) {
		sum = "..."
	}
	frame := -1
	if env.frame != nil {
		frame = env.frame.Index
	}
	seq := 0
	if s.stop != nil {
		seq = s.stop.Seq
	}
	return Variable{Name: name, Type: cexpr.TypeName(v), Value: text, Summary: sum, Kind: kind,
		Children: cexpr.HasChildren(cexpr.Snapshot(env, v)), frame: frame, stop: seq, val: v, hasV: true}
}

// hasDWARFScope reports whether frame n has DWARF variables to show.
func (s *Session) dwarfFrame(n int) (*frameEnv, bool, error) {
	env, err := s.env(n)
	if err != nil {
		return nil, false, err
	}
	if env.frame == nil || env.mod.debug == nil || env.frame.dfunc == nil {
		return env, false, nil
	}
	return env, true, nil
}

// FrameArgs returns the arguments of frame n, from DWARF. Without debug
// info a wasm function has no named arguments: it returns none (see
// FrameLocals for its wasm locals).
func (s *Session) FrameArgs(n int) ([]Variable, error) {
	env, ok, err := s.dwarfFrame(n)
	if err != nil || !ok {
		return nil, err
	}
	params, _ := env.vars()
	out := make([]Variable, 0, len(params))
	for _, p := range params {
		if p.Name == "" {
			continue
		}
		out = append(out, s.variable(env, p.Name, env.varValue(p), VarArg, cexpr.Options{}))
	}
	return out, nil
}

// FrameLocals returns the local variables of frame n, innermost scope
// first (from DWARF); without debug info, its captured wasm locals.
func (s *Session) FrameLocals(n int) ([]Variable, error) {
	env, ok, err := s.dwarfFrame(n)
	if err != nil {
		return nil, err
	}
	if ok {
		_, locals := env.vars()
		out := make([]Variable, 0, len(locals))
		for _, l := range locals {
			if l.Name == "" {
				continue
			}
			out = append(out, s.variable(env, l.Name, env.varValue(l), VarLocal, cexpr.Options{}))
		}
		return out, nil
	}
	return s.wasmLocalVars(n)
}

// HasDebugInfo reports whether frame n has DWARF scope information, so
// that info locals shows C variables rather than wasm locals.
func (s *Session) HasDebugInfo(n int) bool {
	_, ok, err := s.dwarfFrame(n)
	return err == nil && ok
}

// wasmLocalVars returns the captured wasm locals of frame n as variables.
func (s *Session) wasmLocalVars(n int) ([]Variable, error) {
	ls, err := s.WasmLocals(n)
	if err != nil {
		return nil, err
	}
	var out []Variable
	for _, l := range ls {
		if l.Value.Missing {
			continue
		}
		name := "$local" + strconv.Itoa(int(l.Index))
		if l.Name != "" {
			name += " " + l.Name
		}
		out = append(out, Variable{Name: name, Type: l.Type.String(), Value: l.Value.String(), Summary: l.Value.String(),
			Kind: VarWasmLocal, frame: n, stop: s.stop.Seq})
	}
	return out, nil
}

// Children returns the members, elements (at most 1000) or pointee of a
// variable.
func (s *Session) Children(v Variable) ([]Variable, error) {
	if s.stop == nil || v.stop != s.stop.Seq || !s.stop.valid {
		return nil, fmt.Errorf("the program has moved on since %s was read", v.Name)
	}
	if !v.hasV {
		return nil, nil
	}
	env, err := s.env(max(v.frame, 0))
	if err != nil {
		return nil, err
	}
	kids, err := cexpr.Children(env, v.Name, v.val, maxChildren)
	if err != nil {
		return nil, err
	}
	out := make([]Variable, len(kids))
	for i, k := range kids {
		out[i] = s.variable(env, k.Name, k.Value, v.Kind, cexpr.Options{})
	}
	return out, nil
}
