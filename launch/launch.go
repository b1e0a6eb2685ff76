// Package launch wires a debugging session together: it loads a program,
// builds the engine's launcher for it and creates the session. Front ends
// get a *session.Session from here and never see the engine; tests of the
// front ends use it to debug real fixtures.
package launch

import (
	"fmt"

	"wdbg/engine"
	"wdbg/session"
)

// Options configure a session.
type Options struct {
	Session session.Config
	Engine  engine.Config
}

// Open loads the program at path and returns a session for it, with the
// warnings that loading produced (such as bad DWARF).
func Open(path string, opts Options) (*session.Session, []string, error) {
	prog, err := session.LoadFile(path)
	if err != nil {
		return nil, nil, err
	}
	l, err := engine.NewLauncher(prog, opts.Engine)
	if err != nil {
		return nil, prog.Warnings, fmt.Errorf("%s: %w", path, err)
	}
	return session.New(prog, l, opts.Session), prog.Warnings, nil
}
