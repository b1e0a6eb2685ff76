package tui

// The layout places slots for the terminal size; a slot shows one of its
// panes at a time (the others are tabs). The registry (Model.panes) and the
// slot lists below are the only places that know which panes exist, so a
// component's panes are one more entry in each.

// rect is a screen rectangle.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// slot is a place on screen with its panes.
type slot struct {
	panes  []paneID
	active int
	r      rect
}

// slotsFor returns the slots for a screen of w×h cells (the status line
// excluded). extra are panes the program brings (a component's), shown as
// tabs beside the memory pane.
func slotsFor(w, h int, extra ...paneID) []*slot {
	if w >= 140 {
		// Wide: source and disassembly | stack, locals, watches | breakpoints, memory, output.
		lw := w * 42 / 100
		mw := w * 29 / 100
		rw := w - lw - mw
		srcH := h * 62 / 100
		stackH, localsH := h*30/100, h*42/100
		bpH, memH := h*25/100, h*35/100
		return []*slot{
			{panes: []paneID{paneSource}, r: rect{0, 0, lw, srcH}},
			{panes: []paneID{paneDisasm}, r: rect{0, srcH, lw, h - srcH}},
			{panes: []paneID{paneStack}, r: rect{lw, 0, mw, stackH}},
			{panes: []paneID{paneLocals}, r: rect{lw, stackH, mw, localsH}},
			{panes: []paneID{paneWatches}, r: rect{lw, stackH + localsH, mw, h - stackH - localsH}},
			{panes: []paneID{paneBreakpoints}, r: rect{lw + mw, 0, rw, bpH}},
			{panes: append([]paneID{paneMemory}, extra...), r: rect{lw + mw, bpH, rw, memH}},
			{panes: []paneID{paneOutput, paneConsole}, r: rect{lw + mw, bpH + memH, rw, h - bpH - memH}},
		}
	}
	// Narrow (80 columns and up): source or disassembly over output or
	// console | stack, locals, and watches/breakpoints/memory as tabs.
	lw := w * 60 / 100
	rw := w - lw
	outH := max(h*28/100, 5)
	stackH := max(h*30/100, 4)
	localsH := max((h-stackH)/2, 4)
	return []*slot{
		{panes: []paneID{paneSource, paneDisasm}, r: rect{0, 0, lw, h - outH}},
		{panes: []paneID{paneOutput, paneConsole}, r: rect{0, h - outH, lw, outH}},
		{panes: []paneID{paneStack}, r: rect{lw, 0, rw, stackH}},
		{panes: []paneID{paneLocals}, r: rect{lw, stackH, rw, localsH}},
		{panes: append([]paneID{paneWatches, paneBreakpoints, paneMemory}, extra...), r: rect{lw, stackH + localsH, rw, h - stackH - localsH}},
	}
}
