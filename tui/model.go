package tui

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"wdbg/cli"
	"wdbg/session"
)

// Model is the TUI. Only it implements tea.Model.
type Model struct {
	env     env
	styles  Styles
	keymap  KeyMap
	panes   map[paneID]pane
	extra   []paneID // panes the program brings (a component's)
	slots   []*slot
	focus   paneID
	width   int
	height  int
	events  <-chan session.Event
	unsub   func()
	output  *logPane
	console *logPane

	mode     mode
	bar      textinput.Model // the : command bar, or a prompt
	prompt   func(m *Model, answer string) tea.Cmd
	history  []string
	histPos  int
	complete []string
	help     help.Model
	lastCmd  string // status line: the last command's first output line, or its error
	lastErr  bool
	quitting bool
}

type mode int

const (
	modeNormal mode = iota
	modeCommand
	modePrompt
	modeHelp
)

// execDoneMsg: a command finished running (on its tea.Cmd goroutine).
type execDoneMsg struct {
	line string
	out  string
	err  error
}

// eventMsg carries a session event into Update.
type eventMsg struct{ e session.Event }

// New returns the TUI model for a session. in must run commands against
// the same session.
func New(s *session.Session, in *cli.Interp, mono bool) *Model {
	m := &Model{styles: DefaultStyles(mono), keymap: DefaultKeyMap(), focus: paneSource, help: help.New()}
	m.output = newLogPane(paneOutput, "Output")
	m.console = newLogPane(paneConsole, "Console")
	m.panes = map[paneID]pane{
		paneSource:      &sourcePane{follow: true, want: -1},
		paneDisasm:      &disasmPane{want: -1},
		paneStack:       &stackPane{},
		paneLocals:      &localsPane{},
		paneWatches:     &watchesPane{},
		paneBreakpoints: &breakpointsPane{},
		paneMemory:      &memoryPane{expr: "$sp"},
		paneOutput:      m.output,
		paneConsole:     m.console,
	}
	if s.Program().Kind == session.KindComponent {
		m.panes[paneComponents] = &componentsPane{}
		m.extra = []paneID{paneComponents}
	}
	m.env = env{sess: s, interp: in, styles: &m.styles, keymap: &m.keymap,
		prev: map[string]string{}, cur: map[string]string{}}
	m.env.exec = m.exec
	m.bar = textinput.New()
	m.bar.Prompt = ":"
	m.events, m.unsub = s.Subscribe()
	m.console.write("wdbg: "+s.Program().Path+"\n", 0)
	for _, w := range s.Program().Warnings {
		m.console.write("warning: "+w+"\n", 1)
	}
	m.console.write("r runs the program, b sets a breakpoint at the cursor, : runs any command, ? shows the keys.\n", 0)
	m.refresh()
	return m
}

// focused reports whether pane id has the focus.
func (e *env) focused(id paneID) bool { return e.focus == id }

// Init starts listening to session events.
func (m *Model) Init() tea.Cmd { return waitEvent(m.events) }

// waitEvent is the re-armed command that brings one session event in.
func waitEvent(ch <-chan session.Event) tea.Cmd {
	return func() tea.Msg {
		e, ok := <-ch
		if !ok {
			return nil
		}
		return eventMsg{e}
	}
}

// exec runs a command line through the command table on a tea.Cmd: the
// model is running until execDoneMsg comes back, and meanwhile touches the
// session only to halt it.
func (m *Model) exec(line string) tea.Cmd {
	if m.env.running {
		return nil
	}
	m.env.running = true
	m.console.write("(wdbg) "+line+"\n", 2)
	in := m.env.interp
	return func() tea.Msg {
		var buf bytes.Buffer
		in.SetOutput(&buf)
		err := in.Exec(line)
		return execDoneMsg{line: line, out: buf.String(), err: err}
	}
}

