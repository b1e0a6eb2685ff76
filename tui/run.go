package tui

import (
	"io"

	tea "charm.land/bubbletea/v2"

	"wdbg/cli"
	"wdbg/session"
)

// Run runs the TUI on the terminal until the user quits, then kills the
// program.
func Run(s *session.Session, in *cli.Interp, input io.Reader, output io.Writer) error {
	m := New(s, in, monoFromEnv())
	p := tea.NewProgram(m, tea.WithInput(input), tea.WithOutput(output))
	_, err := p.Run()
	m.unsub()
	_ = s.Kill()
	return err
}
