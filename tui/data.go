package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"charm.land/bubbles/v2/key"
	"wdbg/session"
)

// This file holds the data panes: locals (an expandable tree), watches and
// memory.

// localsPane shows the selected frame's arguments and locals as a tree.
type localsPane struct {
	cursorState
	rows     []varRow
	expanded map[string]bool
	height   int
	err      string
}

type varRow struct {
	depth   int
	key     string // path, for expansion and change tracking
	v       session.Variable
	section string // a heading row ("Arguments", "Locals") when set
	changed bool
	open    bool
}

func (p *localsPane) id() paneID          { return paneLocals }
func (p *localsPane) title(e *env) string { return "Locals" }
func (p *localsPane) keys() []key.Binding { return nil }

func (p *localsPane) refresh(e *env) {
	if p.expanded == nil {
		p.expanded = map[string]bool{}
	}
	p.rows, p.err = nil, ""
	st := e.sess.Stop()
	if st == nil || !st.Valid() {
		return
	}
	n := e.sess.SelectedFrame()
	f, _ := e.sess.Frame(n)
	frameKey := fmt.Sprintf("%s/%d", f.Func.Name, len(st.Frames)-n)
	args, _ := e.sess.FrameArgs(n)
	locals, err := e.sess.FrameLocals(n)
	if err != nil {
		p.err = err.Error()
	}
	add := func(section string, vs []session.Variable) {
		if len(vs) == 0 {
			return
		}
		p.rows = append(p.rows, varRow{section: section})
		for _, v := range vs {
			p.addVar(e, frameKey+"/"+v.Name, v, 0)
		}
	}
	add("Arguments", args)
	add("Locals", locals)
	p.clamp(len(p.rows), max(p.height, 1))
}

// addVar adds a variable and, if expanded, its children.
func (p *localsPane) addVar(e *env, k string, v session.Variable, depth int) {
	row := varRow{depth: depth, key: k, v: v, changed: e.changed(k, v.Value), open: p.expanded[k]}
	p.rows = append(p.rows, row)
	if !row.open || !v.Children || depth > 16 {
		return
	}
	kids, err := e.sess.Children(v)
	if err != nil {
		return
	}
	for _, c := range kids {
		p.addVar(e, k+"/"+c.Name, c, depth+1)
	}
}

func (p *localsPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	if p.cursor < len(p.rows) {
		r := p.rows[p.cursor]
		switch {
		case key.Matches(msg, e.keymap.Expand) && r.v.Children:
			p.expanded[r.key] = true
			p.refresh(e)
			return nil
		case key.Matches(msg, e.keymap.Select) && r.open:
			delete(p.expanded, r.key)
			p.refresh(e)
			return nil
		}
	}
	p.moveKey(msg, e.keymap, len(p.rows), p.height)
	return nil
}

func (p *localsPane) click(x, y int, e *env) tea.Cmd {
	if i := p.top + y; i < len(p.rows) {
		p.cursor = i
		r := p.rows[i]
		if r.v.Children {
			if p.expanded[r.key] {
				delete(p.expanded, r.key)
			} else {
				p.expanded[r.key] = true
			}
			p.refresh(e)
		}
	}
	return nil
}

func (p *localsPane) scroll(n int) { p.top += n; p.clamp(len(p.rows), p.height) }

func (p *localsPane) view(w, h int, e *env) []string {
	p.height = h
	p.clamp(len(p.rows), h)
	st := e.styles
	if len(p.rows) == 0 {
		msg := "No locals."
		if p.err != "" {
			msg = p.err
		} else if s := e.sess.Stop(); s == nil || !s.Valid() {
			msg = "The program is not stopped."
		}
		return fitLines(wrap(st.Dim.Render(msg), w), w, h)
	}
	var out []string
	for i := p.top; i < len(p.rows) && len(out) < h; i++ {
		r := p.rows[i]
		if r.section != "" {
			out = append(out, st.Title.Render(r.section))
			continue
		}
		twisty := "  "
		if r.v.Children {
			twisty = "▸ "
			if r.open {
				twisty = "▾ "
			}
		}
		val := r.v.Value
		if r.changed {
			val = st.Changed.Render(val)
		} else {
			val = st.VarValue.Render(val)
		}
		s := strings.Repeat("  ", r.depth) + twisty + st.VarName.Render(r.v.Name) + " = " + val
		if i == p.cursor && e.focused(paneLocals) {
			s = st.CursorLine.Render(stripStyle(s))
		}
		out = append(out, s)
	}
	return fitLines(out, w, h)
}

// watchesPane shows the session's display expressions.
type watchesPane struct {
	cursorState
	rows   []string
	ids    []int
	height int
}

func (p *watchesPane) id() paneID          { return paneWatches }
func (p *watchesPane) title(e *env) string { return "Watches" }
func (p *watchesPane) keys() []key.Binding { return []key.Binding{bpDelete} }

func (p *watchesPane) refresh(e *env) {
	p.rows, p.ids = nil, nil
	for _, d := range e.sess.Displays() {
		val := "<the program is not stopped>"
		if st := e.sess.Stop(); st != nil && st.Valid() && !e.sess.InScope(d) {
			val = "<not in scope: " + d.Scope.Name + ">"
		} else if st != nil && st.Valid() {
			if v, err := e.sess.Evaluate(d.Expr, d.Format); err != nil {
				val = "<" + err.Error() + ">"
			} else {
				val = v.Value
				if e.changed("watch/"+d.Expr, val) {
					val = e.styles.Changed.Render(val)
				}
			}
		}
		p.rows = append(p.rows, fmt.Sprintf("%d: %s = %s", d.ID, d.Expr, val))
		p.ids = append(p.ids, d.ID)
	}
	p.clamp(len(p.rows), max(p.height, 1))
}