// refresh rereads the session into every pane (the UI goroutine, idle
// session).
func (m *Model) refresh() {
	m.env.focus = m.focus
	m.env.prev, m.env.cur = m.env.cur, map[string]string{}
	// Source when there is some, else the disassembly.
	for _, id := range append([]paneID{paneSource, paneDisasm, paneStack, paneLocals, paneWatches, paneBreakpoints, paneMemory}, m.extra...) {
		m.panes[id].refresh(&m.env)
	}
	for k, v := range m.env.prev {
		if _, ok := m.env.cur[k]; !ok {
			m.env.cur[k] = v
		}
	}
	if src := m.panes[paneSource].(*sourcePane); len(src.lines) == 0 && m.env.sess.Stop() != nil && m.env.sess.Stop().Valid() {
		m.show(paneDisasm, false)
	} else if src.pcLine > 0 {
		m.show(paneSource, false)
	}
}

// show makes a pane visible in its slot, optionally focusing it.
func (m *Model) show(id paneID, focus bool) {
	for _, s := range m.slots {
		for i, p := range s.panes {
			if p == id {
				s.active = i
			}
		}
	}
	if focus {
		m.focus = id
		m.env.focus = id
	}
}

// visible lists the panes on screen, in slot order.
func (m *Model) visible() []paneID {
	var out []paneID
	for _, s := range m.slots {
		out = append(out, s.panes[s.active])
	}
	return out
}

// Update handles messages.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case eventMsg:
		switch e := msg.e.(type) {
		case session.Output:
			kind := 0
			if e.Stream == 2 {
				kind = 1
			}
			m.output.write(string(e.Data), kind)
		}
		return m, waitEvent(m.events)
	case execDoneMsg:
		m.env.running = false
		if msg.out != "" {
			m.console.write(msg.out, 0)
		}
		m.lastCmd, m.lastErr = firstLine(msg.out), msg.err != nil
		if msg.err != nil {
			m.console.write(msg.err.Error()+"\n", 1)
			m.lastCmd = msg.err.Error()
		}
		if m.env.interp.Quit() {
			m.quitting = true
			return m, tea.Quit
		}
		m.refresh()
		return m, nil
	case tea.MouseClickMsg:
		return m, m.click(msg.Mouse())
	case tea.MouseWheelMsg:
		mm := msg.Mouse()
		if id, _, ok := m.paneAt(mm.X, mm.Y); ok {
			n := 3
			if mm.Button == tea.MouseWheelUp {
				n = -3
			}
			m.panes[id].scroll(n)
		}
		return m, nil
	case tea.KeyPressMsg:
		return m, m.keyPress(msg)
	}
	if m.mode == modeCommand || m.mode == modePrompt {
		var cmd tea.Cmd
		m.bar, cmd = m.bar.Update(msg)
		return m, cmd
	}
	return m, nil
}

func firstLine(s string) string {
	s = strings.TrimLeft(s, "\n")
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	old := map[paneID]bool{}
	for _, id := range m.visible() {
		old[id] = true
	}
	m.slots = slotsFor(w, h-1, m.extra...)
	for _, s := range m.slots {
		for i, id := range s.panes {
			if old[id] {
				s.active = i
			}
		}
	}
	m.show(m.focus, true)
	m.help.SetWidth(w)
	m.bar.SetWidth(max(w-2, 1))
}

