package session

// Variable is a source-level variable of a frame, formatted for display.
type Variable struct {
	Name  string
	Type  string // in C spelling
	Value string // as gdb prints it
}

// FrameArgs returns the arguments of frame n, formatted.
func (s *Session) FrameArgs(n int) ([]Variable, error) { return nil, nil }
