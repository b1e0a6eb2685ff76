package session

import "fmt"

// Display is an expression shown at every stop (gdb's display; the TUI's
// watches).
type Display struct {
	ID      int
	Expr    string
	Format  string // "", or a gdb format letter such as "x"
	Enabled bool
}

// AddDisplay adds a display expression.
func (s *Session) AddDisplay(expr, format string) *Display {
	s.displayID++
	d := &Display{ID: s.displayID, Expr: expr, Format: format, Enabled: true}
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