// keyPress handles keys by mode.
func (m *Model) keyPress(msg tea.KeyPressMsg) tea.Cmd {
	km := &m.keymap
	switch m.mode {
	case modeHelp:
		m.mode = modeNormal
		return nil
	case modeCommand, modePrompt:
		return m.barKey(msg)
	}
	// Keys that work while the guest runs.
	switch {
	case key.Matches(msg, km.Halt):
		if m.env.running {
			m.env.sess.Halt()
		}
		return nil
	case key.Matches(msg, km.Quit):
		return m.askQuit()
	case key.Matches(msg, km.Help):
		m.mode = modeHelp
		return nil
	case key.Matches(msg, km.FocusNext), key.Matches(msg, km.FocusPrev):
		vis := m.visible()
		i := indexOf(vis, m.focus)
		d := 1
		if key.Matches(msg, km.FocusPrev) {
			d = len(vis) - 1
		}
		m.focus = vis[(i+d)%len(vis)]
		m.env.focus = m.focus
		return nil
	case key.Matches(msg, km.Panes):
		var n int
		fmt.Sscanf(msg.String(), "%d", &n)
		if n == 0 {
			n = int(paneComponents)
		}
		if _, ok := m.panes[paneID(n)]; ok {
			m.show(paneID(n), true)
		}
		return nil
	case key.Matches(msg, km.Command):
		// The bar opens even while the guest runs; a command typed then
		// is refused at Enter (only a halt can reach a running guest).
		m.openBar(":", "", func(m *Model, line string) tea.Cmd {
			if strings.TrimSpace(line) == "" {
				return nil
			}
			if m.env.running {
				m.lastCmd, m.lastErr = "the program is running: Ctrl-C halts it", true
				return nil
			}
			return m.exec(line)
		})
		m.mode = modeCommand
		return nil
	}
	if m.env.running {
		// Scrolling the output while the guest runs is fine.
		if m.focus == paneOutput || m.focus == paneConsole {
			return m.panes[m.focus].key(msg, &m.env)
		}
		return nil
	}
	switch {
	case key.Matches(msg, km.Run):
		return m.exec("run")
	case key.Matches(msg, km.Continue):
		return m.exec("continue")
	case key.Matches(msg, km.Next):
		return m.exec("next")
	case key.Matches(msg, km.Step):
		return m.exec("step")
	case key.Matches(msg, km.Finish):
		return m.exec("finish")
	case key.Matches(msg, km.StepInstr):
		return m.exec("stepi")
	case m.focus == paneMemory && key.Matches(msg, memAddr):
		mp := m.panes[paneMemory].(*memoryPane)
		m.openBar("memory at: ", mp.expr, func(m *Model, line string) tea.Cmd {
			if line = strings.TrimSpace(line); line != "" {
				mp.expr, mp.row = line, 0
				mp.refresh(&m.env)
			}
			return nil
		})
		m.mode = modePrompt
		return nil
	}
	return m.panes[m.focus].key(msg, &m.env)
}

// openBar opens the bottom-line input.
func (m *Model) openBar(prompt, value string, done func(*Model, string) tea.Cmd) {
	m.bar.Prompt = prompt
	m.bar.SetValue(value)
	m.bar.CursorEnd()
	m.bar.Focus()
	m.prompt = done
	m.histPos = len(m.history)
	m.complete = nil
}

// barKey edits the command bar: Enter runs, Esc cancels, Up/Down walk the
// history, Tab completes.
func (m *Model) barKey(msg tea.KeyPressMsg) tea.Cmd {
	switch msg.String() {
	case "esc", "ctrl+c":
		m.mode = modeNormal
		m.bar.Blur()
		return nil
	case "enter":
		line := m.bar.Value()
		isCommand := m.mode == modeCommand
		m.mode = modeNormal
		m.bar.Blur()
		if isCommand && strings.TrimSpace(line) != "" {
			m.history = append(m.history, line)
			m.show(paneConsole, false)
		}
		return m.prompt(m, line)
	case "up", "down":
		if m.mode != modeCommand || len(m.history) == 0 {
			return nil
		}
		if msg.String() == "up" {
			m.histPos = max(m.histPos-1, 0)
		} else {
			m.histPos = min(m.histPos+1, len(m.history))
		}
		if m.histPos < len(m.history) {
			m.bar.SetValue(m.history[m.histPos])
		} else {
			m.bar.SetValue("")
		}
		m.bar.CursorEnd()
		return nil
	case "tab":
		if m.mode != modeCommand {
			return nil
		}
		c := m.env.interp.Complete(m.bar.Value())
		switch len(c) {
		case 0:
		case 1:
			m.bar.SetValue(c[0] + " ")
			m.bar.CursorEnd()
		default:
			m.bar.SetValue(commonPrefix(c))
			m.bar.CursorEnd()
			m.complete = c
		}
		return nil
	}
	var cmd tea.Cmd
	m.bar, cmd = m.bar.Update(msg)
	return cmd
}

func commonPrefix(ss []string) string {
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// askQuit quits, asking first when a debugging session is active.
func (m *Model) askQuit() tea.Cmd {
	st := m.env.sess.State()
	if st != session.StateStopped && st != session.StateRunning && !m.env.running {
		m.quitting = true
		return tea.Quit
	}
	m.openBar("The program is running. Kill it and quit? (y or n) ", "", func(m *Model, ans string) tea.Cmd {
		if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ans)), "y") {
			return nil
		}
		m.env.sess.Halt()
		m.quitting = true
		return tea.Quit
	})
	m.mode = modePrompt
	return nil
}

