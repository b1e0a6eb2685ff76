package session

import (
	"fmt"

	"wdbg/cexpr"
)

// Display is an expression shown at every stop (gdb's display; the TUI's
// watches).
type Display struct {
	ID      int
	Expr    string
	Format  string // "", or a gdb format letter such as "x"
	Enabled bool
	// Scope is the function the display was made in, when its expression
	// uses that function's locals or arguments; as in gdb, it is shown only
	// while the selected frame is in that function. Nil: shown everywhere.
	Scope *Function
}

// AddDisplay adds a display expression.
func (s *Session) AddDisplay(expr, format string) *Display {
	s.displayID++
	d := &Display{ID: s.displayID, Expr: expr, Format: format, Enabled: true}
	d.Scope = s.localScope(expr)
	s.displays = append(s.displays, d)
	s.events.publish(BreakpointsChanged{})
	return d
}

// DeleteDisplay deletes display id.
func (s *Session) DeleteDisplay(id int) error {
	for i, d := range s.displays {
		if d.ID == id {
			s.displays = append(s.displays[:i], s.displays[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("no display number %d", id)
}

// Displays returns the display expressions.
func (s *Session) Displays() []*Display { return s.displays }

// InScope reports whether display d applies to the selected frame.
func (s *Session) InScope(d *Display) bool {
	if d.Scope == nil {
		return true
	}
	st := s.stop
	if st == nil || !st.valid || s.selected >= len(st.Frames) {
		return false
	}
	f := st.Frames[s.selected].Func
	return f.Module == d.Scope.Module && f.Index == d.Scope.Index
}

// localScope returns the selected frame's function if expr, evaluated
// there, uses a local or an argument.
func (s *Session) localScope(expr string) *Function {
	env, err := s.env(s.selected)
	if err != nil || env.frame == nil {
		return nil
	}
	e, err := cexpr.Parse(expr, cexpr.TypeNames(env))
	if err != nil {
		return nil
	}
	env.usedLocal = false
	if _, err := e.Eval(env); err != nil || !env.usedLocal {
		return nil
	}
	f := env.frame.Func
	return &f
}
