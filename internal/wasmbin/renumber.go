package wasmbin

// Renumbered returns a copy of m in which every function and global index
// outside the code section is mapped through fn and gl: exports, the start
// function, global initializers, element segments and their offsets, data
// segment offsets, and the name section. A rewriter that inserts imports
// (which moves every defined function or global) renumbers the bodies it
// rewrites itself and the rest of the module with this. The result shares
// nothing that it changed with m; Code and everything else is shared.
func (m *Module) Renumbered(fn, gl func(uint32) uint32) *Module {
	out := *m
	out.Exports = make([]Export, len(m.Exports))
	for i, e := range m.Exports {
		switch e.Kind {
		case FuncKind:
			e.Index = fn(e.Index)
		case GlobalKind:
			e.Index = gl(e.Index)
		}
		out.Exports[i] = e
	}
	if m.Start != nil {
		s := fn(*m.Start)
		out.Start = &s
	}
	out.Globals = make([]Global, len(m.Globals))
	for i, g := range m.Globals {
		g.Init = g.Init.renumbered(fn, gl)
		out.Globals[i] = g
	}
	out.Elems = make([]Elem, len(m.Elems))
	for i, e := range m.Elems {
		e.Offset = e.Offset.renumbered(fn, gl)
		if e.Funcs != nil {
			fs := make([]uint32, len(e.Funcs))
			for j, f := range e.Funcs {
				fs[j] = fn(f)
			}
			e.Funcs = fs
		}
		if e.Exprs != nil {
			xs := make([]ConstExpr, len(e.Exprs))
			for j, x := range e.Exprs {
				xs[j] = x.renumbered(fn, gl)
			}
			e.Exprs = xs
		}
		out.Elems[i] = e
	}
	out.Datas = make([]Data, len(m.Datas))
	for i, d := range m.Datas {
		d.Offset = d.Offset.renumbered(fn, gl)
		out.Datas[i] = d
	}
	if m.Names != nil {
		n := *m.Names
		n.Funcs = renumberedKeys(n.Funcs, fn)
		n.Globals = renumberedKeys(n.Globals, gl)
		if n.Locals != nil {
			ls := make(map[uint32]map[uint32]string, len(n.Locals))
			for f, v := range n.Locals {
				ls[fn(f)] = v
			}
			n.Locals = ls
		}
		out.Names = &n
	}
	return &out
}

// renumbered maps the ref.func and global.get indices of a constant
// expression.
func (e ConstExpr) renumbered(fn, gl func(uint32) uint32) ConstExpr {
	if len(e.Instrs) == 0 {
		return e
	}
	ins := append([]Instr(nil), e.Instrs...)
	for i := range ins {
		switch ins[i].Op {
		case OpRefFunc:
			ins[i].Index = fn(ins[i].Index)
		case OpGlobalGet:
			ins[i].Index = gl(ins[i].Index)
		}
	}
	return ConstExpr{Instrs: ins}
}

func renumberedKeys(m map[uint32]string, f func(uint32) uint32) map[uint32]string {
	if m == nil {
		return nil
	}
	out := make(map[uint32]string, len(m))
	for k, v := range m {
		out[f(k)] = v
	}
	return out
}
