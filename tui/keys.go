package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding of the TUI. Help (`?`) is generated from it.
type KeyMap struct {
	Run, Continue, Next, Step, Finish, StepInstr, Halt key.Binding
	Breakpoint                                         key.Binding
	FocusNext, FocusPrev                               key.Binding
	Up, Down, PageUp, PageDown, Top, Bottom            key.Binding
	Expand, Select                                     key.Binding
	Panes                                              key.Binding
	Command, Help, Quit                                key.Binding
}

// DefaultKeyMap returns wdbg's keys: gdb/IDE function keys, and single
// letters for people at a terminal.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return KeyMap{
		Run:        b([]string{"r"}, "r", "run / restart"),
		Continue:   b([]string{"f5", "c"}, "F5/c", "continue"),
		Next:       b([]string{"f10", "n"}, "F10/n", "next (step over)"),
		Step:       b([]string{"f11", "s"}, "F11/s", "step (into)"),
		Finish:     b([]string{"shift+f11", "f"}, "S-F11/f", "finish (step out)"),
		StepInstr:  b([]string{"i"}, "i", "stepi"),
		Halt:       b([]string{"ctrl+c"}, "C-c", "halt the running guest"),
		Breakpoint: b([]string{"b", "f9"}, "b/F9", "toggle breakpoint at cursor"),
		FocusNext:  b([]string{"tab"}, "Tab", "next pane"),
		FocusPrev:  b([]string{"shift+tab"}, "S-Tab", "previous pane"),
		Up:         b([]string{"up", "k"}, "↑/k", "up"),
		Down:       b([]string{"down", "j"}, "↓/j", "down"),
		PageUp:     b([]string{"pgup"}, "PgUp", "page up"),
		PageDown:   b([]string{"pgdown"}, "PgDn", "page down"),
		Top:        b([]string{"g", "home"}, "g", "top"),
		Bottom:     b([]string{"G", "end"}, "G", "bottom"),
		Expand:     b([]string{"enter", "right", "l"}, "Enter/→", "expand / select"),
		Select:     b([]string{"left", "h"}, "←", "collapse"),
		Panes:      b([]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}, "0-9", "focus pane N (0: components)"),
		Command:    b([]string{":"}, ":", "command bar (any wdbg command)"),
		Help:       b([]string{"?"}, "?", "help"),
		Quit:       b([]string{"q"}, "q", "quit"),
	}
}

// ShortHelp is the status line's reminder.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Continue, k.Next, k.Step, k.Finish, k.Breakpoint, k.Command, k.Help, k.Quit}
}

// FullHelp is the `?` screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Run, k.Continue, k.Next, k.Step, k.Finish, k.StepInstr, k.Halt},
		{k.Breakpoint, k.FocusNext, k.FocusPrev, k.Panes, k.Expand, k.Select},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Command, k.Help, k.Quit},
	}
}
