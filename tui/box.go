package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Layout helpers: every pane draws exactly its rectangle, cell for cell, so
// panes never overlap and wide characters are never cut in half (a wide
// character that does not fit is replaced by spaces).

// fitLine pads or truncates a (possibly styled) line to exactly w cells.
func fitLine(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if n := ansi.StringWidth(s); n > w {
		s = ansi.Truncate(s, w, "")
		if n := ansi.StringWidth(s); n < w {
			s += strings.Repeat(" ", w-n) // a wide rune did not fit
		}
		return s
	} else if n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// fitLines makes exactly h lines of exactly w cells.
func fitLines(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := 0; i < h; i++ {
		if i < len(lines) {
			out[i] = fitLine(lines[i], w)
		} else {
			out[i] = strings.Repeat(" ", max(w, 0))
		}
	}
	return out
}

// frameBox draws a rounded box of w×h cells around content lines (which
// are fitted to w-2 × h-2), with a title in the top border.
func frameBox(title string, content []string, w, h int, focused bool, st *Styles) []string {
	if w < 4 || h < 2 {
		return fitLines(nil, max(w, 0), max(h, 0))
	}
	border, titleStyle := st.Border, st.Title
	if focused {
		border, titleStyle = st.BorderFocused, st.TitleFocused
	}
	inner := w - 2
	t := " " + title + " "
	if ansi.StringWidth(t) > inner-2 {
		t = ansi.Truncate(t, max(inner-2, 0), "…")
	}
	top := border.Render("╭─") + titleStyle.Render(t) + border.Render(strings.Repeat("─", max(inner-1-ansi.StringWidth(t), 0))+"╮")
	out := make([]string, 0, h)
	out = append(out, fitLine(top, w))
	for _, l := range fitLines(content, inner, h-2) {
		out = append(out, border.Render("│")+l+border.Render("│"))
	}
	out = append(out, border.Render("╰"+strings.Repeat("─", inner)+"╯"))
	return out
}

// joinColumns places blocks of lines side by side; every block has the
// same number of lines.
func joinColumns(cols ...[]string) []string {
	if len(cols) == 0 {
		return nil
	}
	out := make([]string, len(cols[0]))
	for i := range out {
		var b strings.Builder
		for _, c := range cols {
			if i < len(c) {
				b.WriteString(c[i])
			}
		}
		out[i] = b.String()
	}
	return out
}

// truncLeft keeps the last w cells of s, for paths ("…/c/ledger/ledger.c").
func truncLeft(s string, w int) string {
	if ansi.StringWidth(s) <= w || w < 2 {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && ansi.StringWidth(string(r))+1 > w {
		r = r[1:]
	}
	return "…" + string(r)
}

// truncRight keeps the first w cells of s, ending in "…" when cut.
func truncRight(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	if w < 1 {
		return ""
	}
	return ansi.Truncate(s, w-1, "") + "…"
}
