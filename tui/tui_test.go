package tui

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"wdbg/cli"
	"wdbg/internal/e2e"
	"wdbg/launch"
	"wdbg/session"
)

var update = flag.Bool("update", false, "rewrite golden files")

// newTestModel opens a fixture in a model of the given size.
func newTestModel(t *testing.T, fixture string, w, h int) *Model {
	t.Helper()
	s, _, err := launch.Open(e2e.Fixture(fixture), launch.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Kill() })
	m := New(s, cli.New(s, &strings.Builder{}), true)
	t.Cleanup(m.unsub)
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

// do runs commands the way keys and the : bar do, synchronously, and
// feeds the session's events to the model.
func (m *Model) do(t *testing.T, lines ...string) {
	t.Helper()
	for _, l := range lines {
		cmd := m.exec(l)
		if cmd == nil {
			t.Fatalf("%q: the model is busy", l)
		}
		m.Update(cmd())
		m.drain()
	}
}

// drain feeds pending session events (guest output) to the model.
func (m *Model) drain() {
	for {
		select {
		case e := <-m.events:
			m.Update(eventMsg{e})
		case <-time.After(100 * time.Millisecond):
			return
		}
	}
}

// screen renders the model as plain text.
func (m *Model) screen() string { return ansi.Strip(m.render()) }

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", t.Name(), name+".golden")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from %s (run with -update to accept):\n%s", name, path, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, a, b)
		}
	}
	return ""
}

// checkGrid asserts the screen is exactly w×h cells: nothing overflows or
// overlaps.
func checkGrid(t *testing.T, screen string, w, h int) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i+1, n, w, l)
		}
	}
}

// TestScreens renders whole screens at a stop, at the two reference sizes.
func TestScreens(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		name := fmt.Sprintf("%dx%d", w, h)
		t.Run(name, func(t *testing.T) {
			m := newTestModel(t, "c/ledger/ledger.O0.wasm", w, h)
			start := m.screen()
			checkGrid(t, start, w, h)
			golden(t, "not-started", start)

			m.do(t, "break ledger.c:28", "run", "next")
			stopped := m.screen()
			checkGrid(t, stopped, w, h)
			golden(t, "stopped", stopped)

			m.Update(tea.KeyPressMsg{Text: "?", Code: '?'})
			help := m.screen()
			checkGrid(t, help, w, h)
			golden(t, "help", help)
			m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})

			m.do(t, "delete", "continue")
			exited := m.screen()
			checkGrid(t, exited, w, h)
			golden(t, "exited", exited)
		})
	}
}

// TestPanes renders each pane alone at a stop.
func TestPanes(t *testing.T) {
	m := newTestModel(t, "c/ledger/ledger.O0.wasm", 120, 40)
	m.do(t, "break apply", "run", "display $sp", "up")
	m.focus = 0 // no cursor marks
	m.env.focus = 0
	for _, id := range []paneID{paneSource, paneDisasm, paneStack, paneLocals, paneWatches, paneBreakpoints, paneMemory, paneOutput, paneConsole} {
		p := m.panes[id]
		got := strings.Join(p.view(60, 12, &m.env), "\n")
		got = p.title(&m.env) + "\n" + ansi.Strip(got)
		golden(t, strings.ToLower(strings.Fields(p.title(&m.env))[0]), got)
	}
}

// TestResize: every size from tiny to wide renders a full grid.
func TestResize(t *testing.T) {
	m := newTestModel(t, "c/ledger/ledger.O0.wasm", 80, 24)
	m.do(t, "break apply", "run")
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {139, 40}, {140, 40}, {200, 50}, {300, 80}, {81, 25}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		checkGrid(t, m.screen(), sz[0], sz[1])
	}
}