func (p *watchesPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	if key.Matches(msg, bpDelete) && p.cursor < len(p.ids) {
		return e.exec(fmt.Sprintf("undisplay %d", p.ids[p.cursor]))
	}
	p.moveKey(msg, e.keymap, len(p.rows), p.height)
	return nil
}

func (p *watchesPane) click(x, y int, e *env) tea.Cmd {
	if i := p.top + y; i < len(p.rows) {
		p.cursor = i
	}
	return nil
}

func (p *watchesPane) scroll(n int) { p.top += n; p.clamp(len(p.rows), p.height) }

func (p *watchesPane) view(w, h int, e *env) []string {
	p.height = h
	if len(p.rows) == 0 {
		return fitLines(wrap(e.styles.Dim.Render("No watches. :display EXPR adds one."), w), w, h)
	}
	var out []string
	for i := p.top; i < len(p.rows) && len(out) < h; i++ {
		s := p.rows[i]
		if i == p.cursor && e.focused(paneWatches) {
			s = e.styles.CursorLine.Render(stripStyle(s))
		}
		out = append(out, s)
	}
	return fitLines(out, w, h)
}

// memoryPane is a hex and ASCII view of linear memory at an address
// expression, re-evaluated at every stop; bytes that changed since the last
// stop are highlighted.
type memoryPane struct {
	expr   string
	base   uint64 // the expression's value at the last refresh
	row    int    // scroll, in 16-byte rows from base
	data   []byte
	prev   map[uint64]byte
	err    string
	height int
}

var memAddr = key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "set the address expression"))

func (p *memoryPane) id() paneID          { return paneMemory }
func (p *memoryPane) keys() []key.Binding { return []key.Binding{memAddr} }
func (p *memoryPane) title(e *env) string { return "Memory " + p.expr }

func (p *memoryPane) refresh(e *env) {
	old := map[uint64]byte{}
	for i, b := range p.data {
		old[p.start()+uint64(i)] = b
	}
	p.prev = old
	p.data, p.err = nil, ""
	st := e.sess.Stop()
	if st == nil || !st.Valid() {
		p.err = "The program is not stopped."
		return
	}
	addr, err := e.sess.EvalAddress(p.expr)
	if err != nil {
		p.err = err.Error()
		return
	}
	p.base = addr &^ 15
	n := 16 * max(p.height, 8)
	p.data, err = e.sess.ReadMemory(p.start(), n)
	if err != nil {
		p.err = err.Error()
	}
}

func (p *memoryPane) start() uint64 {
	s := int64(p.base) + int64(p.row)*16
	if s < 0 {
		return 0
	}
	return uint64(s)
}

func (p *memoryPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	km := e.keymap
	switch {
	case key.Matches(msg, km.Up):
		p.row--
	case key.Matches(msg, km.Down):
		p.row++
	case key.Matches(msg, km.PageUp):
		p.row -= max(p.height-1, 1)
	case key.Matches(msg, km.PageDown):
		p.row += max(p.height-1, 1)
	case key.Matches(msg, km.Top):
		p.row = 0
	default:
		return nil
	}
	p.refreshData(e)
	return nil
}

// refreshData rereads memory after a scroll, keeping the change marks.
func (p *memoryPane) refreshData(e *env) {
	if st := e.sess.Stop(); st != nil && st.Valid() {
		p.data, _ = e.sess.ReadMemory(p.start(), 16*max(p.height, 8))
	}
}

func (p *memoryPane) click(x, y int, e *env) tea.Cmd { return nil }
func (p *memoryPane) scroll(n int)                   { p.row += n }

func (p *memoryPane) view(w, h int, e *env) []string {
	p.height = h
	st := e.styles
	if p.err != "" {
		return fitLines(wrap(st.Dim.Render(p.err), w), w, h)
	}
	perRow := 16
	if w < 75 {
		perRow = 8
	}
	var out []string
	for r := 0; r*perRow < len(p.data) && len(out) < h; r++ {
		addr := p.start() + uint64(r*perRow)
		var hex, asc strings.Builder
		for i := 0; i < perRow; i++ {
			j := r*perRow + i
			if j >= len(p.data) {
				hex.WriteString("   ")
				continue
			}
			b := p.data[j]
			h := fmt.Sprintf("%02x", b)
			c := "."
			if b >= 0x20 && b < 0x7f {
				c = string(rune(b))
			}
			if old, ok := p.prev[addr+uint64(i)]; ok && old != b {
				h, c = st.Changed.Render(h), st.Changed.Render(c)
			}
			hex.WriteString(h + " ")
			asc.WriteString(c)
		}
		out = append(out, st.Addr.Render(fmt.Sprintf("%08x", addr))+"  "+hex.String()+" "+asc.String())
	}
	return fitLines(out, w, h)
}

// wrap breaks plain text into lines of at most w cells.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	var out []string
	for _, para := range strings.Split(ansi.Wrap(s, w, ""), "\n") {
		out = append(out, para)
	}
	return out
}

// stripStyle removes ANSI styling.
func stripStyle(s string) string { return ansi.Strip(s) }
