package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"charm.land/bubbles/v2/key"
)

// componentsPane shows a component: its instance tree (imports and exports
// with WIT types, core modules, instances), and at a stop the handle tables
// of its instances.
type componentsPane struct {
	cursorState
	rows   []string
	height int
}

func (p *componentsPane) id() paneID          { return paneComponents }
func (p *componentsPane) title(e *env) string { return "Components" }
func (p *componentsPane) keys() []key.Binding { return nil }

func (p *componentsPane) refresh(e *env) {
	p.rows = nil
	if hs, err := e.sess.Resources(); err == nil {
		p.rows = append(p.rows, "Handles")
		if len(hs) == 0 {
			p.rows = append(p.rows, "  none")
		}
		for _, h := range hs {
			row := fmt.Sprintf("  %s #%d %s", h.Instance, h.Index, h.Kind)
			if h.What != "" {
				row += " → " + h.What
			}
			if h.Lends > 0 {
				row += fmt.Sprintf(" (lent to %d calls)", h.Lends)
			}
			p.rows = append(p.rows, row)
		}
	}
	if root, ok := e.sess.Program().Components(); ok {
		p.rows = append(p.rows, root.Lines()...)
	}
	p.clamp(len(p.rows), max(p.height, 1))
}

func (p *componentsPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	p.moveKey(msg, e.keymap, len(p.rows), p.height)
	return nil
}

func (p *componentsPane) click(x, y int, e *env) tea.Cmd {
	if i := p.top + y; i < len(p.rows) {
		p.cursor = i
	}
	return nil
}

func (p *componentsPane) scroll(n int) { p.top += n; p.clamp(len(p.rows), p.height) }

func (p *componentsPane) view(w, h int, e *env) []string {
	p.height = h
	p.clamp(len(p.rows), h)
	st := e.styles
	var out []string
	for i := p.top; i < len(p.rows) && len(out) < h; i++ {
		s := p.rows[i]
		switch {
		case i == p.cursor && e.focused(paneComponents):
			s = st.CursorLine.Render(s)
		case !strings.HasPrefix(s, " "):
			s = st.Title.Render(s)
		}
		out = append(out, s)
	}
	return fitLines(out, w, h)
}
