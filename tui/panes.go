package tui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"wdbg/session"
)

// This file holds the list-like panes: disassembly, stack, breakpoints,
// watches, guest output and the console.

// disasmPane shows the WebAssembly text of the selected frame's function.
type disasmPane struct {
	cursorState
	fn     session.Function
	instrs []session.Instruction
	pc     session.FileOffset
	bps    map[session.FileOffset]bool
	height int
	err    string
	want   int // an instruction to center at the next view, -1 if none
}

func (p *disasmPane) id() paneID          { return paneDisasm }
func (p *disasmPane) keys() []key.Binding { return nil }
func (p *disasmPane) title(e *env) string {
	if p.fn.Name == "" {
		return "Disassembly"
	}
	return "Disassembly " + p.fn.Name
}

func (p *disasmPane) refresh(e *env) {
	p.pc = 0
	f, err := e.sess.Frame(e.sess.SelectedFrame())
	if err != nil || f.Host != "" {
		return
	}
	p.pc = f.Loc.Offset
	if f.Func.Index != p.fn.Index || f.Func.Module != p.fn.Module || p.instrs == nil {
		p.fn = f.Func
		p.instrs, err = e.sess.Program().Modules[f.Loc.Module].Disassemble(f.Func.Index)
		p.err = ""
		if err != nil {
			p.err = err.Error()
		}
	}
	for i, in := range p.instrs {
		if in.Offset == p.pc {
			p.want, p.cursor = i, i
		}
	}
	p.bps = map[session.FileOffset]bool{}
	for _, bp := range e.sess.Breakpoints() {
		for _, l := range bp.Locations {
			p.bps[l.Loc.Offset] = p.bps[l.Loc.Offset] || bp.Enabled
		}
	}
}

func (p *disasmPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	if key.Matches(msg, e.keymap.Breakpoint) && p.cursor < len(p.instrs) {
		return p.toggle(p.instrs[p.cursor].Offset, e)
	}
	p.moveKey(msg, e.keymap, len(p.instrs), p.height)
	return nil
}

func (p *disasmPane) toggle(off session.FileOffset, e *env) tea.Cmd {
	for _, bp := range e.sess.Breakpoints() {
		for _, l := range bp.Locations {
			if l.Loc.Offset == off {
				return e.exec("delete " + strconv.Itoa(bp.ID))
			}
		}
	}
	return e.exec(fmt.Sprintf("break *0x%x", uint32(off)))
}

func (p *disasmPane) click(x, y int, e *env) tea.Cmd {
	if i := p.top + y; i < len(p.instrs) {
		p.cursor = i
		if x < 2 {
			return p.toggle(p.instrs[i].Offset, e)
		}
	}
	return nil
}

func (p *disasmPane) scroll(n int) {
	p.top += n
	p.cursor += n
	p.clamp(len(p.instrs), p.height)
}

func (p *disasmPane) view(w, h int, e *env) []string {
	p.height = h
	if p.want >= 0 && h > 0 {
		p.center(p.want, len(p.instrs), h)
		p.want = -1
	}
	p.clamp(len(p.instrs), h)
	st := e.styles
	if len(p.instrs) == 0 {
		msg := "No code to show: the program is not stopped."
		if p.err != "" {
			msg = p.err
		}
		return fitLines([]string{st.Dim.Render(msg)}, w, h)
	}
	var out []string
	for i := p.top; i < len(p.instrs) && len(out) < h; i++ {
		in := p.instrs[i]
		mark := "  "
		if en, ok := p.bps[in.Offset]; ok {
			if en {
				mark = st.Breakpoint.Render("●") + " "
			} else {
				mark = st.BreakpointOff.Render("○") + " "
			}
		}
		line := fmt.Sprintf("%s <+%d> %s", st.Addr.Render(fmt.Sprintf("0x%08x", uint32(in.Offset))),
			uint32(in.Offset)-uint32(p.fn.Start), in.Text)
		switch {
		case in.Offset == p.pc:
			line = st.CurrentInstr.Render(fitLine("=> "+stripStyle(line), max(w-2, 0)))
		case i == p.cursor && e.focused(paneDisasm):
			line = "   " + st.CursorLine.Render(stripStyle(line))
		default:
			line = "   " + line
		}
		out = append(out, mark+line)
	}
	return fitLines(out, w, h)
}

// stackPane lists the frames; selecting one selects it in the session.
type stackPane struct {
	cursorState
	frames []frameRow
	inl    []bool
	sel    int
	height int
}

// frameRow is a frame as the stack pane shows it: "#0 apply(ARGS) ledger.c:29",
// with the arguments shortened first when the pane is narrow.
type frameRow struct {
	head, tail string
	args       []string // "acct=0x10a90 <accounts>"
	// whole: head is the entire row (a component boundary), cut to fit.
	whole bool
}

