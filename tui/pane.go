package tui

import (
	tea "charm.land/bubbletea/v2"

	"charm.land/bubbles/v2/key"
	"wdbg/cli"
	"wdbg/session"
)

// paneID names a pane; its number is the pane's hotkey.
type paneID int

const (
	paneSource paneID = iota + 1
	paneDisasm
	paneStack
	paneLocals
	paneWatches
	paneBreakpoints
	paneMemory
	paneOutput
	paneConsole
	// paneComponents exists for components only; its hotkey is 0.
	paneComponents
)

// pane is one area of the screen. Panes are concrete types; the model keeps
// them in a registry and the layout decides where they go.
type pane interface {
	id() paneID
	title(e *env) string
	// refresh re-reads what the pane shows from the session; called on the
	// UI goroutine while no command runs.
	refresh(e *env)
	// key handles a key press while the pane has focus.
	key(msg tea.KeyPressMsg, e *env) tea.Cmd
	// click handles a click at (x, y) inside the pane's content.
	click(x, y int, e *env) tea.Cmd
	// scroll moves the view by n lines.
	scroll(n int)
	// view renders the content: exactly h lines of exactly w cells.
	view(w, h int, e *env) []string
	// keys are the pane's own bindings, for help.
	keys() []key.Binding
}

// env is what panes share: the session, the command interpreter, the
// styles and keys, and whether a command is running.
type env struct {
	sess    *session.Session
	interp  *cli.Interp
	styles  *Styles
	keymap  *KeyMap
	running bool
	focus   paneID
	// exec runs a command line through the command table (see Model.exec).
	exec func(line string) tea.Cmd
	// prev holds values seen at the previous stop, for change highlighting.
	prev map[string]string
	cur  map[string]string
}

// changed reports whether a value differs from the previous stop's, and
// records it for the next one.
func (e *env) changed(key, value string) bool {
	e.cur[key] = value
	old, ok := e.prev[key]
	return ok && old != value
}

// cursorState is the shared cursor/scroll logic of list-like panes.
type cursorState struct {
	cursor, top int
}

func (c *cursorState) clamp(n, h int) {
	if n <= 0 {
		c.cursor, c.top = 0, 0
		return
	}
	c.cursor = min(max(c.cursor, 0), n-1)
	if c.cursor < c.top {
		c.top = c.cursor
	}
	if h > 0 && c.cursor >= c.top+h {
		c.top = c.cursor - h + 1
	}
	c.top = min(max(c.top, 0), max(n-h, 0))
}

// center puts line i in the middle of an h-line view.
func (c *cursorState) center(i, n, h int) {
	c.cursor = i
	c.top = i - h/2
	c.clamp(n, h)
}

// moveKey applies the navigation keys; it reports whether it used the key.
func (c *cursorState) moveKey(msg tea.KeyPressMsg, km *KeyMap, n, h int) bool {
	switch {
	case key.Matches(msg, km.Up):
		c.cursor--
	case key.Matches(msg, km.Down):
		c.cursor++
	case key.Matches(msg, km.PageUp):
		c.cursor -= max(h-1, 1)
		c.top -= max(h-1, 1)
	case key.Matches(msg, km.PageDown):
		c.cursor += max(h-1, 1)
		c.top += max(h-1, 1)
	case key.Matches(msg, km.Top):
		c.cursor = 0
	case key.Matches(msg, km.Bottom):
		c.cursor = n - 1
	default:
		return false
	}
	c.clamp(n, h)
	return true
}