// click focuses the pane under the mouse and passes the click on.
func (m *Model) click(mm tea.Mouse) tea.Cmd {
	id, r, ok := m.paneAt(mm.X, mm.Y)
	if !ok {
		return nil
	}
	m.focus = id
	m.env.focus = id
	if mm.Button != tea.MouseLeft || m.env.running {
		return nil
	}
	x, y := mm.X-r.x-1, mm.Y-r.y-1
	if y < 0 || x < 0 || x >= r.w-2 || y >= r.h-2 {
		return nil
	}
	return m.panes[id].click(x, y, &m.env)
}

// paneAt finds the visible pane at a screen cell.
func (m *Model) paneAt(x, y int) (paneID, rect, bool) {
	for _, s := range m.slots {
		if s.r.contains(x, y) {
			return s.panes[s.active], s.r, true
		}
	}
	return 0, rect{}, false
}

func indexOf(ids []paneID, id paneID) int {
	for i, v := range ids {
		if v == id {
			return i
		}
	}
	return 0
}

// View renders the screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "wdbg " + m.env.sess.Program().Path
	return v
}

// render draws the whole screen as text.
func (m *Model) render() string {
	if m.quitting {
		return ""
	}
	if m.width < 20 || m.height < 5 || m.slots == nil {
		return "wdbg: the terminal is too small"
	}
	grid := make([]string, m.height-1)
	for i := range grid {
		grid[i] = ""
	}
	// Draw slots column by column: slots are placed left to right, top to
	// bottom, so each screen row is the concatenation of the slots that
	// cover it, in x order.
	type piece struct {
		x     int
		lines []string
		r     rect
	}
	var pieces []piece
	for _, s := range m.slots {
		id := s.panes[s.active]
		p := m.panes[id]
		content := p.view(max(s.r.w-2, 0), max(s.r.h-2, 0), &m.env)
		title := m.slotTitle(s)
		pieces = append(pieces, piece{x: s.r.x, lines: frameBox(title, content, s.r.w, s.r.h, id == m.focus, &m.styles), r: s.r})
	}
	for y := 0; y < m.height-1; y++ {
		var row []piece
		for _, pc := range pieces {
			if y >= pc.r.y && y < pc.r.y+pc.r.h {
				row = append(row, pc)
			}
		}
		// Order by x.
		for i := 1; i < len(row); i++ {
			for j := i; j > 0 && row[j].x < row[j-1].x; j-- {
				row[j], row[j-1] = row[j-1], row[j]
			}
		}
		var b strings.Builder
		for _, pc := range row {
			b.WriteString(pc.lines[y-pc.r.y])
		}
		grid[y] = fitLine(b.String(), m.width)
	}
	screen := append(grid, m.statusLine())
	if m.mode == modeHelp {
		screen = m.overlayHelp(screen)
	}
	return strings.Join(screen, "\n")
}