// fit renders the row in w cells: with every argument if it fits, else
// with as many whole arguments as fit and then "…".
func (r frameRow) fit(w int) string {
	if r.whole {
		return r.head
	}
	full := r.head + "(" + strings.Join(r.args, ", ") + ")" + r.tail
	if ansi.StringWidth(full) <= w || len(r.args) == 0 {
		return full
	}
	for n := len(r.args) - 1; n >= 1; n-- {
		s := r.head + "(" + strings.Join(r.args[:n], ", ") + ", …)" + r.tail
		if ansi.StringWidth(s) <= w {
			return s
		}
	}
	return r.head + "(…)" + r.tail
}

func (p *stackPane) id() paneID          { return paneStack }
func (p *stackPane) title(e *env) string { return "Stack" }
func (p *stackPane) keys() []key.Binding { return nil }

func (p *stackPane) refresh(e *env) {
	p.frames, p.inl = nil, nil
	st := e.sess.Stop()
	if st == nil || !st.Valid() {
		return
	}
	for i := range st.Frames {
		f := &st.Frames[i]
		p.frames = append(p.frames, frameText(f, e))
		p.inl = append(p.inl, f.Inlined)
	}
	p.sel = e.sess.SelectedFrame()
	p.cursor = p.sel
	p.clamp(len(p.frames), max(p.height, 1))
}

// frameText is a frame as the stack pane shows it.
func frameText(f *session.Frame, e *env) frameRow {
	if call, ok := strings.CutPrefix(f.Host, session.BoundaryFramePrefix); ok {
		return frameRow{head: fmt.Sprintf("#%d ⇣ %s", f.Index, call), whole: true}
	}
	if f.Host != "" {
		return frameRow{head: fmt.Sprintf("#%d <host> %s", f.Index, f.Host)}
	}
	var args []string
	if vs, err := e.sess.FrameArgs(f.Index); err == nil {
		for _, v := range vs {
			args = append(args, v.Name+"="+v.Summary)
		}
	}
	r := frameRow{head: fmt.Sprintf("#%d %s", f.Index, f.Func.Name), args: args}
	if f.Loc.HasSource() {
		r.tail = fmt.Sprintf(" %s:%d", f.Loc.File, f.Loc.Line)
	} else {
		r.tail = fmt.Sprintf(" 0x%x", uint32(f.Loc.Offset))
	}
	if f.Inlined {
		r.tail += " [inlined]"
	}
	return r
}

func (p *stackPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	if key.Matches(msg, e.keymap.Expand) && p.cursor < len(p.frames) {
		return e.exec("frame " + strconv.Itoa(p.cursor))
	}
	p.moveKey(msg, e.keymap, len(p.frames), p.height)
	return nil
}

func (p *stackPane) click(x, y int, e *env) tea.Cmd {
	if i := p.top + y; i < len(p.frames) {
		p.cursor = i
		return e.exec("frame " + strconv.Itoa(i))
	}
	return nil
}

func (p *stackPane) scroll(n int) { p.top += n; p.clamp(len(p.frames), p.height) }

func (p *stackPane) view(w, h int, e *env) []string {
	p.height = h
	p.clamp(len(p.frames), h)
	st := e.styles
	if len(p.frames) == 0 {
		return fitLines([]string{st.Dim.Render("No stack.")}, w, h)
	}
	var out []string
	for i := p.top; i < len(p.frames) && len(out) < h; i++ {
		s := p.frames[i].fit(w)
		switch {
		case i == p.sel:
			s = st.SelectedFrame.Render(fitLine(s, w))
		case i == p.cursor && e.focused(paneStack):
			s = st.CursorLine.Render(s)
		case p.inl[i]:
			s = st.InlinedFrame.Render(s)
		}
		out = append(out, s)
	}
	return fitLines(out, w, h)
}

// breakpointsPane lists breakpoints; space toggles one, d deletes it.
type breakpointsPane struct {
	cursorState
	rows   []string
	ids    []int
	height int
}

var (
	bpToggle = key.NewBinding(key.WithKeys("space", "t"), key.WithHelp("space", "enable/disable"))
	bpDelete = key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "delete"))
)

func (p *breakpointsPane) id() paneID          { return paneBreakpoints }
func (p *breakpointsPane) title(e *env) string { return "Breakpoints" }
func (p *breakpointsPane) keys() []key.Binding { return []key.Binding{bpToggle, bpDelete} }

