package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"wdbg/cli"
	"wdbg/engine"
	"wdbg/internal/e2e"
	"wdbg/launch"
)

// BenchmarkRender renders a full 200x50 frame stopped in a 1,009-line
// source file, 24 frames deep, in a function with 200 locals. The goal is
// under 5 ms a frame.
func BenchmarkRender(b *testing.B) {
	s, _, err := launch.Open(e2e.Fixture("c/wide/wide.O0.wasm"), launch.Options{Engine: engine.Config{AllLocals: true}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Kill()
	m := New(s, cli.New(s, &strings.Builder{}), false)
	defer m.unsub()
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 50})
	for _, l := range []string{"break wide.c:410", "run"} {
		m.Update(m.exec(l)())
	}
	st := s.Stop()
	if st == nil || len(st.Frames) < 20 {
		b.Fatalf("not stopped deep enough: %v", st)
	}
	locals, _ := s.FrameLocals(0)
	src := m.panes[paneSource].(*sourcePane)
	if len(src.lines) < 1000 || len(locals) < 200 {
		b.Fatalf("%d source lines, %d locals", len(src.lines), len(locals))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = m.View()
	}
}
