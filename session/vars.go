package session

import (
	"fmt"
	"strconv"
)

// Variable is a variable of a frame (or any value a front end shows as a
// tree node), formatted for display.
type Variable struct {
	Name  string
	Type  string // in C spelling, or the wasm value type
	Value string // as gdb prints it
	Kind  VarKind
	// Children says whether Children would return something (a struct, an
	// array, a pointer that can be followed).
	Children bool
	// path identifies the node for Children.
	path varPath
}

// VarKind says where a variable comes from.
type VarKind int

const (
	VarArg VarKind = iota
	VarLocal
	VarGlobal
	VarWasmLocal // a wasm local, for frames without debug info
)

// varPath identifies a variable node: a frame and a chain of names from a
// root variable.
type varPath struct {
	frame int
	stop  int // Stop.Seq: a path is valid only for its stop
	names []string
}

// FrameArgs returns the arguments of frame n. Without debug info a wasm
// function has no named arguments: it returns none (see FrameLocals for
// its wasm locals).
func (s *Session) FrameArgs(n int) ([]Variable, error) {
	return nil, nil
}

// FrameLocals returns the local variables of frame n; without debug info,
// its captured wasm locals.
func (s *Session) FrameLocals(n int) ([]Variable, error) {
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
		out = append(out, Variable{Name: name, Type: l.Type.String(), Value: l.Value.String(), Kind: VarWasmLocal,
			path: varPath{frame: n, stop: s.stop.Seq, names: []string{name}}})
	}
	return out, nil
}

// Children returns the members, elements or pointee of a variable.
func (s *Session) Children(v Variable) ([]Variable, error) {
	if s.stop == nil || v.path.stop != s.stop.Seq {
		return nil, fmt.Errorf("the program has moved on since %s was read", v.Name)
	}
	return nil, nil
}
