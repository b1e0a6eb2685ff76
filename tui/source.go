package tui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"charm.land/bubbles/v2/key"
	"wdbg/session"
)

// sourcePane shows the source of the selected frame, follows the pc, and
// toggles breakpoints at the cursor line.
type sourcePane struct {
	cursorState
	loc     session.Location // the file shown, and the pc line (Line) when pcLine
	lines   []session.SourceLine
	comment []bool // comment[i]: line i starts inside a block comment
	pcLine  int    // the selected frame's line, 0 if the frame is elsewhere
	err     string
	bpLines map[int]bool // line -> enabled
	height  int
	follow  bool // re-center on the pc at the next refresh
	want    int  // a line index to center at the next view (its height is known then), -1 if none
}

func (p *sourcePane) id() paneID { return paneSource }

func (p *sourcePane) title(e *env) string {
	if p.loc.File == "" {
		return "Source"
	}
	return "Source " + p.loc.File
}

func (p *sourcePane) keys() []key.Binding { return nil }

func (p *sourcePane) refresh(e *env) {
	loc, ok := p.frameLocation(e)
	if !ok {
		p.pcLine = 0
		if p.loc.File == "" {
			if l, err := e.sess.SourceLocation("main", session.Location{}); err == nil {
				loc, ok = l, true
				p.follow = true
			}
		}
	}
	if ok {
		if loc.Path != p.loc.Path || p.lines == nil {
			p.load(e, loc)
		}
		p.loc = loc
		if _, inFrame := p.frameLocation(e); inFrame {
			p.pcLine = loc.Line
		}
		if p.follow || p.pcLine > 0 {
			p.want, p.cursor = loc.Line-1, loc.Line-1
			p.follow = false
		}
	}
	p.bpLines = map[int]bool{}
	for _, bp := range e.sess.Breakpoints() {
		for _, l := range bp.Locations {
			if l.Loc.Path == p.loc.Path && l.Loc.Line > 0 {
				p.bpLines[l.Loc.Line] = p.bpLines[l.Loc.Line] || bp.Enabled
			}
		}
	}
}

// frameLocation is the selected frame's source location, if it has one.
func (p *sourcePane) frameLocation(e *env) (session.Location, bool) {
	st := e.sess.Stop()
	if st == nil || !st.Valid() {
		return session.Location{}, false
	}
	f, err := e.sess.Frame(e.sess.SelectedFrame())
	if err != nil || !f.Loc.HasSource() {
		return session.Location{}, false
	}
	return f.Loc, true
}

func (p *sourcePane) load(e *env, loc session.Location) {
	p.lines, p.err = nil, ""
	n, err := e.sess.SourceLineCount(loc)
	if err == nil {
		p.lines, err = e.sess.Source(loc, 1, n)
	}
	if err != nil {
		p.err = err.Error()
	}
	p.comment = blockComments(p.lines)
}

func (p *sourcePane) key(msg tea.KeyPressMsg, e *env) tea.Cmd {
	if key.Matches(msg, e.keymap.Breakpoint) {
		return p.toggle(p.cursor+1, e)
	}
	p.moveKey(msg, e.keymap, len(p.lines), p.height)
	return nil
}

func (p *sourcePane) click(x, y int, e *env) tea.Cmd {
	line := p.top + y
	if line >= len(p.lines) {
		return nil
	}
	p.cursor = line
	if x < p.gutter() {
		return p.toggle(line+1, e)
	}
	return nil
}

func (p *sourcePane) scroll(n int) {
	p.top += n
	p.cursor += n
	p.clamp(len(p.lines), p.height)
}

// toggle sets or deletes the breakpoint on a source line.
func (p *sourcePane) toggle(line int, e *env) tea.Cmd {
	if p.loc.File == "" || line < 1 {
		return nil
	}
	for _, bp := range e.sess.Breakpoints() {
		for _, l := range bp.Locations {
			if l.Loc.Path == p.loc.Path && l.Loc.Line == line {
				return e.exec("delete " + strconv.Itoa(bp.ID))
			}
		}
	}
	return e.exec(fmt.Sprintf("break %s:%d", p.loc.File, line))
}

func (p *sourcePane) gutter() int {
	return len(strconv.Itoa(max(len(p.lines), 1))) + 4
}

func (p *sourcePane) view(w, h int, e *env) []string {
	p.height = h
	if p.want >= 0 && h > 0 {
		p.center(p.want, len(p.lines), h)
		p.want = -1
	}
	p.clamp(len(p.lines), h)
	st := e.styles
	if p.err != "" && len(p.lines) == 0 {
		return fitLines([]string{st.Dim.Render(p.err)}, w, h)
	}
	if len(p.lines) == 0 {
		return fitLines([]string{st.Dim.Render("No source: the program has no line information here (see the disassembly, key 2).")}, w, h)
	}
	numW := len(strconv.Itoa(len(p.lines)))
	out := make([]string, 0, h)
	for i := p.top; i < len(p.lines) && len(out) < h; i++ {
		n := i + 1
		mark := "  "
		switch en, ok := p.bpLines[n]; {
		case ok && en:
			mark = st.Breakpoint.Render("●") + " "
		case ok:
			mark = st.BreakpointOff.Render("○") + " "
		}
		pc := " "
		if n == p.pcLine {
			pc = st.PCMarker.Render("▶")
		}
		num := st.LineNumber.Render(fmt.Sprintf("%*d", numW, n))
		text := expandTabs(p.lines[i].Text)
		var body string
		switch {
		case n == p.pcLine:
			body = st.CurrentLine.Render(fitLine(text, max(w-numW-4, 0)))
		case i == p.cursor && e.focused(paneSource):
			body = st.CursorLine.Render(text)
		default:
			body = highlightC(text, i < len(p.comment) && p.comment[i], st)
		}
		out = append(out, mark+pc+num+" "+body)
	}
	return fitLines(out, w, h)
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	col := 0
	for _, r := range s {
		if r == '\t' {
			n := 4 - col%4
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		}
		b.WriteRune(r)
		col++
	}
	return b.String()
}