// TestKeys drives the model with keys, as a person would.
func TestKeys(t *testing.T) {
	m := newTestModel(t, "c/ledger/ledger.O0.wasm", 100, 30)
	press := func(k tea.KeyPressMsg) {
		t.Helper()
		_, cmd := m.Update(k)
		if cmd != nil {
			if msg := cmd(); msg != nil {
				m.Update(msg)
			}
		}
		m.drain()
	}
	runes := func(s string) {
		for _, r := range s {
			press(tea.KeyPressMsg{Text: string(r), Code: r})
		}
	}
	// Move the source cursor to line 28 and toggle a breakpoint there.
	src := m.panes[paneSource].(*sourcePane)
	src.cursor = 27
	runes("b")
	if bps := m.env.sess.Breakpoints(); len(bps) != 1 || bps[0].Locations[0].Loc.Line != 28 {
		t.Fatalf("b did not set a breakpoint on line 28: %v", bps)
	}
	runes("r")
	if st := m.env.sess.Stop(); st == nil || st.Reason != session.StopBreakpoint || src.pcLine != 28 {
		t.Fatalf("r: stop %v, source pc line %d", st, src.pcLine)
	}
	runes("n")
	if src.pcLine != 29 {
		t.Fatalf("n: pc line %d, want 29", src.pcLine)
	}
	// The command bar, with history.
	runes(":")
	runes("info breakpoints")
	press(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !strings.Contains(m.screen(), "breakpoint already hit 1 time") {
		t.Fatalf("the console does not show info breakpoints:\n%s", m.screen())
	}
	runes(":")
	press(tea.KeyPressMsg{Code: tea.KeyUp})
	if m.bar.Value() != "info breakpoints" {
		t.Fatalf("history: %q", m.bar.Value())
	}
	press(tea.KeyPressMsg{Code: tea.KeyEscape})
	// Focus cycling and pane hotkeys.
	press(tea.KeyPressMsg{Code: tea.KeyTab})
	if m.focus == paneSource {
		t.Fatal("Tab did not move the focus")
	}
	runes("7")
	if m.focus != paneMemory {
		t.Fatalf("7 focused %d", m.focus)
	}
	// q while stopped asks first; n keeps going, y quits.
	runes("q")
	if m.mode != modePrompt {
		t.Fatal("q did not ask for confirmation")
	}
	runes("n")
	press(tea.KeyPressMsg{Code: tea.KeyEnter})
	if m.quitting {
		t.Fatal("answering n quit")
	}
}

// TestMouse: a click focuses the pane under it, a click in the source
// gutter toggles a breakpoint, the wheel scrolls.
func TestMouse(t *testing.T) {
	m := newTestModel(t, "c/ledger/ledger.O0.wasm", 100, 30)
	click := func(x, y int) {
		t.Helper()
		_, cmd := m.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
		if cmd != nil {
			m.Update(cmd())
		}
	}
	// The stack pane is in the right column.
	stack := m.slots[2].r
	click(stack.x+3, stack.y+2)
	if m.focus != paneStack {
		t.Fatalf("click on the stack pane focused %d", m.focus)
	}
	// Click the gutter of the source line showing line 28.
	src := m.panes[paneSource].(*sourcePane)
	m.render()
	row := 27 - src.top
	if row < 0 || row >= src.height {
		src.top = 20
		row = 7
	}
	click(m.slots[0].r.x+1, m.slots[0].r.y+1+row)
	bps := m.env.sess.Breakpoints()
	if len(bps) != 1 || bps[0].Locations[0].Loc.Line != src.top+row+1 {
		t.Fatalf("gutter click: breakpoints %v", bps)
	}
	// Again: deleted.
	click(m.slots[0].r.x+1, m.slots[0].r.y+1+row)
	if n := len(m.env.sess.Breakpoints()); n != 0 {
		t.Fatalf("second gutter click left %d breakpoints", n)
	}
	top := src.top
	m.Update(tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelDown})
	if src.top != top+3 {
		t.Fatalf("wheel: top %d, want %d", src.top, top+3)
	}
}

// TestMonochrome: the monochrome styles (NO_COLOR) use no color at all,
// and the current line is still marked (reverse video).
func TestMonochrome(t *testing.T) {
	m := newTestModel(t, "c/ledger/ledger.O0.wasm", 100, 30) // mono
	m.do(t, "break ledger.c:28", "run")
	out := m.render()
	for _, seq := range []string{"[38;", "[48;", "[3", "[9"} {
		for _, part := range strings.Split(out, "\x1b") {
			if strings.HasPrefix(part, seq) && !strings.HasPrefix(part, "[3m") {
				t.Fatalf("color escape %q in monochrome output", "\\e"+part[:min(len(part), 8)])
			}
		}
	}
	if !strings.Contains(out, "\x1b[7m") {
		t.Fatal("no reverse video for the current line")
	}
	t.Setenv("NO_COLOR", "1")
	if !monoFromEnv() {
		t.Fatal("NO_COLOR does not select the monochrome styles")
	}
}

// TestComponentScreen: a component brings the Components pane (hotkey 0):
// its handle tables at the stop, then its instance tree.
func TestComponentScreen(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		w, h := size[0], size[1]
		t.Run(fmt.Sprintf("%dx%d", w, h), func(t *testing.T) {
			m := newTestModel(t, "component/cmd/cmd.wasm", w, h)
			m.do(t, "break cmd.c:29", "run")
			m.Update(tea.KeyPressMsg{Text: "0", Code: '0'})
			got := m.screen()
			checkGrid(t, got, w, h)
			golden(t, "components", got)
		})
	}
}