func (p *breakpointsPane) refresh(e *env) {
	p.rows, p.ids = nil, nil
	for _, bp := range e.sess.Breakpoints() {
		mark := "●"
		if !bp.Enabled {
			mark = "○"
		}
		where := bp.Spec
		if len(bp.Locations) == 1 {
			l := bp.Locations[0]
			if l.Loc.HasSource() {
				where = fmt.Sprintf("%s %s:%d", l.Func.Name, l.Loc.File, l.Loc.Line)
			} else {
				where = fmt.Sprintf("%s 0x%x", l.Func.Name, uint32(l.Loc.Offset))
			}
		} else if len(bp.Locations) > 1 {
			where = fmt.Sprintf("%s (%d locations)", bp.Spec, len(bp.Locations))
		}
		row := fmt.Sprintf("%s %d %s", mark, bp.ID, where)
		if bp.Temporary {
			row += " [temp]"
		}
		if bp.Condition != "" {
			row += " if " + bp.Condition
		}
		if bp.Hits > 0 {
			row += fmt.Sprintf(" (%d hits)", bp.Hits)
		}
		p.rows = append(p.rows, row)
		p.ids = append(p.ids, bp.ID)
	}
	p.clamp(len(p.rows), max(p.height, 1))
}

func (p *breakpointsPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	if p.cursor < len(p.ids) {
		id := strconv.Itoa(p.ids[p.cursor])
		switch {
		case key.Matches(msg, bpToggle):
			if strings.HasPrefix(p.rows[p.cursor], "●") {
				return e.exec("disable " + id)
			}
			return e.exec("enable " + id)
		case key.Matches(msg, bpDelete):
			return e.exec("delete " + id)
		}
	}
	p.moveKey(msg, e.keymap, len(p.rows), p.height)
	return nil
}

func (p *breakpointsPane) click(x, y int, e *env) tea.Cmd {
	if i := p.top + y; i < len(p.rows) {
		p.cursor = i
	}
	return nil
}

func (p *breakpointsPane) scroll(n int) { p.top += n; p.clamp(len(p.rows), p.height) }

func (p *breakpointsPane) view(w, h int, e *env) []string {
	p.height = h
	p.clamp(len(p.rows), h)
	st := e.styles
	if len(p.rows) == 0 {
		return fitLines([]string{st.Dim.Render("No breakpoints. b sets one at the cursor.")}, w, h)
	}
	var out []string
	for i := p.top; i < len(p.rows) && len(out) < h; i++ {
		s := p.rows[i]
		if strings.HasPrefix(s, "●") {
			s = st.Breakpoint.Render("●") + s[len("●"):]
		}
		if i == p.cursor && e.focused(paneBreakpoints) {
			s = st.CursorLine.Render(stripStyle(s))
		}
		out = append(out, s)
	}
	return fitLines(out, w, h)
}

// logPane is a scrollable log: the guest's output, or the console.
type logPane struct {
	pid     paneID
	name    string
	lines   []logLine
	partial bool // the last line has no newline yet
	top     int
	height  int
	pinned  bool // follow the end
}

type logLine struct {
	text string
	kind int // 0 normal, 1 stderr, 2 a command echo
}

const maxLogLines = 20000

func newLogPane(id paneID, name string) *logPane { return &logPane{pid: id, name: name, pinned: true} }

func (p *logPane) id() paneID          { return p.pid }
func (p *logPane) title(e *env) string { return p.name }
func (p *logPane) keys() []key.Binding { return nil }
func (p *logPane) refresh(e *env)      {}

// write appends text, splitting lines.
func (p *logPane) write(text string, kind int) {
	for text != "" {
		line, rest, nl := strings.Cut(text, "\n")
		if p.partial && len(p.lines) > 0 && p.lines[len(p.lines)-1].kind == kind {
			p.lines[len(p.lines)-1].text += line
		} else {
			p.lines = append(p.lines, logLine{text: line, kind: kind})
		}
		p.partial = !nl
		text = rest
	}
	if over := len(p.lines) - maxLogLines; over > 0 {
		p.lines = p.lines[over:]
		p.top = max(p.top-over, 0)
	}
}

func (p *logPane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	c := cursorState{cursor: p.top, top: p.top}
	if c.moveKey(msg, e.keymap, len(p.lines), 1) {
		p.top = c.cursor
		p.pinned = p.top >= len(p.lines)-p.height
	}
	return nil
}

func (p *logPane) click(x, y int, e *env) tea.Cmd { return nil }

func (p *logPane) scroll(n int) {
	p.top = min(max(p.top+n, 0), max(len(p.lines)-p.height, 0))
	p.pinned = p.top >= len(p.lines)-p.height
}

func (p *logPane) view(w, h int, e *env) []string {
	p.height = h
	if p.pinned {
		p.top = max(len(p.lines)-h, 0)
	}
	p.top = min(max(p.top, 0), max(len(p.lines)-h, 0))
	st := e.styles
	var out []string
	for i := p.top; i < len(p.lines) && len(out) < h; i++ {
		l := p.lines[i]
		text := expandTabs(stripControl(l.text))
		switch l.kind {
		case 1:
			text = st.Stderr.Render(text)
		case 2:
			text = st.Prompt.Render(text)
		}
		out = append(out, text)
	}
	return fitLines(out, w, h)
}

// stripControl removes control characters (a guest's escape sequences must
// not drive our terminal).
func stripControl(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return '·'
		}
		return r
	}, s)
}