// slotTitle is the title of a slot: its panes as tabs, with the pane
// details of the active one.
func (m *Model) slotTitle(s *slot) string {
	// The active pane's full title comes first; the other tabs follow by
	// name, so the active one reads without color.
	act := m.panes[s.panes[s.active]]
	parts := []string{fmt.Sprintf("%d %s", s.panes[s.active]%10, act.title(&m.env))}
	for i, id := range s.panes {
		if i != s.active {
			parts = append(parts, fmt.Sprintf("%d %s", id%10, strings.Fields(m.panes[id].title(&m.env))[0]))
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return parts[0] + " │ " + strings.Join(parts[1:], " ")
}

// statusLine is the last line: the command bar when open, else the state.
func (m *Model) statusLine() string {
	st := &m.styles
	if m.mode == modeCommand || m.mode == modePrompt {
		return fitLine(m.bar.View(), m.width)
	}
	var state string
	var style lipgloss.Style
	sess := m.env.sess
	switch {
	case m.env.running:
		state, style = " RUNNING ", st.StatusRunning
	case sess.State() == session.StateStopped:
		state, style = " STOPPED ", st.StatusStopped
	case sess.State() == session.StateExited:
		state, style = " EXITED ", st.StatusExited
	default:
		state, style = " NOT STARTED ", st.StatusExited
	}
	info := m.stopInfo()
	if m.env.running {
		info = "running… Ctrl-C halts"
	}
	right := "? help  : command  q quit"
	left := style.Render(state) + " " + info
	if m.lastErr && m.lastCmd != "" && !m.env.running {
		left += "  " + st.Error.Render(m.lastCmd)
	}
	gap := m.width - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	if gap < 1 {
		// Keep "? help" (help must stay reachable): the stop description
		// gives way, cut with an ellipsis.
		right = "? help"
		room := m.width - ansi.StringWidth(right) - 3
		if room < ansi.StringWidth(state)+2 {
			return fitLine(st.StatusBar.Render(fitLine(left, m.width)), m.width)
		}
		if ansi.StringWidth(left) > room {
			left = ansi.Truncate(left, room, "…")
		}
		gap = m.width - ansi.StringWidth(left) - ansi.StringWidth(right) - 1
	}
	return st.StatusBar.Render(left + strings.Repeat(" ", gap) + right + " ")
}

// stopInfo describes the current stop for the status line.
func (m *Model) stopInfo() string {
	sess := m.env.sess
	st := sess.Stop()
	prog := sess.Program()
	mod := prog.Modules[0].Name
	if prog.Kind == session.KindComponent {
		mod = filepath.Base(prog.Path) // the component, not its first core module
	}
	if st == nil {
		return mod
	}
	if st.Exited() {
		switch {
		case st.Trap != "":
			return fmt.Sprintf("%s: terminated by wasm trap: %s", mod, st.Trap)
		default:
			return fmt.Sprintf("%s: exited with status %d", mod, st.ExitCode)
		}
	}
	reason := st.Reason.String()
	if st.Reason == session.StopBreakpoint && len(st.Breakpoints) > 0 {
		reason = fmt.Sprintf("breakpoint %d", st.Breakpoints[0])
	}
	if st.Reason == session.StopTrap {
		reason = "trap: " + st.Trap
	}
	where := mod
	if len(st.Frames) > 0 {
		f := st.Frames[0]
		where = f.Func.Name
		if f.Loc.HasSource() {
			where += fmt.Sprintf(" at %s:%d", f.Loc.File, f.Loc.Line)
		}
	}
	return fmt.Sprintf("%s — %s — %s", reason, where, mod)
}

// overlayHelp draws the key help over the middle of the screen, in as
// many columns as it needs to fit.
func (m *Model) overlayHelp(screen []string) []string {
	var items []string
	for _, col := range m.keymap.FullHelp() {
		for _, b := range col {
			h := b.Help()
			items = append(items, fmt.Sprintf("%-8s %s", h.Key, h.Desc))
		}
	}
	if p, ok := m.panes[m.focus]; ok {
		for _, b := range p.keys() {
			h := b.Help()
			items = append(items, fmt.Sprintf("%-8s %s (pane)", h.Key, h.Desc))
		}
	}
	rows := max(len(screen)-6, 4)
	cols := (len(items) + rows - 1) / rows
	colW := 0
	for _, it := range items {
		colW = max(colW, ansi.StringWidth(it))
	}
	colW += 2
	per := (len(items) + cols - 1) / cols
	lines := []string{"Keys (any key closes). Any command works from the : bar.", ""}
	for r := 0; r < per; r++ {
		var b strings.Builder
		for c := 0; c < cols; c++ {
			if i := c*per + r; i < len(items) {
				b.WriteString(fitLine(items[i], colW))
			}
		}
		lines = append(lines, strings.TrimRight(b.String(), " "))
	}
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	w = min(w+4, m.width)
	h := min(len(lines)+2, len(screen))
	box := frameBox("Help", lines, w, h, true, &m.styles)
	x0 := (m.width - w) / 2
	y0 := (len(screen) - h) / 2
	for i, l := range box {
		row := screen[y0+i]
		left := ansi.Truncate(row, x0, "")
		right := ansi.TruncateLeft(row, x0+w, "")
		screen[y0+i] = fitLine(fitLine(left, x0)+l+right, m.width)
	}
	return screen
}
